// validate_segments(): validate()'s verdict from a program's segments between timing cuts, each class
// of equal segments checked once (program/segment_validation.hpp). Hand-built passes whose overflow
// only the bytes spanning a segment show, and whose prefetched weights fit only because they are
// carried in and freed before the next ones; then random programs of blocks drawn from a few
// templates, allocations kept across blocks, against validate() verdict for verdict, message for
// message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_validation.hpp"
#include "tests/program/random_blocks.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::random_blocks;
using test::random_template;
using test::Template;
using test::small_hw;

std::string segments_error_of(const Program& p, const HardwareConfig& hw, std::size_t* groups = nullptr) {
  const RepeatedSegments plan = find_repeated_segments(p, SegmentCuts::Timing);
  try {
    const std::size_t g = validate_segments(p, plan, hw);
    if (groups != nullptr) *groups = g;
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Passes on array 0, each keeping `kept` bytes for good (a resident layer's weights) beside 16 KiB of
// weights it frees: the seventh pass of 8 KiB kept overflows the 64 KiB array (6 × 8 + 16 = 64 fits,
// 7 × 8 + 16 does not), which only the bytes spanning that pass's segment show.
Program keeping_passes(int passes, std::int64_t kept) {
  Program p;
  int gate = -1;
  for (int k = 0; k < passes; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int keep = p.load({0}, kept, after, true, "kept");
    const int load = p.load({0}, 16 * 1024, {keep}, true, "w");
    const int stream = p.stream({0}, 1024, {keep}, true, "in");
    const int compute = p.compute({0}, 4096, 1024, {load, stream}, "mac");
    gate = p.free(load, {compute}, "done");
  }
  return p;
}

TEST(SegmentValidation, BytesSpanningASegmentCountAgainstItsGroup) {
  const HardwareConfig hw = small_hw();
  std::size_t groups = 0;
  const Program fits = keeping_passes(6, 8 * 1024);
  ASSERT_EQ(error_of(fits, hw), "");
  EXPECT_EQ(segments_error_of(fits, hw, &groups), "");
  EXPECT_GT(groups, 0U);
  EXPECT_LT(groups, find_repeated_segments(fits, SegmentCuts::Timing).segments.size());

  const Program overflows = keeping_passes(7, 8 * 1024);
  const std::string expected = error_of(overflows, hw);
  ASSERT_NE(expected.find("capacity overflow in array 0"), std::string::npos) << expected;
  EXPECT_EQ(segments_error_of(overflows, hw), expected);
}

// Each pass computes on weights prefetched by the pass before, frees them, then prefetches the next
// pass's: 40 KiB each on a 64 KiB array, never two at once. The group of a pass carries the previous
// prefetch in, so its peak is 40 KiB, not the 80 KiB of a carried-in sum plus the pass's own.
TEST(SegmentValidation, CarriedInAllocationsFreedBeforeTheNextAreNotCountedTwice) {
  const HardwareConfig hw = small_hw();
  Program p;
  int prefetched = p.load({0}, 40 * 1024, {}, true, "w0");
  int gate = prefetched;
  for (int k = 0; k < 5; ++k) {
    const int stream = p.stream({0}, 1024, {gate}, true, "in");
    const int compute = p.compute({0}, 4096, 1024, {prefetched, stream}, "mac");
    const int done = p.free(prefetched, {compute}, "done");
    prefetched = p.load({0}, 40 * 1024, {done}, true, "next w");
    gate = prefetched;
  }
  ASSERT_EQ(error_of(p, hw), "");
  const RepeatedSegments plan = find_repeated_segments(p, SegmentCuts::Timing);
  EXPECT_TRUE(plan.holds_across);
  std::size_t groups = 0;
  EXPECT_EQ(segments_error_of(p, hw, &groups), "");
  EXPECT_GT(groups, 0U);  // decided by the groups, not handed to validate()
}

TEST(SegmentValidation, RandomBlockProgramsGetValidatesVerdictAndMessage) {
  const HardwareConfig hw = test::tight_hw();
  Rng rng(2026);
  int valid = 0, invalid = 0, decided = 0, holding = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<Template> templates;
    for (int k = 0; k < 3; ++k) templates.push_back(random_template(rng));
    const Program p = random_blocks(rng, templates);
    const std::string expected = error_of(p, hw);
    const RepeatedSegments plan = find_repeated_segments(p, SegmentCuts::Timing);
    if (plan.repeats() && plan.holds_across) ++holding;
    std::size_t groups = 0;
    EXPECT_EQ(segments_error_of(p, hw, &groups), expected) << "trial " << trial;
    ++(expected.empty() ? valid : invalid);
    if (expected.empty() && groups > 0) ++decided;
  }
  // Both verdicts occur often, and most valid programs are decided by their groups alone.
  std::printf("[segments] %d valid, %d invalid, %d decided by their groups, %d repeating with allocations held across\n",
              valid, invalid, decided, holding);
  EXPECT_GT(holding, 150);
  EXPECT_GT(valid, 60);
  EXPECT_GT(invalid, 60);
  EXPECT_GT(decided, valid / 2);
}

}  // namespace
}  // namespace cimnet
