// The model's bookkeeping grows with what is in flight, not with the whole program: a long program
// on many arrays keeps as many flow slots as flows ever ran at once and as many per-op resource
// accounts as the running ops use. Before, every flow and every op's account stayed to the end:
// memory ∝ program length × arrays, 3 GB-class runs on tens of thousands of arrays (issue 12, defect 4).
#include <gtest/gtest.h>

#include <systemc>

#include "models/context.hpp"
#include "models/top.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

TEST(ModelMemory, FlowSlotsAndAccountsDoNotGrowWithTheProgram) {
  test::Bw b;
  b.l1_num = 8;
  b.ma_num = 8;  // 64 arrays
  const HardwareConfig hw = test::make_hw(b);
  std::vector<int> all(64);
  for (int a = 0; a < 64; ++a) all[static_cast<std::size_t>(a)] = a;
  // 50 rounds, one after another: unicast weights into every array (64 flows), compute on every core,
  // free. No two rounds overlap.
  constexpr int kRounds = 50;
  Program p;
  std::vector<int> gate;
  for (int round = 0; round < kRounds; ++round) {
    const int l = p.load(all, 8192, gate, /*multicast=*/false);
    const int c = p.compute(all, 1 << 16, 8192, {l});  // MAC-bound: 1024 cycles against 256 of operand reads
    gate = {p.free(l, {c})};
  }
  validate(p, hw);
  model::ModelContext ctx(hw, false);
  ctx.set_op_count(p.ops.size());
  model::Top top("top", ctx, p);
  sc_core::sc_start();
  ASSERT_EQ(top.controller->error(), "");
  // One round's 64 load flows at most, whatever the number of rounds (was 50 × 64).
  EXPECT_EQ(top.controller->flow_slots(), 64u);
  // The largest op's accounts: a compute uses its 64 cores and the 64 array ports it reads operands
  // through. (A load uses DRAM, L2, 8 L1 links and 64 ports: 74.)
  EXPECT_EQ(ctx.accounts_peak(), 128u);
  // The bounds are still every op's own.
  std::int64_t cycles = 0;
  EXPECT_EQ(ctx.resources()[static_cast<std::size_t>(ctx.bound_of(1, &cycles))].kind(), "core");
  EXPECT_GT(cycles, 0);
  EXPECT_EQ(ctx.bound_of(2, &cycles), -1);  // a free reserves nothing
}

}  // namespace
}  // namespace cimnet
