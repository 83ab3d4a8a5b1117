#pragma once
// The evaluation of one point, as the dataset machinery sees it: a function that runs inside a
// freshly forked worker process and returns the measurement columns of its row by name.
//
// Because each call has a process of its own, an evaluator may do what may happen once per process
// (elaborate SystemC), may crash or hang (the pool records an error or timeout row), and needs no
// thread safety. It returns the measured columns of the schema (cycles, analytical_cycles, cold and
// steady cycles, bytes, utilisation, bound) it knows; columns it leaves out stay empty. It may set "status" to "error" with
// a "message" for a point it cannot evaluate (e.g. a sub-network that does not fit the hardware);
// throwing has the same effect with the exception's text as the message.
#include <functional>
#include <map>
#include <string>

#include "hardware/execution.hpp"
#include "hardware/schedule_objective.hpp"
#include "hardware/hardware.hpp"
#include "workloads/network.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::evaluation {

struct EvalPoint {
  const SearchSpace& space;
  const Genome& genome;              // canonical
  const HardwareConfig& hardware;
  const Network& network;            // space.build(genome), built once by the coordinator
  Execution execution = Execution::LayerByLayer;  // how the network runs (the scenario's policy)
  CyclesOf cycles_of = CyclesOf::Steady;          // which inference's cycles fill `cycles` (the scenario's)
  LatencyBound latency_bound;                     // pipelined: the least-memory objective's bound (none: fewest cycles)
  CoreAllocation allocation = CoreAllocation::Latency;  // designs with digital cores: which core runs each MAC layer
};

using Fields = std::map<std::string, std::string>;
using Evaluator = std::function<Fields(const EvalPoint&)>;

}  // namespace cimnet::evaluation
