#pragma once
// A deterministic dataset file in the format `cimnet dataset` writes, with cycles a known function of
// the sub-network and the hardware, for testing predictors end to end without the simulator.
//
//   cycles            = 3 · MACs / (L1_num_child · MA_num_child · MA_comp_per_core) · (1 + 32 / DRAM_bw)
//   analytical_cycles = MACs / peak MACs per cycle + weight bytes / DRAM_bw (a different, additive model)
// ln(cycles) is linear in ln(MACs) and the hardware one-hots, so a log-target ridge model with those
// features recovers it almost exactly. Every tenth point has status error and empty measurements.
#include <cstdint>
#include <string>

#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::test {

double synthetic_cycles(const SearchSpace& space, const Genome& genome, const HardwareConfig& hw);

// Writes n points (sub-networks and hardware sampled from `seed`) to `path`.
void write_synthetic_dataset(const std::string& path, const SearchSpace& space, const HardwareSpace& hardware,
                             std::size_t n, std::uint64_t seed);

}  // namespace cimnet::test
