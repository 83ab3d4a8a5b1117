#pragma once
// What each memory level held over a run: given a program, its hardware and when every op started and
// ended (the SystemC model's SimResult::ops, or any other schedule), the exact bytes held over time as
// a step function per level — the global buffer, the L1 buffers (all of them together, and the fullest
// one at each cycle) and the arrays' weight cells (all together, and the fullest array at each cycle).
//
// The amounts and places are the program's capacity rule (program/memories.hpp, allocations_of(): the
// one definition validate() and the model use too): an allocating op holds its bytes from its START
// until the END of the Free that releases it; an allocation no Free releases is held until the end of
// the run (the last op's end). Time is counted in whole cycles: the value at cycle t is what is held
// once every allocation and release of cycle t has happened, i.e. allocation a counts at t when
// start(a) ≤ t < end(its Free). So on a program validate() accepts, no level ever exceeds its
// capacity: two allocations both held at some cycle are never ordered by "freed before" (if a's Free
// were an ancestor of b's op, b would start no earlier than that Free ends), so they form an antichain,
// and validate() proves every antichain fits.
//
// How this relates to SimResult::memories (the model's `peak_bytes` of "gb", "l1[i].buf" and the most
// used array "ma[a]"): the model counts the same allocations from the same cycles to the same cycles and
// takes its peak by the same rule, at the end of each cycle (models/context.hpp), so "gb" equals the
// model's "gb", "l1_fullest" the largest "l1[i].buf" peak and "ma_fullest" "ma[a]". (Until 2026-12-07 the
// model took its peak event by event, so that an allocation counted before an unrelated release in the
// same cycle showed as a transient the timeline could not: OFA-ResNet-50 max, fused, 957 639 against
// 952 064 bytes of global buffer. The controller's order of issue inside a cycle is not the hardware's,
// and validate() bounds such pairs all the same.) The totals have no counterpart in the model's results.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "program/memories.hpp"
#include "program/program.hpp"

namespace cimnet {

// When one op ran: the cycle it started and the cycle it ended (SimResult::ops' start and end).
struct OpSpan {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// From `cycle` on (until the next step, or the end of the run) the level holds `bytes`.
struct OccupancyStep {
  std::int64_t cycle = 0;
  std::int64_t bytes = 0;
  bool operator==(const OccupancyStep& o) const { return cycle == o.cycle && bytes == o.bytes; }
};

// One level's bytes over the run: steps in increasing cycle order, the first at cycle 0, each holding
// a different amount from the one before (change points only).
struct OccupancyTimeline {
  std::string level;          // one of occupancy_levels()
  std::int64_t capacity = 0;  // the level's capacity (a total level: the sum of its memories')
  std::vector<OccupancyStep> steps;
  std::int64_t peak_bytes() const;
  std::int64_t bytes_at(std::int64_t cycle) const;  // the value of the step function at `cycle`
};

struct MemoryOccupancy {
  std::int64_t end_cycle = 0;              // the run's end: the latest end of any op
  std::vector<OccupancyTimeline> levels;   // in the order of occupancy_levels()
  const OccupancyTimeline& level(const std::string& name) const;  // std::out_of_range when unknown
};

// "gb" (the global buffer, gb_bytes), "l1_total" (every L1 decoder's buffer together, L1 decoders ×
// l1_buffer_bytes), "l1_fullest" (the fullest L1 buffer at each cycle, l1_buffer_bytes), "ma_total"
// (the weight cells of every array together, arrays × MA_mem_size) and "ma_fullest" (the fullest
// array at each cycle, MA_mem_size).
const std::vector<std::string>& occupancy_levels();

// `spans` is indexed by op id and has one entry per op (std::invalid_argument otherwise).
// Precondition: the program is valid for `hardware` (validate()); an op ends no earlier than it starts.
MemoryOccupancy memory_occupancy(const Program& program, const HardwareConfig& hardware,
                                 const std::vector<OpSpan>& spans);

// The most each memory (program/memories.hpp numbering) holds at the end of any cycle, by the same
// rule, per memory rather than per level: the timed model's own peak (models/context.hpp), and what a
// replay of equal segments reports when allocations are held across its cuts (models/segment_replay.hpp:
// from the segments' groups, segment_groups.hpp, which equal this; from this when they were not found).
// Same preconditions and errors.
std::vector<std::int64_t> memory_peaks(const Program& program, const Memories& memories,
                                       const std::vector<OpSpan>& spans);

}  // namespace cimnet
