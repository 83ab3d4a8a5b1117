// The `pipelined` policy's segmentation (mapping/stack_scheduler.hpp): the dynamic programme finds the
// best of every segmentation it may choose from, and a stack's allocation gives every decoder out.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <numeric>

#include "mapping/network_mapper.hpp"
#include "tests/support/small_networks.hpp"
#include "mapping/stack_scheduler.hpp"

namespace cimnet {
namespace {

// Per layer of `net`, its layer-by-layer estimate: what a segment of that layer alone costs.
std::vector<std::int64_t> single_cycles(const Network& net, const HardwareConfig& hw, MapperCache& cache) {
  std::vector<std::int64_t> single;
  for (const auto& m : estimate_network(net, hw, &cache).layers) single.push_back(m.cost.cycles);
  return single;
}

TEST(StackScheduler, TheProgrammeFindsTheBestSegmentation) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(2);
  MapperCache cache;
  const std::vector<std::int64_t> single = single_cycles(net, hw, cache);
  const PipelineChoice choice = schedule_stacks(net, hw, cache, single);
  // Every segmentation into singles and stacks of at most kMaxStackLayers layers, by brute force.
  const int n = static_cast<int>(net.layers.size());
  std::function<std::int64_t(int)> best_from = [&](int i) -> std::int64_t {
    if (i == n) return 0;
    std::int64_t best = single[static_cast<std::size_t>(i)] + best_from(i + 1);
    for (int j = i; j < std::min(n, i + kMaxStackLayers); ++j) {
      const Segment s = best_stack(net, i, j, hw, cache);
      if (s.stack) best = std::min(best, s.cycles + best_from(j + 1));
    }
    return best;
  };
  EXPECT_EQ(choice.cycles, best_from(0));
  std::int64_t sum = 0, next = 0;
  for (const Segment& s : choice.segments) {
    EXPECT_EQ(s.first, next);
    next = s.last + 1;
    sum += s.cycles;
  }
  EXPECT_EQ(next, n);
  EXPECT_EQ(sum, choice.cycles);
  EXPECT_LT(choice.cycles, std::accumulate(single.begin(), single.end(), std::int64_t{0}));  // some stack beats layer by layer
}

// The throughput objective's programme, over cycles once warm (every stack at its fastest warm tiling),
// against brute force too; and each objective wins its own figure against the other.
TEST(StackScheduler, TheWarmProgrammeFindsTheBestSegmentationOnceWarm) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(2);
  MapperCache cache;
  const std::vector<std::int64_t> single = single_cycles(net, hw, cache);
  PipelineChoice warm;
  const PipelineChoice cold = schedule_stacks(net, hw, cache, single, &warm);
  const int n = static_cast<int>(net.layers.size());
  std::function<std::int64_t(int)> best_from = [&](int i) -> std::int64_t {
    if (i == n) return 0;
    std::int64_t best = single[static_cast<std::size_t>(i)] + best_from(i + 1);
    for (int j = i; j < std::min(n, i + kMaxStackLayers); ++j) {
      Segment fastest_warm;
      const Segment s = best_stack(net, i, j, hw, cache, nullptr, &fastest_warm);
      if (s.stack) {
        EXPECT_TRUE(fastest_warm.stack);
        EXPECT_LE(fastest_warm.warm_cycles, s.warm_cycles);  // the fastest warm tiling, at most the cold one's
        EXPECT_LE(s.cycles, fastest_warm.cycles);            // and the other way round
        best = std::min(best, fastest_warm.warm_cycles + best_from(j + 1));
      }
    }
    return best;
  };
  EXPECT_EQ(warm.cycles, best_from(0));
  std::int64_t sum = 0;
  for (const Segment& s : warm.segments) sum += s.stack ? s.warm_cycles : s.cycles;
  EXPECT_EQ(sum, warm.cycles);
  EXPECT_LE(warm.cycles, cold.cycles);
  // Whole networks: the latency objective has the fewer cold cycles, the throughput one the fewer steady.
  const Network four = test::inverted_residual_blocks(4);
  const NetworkMapping latency = estimate_network(four, hw, &cache, Execution::Pipelined, CyclesOf::Cold);
  const NetworkMapping throughput = estimate_network(four, hw, &cache, Execution::Pipelined, CyclesOf::Steady);
  EXPECT_LE(latency.analytical_cycles, throughput.analytical_cycles);
  EXPECT_LE(throughput.analytical_steady_cycles, latency.analytical_steady_cycles);
}

TEST(StackScheduler, AStackGivesItsMacLayersDisjointDecoders) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(2);
  MapperCache cache;
  const Segment s = best_stack(net, 0, 4, hw, cache);
  ASSERT_TRUE(s.stack);
  std::int64_t next = 0;
  for (int i = 0; i <= 4; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    if (!net.layers[k].is_mac_layer()) {
      EXPECT_EQ(s.layout.decoders[k], 0);
      continue;
    }
    EXPECT_EQ(s.layout.first_decoder[k], next);
    EXPECT_GE(s.layout.decoders[k], 1);
    next += s.layout.decoders[k];
  }
  EXPECT_LE(next, hw.l1_decoders());
  // A matmul never runs in a stack, nor more MAC layers than decoders.
  NetworkBuilder b("attention", Tensor{-1, 12, 64, 197, 1});
  const Tensor q = b.input();
  b.matmul("qk", q, q);
  EXPECT_FALSE(best_stack(b.finish(), 0, 0, hw, cache).stack);
}

}  // namespace
}  // namespace cimnet
