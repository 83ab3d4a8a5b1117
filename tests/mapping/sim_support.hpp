#pragma once
// Maps a network, simulates it once in the SystemC model and attributes cycles to its layers.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
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

// Under a stream: per layer on digital core `core` and per stream inference, the simulated span of its
// ops (first start, last end), in time order.
inline std::vector<std::pair<std::int64_t, std::int64_t>> stream_spans_on_core(const Simulated& s, int core) {
  std::vector<std::int64_t> start(s.result.ops.size()), end(s.result.ops.size());
  for (const auto& o : s.result.ops) {
    start[static_cast<std::size_t>(o.id)] = o.start;
    end[static_cast<std::size_t>(o.id)] = o.end;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (const MappedLayer& ml : s.mapping.layers) {
    if (ml.digital != core) continue;
    for (const auto& [first, last] : ml.stream_ops) {
      std::int64_t a = -1, b = 0;
      for (int id = first; id < last; ++id) {
        a = a < 0 ? start[static_cast<std::size_t>(id)] : std::min(a, start[static_cast<std::size_t>(id)]);
        b = std::max(b, end[static_cast<std::size_t>(id)]);
      }
      spans.emplace_back(a, b);
    }
  }
  std::sort(spans.begin(), spans.end());
  return spans;
}

}  // namespace cimnet::test
