// simulate() times each distinct segment between a program's clean (else timing) cuts once and replays it for the
// equal ones (models/segment_replay.hpp): every op's timing, every resource's counters and the totals
// are those of the whole program simulated op by op. Whole networks: tests/evaluation/segment_replay_network_test.cpp.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"
#include "tests/models/same_result.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;

// A pass: weights and an input into arrays 0 and 4 (two decoders), the computation, the write-back,
// the free of the weights after both (the cut). Weights larger than a burst, streams and write-backs
// of two arrays take turns at the DRAM within the pass.
int add_pass(Program& p, int gate, std::int64_t weight_bytes) {
  const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
  const int load = p.load({0, 4}, weight_bytes, after, true, "w");
  const int stream_a = p.stream({0}, 6 * 1024, after, false, "in a");
  const int stream_b = p.stream({4}, 6 * 1024, after, false, "in b");
  const int compute = p.compute({0, 4}, 8192, 2 * 1024, {load, stream_a, stream_b}, "mac");
  const int out = p.write_back({0, 4}, 5 * 1024, {compute}, "out");
  return p.free(load, {compute, out}, "done");
}

Program passes(const std::vector<std::int64_t>& weights) {
  Program p;
  int gate = -1;
  for (std::int64_t w : weights) gate = add_pass(p, gate, w);
  return p;
}

SimResult run(const Program& p, const HardwareConfig& hw, bool replay) {
  SimOptions o;
  o.replay_repeated_segments = replay;
  o.replay_max_distinct_share = 1.0;  // whenever a segment repeats
  return simulate(p, hw, o);
}

TEST(SegmentReplay, EqualPassesTimedOnceGiveTheWholeRunExactly) {
  const HardwareConfig hw = make_hw(Bw{});
  const Program p = passes({20 * 1024, 20 * 1024, 20 * 1024, 12 * 1024, 20 * 1024, 20 * 1024});
  const SimResult whole = run(p, hw, false);
  const SimResult replayed = run(p, hw, true);
  ASSERT_TRUE(whole.ok()) << whole.message;
  ASSERT_TRUE(replayed.ok()) << replayed.message;
  EXPECT_EQ(whole.segments, 0);
  EXPECT_EQ(replayed.segments, 6);
  EXPECT_EQ(replayed.segments_timed, 3);  // the first pass, the 20 KiB ones after it, the 12 KiB one
  test::expect_same_result(whole, replayed);
  // The passes after the first take equal cycles: the total is the first, the short one and four more.
  const auto end_of = [&](int pass) { return whole.ops[static_cast<std::size_t>(6 * pass + 5)].end; };
  const std::int64_t later = end_of(2) - end_of(1);
  EXPECT_EQ(end_of(1) - end_of(0), later);
  EXPECT_EQ(whole.total_cycles, end_of(0) + 4 * later + (end_of(3) - end_of(2)));
}

// Passes that each keep some weights (never freed, as a fused program keeps resident weights and
// activations) have no clean cut; their timing cuts repeat. Every op, counter and total is the whole
// run's, and so are the memories' peaks, which grow pass by pass (array 0 keeps 2 KiB more each time):
// they come from the whole program, not from the passes that were timed. Memory 16 KiB per array:
// six passes keep 12 KiB beside a pass's 4 KiB of weights, filled to the byte at the end.
TEST(SegmentReplay, PassesThatKeepWeightsReplayExactlyWithTheWholePeaks) {
  Bw small;
  small.mem = 16 * 1024;
  const HardwareConfig hw = make_hw(small);
  Program p;
  int gate = -1;
  for (int k = 0; k < 6; ++k) {
    const std::vector<int> after = gate >= 0 ? std::vector<int>{gate} : std::vector<int>{};
    gate = add_pass(p, p.load({0}, 2 * 1024, after, true, "kept"), 4 * 1024);
  }
  const SimResult whole = run(p, hw, false);
  const SimResult replayed = run(p, hw, true);
  ASSERT_TRUE(whole.ok()) << whole.message;
  ASSERT_TRUE(replayed.ok()) << replayed.message;
  EXPECT_GT(replayed.segments, 2 * replayed.segments_timed);
  test::expect_same_result(whole, replayed);
  ASSERT_FALSE(replayed.memories.empty());
  EXPECT_EQ(replayed.memories.front().name, "ma[0]");
  EXPECT_EQ(replayed.memories.front().peak_bytes, 16 * 1024);
}

// A program whose distinct segments hold more than SimOptions::replay_max_distinct_share of its ops
// (four fifths by default) runs whole: the replay would cost more than it saves. Six equal passes: the
// first and the second are distinct, a third of the ops.
TEST(SegmentReplay, TooLittleRepeatedRunsWhole) {
  const HardwareConfig hw = make_hw(Bw{});
  const Program p = passes({20 * 1024, 20 * 1024, 20 * 1024, 20 * 1024, 20 * 1024, 20 * 1024});
  const SimResult by_default = simulate(p, hw, SimOptions{});
  ASSERT_TRUE(by_default.ok()) << by_default.message;
  EXPECT_EQ(by_default.segments, 6);
  EXPECT_EQ(by_default.segments_timed, 2);
  SimOptions stricter;
  stricter.replay_max_distinct_share = 0.3;
  const SimResult whole = simulate(p, hw, stricter);
  EXPECT_EQ(whole.segments, 0);
  test::expect_same_result(by_default, whole);
}

// A trace asks for every event: the program runs whole.
TEST(SegmentReplay, ATraceRunsTheWholeProgram) {
  const HardwareConfig hw = make_hw(Bw{});
  SimOptions o;
  o.trace_path = testing::TempDir() + "/segment_replay_trace.json";
  const SimResult r = simulate(passes({8192, 8192, 8192}), hw, o);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.segments, 0);
}

// A program that fails validation in a repeated pass is refused naming the whole program's op, as
// without the replay.
TEST(SegmentReplay, AnInvalidRepeatedPassIsRefusedNamingTheWholeProgramsOp) {
  Bw small;
  small.mem = 16 * 1024;
  const HardwareConfig hw = make_hw(small);
  Program p = passes({8192, 8192, 8192, 8192});
  p.ops[18].bytes = 16 * 1024 + 1;  // the fourth pass's weights
  const SimResult replayed = run(p, hw, true);
  const SimResult whole = run(p, hw, false);
  ASSERT_EQ(replayed.status, SimStatus::InputError);
  EXPECT_EQ(replayed.message, whole.message);
  EXPECT_NE(replayed.message.find("op 18"), std::string::npos) << replayed.message;
}

// A run of the distinct segments that fails (here a SystemC warning) fails the whole program's
// result: its status and message stay, its ops (the distinct program's) do not.
TEST(SegmentReplay, AFailedRunOfTheDistinctSegmentsFailsTheResultWithoutTheirOps) {
  const HardwareConfig hw = make_hw(Bw{});
  SimOptions o;
  o.test_hook = SimOptions::Hook::Warn;
  SimResult r;
  EXPECT_NONFATAL_FAILURE(r = simulate(passes({8192, 8192, 8192}), hw, o), "W571");
  EXPECT_EQ(r.status, SimStatus::Error);
  EXPECT_NE(r.message.find("SystemC warning: (W571)"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("distinct segments"), std::string::npos) << r.message;
  EXPECT_TRUE(r.ops.empty());
}

}  // namespace
}  // namespace cimnet
