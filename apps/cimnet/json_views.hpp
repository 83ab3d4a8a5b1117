#pragma once
// The JSON views of a network and of a hardware design that `cimnet network --format json` and
// `cimnet hardware --format json` print, and that the Python module (python/) hands back as dicts:
// one definition, so the two front ends cannot drift apart.
#include <cstddef>
#include <nlohmann/json.hpp>

#include "config/scenario.hpp"
#include "evaluation/energy_report.hpp"
#include "evaluation/simulation_report.hpp"
#include "hardware/energy_table.hpp"
#include "hardware/hardware.hpp"
#include "workloads/network.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::cli {

// What identifies a space's sub-network at the head of a network's or a report's JSON: "space",
// "arch" (the canonical compact spec), "dynast" (its DyNAS-T dict) and, when the space deploys one,
// "inner_precision". `genome` canonical.
nlohmann::json space_network_header(const SearchSpace& space, const Genome& genome);

// One layer: its index, name, kind, operation, loop dimensions, precisions, producers (by name, "input"
// for the network's) and its counts (MACs, parameters, vector operations, bytes).
nlohmann::json layer_json(const Network& network, std::size_t index);

// `header` (what the network is: space and sub-network, or file) with "name", "totals" and "layers".
nlohmann::json network_json(nlohmann::json header, const Network& network);

// The design `hardware` within the scenario's hardware space: every parameter with its value, unit,
// choices and reference value, the fixed parameters, the derived figures and the digital cores.
nlohmann::json hardware_json(const Scenario& scenario, const HardwareConfig& hardware);

// The energy of the inference a run's lines show (run.cycles_of): its actions priced by `table`, and
// static power over its simulated cycles, or over its estimated ones when it was not simulated.
evaluation::InferenceEnergy energy_of_run(const Network& network, const HardwareConfig& hardware,
                                          const evaluation::NetworkRun& run, const EnergyTable& table);

// What `cimnet simulate --report` writes: evaluation::report_json() with "energy" (the inference
// `energy` of energy_of_run(), per level and component, and which inference it is).
nlohmann::json simulation_report(nlohmann::json header, const Network& network, const HardwareConfig& hardware,
                                 const evaluation::NetworkRun& run, const EnergyTable& table,
                                 const evaluation::InferenceEnergy& energy);

}  // namespace cimnet::cli
