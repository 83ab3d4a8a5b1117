#include "models/segment_replay.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "models/resource_level.hpp"
#include "program/memory_occupancy.hpp"

namespace cimnet {

std::vector<int> replay_checkpoints(const RepeatedSegments& plan) {
  std::vector<int> ops;
  for (const auto& seg : plan.segments) {
    if (seg.first == &seg - plan.segments.data() && seg.closing >= 0) {
      ops.push_back(plan.distinct_op[static_cast<std::size_t>(seg.closing)]);
    }
  }
  return ops;
}

SimResult replay_segments(const SimResult& timed, const Program& program, const RepeatedSegments& plan,
                          const HardwareConfig& hardware, const SegmentGroups* groups) {
  if (!timed.ok()) {
    // Its numbers (kept for diagnosis) are the distinct segments' run's: its ops are not the program's.
    SimResult r = timed;
    r.ops.clear();
    r.checkpoints.clear();
    if (!r.message.empty()) r.message += " (in the run of the program's distinct segments)";
    return r;
  }
  const std::size_t counters = timed.modules.size() * 4;
  std::map<int, const CounterCheckpoint*> checkpoint_at;
  for (const auto& c : timed.checkpoints) {
    if (c.counters.size() != counters) throw std::logic_error("replay_segments: a checkpoint's counters do not match the modules");
    checkpoint_at[c.op] = &c;
  }
  // Per first-of-its-class segment: where it starts and ends in the timed run, and what its resources
  // added there.
  struct Timed {
    std::int64_t start = 0, end = 0, calls = 0;
    std::vector<std::int64_t> added;
  };
  std::vector<Timed> timed_segment(plan.segments.size());
  {
    std::int64_t start = 0, calls = 0;
    std::vector<std::int64_t> before(counters, 0);
    for (std::size_t s = 0; s < plan.segments.size(); ++s) {
      const auto& seg = plan.segments[s];
      if (seg.first != static_cast<int>(s)) continue;
      Timed& t = timed_segment[s];
      t.start = start;
      if (seg.closing < 0) {
        t.end = timed.total_cycles;
        continue;  // the tail: never repeated
      }
      const int closing = plan.distinct_op[static_cast<std::size_t>(seg.closing)];
      const auto it = checkpoint_at.find(closing);
      if (it == checkpoint_at.end()) throw std::logic_error("replay_segments: no checkpoint at a segment's closing cut");
      t.end = timed.ops.at(static_cast<std::size_t>(closing)).end;
      t.calls = it->second->transport_calls - calls;
      t.added.resize(counters);
      for (std::size_t k = 0; k < counters; ++k) t.added[k] = it->second->counters[k] - before[k];
      before = it->second->counters;
      calls = it->second->transport_calls;
      start = t.end;
    }
  }

  // Per op of the timed run: the level of the resource that bounded it (an index into `levels`).
  std::vector<std::string> levels = {"none"};
  std::map<std::string, std::size_t> level_of_module;
  for (const auto& m : timed.modules) {
    const std::string l = model::resource_level(m.name, m.kind);
    const auto it = std::find(levels.begin(), levels.end(), l);
    level_of_module[m.name] = static_cast<std::size_t>(it - levels.begin());
    if (it == levels.end()) levels.push_back(l);
  }
  std::vector<std::size_t> bound_level(timed.ops.size(), 0);
  for (std::size_t c = 0; c < timed.ops.size(); ++c) {
    const auto it = level_of_module.find(timed.ops[c].bound);
    if (it != level_of_module.end()) bound_level[c] = it->second;
  }
  std::vector<std::int64_t> bound_count(levels.size(), 0);
  std::int64_t waited = 0;

  SimResult r;
  r.status = timed.status;
  r.message = timed.message;
  r.modules = timed.modules;
  r.memories = timed.memories;
  r.transport_calls = timed.transport_calls;
  r.arrays = timed.arrays;
  r.wall_seconds = timed.wall_seconds;
  r.peak_rss_kib = timed.peak_rss_kib;
  r.warnings = timed.warnings;
  r.ops.resize(program.ops.size());
  r.segments = static_cast<std::int64_t>(plan.segments.size());
  r.segments_timed = static_cast<std::int64_t>(plan.distinct_segments);
  std::int64_t at = 0;  // where the segment starts in the whole program's run
  for (std::size_t s = 0; s < plan.segments.size(); ++s) {
    const auto& seg = plan.segments[s];
    const Timed& t = timed_segment[static_cast<std::size_t>(seg.first)];
    const std::int64_t shift = at - t.start;
    for (int id : seg.ops) {
      const std::size_t c = static_cast<std::size_t>(plan.distinct_op[static_cast<std::size_t>(id)]);
      const OpTiming& from = timed.ops.at(c);
      OpTiming& o = r.ops[static_cast<std::size_t>(id)];
      o.id = id;
      o.name = program.ops[static_cast<std::size_t>(id)].name;
      o.kind = from.kind;
      o.ready = from.ready + shift;
      o.start = from.start + shift;
      o.end = from.end + shift;
      o.bound = from.bound;
      o.bound_cycles = from.bound_cycles;
      ++bound_count[bound_level[c]];
      if (from.start > from.ready) ++waited;
    }
    at += t.end - t.start;
    if (seg.first == static_cast<int>(s)) continue;
    for (std::size_t m = 0; m < r.modules.size(); ++m) {
      r.modules[m].busy_cycles += t.added[4 * m];
      r.modules[m].bytes_down += t.added[4 * m + 1];
      r.modules[m].bytes_up += t.added[4 * m + 2];
      r.modules[m].transactions += t.added[4 * m + 3];
    }
    r.transport_calls += t.calls;
  }
  r.total_cycles = at;  // the caller sets `seconds` at its clock
  // What follows from the modules and the ops, summed as run_in_process.cpp sums it.
  for (auto& m : r.modules) {
    m.utilisation = at > 0 ? static_cast<double>(m.busy_cycles) / static_cast<double>(at) : 0;
    r.hop_events += m.transactions;
    const std::string l = model::resource_level(m.name, m.kind);
    if (model::moves_bytes(l)) {
      r.bytes[l + ".down"] += m.bytes_down;
      r.bytes[l + ".up"] += m.bytes_up;
    }
  }
  for (std::size_t l = 0; l < levels.size(); ++l) {
    if (bound_count[l] > 0) r.bound_counts[levels[l]] = bound_count[l];
  }
  if (waited > 0) r.bound_counts["input_buffer_wait"] = waited;
  if (plan.holds_across) {
    std::vector<OpSpan> spans(r.ops.size());
    for (std::size_t i = 0; i < spans.size(); ++i) spans[i] = {r.ops[i].start, r.ops[i].end};
    const Memories memories(hardware);
    r.memories = memory_stats(memories, groups && groups->valid
                                            ? segment_memory_peaks(program, plan, *groups, memories, spans)
                                            : memory_peaks(program, memories, spans));
  }
  return r;
}

}  // namespace cimnet
