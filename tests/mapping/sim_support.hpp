#pragma once
// Maps a network, simulates it once in the SystemC model and attributes cycles to its layers.
#include <gtest/gtest.h>

#include <vector>

#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"

namespace cimnet::test {

struct Simulated {
  NetworkMapping mapping;
  SimResult result;
};

inline Simulated simulate_network(const Network& net, const HardwareConfig& hw,
                                  Execution execution = Execution::LayerByLayer,
                                  const ScheduleObjective& objective = CyclesOf::Cold) {
  Simulated s;
  s.mapping = map_network(net, hw, nullptr, execution, objective);
  SimOptions options;
  options.timeout_seconds = 300;
  s.result = simulate(s.mapping.program, hw, options);
  EXPECT_TRUE(s.result.ok()) << net.name << ": " << s.result.message;
  if (!s.result.ok()) return s;
  std::vector<std::int64_t> start(s.result.ops.size()), end(s.result.ops.size());
  for (const auto& o : s.result.ops) {
    start[static_cast<std::size_t>(o.id)] = o.start;
    end[static_cast<std::size_t>(o.id)] = o.end;
  }
  attribute(s.mapping, start, end);
  return s;
}

}  // namespace cimnet::test
