#pragma once
// The real evaluator: map the sub-network onto the hardware (analytical cycles), simulate the
// program in SystemC in the worker process (ground-truth cycles), report the measured columns.
//
// Separate library (cimnet_dataset_sim) so the dataset machinery and its tests never link SystemC.
#include <cstdint>

#include "dataset/evaluator.hpp"
#include "models/simulate.hpp"

namespace cimnet::dataset {

// False while the network mapper (issue 4) is not in the build: the command then refuses before any
// work rather than record rows without cycles.
bool simulation_evaluator_ready();

// The evaluator; its calls elaborate SystemC in the calling process (once: the pool forks per point).
Evaluator simulation_evaluator();

// The measured columns of a finished simulation (also used once the mapper is wired).
Fields fields_from_simulation(const SimResult& result, std::int64_t analytical_cycles, std::int64_t macs,
                              const HardwareConfig& hardware);

}  // namespace cimnet::dataset
