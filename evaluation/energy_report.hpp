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
#include "mapping/inference_energy.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"

namespace cimnet::evaluation {

// InferenceEnergy and inference_energy(): mapping/inference_energy.hpp (the mapper measures by them too).
using cimnet::InferenceEnergy;
using cimnet::inference_energy;

// Every op's dynamic energy (pJ), a MAC at its layer's precisions: the trace's power track.
std::vector<double> op_energies(const Network& network, const NetworkMapping& mapping, const HardwareConfig& hw,
                                const EnergyTable& table);

// {"table": preset and entries, "total_pj", "dynamic_pj", "static_pj", "levels": {name: pJ},
//  "pj_per_mac", "tops_per_watt", "edp_joule_seconds", "layers_pj": [...]}.
nlohmann::json energy_json(const InferenceEnergy& e, const EnergyTable& table, const HardwareConfig& hw);

}  // namespace cimnet::evaluation
