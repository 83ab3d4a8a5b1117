// Weight slices (mapping.hpp): a pass's weights load in slices, one load op after the other, and
// sub-pass j computes on slice j as soon as it is in. On one array with one input tile the semantics
// of docs/model.md give the layer's cycles in closed form, and the estimate and the SystemC model both
// equal it:
//
//   cycles = max over j of ( s + L + Σ_{i≤j} l_i + Σ_{i≥j} c_i ) + w
//
// s = the input tile's stream on the DRAM (it goes first there), L = the DRAM → array path latency
// (paid once: every slice is issued at once and the DRAM serves them one right after the other, in
// order), l_i = slice i's bytes on the DRAM
// (DRAM_bw, burst by burst), c_i = its compute command (MACs / MA_comp_per_core + core_pipeline) and
// w = the last slice's write-back (port → L1 → L2 → DRAM latencies, its bytes on the DRAM, the DRAM's
// latency). Load-bound, that is s + L + Σ l_i + c_{S−1} + w: the whole load, then one slice's
// computation; compute-bound, s + L + l_0 + Σ c_i + w: one slice's load, then the whole computation
// — max(load, compute) plus one slice, instead of load + compute without slices.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "mapping/cost_model.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/mapspace.hpp"
#include "mapping/program_builder.hpp"
#include "models/simulate.hpp"
#include "workloads/network_file.hpp"

namespace cimnet {
namespace {

std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One array (1 × 1), DRAM at 16 B/cycle, the array port at 128.
HardwareConfig one_array(std::int64_t comp) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::DRAM_bw, 16);
  hw.set(HwParam::L2_bw, 256);
  hw.set(HwParam::L1_bw, 128);
  hw.set(HwParam::L1_num_child, 1);
  hw.set(HwParam::MA_bw, 128);
  hw.set(HwParam::MA_num_child, 1);
  hw.set(HwParam::MA_mem_size, 64 * 1024);
  hw.set(HwParam::MA_comp_per_core, comp);
  return hw;
}

// A linear layer of 1024 → 16 features on `tokens` tokens: 16 KiB of weights, 16 output columns.
Layer linear(int tokens) {
  return parse_network_yaml("name: t\ninput: {tokens: " + std::to_string(tokens) +
                                ", features: 1024}\nlayers:\n  - {name: fc, type: linear, out_features: 16}\n",
                            "test")
      .layers.front();
}

struct Cycles {
  std::int64_t closed_form, estimate, simulated;
  std::int64_t s, path, w;  // the closed form's terms (see the top)
};

Cycles run(int tokens, std::int64_t comp, std::int64_t slices) {
  const HardwareConfig hw = one_array(comp);
  const Layer layer = linear(tokens);
  Mapping m;
  m.weight_slices = slices;
  const Plan plan = make_plan(gemm_view(layer), m, hw);
  EXPECT_TRUE(plan.feasible) << plan.why;
  EXPECT_EQ(plan.passes, 1);
  EXPECT_EQ(plan.mapping.tiles, 1);
  EXPECT_FALSE(plan.staged);
  Program program;
  ProgramBuilder(hw, program).add_mac_layer(plan, layer.name, {});
  const SimResult r = simulate(program, hw);
  EXPECT_TRUE(r.ok()) << r.message;
  // The closed form, from the hardware's parameters.
  const auto& f = hw.fixed;
  const std::int64_t dram = hw.get(HwParam::DRAM_bw);
  auto on_dram = [&](std::int64_t bytes) {  // burst by burst
    return (bytes / f.burst_bytes) * cdiv(f.burst_bytes, dram) + cdiv(bytes % f.burst_bytes, dram);
  };
  const std::int64_t path = f.dram_latency + f.l2_latency + f.l1_latency + f.ma_latency;
  const std::int64_t s = on_dram(static_cast<std::int64_t>(tokens) * 1024);
  std::int64_t best = 0;
  for (std::int64_t j = 0; j < slices; ++j) {
    std::int64_t t = s + path;
    for (std::int64_t i = 0; i <= j; ++i) t += on_dram(plan.slice(i).bytes);
    for (std::int64_t i = j; i < slices; ++i) t += cdiv(plan.slice(i).macs, comp) + f.core_pipeline;
    best = std::max(best, t);
  }
  const std::int64_t last_out = plan.slice(slices - 1).out_bytes;
  const std::int64_t w = f.ma_latency + f.l1_latency + f.l2_latency + on_dram(last_out) + f.dram_latency;
  return {best + w, estimate(plan, hw, layer.macs()).cycles, r.total_cycles, s, path, w};
}

TEST(WeightSlices, LoadBoundLayerFinishesOneSliceOfComputeAfterItsLoad) {
  // One token at 64 MAC/cycle: a slice of c columns (1024·c bytes) takes 64·c cycles on the DRAM and
  // computes in 16·c + 4.
  for (std::int64_t slices : {1, 2, 4, 8, 16}) {
    const Cycles r = run(1, 64, slices);
    EXPECT_EQ(r.simulated, r.closed_form) << slices << " slices";
    EXPECT_EQ(r.estimate, r.closed_form) << slices << " slices";
    // s + L + Σ l_i + c_{S−1} + w: every slice's load (16 KiB in all) after one path latency, then
    // the computation of the last slice's 16 / S columns.
    EXPECT_EQ(r.simulated, r.s + r.path + 16384 / 16 + (16 * (16 / slices) + 4) + r.w) << slices;
  }
}

TEST(WeightSlices, ComputeBoundLayerFinishesOneSliceOfLoadAfterItsCompute) {
  // Eight tokens at 16 MAC/cycle: a slice of c columns takes 64·c cycles on the DRAM, computes in
  // 512·c + 4.
  for (std::int64_t slices : {1, 2, 4, 8, 16}) {
    const Cycles r = run(8, 16, slices);
    EXPECT_EQ(r.simulated, r.closed_form) << slices << " slices";
    EXPECT_EQ(r.estimate, r.closed_form) << slices << " slices";
    // s + L + l_0 + Σ c_i + w: the first slice's load, then the whole computation (a pipeline fill
    // per slice).
    EXPECT_EQ(r.simulated, r.s + r.path + 64 * (16 / slices) + (512 * 16 + 4 * slices) + r.w) << slices;
  }
}

}  // namespace
}  // namespace cimnet
