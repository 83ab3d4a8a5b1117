#include "program/memory_occupancy.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>

#include "program/memories.hpp"

namespace cimnet {

namespace {

enum Level : std::size_t { Gb, L1Total, L1Fullest, MaTotal, MaFullest, LevelCount };

// One change of one memory: `delta` bytes at `cycle`.
struct Change {
  std::int64_t cycle;
  std::size_t memory;
  std::int64_t delta;
};

// The largest value among a group of memories, kept as value → how many memories hold it, so that
// each change costs a logarithm rather than a scan of the group.
class GroupMaximum {
 public:
  explicit GroupMaximum(std::int64_t members) {
    if (members > 0) counts_[0] = members;
  }
  void change(std::int64_t from, std::int64_t to) {
    if (from == to) return;
    if (--counts_[from] == 0) counts_.erase(from);
    ++counts_[to];
  }
  std::int64_t max() const { return counts_.empty() ? 0 : counts_.rbegin()->first; }

 private:
  std::map<std::int64_t, std::int64_t> counts_;
};

// Every allocation and release of the run, in cycle order (the order inside a cycle does not matter:
// values are read once a cycle's changes are all applied). `who` names the caller in the error.
std::vector<Change> changes_of(const Program& program, const Memories& mem, const std::vector<OpSpan>& spans,
                               const char* who) {
  if (spans.size() != program.ops.size()) {
    throw std::invalid_argument(std::string(who) + ": " + std::to_string(spans.size()) +
                                " op spans for a program of " + std::to_string(program.ops.size()) + " ops");
  }
  // Which Free releases each allocating op (validate() allows at most one); -1: none, held to the end.
  std::vector<int> freed_by(program.ops.size(), -1);
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    for (int f : op.frees) freed_by[static_cast<std::size_t>(f)] = static_cast<int>(i);
  }
  std::vector<Change> changes;
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    for (const auto& a : allocations_of(program.ops[i], mem)) {
      changes.push_back({spans[i].start, a.memory, a.bytes});
      if (freed_by[i] >= 0) changes.push_back({spans[static_cast<std::size_t>(freed_by[i])].end, a.memory, -a.bytes});
    }
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.cycle < b.cycle; });
  return changes;
}

void record(OccupancyTimeline& t, std::int64_t cycle, std::int64_t bytes) {
  if (t.steps.back().bytes == bytes) return;
  if (t.steps.back().cycle == cycle) {
    t.steps.back().bytes = bytes;  // cycle 0, whose step was the empty start (later cycles are new)
  } else {
    t.steps.push_back({cycle, bytes});
  }
}

}  // namespace

const std::vector<std::string>& occupancy_levels() {
  static const std::vector<std::string> names = {"gb", "l1_total", "l1_fullest", "ma_total", "ma_fullest"};
  return names;
}

std::int64_t OccupancyTimeline::peak_bytes() const {
  std::int64_t peak = 0;
  for (const auto& s : steps) peak = std::max(peak, s.bytes);
  return peak;
}

std::int64_t OccupancyTimeline::bytes_at(std::int64_t cycle) const {
  // The last step at or before `cycle`.
  auto it = std::upper_bound(steps.begin(), steps.end(), cycle,
                             [](std::int64_t c, const OccupancyStep& s) { return c < s.cycle; });
  return it == steps.begin() ? 0 : std::prev(it)->bytes;
}

const OccupancyTimeline& MemoryOccupancy::level(const std::string& name) const {
  for (const auto& l : levels) {
    if (l.level == name) return l;
  }
  throw std::out_of_range("memory occupancy: no level '" + name + "'");
}

MemoryOccupancy memory_occupancy(const Program& program, const HardwareConfig& hardware,
                                 const std::vector<OpSpan>& spans) {
  const Memories mem(hardware);
  const std::vector<Change> changes = changes_of(program, mem, spans, "memory_occupancy");
  MemoryOccupancy out;
  for (const auto& s : spans) out.end_cycle = std::max(out.end_cycle, s.end);

  const std::int64_t capacities[LevelCount] = {mem.gb_bytes, mem.l1s * mem.l1_bytes, mem.l1_bytes,
                                               mem.arrays * mem.array_bytes, mem.array_bytes};
  for (std::size_t l = 0; l < LevelCount; ++l) {
    out.levels.push_back({occupancy_levels()[l], capacities[l], {{0, 0}}});
  }
  std::vector<std::int64_t> held(mem.count(), 0);
  std::int64_t l1_total = 0, ma_total = 0;
  GroupMaximum l1_max(mem.l1s), ma_max(mem.arrays);
  // Every change of a cycle is applied before its values are recorded: the value at a cycle is the
  // net of what happened in it (memory_occupancy.hpp).
  for (std::size_t k = 0; k < changes.size();) {
    const std::int64_t cycle = changes[k].cycle;
    for (; k < changes.size() && changes[k].cycle == cycle; ++k) {
      const Change& c = changes[k];
      const std::int64_t before = held[c.memory];
      held[c.memory] += c.delta;
      if (mem.is_array(c.memory)) {
        ma_total += c.delta;
        ma_max.change(before, held[c.memory]);
      } else if (c.memory != mem.global_buffer()) {
        l1_total += c.delta;
        l1_max.change(before, held[c.memory]);
      }
    }
    record(out.levels[Gb], cycle, held[mem.global_buffer()]);
    record(out.levels[L1Total], cycle, l1_total);
    record(out.levels[L1Fullest], cycle, l1_max.max());
    record(out.levels[MaTotal], cycle, ma_total);
    record(out.levels[MaFullest], cycle, ma_max.max());
  }
  return out;
}

std::vector<std::int64_t> memory_peaks(const Program& program, const Memories& memories,
                                       const std::vector<OpSpan>& spans) {
  const std::vector<Change> changes = changes_of(program, memories, spans, "memory_peaks");
  std::vector<std::int64_t> held(memories.count(), 0), peak(memories.count(), 0);
  std::vector<std::size_t> touched;
  for (std::size_t k = 0; k < changes.size();) {
    // Every change of one cycle, then what the cycle ends with.
    const std::int64_t cycle = changes[k].cycle;
    touched.clear();
    for (; k < changes.size() && changes[k].cycle == cycle; ++k) {
      held[changes[k].memory] += changes[k].delta;
      touched.push_back(changes[k].memory);
    }
    for (std::size_t m : touched) peak[m] = std::max(peak[m], held[m]);
  }
  return peak;
}

}  // namespace cimnet
