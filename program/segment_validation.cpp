#include "program/segment_validation.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "program/memories.hpp"

namespace cimnet {

namespace {

// A segment's group as a program of its own (segment_validation.hpp), for one class of equal segments
// and one list of carried-in allocations.
struct Group {
  std::vector<int> carried;             // the program's ops it was built for (their fields matter)
  Program program;                      // the carried-in allocations first, then the segment's ops
  std::vector<std::size_t> touched;     // the memories it allocates in
  std::vector<std::int64_t> spanning;   // per memory: the most bytes spanning any of its segments
};

Program group_program(const Program& program, const std::vector<int>& ops, const std::vector<int>& segment_of,
                      const std::vector<int>& rank, int segment, const std::vector<int>& carried) {
  Program g;
  g.ops.reserve(carried.size() + ops.size());
  std::vector<int> all_carried;
  for (int t : carried) {
    Op o = program.ops[static_cast<std::size_t>(t)];
    o.deps.clear();  // allocated before the opening cut
    all_carried.push_back(static_cast<int>(g.ops.size()));
    g.ops.push_back(std::move(o));
  }
  const int offset = static_cast<int>(carried.size());
  int next_carried = 0;
  for (int id : ops) {
    Op o = program.ops[static_cast<std::size_t>(id)];
    std::vector<int> deps;
    for (int d : o.deps) {
      if (segment_of[static_cast<std::size_t>(d)] == segment) deps.push_back(offset + rank[static_cast<std::size_t>(d)]);
    }
    // An op with no dependency inside follows the opening cut, so every carried-in allocation.
    o.deps = deps.empty() ? all_carried : std::move(deps);
    if (o.kind == OpKind::Free) {
      o.frees = segment_of[static_cast<std::size_t>(o.frees)] == segment ? offset + rank[static_cast<std::size_t>(o.frees)]
                                                                        : next_carried++;
    }
    g.ops.push_back(std::move(o));
  }
  return g;
}

}  // namespace

std::size_t validate_segments(const Program& program, const RepeatedSegments& plan, const HardwareConfig& hardware) {
  // Anything this route does not prove goes to validate(), whose verdict (and message) stands.
  const auto whole = [&]() -> std::size_t {
    validate(program, hardware);
    return 0;
  };
  const std::size_t n = program.ops.size();
  const std::size_t segments = plan.segments.size();
  if (segments == 0) return whole();
  std::vector<int> segment_of(n, -1), rank(n, 0);
  std::size_t covered = 0;
  for (std::size_t s = 0; s < segments; ++s) {
    const auto& ops = plan.segments[s].ops;
    for (std::size_t r = 0; r < ops.size(); ++r) {
      const auto id = static_cast<std::size_t>(ops[r]);
      if (id >= n || segment_of[id] >= 0) return whole();
      segment_of[id] = static_cast<int>(s);
      rank[id] = static_cast<int>(r);
      ++covered;
    }
  }
  if (covered != n) return whole();

  // The frees, over the whole program: each op freed once at most, never ahead of it, and only what
  // allocates (a carried-in copy of a free would not be one).
  std::vector<int> freed_by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    if (op.frees < 0 || static_cast<std::size_t>(op.frees) >= n) return whole();
    const auto t = static_cast<std::size_t>(op.frees);
    if (freed_by[t] >= 0 || segment_of[t] > segment_of[i] || !allocates(program.ops[t])) return whole();
    freed_by[t] = static_cast<int>(i);
  }

  // The bytes spanning each segment, per memory: (segment, change) from the first segment an allocation
  // spans to the one it is freed in. Only allocations that span a segment are looked at.
  const Memories memories(hardware);
  std::vector<std::vector<std::pair<int, std::int64_t>>> spanning(memories.count());
  for (std::size_t a = 0; a < n; ++a) {
    if (!allocates(program.ops[a])) continue;
    const int made = segment_of[a];
    const int freed = freed_by[a] >= 0 ? segment_of[static_cast<std::size_t>(freed_by[a])] : static_cast<int>(segments);
    if (freed <= made + 1) continue;
    for (const auto& al : allocations_of(program.ops[a], memories)) {
      spanning[al.memory].push_back({made + 1, al.bytes});
      if (freed < static_cast<int>(segments)) spanning[al.memory].push_back({freed, -al.bytes});
    }
  }
  for (auto& changes : spanning) std::sort(changes.begin(), changes.end());
  std::vector<std::size_t> next_change(memories.count(), 0);
  std::vector<std::int64_t> spanning_now(memories.count(), 0);
  const auto spanning_at = [&](std::size_t m, int s) {
    const auto& changes = spanning[m];
    std::size_t& k = next_change[m];
    for (; k < changes.size() && changes[k].first <= s; ++k) spanning_now[m] += changes[k].second;
    return spanning_now[m];
  };

  // Each segment's group, and per group the most bytes spanning any of its segments in each memory it
  // allocates in.
  std::vector<std::vector<Group>> groups(segments);  // by the class's first segment
  std::vector<int> carried;
  for (std::size_t s = 0; s < segments; ++s) {
    const auto& seg = plan.segments[s];
    const int si = static_cast<int>(s);
    carried.clear();
    for (int id : seg.ops) {
      const Op& op = program.ops[static_cast<std::size_t>(id)];
      if (op.kind == OpKind::Free && segment_of[static_cast<std::size_t>(op.frees)] != si) carried.push_back(op.frees);
    }
    auto& candidates = groups[static_cast<std::size_t>(seg.first)];
    Group* group = nullptr;
    for (Group& g : candidates) {
      if (g.carried.size() != carried.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < carried.size() && same; ++k) {
        same = same_op_fields(program.ops[static_cast<std::size_t>(g.carried[k])],
                              program.ops[static_cast<std::size_t>(carried[k])]);
      }
      if (same) {
        group = &g;
        break;
      }
    }
    if (group == nullptr) {
      Group g;
      g.carried = carried;
      g.program = group_program(program, seg.ops, segment_of, rank, si, carried);
      std::vector<char> used(memories.count(), 0);
      for (const Op& op : g.program.ops) {
        for (const auto& al : allocations_of(op, memories)) used[al.memory] = 1;
      }
      for (std::size_t m = 0; m < memories.count(); ++m) {
        if (used[m]) g.touched.push_back(m);
      }
      g.spanning.assign(memories.count(), 0);
      candidates.push_back(std::move(g));
      group = &candidates.back();
    }
    for (std::size_t m : group->touched) group->spanning[m] = std::max(group->spanning[m], spanning_at(m, si));
  }
  // Each group validated once, its memories' capacities less what spans its segments: the per-op
  // rules, the frees inside, and its own peak beside the spanning bytes (validate()'s check over time,
  // groups between barriers and exact peaks only where its bound cannot prove the fit).
  std::vector<std::int64_t> capacities(memories.count());
  for (const auto& of_class : groups) {
    for (const Group& g : of_class) {
      for (std::size_t m = 0; m < memories.count(); ++m) capacities[m] = memories.capacity(m) - g.spanning[m];
      try {
        detail::validate(g.program, hardware, 0, 0, &capacities);
      } catch (const InputError&) {
        return whole();
      }
    }
  }
  std::size_t validated = 0;
  for (const auto& c : groups) validated += c.size();
  return validated;
}

}  // namespace cimnet
