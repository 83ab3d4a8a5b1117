#pragma once
// The energy of one inference of a mapped network (issue 16): its ops' action counts
// (program/action_counts.hpp, exact for the program and equal to the SystemC model's own counters),
// each MAC priced at its layer's precisions, plus static power over the inference's cycles (simulated
// or estimated) — per level, per layer, and the figures an architect compares designs by.
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "hardware/energy.hpp"
#include "hardware/energy_table.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"

namespace cimnet::evaluation {

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

// Every op's dynamic energy (pJ), a MAC at its layer's precisions: the trace's power track.
std::vector<double> op_energies(const Network& network, const NetworkMapping& mapping, const HardwareConfig& hw,
                                const EnergyTable& table);

// {"table": preset and entries, "total_pj", "dynamic_pj", "static_pj", "levels": {name: pJ},
//  "pj_per_mac", "tops_per_watt", "edp_joule_seconds", "layers_pj": [...]}.
nlohmann::json energy_json(const InferenceEnergy& e, const EnergyTable& table, const HardwareConfig& hw);

}  // namespace cimnet::evaluation
