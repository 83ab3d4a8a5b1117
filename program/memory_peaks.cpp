#include "program/memory_peaks.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cimnet {

std::vector<std::int64_t> memory_peaks(const Program& program, const Memories& memories,
                                       const std::vector<OpSpan>& spans) {
  if (spans.size() != program.ops.size()) {
    throw std::invalid_argument("memory_peaks: " + std::to_string(spans.size()) + " spans for " +
                                std::to_string(program.ops.size()) + " ops");
  }
  struct Event {
    std::int64_t cycle;
    std::size_t memory;
    std::int64_t bytes;  // negative: a release
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind == OpKind::Free) {
      for (const auto& a : allocations_of(program.ops[static_cast<std::size_t>(op.frees)], memories)) {
        events.push_back({spans[i].end, a.memory, -a.bytes});
      }
    } else {
      for (const auto& a : allocations_of(op, memories)) events.push_back({spans[i].start, a.memory, a.bytes});
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.cycle < b.cycle; });
  std::vector<std::int64_t> now(memories.count(), 0), peak(memories.count(), 0);
  std::vector<std::size_t> touched;
  for (std::size_t e = 0; e < events.size();) {
    // Every change of one cycle, then what the cycle ends with.
    const std::int64_t cycle = events[e].cycle;
    touched.clear();
    for (; e < events.size() && events[e].cycle == cycle; ++e) {
      now[events[e].memory] += events[e].bytes;
      touched.push_back(events[e].memory);
    }
    for (std::size_t m : touched) peak[m] = std::max(peak[m], now[m]);
  }
  return peak;
}

}  // namespace cimnet
