// The half_capacity axis (mapping.hpp): tiles of at most MA_mem_size / 2, so that a pass's weights
// load while the previous pass computes. The cost model follows it (cost_model.cpp,
// half_capacity_passes): a one-pass plan costs what its full-capacity twin does, a multi-pass one at
// most that, and a plan in passes gains by it (docs/mapping.md, "Half capacity").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/mapspace.hpp"
#include "mapping/program_builder.hpp"
#include "models/simulate.hpp"
#include "workloads/network_file.hpp"

namespace cimnet {
namespace {

std::int64_t simulated_cycles(const Plan& plan, const HardwareConfig& hw) {
  Program program;
  ProgramBuilder builder(hw, program);
  builder.add_mac_layer(plan, plan.view.layer, {});
  const SimResult r = simulate(program, hw);
  EXPECT_TRUE(r.ok()) << r.message;
  return r.total_cycles;
}

TEST(HalfCapacity, ItsPassesRunFasterThanTheTwinsAndTheEstimateFollows) {
  // A 7×7 depthwise convolution of OFA-MobileNetV3 (stage 2) on a design with two L1 decoders (found by
  // bench/half_capacity_probe, seed 5): its best plan in passes. (It was the mapper's best until each
  // plan was scored with its own traffic; one pass of eight tiles is now: docs/mapping.md.)
  const Network net = parse_network_yaml(
      "name: t\ninput: {channels: 120, height: 28, width: 28}\n"
      "layers:\n  - {name: dw, type: conv, kernel: 7, groups: depthwise}\n",
      "half_capacity_test");
  const Layer& layer = net.layers.front();
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const std::pair<HwParam, std::int64_t> values[] = {
      {HwParam::DRAM_bw, 64},     {HwParam::L2_bw, 512},         {HwParam::L1_bw, 64},
      {HwParam::L1_num_child, 2}, {HwParam::MA_bw, 128},         {HwParam::MA_num_child, 8},
      {HwParam::MA_mem_size, 131072}, {HwParam::MA_comp_per_core, 128}};
  for (const auto& [param, value] : values) hw.set(param, value);
  const LayerMapping lm = map_layer(layer, hw, 256);
  const auto in_passes = std::find_if(lm.best.begin(), lm.best.end(), [](const ScoredPlan& s) {
    return s.plan.passes >= 2 && s.plan.mapping.half_capacity;
  });
  ASSERT_NE(in_passes, lm.best.end());
  const ScoredPlan& best = *in_passes;
  const Plan& half = best.plan;
  ASSERT_GE(half.passes, 2) << half.mapping.summary();
  ASSERT_TRUE(half.mapping.half_capacity) << half.mapping.summary();
  Mapping twin = half.mapping;
  twin.half_capacity = false;
  const Plan full = make_plan(half.view, twin, hw);
  ASSERT_TRUE(full.feasible) << full.why;
  const std::int64_t full_estimate = estimate(full, hw, layer.macs()).cycles;
  EXPECT_LT(best.cost.cycles, full_estimate);
  const std::int64_t full_cycles = simulated_cycles(full, hw), half_cycles = simulated_cycles(half, hw);
  std::printf("[half_capacity] %s %s (%lld passes): %lld cycles (estimated %lld), with half_capacity %lld "
              "(estimated %lld)\n",
              layer.name.c_str(), full.mapping.summary().c_str(), static_cast<long long>(full.passes),
              static_cast<long long>(full_cycles), static_cast<long long>(full_estimate),
              static_cast<long long>(half_cycles), static_cast<long long>(best.cost.cycles));
  EXPECT_LT(half_cycles, full_cycles);
  // The estimate sees the gain (figures of 2026-12-07, night; a timing change updates them on purpose).
  EXPECT_EQ(full_cycles, 3551);
  EXPECT_EQ(half_cycles, 3496);
  EXPECT_EQ(full_estimate, 3403);
  EXPECT_EQ(best.cost.cycles, 3346);
}

TEST(HalfCapacity, NeverEstimatedSlowerThanItsTwinAndEqualInOnePass) {
  // Every feasible half_capacity plan of a few layers on three designs against its full-capacity twin:
  // its later passes load under the previous one, which can only take time off (cost_model.hpp).
  const Network net = parse_network_yaml(
      "name: t\ninput: {channels: 96, height: 28, width: 28}\n"
      "layers:\n  - {name: pw, type: conv, kernel: 1, out_channels: 384}\n"
      "  - {name: dw, type: conv, kernel: 5, groups: depthwise}\n"
      "  - {name: conv, type: conv, kernel: 3, out_channels: 128}\n",
      "half_capacity_test");
  const HardwareSpace hs = HardwareSpace::defaults();
  int multi_pass = 0, faster = 0;
  for (std::int64_t arrays : {2, 4, 16}) {
    HardwareConfig hw = hs.reference_config();
    hw.set(HwParam::L1_num_child, 2);
    hw.set(HwParam::MA_num_child, arrays / 2 > 0 ? arrays / 2 : 1);
    hw.set(HwParam::MA_mem_size, 65536);
    for (const Layer& layer : net.layers) {
      const MapSpace space(gemm_view(layer), hw);
      space.enumerate([&](const Plan& p, bool) {
        if (!p.mapping.half_capacity) return;
        Mapping m = p.mapping;
        m.half_capacity = false;
        const Plan twin = make_plan(p.view, m, hw);
        ASSERT_TRUE(twin.feasible);
        const std::int64_t h = estimate(p, hw, layer.macs()).cycles, f = estimate(twin, hw, layer.macs()).cycles;
        if (p.passes == 1) {
          EXPECT_EQ(h, f) << layer.name << " " << p.mapping.summary();
        } else {
          EXPECT_LE(h, f) << layer.name << " " << p.mapping.summary();
          ++multi_pass;
          faster += h < f;
        }
      });
    }
  }
  std::printf("[half_capacity] %d multi-pass plans, %d estimated faster than their twins\n", multi_pass, faster);
  EXPECT_GT(multi_pass, 100);
  EXPECT_GT(faster, multi_pass / 2);
}

}  // namespace
}  // namespace cimnet
