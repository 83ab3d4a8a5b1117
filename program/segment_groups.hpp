#pragma once
// The segments of a program between two-sided cuts (program/repeated_segments.hpp) by what they hold:
// what lets a program of timing cuts be validated (segment_validation.hpp) and its memories' timed
// peaks be taken (below) from one segment of each group instead of from every op.
//
// Every cut is a two-sided barrier, so a memory holds, during a segment, the bytes spanning it
// (allocated before it, freed after it or never) and those of the segment's group: the allocations
// carried into it (made before, freed inside) and its own (those freed later live to its end). Equal
// segments (one class) whose carried-in allocations are equal op for op form one group: the same
// program, and — their ops shifted alike in time — the same bytes over time from their opening cut.
#include <cstdint>
#include <utility>
#include <vector>

#include "program/memories.hpp"
#include "program/memory_occupancy.hpp"
#include "program/program.hpp"
#include "program/repeated_segments.hpp"

namespace cimnet {

struct SegmentGroups {
  struct Group {
    int segment = 0;                    // its first segment (of its class: the one timed)
    std::vector<int> carried;           // the program's ops whose allocations it carries in, in free order
    std::vector<std::size_t> touched;   // the memories its carried-in and own ops allocate in
  };
  // False when the plan does not split the program as a valid program would be split (an op in two
  // segments or in none, a Free of nothing, freed twice, or ahead of its op): nothing below is filled,
  // and validate() must judge the program whole.
  bool valid = false;
  std::vector<int> segment_of, rank;  // per op: its segment, and its rank in it
  std::vector<int> freed_by;          // per op: the Free that releases it, -1 for none
  std::vector<Group> groups;
  std::vector<int> group_of;          // per segment
  // Per memory, the changes of the bytes spanning the segments, (first segment, +bytes) and (last
  // segment + 1, −bytes), sorted: the bytes spanning segment s are the sum of the changes at or
  // before s.
  std::vector<std::vector<std::pair<int, std::int64_t>>> spanning;
};

// The bytes spanning each segment in turn, per memory (SegmentGroups::spanning summed): advance to
// segment 0, 1, 2, ... in order, then read each memory's.
class SpanningSweep {
 public:
  explicit SpanningSweep(const SegmentGroups& groups)
      : groups_(groups), next_(groups.spanning.size(), 0), now_(groups.spanning.size(), 0) {}
  void advance_to(int segment) {
    for (std::size_t m = 0; m < now_.size(); ++m) {
      const auto& changes = groups_.spanning[m];
      for (std::size_t& k = next_[m]; k < changes.size() && changes[k].first <= segment; ++k) now_[m] += changes[k].second;
    }
  }
  std::int64_t bytes(std::size_t memory) const { return now_[memory]; }

 private:
  const SegmentGroups& groups_;
  std::vector<std::size_t> next_;
  std::vector<std::int64_t> now_;
};

// Linear in the program's size but for the comparison of carried-in allocations within a class.
SegmentGroups group_segments(const Program& program, const RepeatedSegments& plan, const Memories& memories);

// The most each memory holds at the end of any cycle of a run whose ops ran at `spans` (indexed by op
// id), by memory_peaks()'s rule (memory_occupancy.hpp), from each group's first segment and the bytes
// spanning each segment: equal to memory_peaks(program, memories, spans) when the run's equal segments
// ran alike between their cuts (a replay: models/segment_replay.hpp). Precondition: `groups` is valid
// and the program valid. A segment owns the cycles from its opening cut's end up to (not including)
// its closing cut's end, which is the next segment's first cycle; the last one owns its end too.
std::vector<std::int64_t> segment_memory_peaks(const Program& program, const RepeatedSegments& plan,
                                               const SegmentGroups& groups, const Memories& memories,
                                               const std::vector<OpSpan>& spans);

}  // namespace cimnet
