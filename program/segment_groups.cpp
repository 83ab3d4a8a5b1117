#include "program/segment_groups.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace cimnet {

SegmentGroups group_segments(const Program& program, const RepeatedSegments& plan, const Memories& memories) {
  SegmentGroups out;
  const std::size_t n = program.ops.size();
  const std::size_t segments = plan.segments.size();
  if (segments == 0) return out;
  out.segment_of.assign(n, -1);
  out.rank.assign(n, 0);
  std::size_t covered = 0;
  for (std::size_t s = 0; s < segments; ++s) {
    const auto& ops = plan.segments[s].ops;
    for (std::size_t r = 0; r < ops.size(); ++r) {
      const auto id = static_cast<std::size_t>(ops[r]);
      if (id >= n || out.segment_of[id] >= 0) return SegmentGroups{};
      out.segment_of[id] = static_cast<int>(s);
      out.rank[id] = static_cast<int>(r);
      ++covered;
    }
  }
  if (covered != n) return SegmentGroups{};

  // The frees, over the whole program: each op freed once at most, never ahead of it, and only what
  // allocates (a carried-in copy of a free would not be one).
  out.freed_by.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    if (op.frees.empty()) return SegmentGroups{};
    for (int f : op.frees) {
      if (f < 0 || static_cast<std::size_t>(f) >= n) return SegmentGroups{};
      const auto t = static_cast<std::size_t>(f);
      if (out.freed_by[t] >= 0 || out.segment_of[t] > out.segment_of[i] || !allocates(program.ops[t])) {
        return SegmentGroups{};
      }
      out.freed_by[t] = static_cast<int>(i);
    }
  }

  // The bytes spanning each segment: from the first segment an allocation spans to the one it is freed
  // in. Only allocations that span a segment are looked at.
  out.spanning.assign(memories.count(), {});
  for (std::size_t a = 0; a < n; ++a) {
    if (!allocates(program.ops[a])) continue;
    const int made = out.segment_of[a];
    const int freed = out.freed_by[a] >= 0 ? out.segment_of[static_cast<std::size_t>(out.freed_by[a])]
                                           : static_cast<int>(segments);
    if (freed <= made + 1) continue;
    for (const auto& al : allocations_of(program.ops[a], memories)) {
      out.spanning[al.memory].push_back({made + 1, al.bytes});
      if (freed < static_cast<int>(segments)) out.spanning[al.memory].push_back({freed, -al.bytes});
    }
  }
  for (auto& changes : out.spanning) std::sort(changes.begin(), changes.end());

  // Each segment's group: its class, and its carried-in allocations compared op for op.
  std::vector<std::vector<int>> of_class(segments);  // by the class's first segment: its groups
  out.group_of.assign(segments, -1);
  std::vector<int> carried;
  for (std::size_t s = 0; s < segments; ++s) {
    const auto& seg = plan.segments[s];
    const int si = static_cast<int>(s);
    carried.clear();
    for (int id : seg.ops) {
      const Op& op = program.ops[static_cast<std::size_t>(id)];
      if (op.kind != OpKind::Free) continue;
      for (int f : op.frees) {
        if (out.segment_of[static_cast<std::size_t>(f)] != si) carried.push_back(f);
      }
    }
    auto& candidates = of_class[static_cast<std::size_t>(seg.first)];
    for (int g : candidates) {
      const auto& known = out.groups[static_cast<std::size_t>(g)].carried;
      if (known.size() != carried.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < carried.size() && same; ++k) {
        same = same_op_fields(program.ops[static_cast<std::size_t>(known[k])], program.ops[static_cast<std::size_t>(carried[k])]);
      }
      if (same) {
        out.group_of[s] = g;
        break;
      }
    }
    if (out.group_of[s] >= 0) continue;
    SegmentGroups::Group g;
    g.segment = si;
    g.carried = carried;
    std::vector<char> used(memories.count(), 0);
    for (int t : carried) {
      for (const auto& al : allocations_of(program.ops[static_cast<std::size_t>(t)], memories)) used[al.memory] = 1;
    }
    for (int id : seg.ops) {
      for (const auto& al : allocations_of(program.ops[static_cast<std::size_t>(id)], memories)) used[al.memory] = 1;
    }
    for (std::size_t m = 0; m < memories.count(); ++m) {
      if (used[m]) g.touched.push_back(m);
    }
    out.group_of[s] = static_cast<int>(out.groups.size());
    candidates.push_back(out.group_of[s]);
    out.groups.push_back(std::move(g));
  }
  out.valid = true;
  return out;
}

namespace {

// What one group's segment holds in each memory it touches, beside the bytes spanning it: the most at
// the end of a cycle it owns, and what it holds once its last change is made (its closing cut's cycle,
// which only the program's last segment owns).
struct GroupPeak {
  std::vector<std::int64_t> owned, at_end;  // per touched memory
};

GroupPeak group_peak(const Program& program, const RepeatedSegments& plan, const SegmentGroups& groups,
                     const SegmentGroups::Group& g, const Memories& memories, const std::vector<OpSpan>& spans,
                     std::int64_t from, std::int64_t to) {
  std::map<std::size_t, std::size_t> slot;
  for (std::size_t k = 0; k < g.touched.size(); ++k) slot[g.touched[k]] = k;
  struct Change {
    std::int64_t cycle;
    std::size_t slot;
    std::int64_t delta;
  };
  std::vector<Change> changes;
  std::vector<std::int64_t> held(g.touched.size(), 0);
  for (int t : g.carried) {
    const std::int64_t released = spans[static_cast<std::size_t>(groups.freed_by[static_cast<std::size_t>(t)])].end;
    for (const auto& al : allocations_of(program.ops[static_cast<std::size_t>(t)], memories)) {
      held[slot.at(al.memory)] += al.bytes;
      changes.push_back({released, slot.at(al.memory), -al.bytes});
    }
  }
  for (int id : plan.segments[static_cast<std::size_t>(g.segment)].ops) {
    const auto i = static_cast<std::size_t>(id);
    const int free = groups.freed_by[i];
    const bool freed_inside = free >= 0 && groups.segment_of[static_cast<std::size_t>(free)] == g.segment;
    for (const auto& al : allocations_of(program.ops[i], memories)) {
      changes.push_back({spans[i].start, slot.at(al.memory), al.bytes});
      if (freed_inside) changes.push_back({spans[static_cast<std::size_t>(free)].end, slot.at(al.memory), -al.bytes});
    }
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.cycle < b.cycle; });
  GroupPeak out;
  out.owned.assign(held.size(), 0);
  // What it carries in holds from its first cycle until the first change.
  if (from < to && (changes.empty() || from < changes.front().cycle)) out.owned = held;
  std::vector<std::size_t> moved;
  for (std::size_t k = 0; k < changes.size();) {
    const std::int64_t cycle = changes[k].cycle;
    moved.clear();
    for (; k < changes.size() && changes[k].cycle == cycle; ++k) {
      held[changes[k].slot] += changes[k].delta;
      moved.push_back(changes[k].slot);
    }
    if (cycle >= to) continue;  // the next segment's first cycle: it counts it
    for (std::size_t m : moved) out.owned[m] = std::max(out.owned[m], held[m]);
  }
  out.at_end = held;
  return out;
}

}  // namespace

std::vector<std::int64_t> segment_memory_peaks(const Program& program, const RepeatedSegments& plan,
                                               const SegmentGroups& groups, const Memories& memories,
                                               const std::vector<OpSpan>& spans) {
  if (!groups.valid) throw std::logic_error("segment_memory_peaks: the program's segments were not grouped");
  if (spans.size() != program.ops.size()) throw std::invalid_argument("segment_memory_peaks: one span per op expected");
  const std::size_t segments = plan.segments.size();
  // Where each segment ends: its closing cut's end, the latest of its ops'.
  std::vector<std::int64_t> end(segments, 0);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    auto& e = end[static_cast<std::size_t>(groups.segment_of[i])];
    e = std::max(e, spans[i].end);
  }
  auto owned_from = [&](std::size_t s) { return s == 0 ? std::int64_t{0} : end[s - 1]; };
  std::vector<GroupPeak> peak_of;
  peak_of.reserve(groups.groups.size());
  for (const auto& g : groups.groups) {
    const auto s = static_cast<std::size_t>(g.segment);
    peak_of.push_back(group_peak(program, plan, groups, g, memories, spans, owned_from(s), end[s]));
  }
  std::vector<std::int64_t> peak(memories.count(), 0);
  SpanningSweep spanning(groups);
  for (std::size_t s = 0; s < segments; ++s) {
    spanning.advance_to(static_cast<int>(s));
    const bool last = s + 1 == segments;
    if (owned_from(s) >= end[s] && !last) continue;  // no cycle of its own: the next segment counts its changes
    for (std::size_t m = 0; m < memories.count(); ++m) peak[m] = std::max(peak[m], spanning.bytes(m));
    const auto& g = groups.groups[static_cast<std::size_t>(groups.group_of[s])];
    const GroupPeak& gp = peak_of[static_cast<std::size_t>(groups.group_of[s])];
    for (std::size_t k = 0; k < g.touched.size(); ++k) {
      const std::size_t m = g.touched[k];
      std::int64_t own = owned_from(s) < end[s] ? gp.owned[k] : 0;
      if (last) own = std::max(own, gp.at_end[k]);
      peak[m] = std::max(peak[m], spanning.bytes(m) + own);
    }
  }
  return peak;
}

}  // namespace cimnet
