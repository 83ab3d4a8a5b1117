// Cross-layer prefetch under `fused` (network_mapper.cpp): a step's first weights load while the
// previous step computes, when they fit beside what the arrays hold.
#include <gtest/gtest.h>

#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "sim_support.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// A (3×3 conv 256 → 512 at 14 × 14: long computation, 1.2 MB of weights) then B (3×3 conv 512 → 512,
// stride 2: 2.4 MB of weights, 36 864 cycles at 64 B/cycle, against 28 224 cycles of MACs).
Network a_then_b() {
  NetworkBuilder b("a-then-b", Tensor{-1, 1, 256, 14, 14});
  Tensor a = b.conv("A", b.input(), 512, 3);
  b.conv("B", a, 512, 3, 2);
  return b.finish();
}

// The estimate's closed form: with one weight slice, a head start of h cycles takes exactly
// min(h, the visible load) off the layer, down to the cycles with its weights resident.
TEST(Prefetch, AHeadStartTakesOffExactlyTheLoadItCovers) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = a_then_b();
  for (const Layer& l : net.layers) {
    Mapping one = map_layer(l, hw).best.front().plan.mapping;
    one.weight_slices = 1;
    one.first_tile_slices = false;
    const Plan p = make_plan(gemm_view(l), one, hw);
    ASSERT_TRUE(p.feasible);
    LayerIo warm;
    warm.weights = Weights::Resident;
    const std::int64_t cold = estimate(p, hw, l.macs()).cycles;
    const std::int64_t resident = estimate(p, hw, l.macs(), nullptr, nullptr, warm).cycles;
    ASSERT_LT(resident + 10000, cold) << l.name;  // a load worth hiding
    for (std::int64_t h : {0, 1000, 5000, 10000, 20000, 40000, 1000000}) {
      LayerIo io;
      io.prefetch = true;
      io.head_start = static_cast<double>(h);
      EXPECT_EQ(estimate(p, hw, l.macs(), nullptr, nullptr, io).cycles, std::max(cold - h, resident)) << l.name << " h " << h;
    }
  }
}

// In the SystemC model: B's loads start when A's are in (not when A ends), and since A computes
// longer than B loads, B then runs exactly as it does once warm, its weights resident: the load is
// hidden entirely.
TEST(Prefetch, ALoadCoveredByThePreviousComputationIsHiddenExactly) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const auto s = test::simulate_network(a_then_b(), hw, Execution::Fused);
  ASSERT_TRUE(s.result.ok());
  const MappedLayer& a = s.mapping.layers[0];
  const MappedLayer& b = s.mapping.layers[1];
  ASSERT_TRUE(b.prefetched);
  ASSERT_TRUE(a.resident && b.resident);  // both fit: the warm inference loads nothing
  std::int64_t a_loads_in = 0, b_first_load = -1, b_loads_in = 0;
  for (const auto& op : s.result.ops) {
    if (op.kind != "load") continue;
    if (op.id >= a.first_op && op.id < a.end_op) a_loads_in = std::max(a_loads_in, op.end);
    if (op.id >= b.first_op && op.id < b.end_op) {
      b_first_load = b_first_load < 0 ? op.start : std::min(b_first_load, op.start);
      b_loads_in = std::max(b_loads_in, op.end);
    }
  }
  EXPECT_GE(b_first_load, a_loads_in);
  EXPECT_LT(b_loads_in, a.sim_end);  // every byte of B's weights is in before A ends
  EXPECT_EQ(b.sim_cycles, b.sim_steady_cycles);
}

}  // namespace
}  // namespace cimnet
