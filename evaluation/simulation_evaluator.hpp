#pragma once
// The real evaluator: map the sub-network onto the hardware (analytical cycles), simulate the
// program in SystemC in the worker process (ground-truth cycles), report the measured columns.
//
// A library of its own (cimnet_evaluation_sim) so the dataset and search machinery and their tests
// never link SystemC.
#include <cstdint>

#include "evaluation/evaluator.hpp"
#include "models/simulate.hpp"

namespace cimnet::evaluation {

// The evaluator; its calls elaborate SystemC in the calling process (once: the pool forks per point).
Evaluator simulation_evaluator();

// The measured columns of a finished simulation.
Fields fields_from_simulation(const SimResult& result, std::int64_t analytical_cycles, std::int64_t macs,
                              const HardwareConfig& hardware);

}  // namespace cimnet::evaluation
