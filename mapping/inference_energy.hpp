#pragma once
// The energy of one inference of a mapped network (issue 16): its ops' action counts
// (program/action_counts.hpp, exact for the program and equal to the SystemC model's own counters),
// each MAC priced at its layer's precisions, plus static power over the inference's cycles (simulated
// or estimated) — per level and per layer. Here rather than in evaluation/ because the network mapper
// measures its own candidates by it (an energy allocation objective under `fused`, network_mapper.cpp);
// evaluation/energy_report.hpp reports it.
#include <cstdint>
#include <vector>

#include "hardware/energy.hpp"
#include "hardware/energy_table.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct InferenceEnergy {
  ActionCounts counts;
  EnergyBreakdown energy;            // pJ; static over `cycles`
  std::vector<double> layer_pj;      // per layer, dynamic (a fused post-op's is its head's); -1 layer's not listed
  double unattributed_pj = 0;        // ops of no one layer (a stack's closing stores)
  std::int64_t cycles = 0;
  std::int64_t macs = 0;             // the network's
  double pj_per_mac() const;
  // Tera-operations (2 per MAC) per second per watt at the clock: MACs × 2 ⁄ energy.
  double tops_per_watt() const;
  // Energy × delay, J·s, at the clock.
  double edp_joule_seconds(double clock_ghz) const;
};

// `steady`: the inference once warm (the program's second, when it holds two), else the first.
InferenceEnergy inference_energy(const Network& network, const NetworkMapping& mapping, const HardwareConfig& hw,
                                 const EnergyTable& table, bool steady, std::int64_t cycles);

}  // namespace cimnet
