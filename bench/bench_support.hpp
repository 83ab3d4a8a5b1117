#pragma once
// What several benchmarks do alike: time the network-level decisions of a policy with every layer's
// search cached, and simulate a mapped network and attribute its cycles to the layers.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"

namespace cimnet::bench {

// The best of `repeats` wall times of estimate_network under `execution` with `cache` (warmed first).
// `objective` as estimate_network's.
// `first` (optional): the first call's seconds, from `cache` as given (the layer searches included when
// it is empty).
inline double decision_seconds(const Network& net, const HardwareConfig& hw, MapperCache& cache, Execution execution,
                               int repeats, const ScheduleObjective& objective = CyclesOf::Cold,
                               double* first = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  (void)estimate_network(net, hw, &cache, execution, objective);
  if (first) *first = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double best = 1e9;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    (void)estimate_network(net, hw, &cache, execution, objective);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

// Simulates `nm`'s program and, when it ran, attributes the cycles to its layers (attribute()).
inline SimResult simulate_attributed(NetworkMapping& nm, const HardwareConfig& hw, double timeout_seconds) {
  SimOptions options;
  options.timeout_seconds = timeout_seconds;
  SimResult r = simulate(nm.program, hw, options);
  if (!r.ok()) return r;
  std::vector<std::int64_t> start(r.ops.size()), end(r.ops.size());
  for (const auto& o : r.ops) {
    start[static_cast<std::size_t>(o.id)] = o.start;
    end[static_cast<std::size_t>(o.id)] = o.end;
  }
  attribute(nm, start, end);
  return r;
}

}  // namespace cimnet::bench
