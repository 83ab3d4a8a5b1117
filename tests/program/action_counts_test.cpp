// A program's action counts (program/action_counts.hpp) in closed form, op by op: a single transfer, a
// multicast (each link on the way once, every target array its write), a compute, reductions at L1 and
// at L2, a write-back and buffer moves. Their agreement with the SystemC model's own counters is
// tests/mapping/action_counts_sim_test.cpp.
#include <gtest/gtest.h>

#include "program/action_counts.hpp"

namespace cimnet {
namespace {

const HardwareConfig& reference() {
  static const HardwareConfig hw = HardwareSpace::defaults().reference_config();  // 8 L1 × 8 arrays
  return hw;
}

ActionCounts of(const Program& p, int op) { return count_actions(p.ops[static_cast<std::size_t>(op)], reference()); }

TEST(ActionCountsTest, ASingleTransferPaysEveryLevelOnItsWayOnce) {
  Program p;
  const ActionCounts c = of(p, p.load({0}, 1000));
  ActionCounts want;
  want.dram_read_bytes = want.l2_link_bytes = want.l1_link_bytes = want.array_write_bytes = 1000;
  EXPECT_EQ(c, want);
}

TEST(ActionCountsTest, AMulticastPaysEachLinkOnceAndEveryArrayItsWrite) {
  Program p;
  // Arrays 0 and 1 under L1 decoder 0, array 8 under decoder 1.
  const ActionCounts multi = of(p, p.stream({0, 1, 8}, 1000));
  EXPECT_EQ(multi.dram_read_bytes, 1000);
  EXPECT_EQ(multi.l2_link_bytes, 1000);
  EXPECT_EQ(multi.l1_link_bytes, 2000);
  EXPECT_EQ(multi.input_buffer_write_bytes, 3000);
  EXPECT_EQ(multi.input_buffer_read_bytes, 3000);
  EXPECT_EQ(multi.array_write_bytes, 0);  // a stream fills input buffers, not the weight cells
  const ActionCounts uni = of(p, p.load({0, 1, 8}, 1000, {}, false));
  EXPECT_EQ(uni.dram_read_bytes, 3000);
  EXPECT_EQ(uni.l2_link_bytes, 3000);
  EXPECT_EQ(uni.l1_link_bytes, 3000);
  EXPECT_EQ(uni.array_write_bytes, 3000);
  // From the global buffer: the same links, the buffer read instead of DRAM.
  const int from_gb = p.load({0, 1, 8}, 1000);
  p.ops[static_cast<std::size_t>(from_gb)].source = Place::GlobalBuffer;
  const ActionCounts gb = of(p, from_gb);
  EXPECT_EQ(gb.dram_read_bytes, 0);
  EXPECT_EQ(gb.gb_read_bytes, 1000);
  EXPECT_EQ(gb.l1_link_bytes, 2000);
}

TEST(ActionCountsTest, ComputeReductionsAndWriteBacks) {
  Program p;
  const ActionCounts compute = of(p, p.compute({3, 4}, 500, 100));
  EXPECT_EQ(compute.macs, 1000);
  EXPECT_EQ(compute.array_read_bytes, 200);
  EXPECT_EQ(compute.dram_read_bytes + compute.l1_link_bytes, 0);
  const ActionCounts at_l1 = of(p, p.reduce({0, 1}, 64, ReduceLevel::L1, 64));
  EXPECT_EQ(at_l1.array_read_bytes, 128);
  EXPECT_EQ(at_l1.l1_link_bytes, 128);
  EXPECT_EQ(at_l1.l2_link_bytes, 0);
  EXPECT_EQ(at_l1.reduce_bytes, 128);
  EXPECT_EQ(at_l1.l1_buffer_accumulate_bytes, 64);
  const ActionCounts at_l2 = of(p, p.reduce({0, 8}, 64, ReduceLevel::L2, 64));
  EXPECT_EQ(at_l2.l2_link_bytes, 128);
  EXPECT_EQ(at_l2.gb_accumulate_bytes, 64);
  const ActionCounts back = of(p, p.write_back({0, 1}, 32));
  EXPECT_EQ(back.array_read_bytes, 64);
  EXPECT_EQ(back.l1_link_bytes, 64);
  EXPECT_EQ(back.l2_link_bytes, 64);
  EXPECT_EQ(back.dram_write_bytes, 64);
  const ActionCounts vec = of(p, p.vector(300, 150, 100));
  EXPECT_EQ(vec.gb_read_bytes, 300);
  EXPECT_EQ(vec.gb_write_bytes, 100);
  EXPECT_EQ(vec.vector_ops, 150);
}

TEST(ActionCountsTest, MovesCrossTheL2LinkOnlyToOrFromAnL1Buffer) {
  Program p;
  const ActionCounts in = of(p, p.move(Place::Dram, Place::GlobalBuffer, 500));
  EXPECT_EQ(in.dram_read_bytes, 500);
  EXPECT_EQ(in.gb_write_bytes, 500);
  EXPECT_EQ(in.l2_link_bytes, 0);
  const ActionCounts out = of(p, p.move(Place::L1Buffer, Place::Dram, 200, {}, "", 2));
  EXPECT_EQ(out.l1_buffer_read_bytes, 200);
  EXPECT_EQ(out.l2_link_bytes, 200);
  EXPECT_EQ(out.dram_write_bytes, 200);
  // The whole program's counts are the sum of its ops'.
  ActionCounts sum;
  for (std::size_t i = 0; i < p.ops.size(); ++i) sum += of(p, static_cast<int>(i));
  EXPECT_EQ(count_actions(p, reference()), sum);
}

}  // namespace
}  // namespace cimnet
