// The program's action counts (program/action_counts.hpp) against what the SystemC model's resources
// counted over the same run: the bytes at DRAM, over the L2 and L1 links, at the global buffer and
// through the arrays' ports agree exactly, under every execution policy. (A reduction unit's results are
// written beside its buffer's port, not through it: the counts keep them apart, as accumulate bytes.)
#include <gtest/gtest.h>


#include "mapping/network_mapper.hpp"
#include "program/action_counts.hpp"
#include "tests/mapping/sim_support.hpp"
#include "tests/support/small_networks.hpp"

namespace cimnet {
namespace {

std::int64_t at(const SimResult& r, const std::string& key) {
  const auto it = r.bytes.find(key);
  return it == r.bytes.end() ? 0 : it->second;
}

// Two inverted-residual blocks on the reference design and on small arrays (whose layers split their
// reductions, so partial sums travel up to a reduction unit), under each policy.
TEST(ActionCountsAgainstSystemC, EveryLevelsBytesAgree) {
  HardwareConfig small = HardwareSpace::defaults().reference_config();
  small.set(HwParam::MA_mem_size, 8192);
  small.set(HwParam::MA_num_child, 4);
  NetworkBuilder b("wide", Tensor{-1, 1, 1024, 7, 7});
  Tensor x = b.conv("reduce", b.input(), 256, 1);
  x = b.activation("relu", x, ActivationOp::ReLU);
  x = b.conv("conv", x, 256, 3);
  const Network wide = b.finish();
  const Network blocks = test::inverted_residual_blocks(2);
  for (const HardwareConfig& hw : {HardwareSpace::defaults().reference_config(), small}) {
    for (const Network* net : {&blocks, &wide}) {
      for (Execution e : {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined}) {
        const test::Simulated s = test::simulate_network(*net, hw, e);
        ASSERT_TRUE(s.result.ok());
        const ActionCounts c = count_actions(s.mapping.program, hw);
        const std::string where = net->name + " " + to_string(e) + " on " + hw.summary();
        EXPECT_EQ(c.dram_read_bytes, at(s.result, "dram.down")) << where;
        EXPECT_EQ(c.dram_write_bytes, at(s.result, "dram.up")) << where;
        EXPECT_EQ(c.l2_link_bytes, at(s.result, "l2.down") + at(s.result, "l2.up")) << where;
        EXPECT_EQ(c.l1_link_bytes, at(s.result, "l1.down") + at(s.result, "l1.up")) << where;
        EXPECT_EQ(c.gb_write_bytes, at(s.result, "gb.down")) << where;
        EXPECT_EQ(c.gb_read_bytes, at(s.result, "gb.up")) << where;
        EXPECT_EQ(c.l1_buffer_write_bytes, at(s.result, "l1buf.down")) << where;
        EXPECT_EQ(c.l1_buffer_read_bytes, at(s.result, "l1buf.up")) << where;
        EXPECT_EQ(c.array_write_bytes, at(s.result, "ma.down")) << where;
        EXPECT_EQ(c.array_read_bytes, at(s.result, "ma.up")) << where;
        EXPECT_EQ(c.reduce_bytes, at(s.result, "reduce.down") + at(s.result, "reduce.up")) << where;
      }
    }
  }
}

}  // namespace
}  // namespace cimnet
