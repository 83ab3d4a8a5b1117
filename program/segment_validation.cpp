#include "program/segment_validation.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "program/memories.hpp"
#include "program/segment_groups.hpp"

namespace cimnet {

namespace {

// A segment's group as a program of its own (segment_validation.hpp): the carried-in allocations first,
// then the segment's ops.
Program group_program(const Program& program, const std::vector<int>& ops, const SegmentGroups& groups, int segment,
                      const std::vector<int>& carried) {
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
      const auto k = static_cast<std::size_t>(d);
      if (groups.segment_of[k] == segment) deps.push_back(offset + groups.rank[k]);
    }
    // An op with no dependency inside follows the opening cut, so every carried-in allocation.
    o.deps = deps.empty() ? all_carried : std::move(deps);
    if (o.kind == OpKind::Free) {
      for (int& f : o.frees) {  // carried-in ones in the order group_segments() lists them
        const auto k = static_cast<std::size_t>(f);
        f = groups.segment_of[k] == segment ? offset + groups.rank[k] : next_carried++;
      }
    }
    g.ops.push_back(std::move(o));
  }
  return g;
}

}  // namespace

std::size_t validate_segments(const Program& program, const RepeatedSegments& plan, const HardwareConfig& hardware) {
  return validate_segments(program, plan, hardware, group_segments(program, plan, Memories(hardware)));
}

std::size_t validate_segments(const Program& program, const RepeatedSegments& plan, const HardwareConfig& hardware,
                              const SegmentGroups& groups) {
  // Anything this route does not prove goes to validate(), whose verdict (and message) stands.
  if (!groups.valid) {
    validate(program, hardware);
    return 0;
  }
  // Per group, the most bytes spanning any of its segments in each memory it allocates in.
  const Memories memories(hardware);
  std::vector<std::vector<std::int64_t>> most_spanning(groups.groups.size(), std::vector<std::int64_t>(memories.count(), 0));
  SpanningSweep spanning(groups);
  for (std::size_t s = 0; s < plan.segments.size(); ++s) {
    spanning.advance_to(static_cast<int>(s));
    const auto g = static_cast<std::size_t>(groups.group_of[s]);
    for (std::size_t m : groups.groups[g].touched) most_spanning[g][m] = std::max(most_spanning[g][m], spanning.bytes(m));
  }
  // Each group validated once, its memories' capacities less what spans its segments: the per-op
  // rules, the frees inside, and its own peak beside the spanning bytes (validate()'s check over time,
  // groups between barriers and exact peaks only where its bound cannot prove the fit).
  std::vector<std::int64_t> capacities(memories.count());
  for (std::size_t g = 0; g < groups.groups.size(); ++g) {
    const auto& group = groups.groups[g];
    for (std::size_t m = 0; m < memories.count(); ++m) capacities[m] = memories.capacity(m) - most_spanning[g][m];
    try {
      detail::validate(group_program(program, plan.segments[static_cast<std::size_t>(group.segment)].ops, groups,
                                     group.segment, group.carried),
                       hardware, 0, 0, &capacities);
    } catch (const InputError&) {
      validate(program, hardware);
      return 0;
    }
  }
  return groups.groups.size();
}

}  // namespace cimnet
