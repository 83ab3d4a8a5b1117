// A stream's order of issue (mapping/stream_order.hpp) and its period with digital cores
// (mapping/stream_period.cpp, the replay): closed forms on stages of single digital layers, where no
// shared resource but the cores is busy.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "mapping/stream_order.hpp"
#include "mapping/stream_schedule.hpp"

namespace cimnet {
namespace {

// Stages of one segment each: segment g on `cores[g]` (−1: none), `cycles[g]` once warm.
std::int64_t period_of(const std::vector<int>& cores, const std::vector<std::int64_t>& cycles) {
  std::vector<StreamSegment> segments(cores.size());
  std::vector<StreamStage> stages(cores.size());
  for (std::size_t g = 0; g < cores.size(); ++g) {
    segments[g].core = cores[g];
    segments[g].cold = segments[g].warm = cycles[g];
    stages[g].first = stages[g].last = g;
    stages[g].cycles = cycles[g];
  }
  return stream_period(stages, segments, ResourceBusy{});
}

// Slot by slot: slot t holds stage g of inference t − g, the later stage first; within a stage its
// segments in their order. Inference by inference: every stage of inference 1, then of 2.
TEST(StreamOrder, SlotBySlotIssuesEachSlotsStagesLatestFirst) {
  const std::vector<std::size_t> first{0, 2}, end{2, 3};
  const std::vector<std::int64_t> offset{0, 10, 0};
  std::vector<std::vector<int>> got;
  for (const StreamStep& s : stream_order(first, end, offset, 3, true)) {
    got.push_back({s.inference, static_cast<int>(s.stage), static_cast<int>(s.segment)});
  }
  // Slot 1: stage 0 of inference 1. Slot 2: stage 1 of 1 (offset 0) ties stage 0 of 2's first segment
  // (offset 0): the later stage first; stage 0's second segment (offset 10) last. Slot 4: stage 1 of 3.
  const std::vector<std::vector<int>> want{{1, 0, 0}, {1, 0, 1},                         // slot 1
                                           {1, 1, 2}, {2, 0, 0}, {2, 0, 1},              // slot 2
                                           {2, 1, 2}, {3, 0, 0}, {3, 0, 1},              // slot 3
                                           {3, 1, 2}};                                   // slot 4
  EXPECT_EQ(got, want);
  got.clear();
  for (const StreamStep& s : stream_order(first, end, offset, 2, false)) {
    got.push_back({s.inference, static_cast<int>(s.stage), static_cast<int>(s.segment)});
  }
  EXPECT_EQ(got, (std::vector<std::vector<int>>{{1, 0, 0}, {1, 0, 1}, {1, 1, 2}, {2, 0, 0}, {2, 0, 1}, {2, 1, 2}}));
}

// Two stages of one layer each: on two cores they overlap, one inference every max(a, b) cycles; on
// one core it serves both, one inference every a + b.
TEST(StreamPeriod, OneCoreServesTheStagesLayersOneAtATime) {
  EXPECT_EQ(period_of({0, 1}, {700, 300}), 700);
  EXPECT_EQ(period_of({0, 0}, {700, 300}), 1000);
  // Three stages, two on core 0 and one on core 1: core 0's sum bounds the period.
  EXPECT_EQ(period_of({0, 1, 0}, {400, 900, 350}), 900);
  EXPECT_EQ(period_of({0, 1, 0}, {400, 500, 350}), 750);
}

}  // namespace
}  // namespace cimnet
