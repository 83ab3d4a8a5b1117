// Throughput mode of `pipelined` (mapping/stack_residency.hpp, mapping/pipelined_network.hpp): which
// stacks keep their weights between inferences, exactly within the arrays' capacity; the warm inference
// loads nothing of theirs; the steady estimate saves exactly what those stacks save; and the SystemC
// model runs both inferences.
#include <gtest/gtest.h>

#include <cstdio>

#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "tests/support/small_networks.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stack_residency.hpp"
#include "program/program.hpp"
#include "tests/mapping/sim_support.hpp"

namespace cimnet {
namespace {


// A real plan of one decoder, its tile set by hand: the capacity rule sees only tiles and arrays.
Plan plan_with_tile(const HardwareConfig& hw, std::int64_t tile) {
  const Network net = test::inverted_residual_blocks(1);
  const LayerMapping m = map_layer_resident(net.layers[0], stage_hardware(hw, 1));
  EXPECT_FALSE(m.best.empty());
  Plan p = m.best.front().plan;
  p.tile_bytes = tile;
  p.mapping.half_capacity = false;
  return p;
}

SegmentWeights stack_of(const Plan& plan, std::int64_t saving) {
  SegmentWeights s;
  s.stack = true;
  s.plans = {plan};
  s.saving = saving;
  return s;
}

TEST(StackResidency, StacksStayWhileTheArraysHoldThemAndWhatTheOthersLoad) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  // Two stacks of half an array each, on the same arrays: both stay, the arrays exactly full.
  const Plan half = plan_with_tile(hw, cap / 2);
  StackResidency r = choose_stack_residency(hw, {stack_of(half, 100), stack_of(half, 60)});
  EXPECT_EQ(r.stays, (std::vector<char>{1, 1}));
  EXPECT_EQ(r.fullest_array, cap);
  EXPECT_EQ(r.resident_bytes, 2 * resident_bytes(half));
  EXPECT_EQ(r.saving, 160);
  // A single layer that loads one byte there: only one fits, the one that saves more.
  SegmentWeights single;
  single.plans = {plan_with_tile(hw, 1)};
  r = choose_stack_residency(hw, {stack_of(half, 60), single, stack_of(half, 100)});
  EXPECT_EQ(r.stays, (std::vector<char>{0, 0, 1}));
  EXPECT_EQ(r.fullest_array, cap / 2);
  // Half, quarter, quarter with that byte: by saving per byte the quarters (120) and then no room for
  // the half; by saving the half and one quarter (160), which is kept.
  const Plan quarter = plan_with_tile(hw, cap / 4);
  r = choose_stack_residency(hw, {stack_of(half, 100), stack_of(quarter, 60), stack_of(quarter, 60), single});
  EXPECT_EQ(r.stays, (std::vector<char>{1, 1, 0, 0}));
  EXPECT_EQ(r.saving, 160);
  // A stack that saves nothing never stays.
  r = choose_stack_residency(hw, {stack_of(quarter, 0)});
  EXPECT_EQ(r.stays, (std::vector<char>{0}));
  EXPECT_EQ(r.resident_bytes, 0);
}

TEST(StackResidency, TheWarmInferenceLoadsNoWeightThatStayed) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = test::inverted_residual_blocks(4);
  const test::Simulated s = test::simulate_network(net, hw, Execution::Pipelined);
  const NetworkMapping& m = s.mapping;
  ASSERT_TRUE(m.two_inferences);
  ASSERT_GT(m.resident_bytes, 0);
  EXPECT_NO_THROW(validate(m.program, hw));
  // Every weight load of the second inference belongs to a layer whose weights do not stay; every layer
  // whose weights stay loads them in the first.
  const std::vector<int> layer_of = op_layers(m);
  std::vector<int> loads_cold(net.layers.size(), 0), loads_warm(net.layers.size(), 0);
  for (std::size_t id = 0; id < m.program.ops.size(); ++id) {
    if (m.program.ops[id].kind != OpKind::LoadWeights || layer_of[id] < 0) continue;
    (static_cast<int>(id) < m.steady_first_op ? loads_cold : loads_warm)[static_cast<std::size_t>(layer_of[id])]++;
  }
  std::int64_t kept = 0, saved = 0;
  for (const MappedLayer& l : m.layers) {
    if (l.resident) {
      EXPECT_GT(loads_cold[static_cast<std::size_t>(l.index)], 0) << l.index;
      EXPECT_EQ(loads_warm[static_cast<std::size_t>(l.index)], 0) << l.index;
      kept += resident_bytes(l.plan);
    }
    // Only the stacks that keep their weights are faster once warm.
    bool stays = false;
    for (int i = l.stack_first; i >= 0 && i <= l.stack_last; ++i) {
      stays = stays || m.layers[static_cast<std::size_t>(i)].resident;
    }
    if (!stays) {
      EXPECT_EQ(l.steady_cost.cycles, l.cost.cycles) << l.index;
    }
    saved += l.cost.cycles - l.steady_cost.cycles;
  }
  EXPECT_EQ(kept, m.resident_bytes);
  EXPECT_GT(saved, 0);
  EXPECT_EQ(m.analytical_cycles - m.analytical_steady_cycles, saved);
  // Simulated: the warm inference is faster too, and the estimate of each within 20 %.
  ASSERT_TRUE(s.result.ok());
  EXPECT_LT(m.sim_steady_cycles, m.sim_cold_cycles);
  const auto error = [](std::int64_t est, std::int64_t sim) {
    return static_cast<double>(est - sim) / static_cast<double>(sim);
  };
  std::printf("four blocks pipelined: cold %lld est / %lld sim, steady %lld est / %lld sim\n",
              static_cast<long long>(m.analytical_cycles), static_cast<long long>(m.sim_cold_cycles),
              static_cast<long long>(m.analytical_steady_cycles), static_cast<long long>(m.sim_steady_cycles));
  EXPECT_LE(std::abs(error(m.analytical_cycles, m.sim_cold_cycles)), 0.20);
  EXPECT_LE(std::abs(error(m.analytical_steady_cycles, m.sim_steady_cycles)), 0.20);
}

// Wide pointwise blocks whose weights are worth keeping, then a layer too large for any stack (its
// weights fill every array over several passes): segmented for throughput, the large layer takes a
// plan within a reserve so that stacks' weights fit beside it, when that saves more than it costs.
TEST(StackResidency, ASingleLayerGivesUpArraysWhenTheStacksSaveMore) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  NetworkBuilder b("bottlenecks", Tensor{-1, 1, 1024, 7, 7});
  Tensor x = b.input();
  for (int k = 0; k < 3; ++k) {
    const std::string p = "b" + std::to_string(k) + ".";
    Tensor y = b.conv(p + "reduce", x, 256, 1);
    y = b.activation(p + "relu1", y, ActivationOp::ReLU);
    y = b.conv(p + "conv", y, 256, 3);
    y = b.activation(p + "relu2", y, ActivationOp::ReLU);
    x = b.conv(p + "expand", y, 1024, 1);
  }
  x = b.conv("huge", x, 2048, 1);
  const Network net = b.finish();
  MapperCache cache;
  const NetworkMapping latency = estimate_network(net, hw, &cache, Execution::Pipelined, CyclesOf::Cold);
  const NetworkMapping throughput = estimate_network(net, hw, &cache, Execution::Pipelined, CyclesOf::Steady);
  const MappedLayer& huge = latency.layers.back();
  ASSERT_LT(huge.stack_first, 0);  // it runs alone
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  // For latency its fastest plan fills its arrays, and no stack's weights can stay.
  EXPECT_EQ(weight_need(huge.plan), cap);
  EXPECT_EQ(latency.resident_bytes, 0);
  EXPECT_EQ(latency.analytical_steady_cycles, latency.analytical_cycles);
  // For throughput it gives up some speed for room, and stacks' weights stay beside it.
  const MappedLayer& within = throughput.layers.back();
  EXPECT_LT(weight_need(within.plan), cap);
  EXPECT_GE(within.cost.cycles, huge.cost.cycles);
  EXPECT_GT(throughput.resident_bytes, 0);
  EXPECT_LT(throughput.analytical_steady_cycles, latency.analytical_steady_cycles);
  // The program holds it (validate() proves the arrays' capacity) and SystemC agrees it is faster.
  const test::Simulated fast = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Steady);
  ASSERT_TRUE(fast.result.ok());
  EXPECT_NO_THROW(validate(fast.mapping.program, hw));
  const test::Simulated slow = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Cold);
  ASSERT_TRUE(slow.result.ok());
  std::printf("bottlenecks + huge: steady %lld simulated (%lld estimated) for throughput, %lld (%lld) for latency\n",
              static_cast<long long>(fast.mapping.sim_steady_cycles),
              static_cast<long long>(fast.mapping.analytical_steady_cycles),
              static_cast<long long>(slow.mapping.sim_steady_cycles),
              static_cast<long long>(slow.mapping.analytical_steady_cycles));
  EXPECT_LT(fast.mapping.sim_steady_cycles, slow.mapping.sim_steady_cycles);
}

}  // namespace
}  // namespace cimnet
