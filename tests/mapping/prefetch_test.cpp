// Cross-layer prefetch under `fused` (network_mapper.cpp): a step's first weights load while the
// previous step computes, when they fit beside what the arrays hold.
#include <gtest/gtest.h>

#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/prefetch_head.hpp"
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

// The head start's closed form (prefetch_head.hpp): the window after the previous step's own loads,
// times the pace the prefetched loads keep on their tightest resource relative to alone.
TEST(Prefetch, TheHeadStartIsTheWindowAtThePaceOfTheTightestResource) {
  Cost previous;
  previous.cycles = 100000;
  previous.loads_in = 20000;  // its own loads are in after 20 000 cycles: an 80 000-cycle window
  previous.busy.dram = 60000;  // of which 40 000 its own loads
  previous.load_busy.dram = 40000;
  previous.busy.l1 = 90000;  // its busiest L1 link: 90 % busy, none of it loads
  ResourceBusy loads;        // the prefetched loads alone: DRAM-bound, 1/16 of that on any L1 link
  loads.dram = 32000;
  loads.l2 = 16000;
  loads.l1 = 2000;
  loads.port = 500;
  // DRAM idle 80 % (its own loads excluded): pace 0.8; the L1 link, idle 10 %, allows 0.1 · 32 000 ÷
  // 2 000 = 1.6 of alone: not the limit. 80 000 × 0.8.
  EXPECT_DOUBLE_EQ(prefetch_head_start(previous, true, loads), 64000.0);
  // The same link 99 % busy: 0.01 · 16 = 0.16 is the tightest.
  previous.busy.l1 = 99000;
  EXPECT_NEAR(prefetch_head_start(previous, true, loads), 80000.0 * 0.16, 1e-6);
  // A previous step that loads nothing: the window is all of it and all its DRAM traffic counts
  // (the 40 000 are then its streams: idle 40 %).
  previous.busy.l1 = 0;
  EXPECT_DOUBLE_EQ(prefetch_head_start(previous, false, loads), 100000.0 * 0.4);
  // Never faster than alone, never negative.
  previous.busy = ResourceBusy{};
  previous.load_busy = ResourceBusy{};
  EXPECT_DOUBLE_EQ(prefetch_head_start(previous, true, loads), 80000.0);
  previous.busy.dram = 150000;  // busier than long (the estimate caps nothing here): no idle share
  EXPECT_DOUBLE_EQ(prefetch_head_start(previous, false, loads), 0.0);
}

// The estimate's closed form: with one weight slice, a head start of h cycles takes exactly
// min(h, the visible load) off the layer, down to the cycles with its weights resident.
TEST(Prefetch, AHeadStartTakesOffExactlyTheLoadItCovers) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = a_then_b();
  for (const Layer& l : net.layers) {
    // A plan of one pass (prefetch loads a step's first pass) and one weight slice.
    Mapping one = map_layer_resident(l, hw).best.front().plan.mapping;
    ASSERT_EQ(one.weight_slices, 1);
    const Plan p = make_plan(gemm_view(l), one, hw);
    ASSERT_EQ(p.passes, 1);
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
