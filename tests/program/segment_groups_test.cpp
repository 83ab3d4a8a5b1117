// segment_memory_peaks() (program/segment_groups.hpp): each memory's peak from one segment of each group
// and the bytes spanning every segment, against memory_peaks() over every allocation of the program.
// A hand-built case where the peak is in a cycle two segments share, then random programs of blocks
// (random_blocks.hpp) run as soon as their dependencies allow, each op as long as its fields say, so
// that equal segments run alike between their cuts as in a replay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "program/memories.hpp"
#include "program/memory_occupancy.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_groups.hpp"
#include "tests/program/random_blocks.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

// As soon as its dependencies allow; a Free takes no time, another op 1 + a function of its fields.
std::vector<OpSpan> as_soon_as_possible(const Program& p) {
  std::vector<OpSpan> s(p.ops.size());
  for (std::size_t i = 0; i < p.ops.size(); ++i) {  // ids follow the dependencies in these programs
    const Op& op = p.ops[i];
    std::int64_t start = 0;
    for (int d : op.deps) start = std::max(start, s[static_cast<std::size_t>(d)].end);
    const std::int64_t lasts = op.kind == OpKind::Free ? 0 : 1 + (op.bytes / 200 + op.macs) % 5;
    s[i] = {start, start + lasts};
  }
  return s;
}

std::vector<std::int64_t> by_groups(const Program& p, const HardwareConfig& hw, const std::vector<OpSpan>& spans) {
  const RepeatedSegments plan = find_repeated_segments(p, SegmentCuts::Timing);
  const Memories memories(hw);
  const SegmentGroups groups = group_segments(p, plan, memories);
  EXPECT_TRUE(groups.valid);
  if (!groups.valid) return {};
  return segment_memory_peaks(p, plan, groups, memories, spans);
}

// Two passes on array 0, each keeping 8 KiB for good and loading 16 KiB it frees; the second pass's
// load starts in the cycle the first pass's closing free ends. The free's cycle belongs to the second
// segment, which counts the 8 KiB kept, its own 16 KiB and nothing of the first pass's freed 16 KiB.
TEST(SegmentGroups, TheCycleTwoSegmentsShareCountsOnce) {
  Program p;
  int gate = -1;
  for (int k = 0; k < 3; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int keep = p.load({0}, 8 * 1024, after, true, "kept");
    const int load = p.load({0}, 16 * 1024, {keep}, true, "w");
    const int compute = p.compute({0}, 4096, 0, {load}, "mac");
    gate = p.free(load, {compute}, "done");
  }
  const HardwareConfig hw = small_hw();
  ASSERT_EQ(error_of(p, hw), "");
  const std::vector<OpSpan> spans = as_soon_as_possible(p);
  const std::vector<std::int64_t> whole = memory_peaks(p, Memories(hw), spans);
  EXPECT_EQ(whole[0], 3 * 8 * 1024 + 16 * 1024);
  EXPECT_EQ(by_groups(p, hw, spans), whole);
}

TEST(SegmentGroups, RandomBlockProgramsGetTheWholeProgramsPeaks) {
  const HardwareConfig hw = test::tight_hw();
  Rng rng(77);
  int compared = 0, holding = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<test::Template> templates;
    for (int k = 0; k < 3; ++k) templates.push_back(test::random_template(rng));
    const Program p = test::random_blocks(rng, templates);
    if (!error_of(p, hw).empty()) continue;
    const RepeatedSegments plan = find_repeated_segments(p, SegmentCuts::Timing);
    holding += plan.repeats() && plan.holds_across ? 1 : 0;
    const std::vector<OpSpan> spans = as_soon_as_possible(p);
    EXPECT_EQ(by_groups(p, hw, spans), memory_peaks(p, Memories(hw), spans)) << "trial " << trial;
    ++compared;
  }
  std::printf("[peaks] %d valid programs compared, %d repeating with allocations held across\n", compared, holding);
  EXPECT_GT(compared, 60);
  EXPECT_GT(holding, compared / 2);
}

TEST(SegmentGroups, AProgramSplitAsNoValidProgramIsIsNotGrouped) {
  Program p;
  const int a = p.load({0}, 1024, {});
  p.free(a, {a});
  p.free(a, {1});  // freed twice
  RepeatedSegments plan;
  plan.segments.push_back({{0, 1, 2}, -1, 0});
  EXPECT_FALSE(group_segments(p, plan, Memories(small_hw())).valid);
  plan.segments[0].ops = {0, 1};  // an op in no segment
  EXPECT_FALSE(group_segments(p, plan, Memories(small_hw())).valid);
}

}  // namespace
}  // namespace cimnet
