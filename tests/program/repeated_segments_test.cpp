// find_repeated_segments(): the clean (or timing) cuts of a program, which segments between them are equal, and
// the program of the distinct ones (program/repeated_segments.hpp). That the timed model gives the
// same cycles either way: tests/models/segment_replay_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "program/repeated_segments.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

// One pass: a weight load and an input stream into arrays 0 and 4 (two decoders), a computation, a
// write-back, and the free of the weights after both — the pass's last op, which every op before it
// precedes and every later op follows.
int add_pass(Program& p, int gate, std::int64_t weight_bytes = 8 * 1024) {
  const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
  const int load = p.load({0, 4}, weight_bytes, after, true, "w");
  const int stream = p.stream({0, 4}, 2 * 1024, after, true, "in");
  const int compute = p.compute({0, 4}, 4096, 2 * 1024, {load, stream}, "mac");
  const int out = p.write_back({0, 4}, 1024, {compute}, "out");
  return p.free(load, {compute, out}, "done");
}

Program passes(int count) {
  Program p;
  int gate = -1;
  for (int k = 0; k < count; ++k) gate = add_pass(p, gate);
  return p;
}

// Four passes, each reading the stream of the pass before as well as its own (its input-buffer space
// is held until then).
Program passes_reading_the_stream_before() {
  Program p;
  int gate = -1, previous_stream = -1;
  for (int k = 0; k < 4; ++k) {
    std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int load = p.load({0}, 8 * 1024, after);
    const int stream = p.stream({0}, 1024, after);
    std::vector<int> reads = {load, stream};
    if (previous_stream >= 0) reads.push_back(previous_stream);
    const int compute = p.compute({0}, 4096, 1024, reads);
    gate = p.free(load, {compute});
    previous_stream = stream;
  }
  return p;
}

TEST(RepeatedSegments, EqualPassesBehindCleanCutsAreTimedOnce) {
  const Program p = passes(6);
  const RepeatedSegments r = find_repeated_segments(p);
  ASSERT_EQ(r.segments.size(), 6U);
  // The first pass has no dependency before it; the five after it are one class.
  EXPECT_EQ(r.distinct_segments, 2U);
  EXPECT_TRUE(r.repeats());
  EXPECT_EQ(r.segments[0].first, 0);
  for (std::size_t s = 1; s < 6; ++s) {
    EXPECT_EQ(r.segments[s].first, 1) << s;
    EXPECT_EQ(r.segments[s].closing, static_cast<int>(5 * s + 4)) << s;
  }
  ASSERT_EQ(r.distinct.ops.size(), 10U);
  // The second distinct pass follows the first one's cut; its ops stand for every later pass's.
  EXPECT_EQ(r.distinct.ops[5].deps, std::vector<int>{4});
  EXPECT_EQ(r.distinct.ops[9].frees, std::vector<int>{5});
  EXPECT_EQ(r.distinct_op[27], 7);  // pass 5's computation
  EXPECT_EQ(error_of(r.distinct, small_hw()), "");
}

// Op ids need not follow the dependencies: a write-back emitted before the computation it waits for
// takes the general route (a topological order) to the same cuts and classes.
TEST(RepeatedSegments, OpsOutOfIdOrderGiveTheSameSegments) {
  Program p;
  int gate = -1;
  for (int k = 0; k < 6; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int load = p.load({0, 4}, 8 * 1024, after, true, "w");
    const int stream = p.stream({0, 4}, 2 * 1024, after, true, "in");
    const int out = p.write_back({0, 4}, 1024, {}, "out");
    const int compute = p.compute({0, 4}, 4096, 2 * 1024, {load, stream}, "mac");
    p.ops[static_cast<std::size_t>(out)].deps = {compute};
    gate = p.free(load, {compute, out}, "done");
  }
  ASSERT_EQ(error_of(p, small_hw()), "");
  const RepeatedSegments r = find_repeated_segments(p);
  ASSERT_EQ(r.segments.size(), 6U);
  EXPECT_EQ(r.distinct_segments, 2U);
  EXPECT_EQ(r.segments[5].first, 1);
  EXPECT_EQ(error_of(r.distinct, small_hw()), "");
}

TEST(RepeatedSegments, APassOfOtherSizesIsItsOwnClass) {
  Program p;
  int gate = -1;
  for (int k = 0; k < 5; ++k) gate = add_pass(p, gate, k == 3 ? 4 * 1024 : 8 * 1024);
  const RepeatedSegments r = find_repeated_segments(p);
  ASSERT_EQ(r.segments.size(), 5U);
  EXPECT_EQ(r.distinct_segments, 3U);
  EXPECT_EQ(r.segments[2].first, 1);
  EXPECT_EQ(r.segments[3].first, 3);
  EXPECT_EQ(r.segments[4].first, 1);
}

// Weights freed a pass later (held across the cut) and a stream read again a pass later (its input
// buffer space held) leave no clean cut there: the passes run as one segment.
TEST(RepeatedSegments, WhatIsHeldAcrossABarrierLeavesNoCleanCut) {
  Program held_weights;
  int gate = -1, previous_load = -1;
  for (int k = 0; k < 4; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int load = held_weights.load({0}, 8 * 1024, after);
    const int compute = held_weights.compute({0}, 4096, 1024, {load});
    const int out = held_weights.write_back({0}, 1024, {compute});
    // Each pass frees the previous pass's weights; the first pass's cut is its write-back.
    gate = previous_load >= 0 ? held_weights.free(previous_load, {compute, out}) : out;
    previous_load = load;
  }
  EXPECT_FALSE(find_repeated_segments(held_weights, SegmentCuts::Clean).repeats());

  const Program held_stream = passes_reading_the_stream_before();
  const RepeatedSegments r = find_repeated_segments(held_stream, SegmentCuts::Clean);
  EXPECT_EQ(r.segments.size(), 1U);
  EXPECT_FALSE(r.repeats());
}

// Timing cuts reach across what is allocated (not across a stream's buffer space): the passes that
// free the one before's weights repeat, with an allocation held across every cut, and a distinct
// pass's free of the weights before it names the load that stands for them.
TEST(RepeatedSegments, TimingCutsReachAcrossHeldAllocations) {
  // Per pass: weights and an input side by side, the computation (a cut once the input's space is
  // released), the write-back (a cut), and from the second pass on the free of the pass before's
  // weights (a cut). Ids: pass 0 is 0-3, pass k > 0 is 5k-1 .. 5k+3 (its free last).
  Program p;
  int gate = -1, previous_load = -1;
  for (int k = 0; k < 5; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    const int load = p.load({0}, 8 * 1024, after);
    const int stream = p.stream({0}, 1024, after);
    const int compute = p.compute({0}, 4096, 1024, {load, stream});
    const int out = p.write_back({0}, 1024, {compute});
    gate = previous_load >= 0 ? p.free(previous_load, {compute, out}) : out;
    previous_load = load;
  }
  ASSERT_EQ(error_of(p, small_hw()), "");
  const RepeatedSegments clean = find_repeated_segments(p, SegmentCuts::Clean);
  EXPECT_EQ(clean.segments.size(), 1U);
  EXPECT_FALSE(clean.holds_across);
  const RepeatedSegments r = find_repeated_segments(p, SegmentCuts::Timing);
  EXPECT_EQ(r.cuts, SegmentCuts::Timing);
  ASSERT_EQ(r.segments.size(), 14U);  // pass 0: {load, stream, compute}, {write-back}; then three each
  EXPECT_TRUE(r.holds_across);
  // Classes: the first pass's three ops, any write-back, a later pass's three ops (behind a cut), any
  // free.
  EXPECT_EQ(r.distinct_segments, 4U);
  ASSERT_EQ(r.distinct.ops.size(), 8U);
  EXPECT_EQ(r.distinct.ops[7].kind, OpKind::Free);
  EXPECT_EQ(r.distinct.ops[7].frees, std::vector<int>{0});  // pass 1's free names pass 0's load
  EXPECT_EQ(r.distinct_op[23], 7);        // pass 4's free stands as pass 1's
  EXPECT_EQ(r.distinct_op[22], 3);        // every write-back as pass 0's
  // What simulate() takes: clean cuts where segments repeat between them, else these.
  EXPECT_EQ(find_repeated_segments(p).cuts, SegmentCuts::Timing);
  EXPECT_EQ(find_repeated_segments(p).distinct_segments, 4U);
  EXPECT_EQ(find_repeated_segments(passes(6)).cuts, SegmentCuts::Clean);

  // A stream read a pass later still holds its buffer space: no timing cut between passes either.
  const Program held_stream = passes_reading_the_stream_before();
  // Only the last computation, which reads the last two streams, is a cut: then the last free.
  const RepeatedSegments streams = find_repeated_segments(held_stream, SegmentCuts::Timing);
  ASSERT_EQ(streams.segments.size(), 2U);
  EXPECT_EQ(streams.segments[0].closing, static_cast<int>(held_stream.ops.size()) - 2);
  EXPECT_FALSE(streams.repeats());
}

// validate() holds for the whole program exactly when it holds for the distinct segments: an overflow
// in every pass shows in the distinct program too (simulate() then names the whole program's op).
TEST(RepeatedSegments, AnOverflowInARepeatedPassIsInTheDistinctProgram) {
  Program p;
  int gate = -1;
  for (int k = 0; k < 4; ++k) gate = add_pass(p, gate, 64 * 1024 + 1);
  const RepeatedSegments r = find_repeated_segments(p);
  ASSERT_TRUE(r.repeats());
  EXPECT_NE(error_of(p, small_hw()), "");
  EXPECT_NE(error_of(r.distinct, small_hw()), "");
}

// A free whose op is out of range, or a dependency cycle: no segments (validate() reports them).
TEST(RepeatedSegments, AProgramThatIsNotValidHasNoSegments) {
  Program bad_free = passes(3);
  bad_free.ops.back().frees = {99};
  EXPECT_FALSE(find_repeated_segments(bad_free).repeats());
  Program free_first;
  const int f = free_first.free(1);
  free_first.load({0}, 1024, {});
  free_first.ops[static_cast<std::size_t>(f)].frees = {1};
  EXPECT_FALSE(find_repeated_segments(free_first).repeats());
}

}  // namespace
}  // namespace cimnet
