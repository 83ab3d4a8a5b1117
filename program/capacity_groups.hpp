#pragma once
// How validate()'s capacity check (program_validation.cpp) splits a memory's allocations at the
// program's two-sided barriers, so that the pairwise relations it builds are per group, not per memory.
//
// An op at topological position p is a two-sided barrier when every op before p is one of its ancestors
// and every op after p descends from it: in every schedule the ops before it have completed before any op
// after it starts. The barriers cut the positions into segments, each barrier closing its own. For one
// memory, an allocation made in segment s and freed in segment s' (never freed: past the last segment) is
//   - local to s when s' = s;
//   - otherwise outgoing from s (live from its op to the end of s), carried into s' (live from the start
//     of s' until its Free) and spanning every segment strictly between (live throughout).
// At any moment of segment s the memory holds the spanning allocations of s plus some allocations of s's
// group: its carried-in ones, and its own with the outgoing ones never freed there. So the memory's peak
// over every schedule is the largest over its segments of (spanning bytes + the group's peak), and the
// group's peak is the same question on a small window. No peak is reached inside a segment without local
// allocations: its carried-in and spanning allocations were all live when the latest of them was made.
//
// A layer-by-layer program has barriers between its layers' passes; a 32-layer 7B decode step has about a
// thousand, and an array's 9 300 allocations fall into groups of a few dozen. A program without barriers
// is one segment, and each memory one group: the check is then what it was before the groups.
#include <cstdint>
#include <limits>
#include <vector>

#include "program/peak_allocation.hpp"
#include "program/program.hpp"

namespace cimnet {

// Per topological position: whether every op after it descends from the op there. Linear in the program.
std::vector<char> followed_by_descendants(const Program& program, const std::vector<int>& order,
                                          const std::vector<int>& position);
// Per topological position: whether the op there is a two-sided barrier, given
// followed_by_descendants()'s answer for the same order. Linear in the program.
std::vector<char> two_sided_barriers(const Program& program, const std::vector<int>& order,
                                     const std::vector<char>& followed);

struct CapacityGroup {
  std::size_t memory = 0;
  int segment = 0;
  int opening_barrier = -1;           // the op that closes the previous segment (-1 in the first)
  std::vector<std::size_t> members;   // indices into the memory's allocations: the carried-in ones first,
                                      // then the group's own in topological order
  std::size_t carried = 0;            // how many members are carried in
  std::int64_t spanning_bytes = 0;    // allocations live throughout the segment
};

class CapacityGroups {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  // `allocations[m]`: memory m's allocations (op, first Free or -1); `skip[m]`: memories decided elsewhere (no groups).
  CapacityGroups(const std::vector<int>& order, const std::vector<int>& position, const std::vector<char>& barrier,
                 const std::vector<std::vector<LiveAllocation>>& allocations, const std::vector<char>& skip);

  const std::vector<CapacityGroup>& groups() const { return groups_; }
  int segment_of(int op) const { return segment_of_position_[static_cast<std::size_t>(position_[static_cast<std::size_t>(op)])]; }
  int segments() const { return segments_; }

  // Where allocation k of memory m is a member: its own group and index there, and the group it is
  // carried into (kNone when it is freed in its own segment, never freed, or no group needs it).
  struct Place {
    std::size_t home_group = kNone, home_index = kNone;
    std::size_t carried_group = kNone, carried_index = kNone;
  };
  const Place& place(std::size_t memory, std::size_t k) const { return places_[memory][k]; }

 private:
  const std::vector<int>& position_;
  std::vector<int> segment_of_position_;
  int segments_ = 1;
  std::vector<CapacityGroup> groups_;
  std::vector<std::vector<Place>> places_;
};

}  // namespace cimnet
