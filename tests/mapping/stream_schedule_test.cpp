// A stream of inferences under `pipelined` (mapping/stream_schedule.hpp, `cycles: stream`): the stage
// programme against brute force; identical layers on decoders of their own in closed form; and the
// SystemC model running the third inference beside the second.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>

#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stream_schedule.hpp"
#include "program/program.hpp"
#include "tests/mapping/sim_support.hpp"
#include "tests/support/small_networks.hpp"

namespace cimnet {
namespace {

// Every way to cut `n` segments into contiguous stages, each with at least `least` decoders, at most
// `decoders` in all: the least slowest stage and, among those, the fewest stages.
std::pair<std::int64_t, std::size_t> brute_force(std::size_t n, std::int64_t decoders, std::int64_t least,
                                                 const std::function<std::int64_t(std::size_t, std::size_t, std::int64_t)>& stage) {
  std::pair<std::int64_t, std::size_t> best{std::numeric_limits<std::int64_t>::max(), 0};
  std::function<void(std::size_t, std::int64_t, std::int64_t, std::size_t)> walk =
      [&](std::size_t from, std::int64_t left, std::int64_t slowest, std::size_t stages) {
        if (from == n) {
          if (slowest < best.first || (slowest == best.first && stages < best.second)) best = {slowest, stages};
          return;
        }
        for (std::size_t to = from + 1; to <= n; ++to) {
          for (std::int64_t d = least; d <= left; ++d) {
            const std::int64_t c = stage(from, to, d);
            if (c >= 0) walk(to, left - d, std::max(slowest, c), stages + 1);
          }
        }
      };
  walk(0, decoders, 0, 0);
  return best;
}

TEST(StreamSchedule, TheProgrammeFindsTheBestStagesAsBruteForceDoes) {
  std::mt19937_64 rng(20261206);
  for (int round = 0; round < 400; ++round) {
    const std::size_t n = 1 + rng() % 6;
    const std::int64_t decoders = 1 + static_cast<std::int64_t>(rng() % 5);
    const std::int64_t least = 1 + static_cast<std::int64_t>(rng() % 2);
    // A stage's cycles: random per (first, end, decoders), a few stages impossible.
    std::vector<std::int64_t> table((n + 1) * (n + 1) * static_cast<std::size_t>(decoders + 1));
    for (auto& v : table) v = rng() % 7 == 0 ? -1 : static_cast<std::int64_t>(rng() % 50);
    const auto stage = [&](std::size_t i, std::size_t j, std::int64_t d) {
      return table[(i * (n + 1) + j) * static_cast<std::size_t>(decoders + 1) + static_cast<std::size_t>(d)];
    };
    const auto expected = brute_force(n, decoders, least, stage);
    const std::vector<StageCut> cuts = least_slowest_stage(n, decoders, stage, least);
    if (expected.second == 0) {
      EXPECT_TRUE(cuts.empty()) << round;
      continue;
    }
    ASSERT_FALSE(cuts.empty()) << round;
    // The cuts cover the segments in order, within the decoders, and reach the least slowest stage.
    std::int64_t slowest = 0, used = 0;
    std::size_t next = 0;
    for (const StageCut& c : cuts) {
      EXPECT_EQ(c.first, next);
      EXPECT_GE(c.decoders, least);
      slowest = std::max(slowest, stage(c.first, c.last + 1, c.decoders));
      used += c.decoders;
      next = c.last + 1;
    }
    EXPECT_EQ(next, n);
    EXPECT_LE(used, decoders);
    EXPECT_EQ(slowest, expected.first) << round;
    EXPECT_EQ(cuts.size(), expected.second) << round;
  }
}

// Two identical 3 × 3 convs (the second reads the first) on two L1 decoders.
Network two_identical_convs() {
  NetworkBuilder b("two convs", Tensor{-1, 1, 64, 28, 28});
  Tensor x = b.conv("conv0", b.input(), 64, 3);
  x = b.conv("conv1", x, 64, 3);
  return b.finish();
}

// The span [first start, last end] of a layer's ops in inference 2 + `k` (0: the third).
std::pair<std::int64_t, std::int64_t> stream_span(const test::Simulated& s, int layer, std::size_t k = 0) {
  const NetworkMapping& m = s.mapping;
  const int from = m.stream_first_op(k);
  const int to = k + 1 < m.stream_inference_ops.size() ? m.stream_first_op(k + 1) : static_cast<int>(m.program.ops.size());
  std::pair<std::int64_t, std::int64_t> span{std::numeric_limits<std::int64_t>::max(), 0};
  for (const auto& [first, end] : s.mapping.layers[static_cast<std::size_t>(layer)].stream_ops) {
    for (const auto& o : s.result.ops) {
      if (o.id < first || o.id >= end || o.id < from || o.id >= to) continue;
      span.first = std::min(span.first, o.start);
      span.second = std::max(span.second, o.end);
    }
  }
  return span;
}

// Each conv on one decoder of its own: two stages of equal cycles; once warm the time between
// inferences is one stage's, the first inference both stages' in turn; SystemC runs the third
// inference's first conv beside the second's second conv, and its period is exactly one stage.
TEST(StreamSchedule, TwoIdenticalLayersRunAsTwoStagesOfOneDecoderEach) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  const Network net = two_identical_convs();
  const test::Simulated s = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Stream);
  const NetworkMapping& m = s.mapping;
  ASSERT_EQ(m.stream_stages.size(), 2u);
  for (int g = 0; g < 2; ++g) {
    const auto& st = m.stream_stages[static_cast<std::size_t>(g)];
    EXPECT_EQ(st.first_layer, g);
    EXPECT_EQ(st.last_layer, g);
    EXPECT_EQ(st.first_decoder, g);
    EXPECT_EQ(st.decoders, 1);
    // The stage's cycles: its layer once warm, weights resident, on one decoder.
    EXPECT_TRUE(m.layers[static_cast<std::size_t>(g)].resident);
    EXPECT_EQ(st.cycles, m.layers[static_cast<std::size_t>(g)].steady_cost.cycles);
  }
  const std::int64_t stage = m.stream_stages[0].cycles;
  EXPECT_EQ(m.stream_stages[1].cycles, stage);  // identical layers
  // Once warm, one stage's cycles, or a little more where the other's DRAM traffic leaves a stage less
  // than it needs at that pace (stream_period: at most 0.1 % here, the convs being compute-bound).
  EXPECT_GE(m.analytical_steady_cycles, stage);
  EXPECT_LE(m.analytical_steady_cycles - stage, stage / 1000);
  EXPECT_EQ(m.analytical_cycles, 2 * m.layers[0].cost.cycles);
  EXPECT_EQ(m.layers[0].cost.cycles, m.layers[1].cost.cycles);
  EXPECT_NO_THROW(validate(m.program, hw));
  ASSERT_TRUE(s.result.ok());
  // The third inference's first conv starts when the second's has ended, while the second's second
  // conv runs; its second conv then follows; the period is that conv's span.
  const auto second_conv0 = std::make_pair(m.layers[0].sim_steady_start, m.layers[0].sim_steady_end);
  const auto second_conv1 = std::make_pair(m.layers[1].sim_steady_start, m.layers[1].sim_steady_end);
  const auto third_conv0 = stream_span(s, 0), third_conv1 = stream_span(s, 1);
  std::printf("second: conv0 %lld..%lld conv1 %lld..%lld; third: conv0 %lld..%lld conv1 %lld..%lld; period %lld est %lld\n",
              (long long)second_conv0.first, (long long)second_conv0.second, (long long)second_conv1.first,
              (long long)second_conv1.second, (long long)third_conv0.first, (long long)third_conv0.second,
              (long long)third_conv1.first, (long long)third_conv1.second, (long long)m.sim_steady_cycles,
              (long long)m.analytical_steady_cycles);
  EXPECT_GE(third_conv0.first, second_conv0.second);
  EXPECT_LT(third_conv0.first, second_conv1.second);
  EXPECT_GE(third_conv1.first, std::max(third_conv0.second, second_conv1.second));
  // Four warm inferences follow the second (2 × stages); the period is measured over the ends of warm
  // inferences 2 .. 4 (the first two of the stream).
  ASSERT_EQ(m.stream_inference_ops.size(), 4u);
  EXPECT_EQ(m.stream_measured_from, 2);
  EXPECT_EQ(m.stream_measured_to, 4);
  EXPECT_EQ(2 * m.sim_steady_cycles, stream_span(s, 1, 2).second - stream_span(s, 1, 0).second);
  // SystemC: one stage, and at most 0.1 % more where the other stage's DRAM traffic meets this one's
  // (the first stage may not run ahead, so the second never runs alone in the measured window).
  EXPECT_GE(m.sim_steady_cycles, stage);
  EXPECT_LE(m.sim_steady_cycles - stage, stage / 1000);
  EXPECT_LE(std::abs(m.sim_cold_cycles - m.analytical_cycles), m.analytical_cycles / 100);
}

// Two stages of one single-layer segment each (no bands): stage 0 writes outputs back over DRAM, stage 1
// loads weights from it.
struct TwoStages {
  std::vector<StreamStage> stages{2};
  std::vector<StreamSegment> segments{2};
  ResourceBusy total;
  TwoStages(double write_backs, double load_dram, double load_l2) {
    for (std::size_t g = 0; g < 2; ++g) {
      stages[g].first = stages[g].last = g;
      segments[g].segment.first = segments[g].segment.last = static_cast<int>(g);
    }
    segments[0].warm = stages[0].cycles = 96;
    segments[0].shared.dram = stages[0].shared.dram = write_backs;
    segments[0].link_classes[0][2] = write_backs;
    segments[1].warm = stages[1].cycles = 100;
    segments[1].shared.dram = stages[1].shared.dram = load_dram;
    segments[1].shared.l2 = stages[1].shared.l2 = load_l2;
    segments[1].link_classes[0][1] = load_dram;
    segments[1].link_classes[1][1] = load_l2;
    total.dram = write_backs + load_dram;
    total.l2 = load_l2;
  }
  std::int64_t period() const { return stream_period(stages, segments, total); }
};

// The DRAM serves a weight load whole and, when the DRAM is its narrowest link, takes all of it while
// the load runs: the other stage's write-backs wait, and so does that stage. Stage 0 (96 cycles) beside
// a 32-cycle load: P = 96 ⁄ (1 − 32 ⁄ P), so P = 96 + 32 = 128 — where sharing the DRAM evenly over the
// period would leave stage 0 at its own 96 and the period at stage 1's 100.
TEST(StreamSchedule, WriteBacksWaitForTheOtherStagesWholeWeightLoads) {
  EXPECT_EQ(TwoStages(8, 32, 0).period(), 128);
}

// A load whose narrowest link is L2 (64 cycles there, 32 on the DRAM) leaves half the DRAM free while it
// runs, more than stage 0's write-backs need (8 ⁄ 96): the period is the slower stage's.
TEST(StreamSchedule, ALoadThatLeavesTheLinkFreeEnoughDoesNotStallWriteBacks) {
  EXPECT_EQ(TwoStages(8, 32, 64).period(), 100);
}

// Four inverted-residual blocks on the reference design: the stream's stages overlap successive
// inferences in SystemC, beat one inference after another there too, and the estimate holds.
TEST(StreamSchedule, StagesOfBlocksOverlapInferencesAndBeatOneAfterAnother) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(4);
  const test::Simulated stream = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Stream);
  const test::Simulated steady = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Steady);
  const NetworkMapping& m = stream.mapping;
  ASSERT_GE(m.stream_stages.size(), 2u);
  std::int64_t next_decoder = 0;
  for (const auto& st : m.stream_stages) {  // disjoint decoders, in order
    EXPECT_GE(st.first_decoder, next_decoder);
    next_decoder = st.first_decoder + st.decoders;
    EXPECT_LE(st.cycles, m.analytical_steady_cycles);
  }
  EXPECT_LE(next_decoder, hw.l1_decoders());
  EXPECT_NO_THROW(validate(m.program, hw));
  ASSERT_TRUE(stream.result.ok());
  ASSERT_TRUE(steady.result.ok());
  // Some op of the third inference starts before the second has ended.
  std::int64_t second_end = 0, third_start = std::numeric_limits<std::int64_t>::max();
  for (const auto& o : stream.result.ops) {
    if (o.id >= m.steady_first_op && o.id < m.stream_first_op(0)) second_end = std::max(second_end, o.end);
    if (o.id >= m.stream_first_op(0)) third_start = std::min(third_start, o.start);
  }
  EXPECT_LT(third_start, second_end);
  const auto error = [](std::int64_t est, std::int64_t sim) {
    return static_cast<double>(est - sim) / static_cast<double>(sim);
  };
  std::printf("four blocks: stream %zu stages, period %lld est / %lld sim; one after another %lld est / %lld sim\n",
              m.stream_stages.size(), static_cast<long long>(m.analytical_steady_cycles),
              static_cast<long long>(m.sim_steady_cycles), static_cast<long long>(steady.mapping.analytical_steady_cycles),
              static_cast<long long>(steady.mapping.sim_steady_cycles));
  EXPECT_LT(m.analytical_steady_cycles, steady.mapping.analytical_steady_cycles);
  EXPECT_LT(m.sim_steady_cycles, steady.mapping.sim_steady_cycles);
  EXPECT_LE(std::abs(error(m.analytical_steady_cycles, m.sim_steady_cycles)), 0.20);
  EXPECT_LE(std::abs(error(m.analytical_cycles, m.sim_cold_cycles)), 0.20);
}

// Under layer-by-layer and fused an inference starts when the previous one has ended: stream is steady.
TEST(StreamSchedule, WithoutPipelinedStagesAStreamIsTheSteadySchedule) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(2);
  MapperCache cache;
  for (Execution e : {Execution::LayerByLayer, Execution::Fused}) {
    const NetworkMapping a = estimate_network(net, hw, &cache, e, CyclesOf::Stream);
    const NetworkMapping b = estimate_network(net, hw, &cache, e, CyclesOf::Steady);
    EXPECT_TRUE(a.stream_stages.empty());
    EXPECT_TRUE(a.stream_inference_ops.empty());
    EXPECT_EQ(a.analytical_steady_cycles, b.analytical_steady_cycles) << to_string(e);
    EXPECT_EQ(a.analytical_cycles, b.analytical_cycles) << to_string(e);
  }
}

}  // namespace
}  // namespace cimnet
