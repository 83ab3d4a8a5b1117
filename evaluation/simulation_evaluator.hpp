#pragma once
// The real evaluator: map the sub-network onto the hardware (analytical cycles), simulate the
// program in SystemC in the worker process (ground-truth cycles), report the measured columns.
//
// A library of its own (cimnet_evaluation_sim) so the dataset and search machinery and their tests
// never link SystemC.
#include <cstdint>

#include "evaluation/evaluator.hpp"
#include "hardware/energy_table.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"

namespace cimnet::evaluation {

// The evaluator; its calls elaborate SystemC in the calling process (once: the pool forks per point).
// `energy`: the table the energy columns are priced by (the scenario's).
Evaluator simulation_evaluator(const EnergyTable& energy = default_energy_table());

// The measured columns of a finished simulation of `mapping`'s program, whose simulated cycles
// attribute() has filled (cold and steady); `cycles` and `analytical_cycles` are those of `cycles_of`.
// The energy columns: the inference `cycles_of` names, priced by `energy` (energy_report.hpp).
Fields fields_from_simulation(const SimResult& result, const NetworkMapping& mapping, CyclesOf cycles_of,
                              const Network& network, const HardwareConfig& hardware,
                              const EnergyTable& energy = default_energy_table());

// The analytical estimate alone (mapping, no program, no SystemC): the `analytical_cycles` the
// evaluator would report for this network under `execution` and `cycles_of` (what the search's
// re-rank ranks by). InputError when a layer cannot be mapped. `cache` as in estimate_network();
// `objective` as map_network's (a CyclesOf alone: the allocation for latency).
std::int64_t analytical_cycles(const Network& network, const HardwareConfig& hardware, MapperCache* cache,
                               Execution execution, const ScheduleObjective& objective);

// The same with the `analytical_energy_pj` the evaluator would report (pJ): the program's action
// counts priced by `energy`, static power over the analytical cycles. It builds the program (the
// counts are the program's; building it costs about as much again as the estimate), which is why
// analytical_cycles() alone is kept for callers that need no energy.
struct AnalyticalFigures {
  std::int64_t cycles = 0;
  double energy_pj = 0;
};
AnalyticalFigures analytical_figures(const Network& network, const HardwareConfig& hardware, MapperCache* cache,
                                     Execution execution, const ScheduleObjective& objective, const EnergyTable& energy);

}  // namespace cimnet::evaluation
