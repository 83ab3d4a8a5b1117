// The roofline of a layer run alone (mapping/roofline.hpp): closed forms on the reference design, and
// the fact it stands for — no simulated layer is ever faster than its roofline.
#include <gtest/gtest.h>

#include "mapping/network_mapper.hpp"
#include "mapping/roofline.hpp"
#include "tests/mapping/sim_support.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

Layer conv(const std::string& input, const std::string& layer) {
  return parse_network_yaml("name: t\ninput: " + input + "\nlayers:\n  - " + layer + "\n", "test").layers.front();
}

// ResNet-50's last-stage 3×3 conv (512 → 512 at 7 × 7), issue 14's example: 115 605 504 MACs at 4 096
// per cycle = 28 224 compute cycles; 2 359 296 weight bytes + 25 088 in + 25 088 out over 64 B/cycle
// = 37 648 DRAM cycles, the bound.
TEST(Roofline, ResNetLastStageConvIsBoundByItsWeightsOnTheDram) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Layer l = conv("{channels: 512, height: 7, width: 7}",
                       "{name: c, type: conv, out_channels: 512, kernel: 3, padding: 1}");
  const Roofline r = roofline(l, hw);
  EXPECT_DOUBLE_EQ(r.compute, 28224.0);
  EXPECT_DOUBLE_EQ(r.dram, 37648.0);
  EXPECT_DOUBLE_EQ(r.l2, (2359296.0 + 2 * 25088.0) / 256.0);
  EXPECT_DOUBLE_EQ(r.l1, (2359296.0 + 2 * 25088.0) / (128.0 * 8));
  EXPECT_DOUBLE_EQ(r.port, (2 * 2359296.0 + 25088.0) / (64.0 * 64));
  EXPECT_DOUBLE_EQ(r.cycles, 37648.0);
  EXPECT_STREQ(r.bound, "dram");
  // With the fixed latencies: the DRAM's last transfer completes a DRAM latency (100) after it is
  // served; compute + first operand in (100 + 4 + 2 + 1) + last output out (1 + 2 + 4 + 100) is less.
  EXPECT_DOUBLE_EQ(r.with_latency, 37748.0);
}

// The same layer with its data where `fused` may keep it: resident weights move not at all, an input
// and output in the global buffer cross no DRAM but still L2 and the L1 links; compute then bounds it.
TEST(Roofline, ResidentWeightsAndOnChipActivationsLeaveCompute) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Layer l = conv("{channels: 512, height: 7, width: 7}",
                       "{name: c, type: conv, out_channels: 512, kernel: 3, padding: 1}");
  RooflineIo where;
  where.weights_loaded = false;
  where.input_from_dram = false;
  where.output_to_dram = false;
  const Roofline r = roofline(l, hw, where);
  EXPECT_DOUBLE_EQ(r.dram, 0.0);
  EXPECT_DOUBLE_EQ(r.l2, 2 * 25088.0 / 256.0);
  EXPECT_DOUBLE_EQ(r.port, (2359296.0 + 25088.0) / (64.0 * 64));  // weights read once, outputs out
  EXPECT_DOUBLE_EQ(r.cycles, 28224.0);
  // Nothing crosses DRAM: the operands come from the global buffer (2) through L2, L1 and the array
  // (4 + 2 + 1), the outputs go back the same way.
  EXPECT_DOUBLE_EQ(r.with_latency, 28224.0 + 9 + 9);
  EXPECT_STREQ(r.bound, "compute");
  where.weights_loaded = true;  // loaded, activations on chip: the weights alone on the DRAM
  EXPECT_DOUBLE_EQ(roofline(l, hw, where).dram, 2359296.0 / 64.0);
}

// A physical lower bound: every MAC layer of the largest sub-networks, simulated alone in the network
// (layer by layer, so its cycles are its own), takes at least its roofline.
TEST(Roofline, NoSimulatedLayerBeatsItsRoofline) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (const std::string name : {"ofa-mbv3", "ofa-resnet50"}) {
    const auto space = make_space(name);
    const Network net = space->build(space->largest());
    const auto s = test::simulate_network(net, hw);
    ASSERT_TRUE(s.result.ok());
    for (const auto& ml : s.mapping.layers) {
      if (!ml.mac) continue;
      const Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
      EXPECT_GE(static_cast<double>(ml.sim_cycles), roofline(l, hw).cycles) << name << " " << l.name;
      // The latencies are a floor too: no layer beats the roofline with them.
      EXPECT_GE(static_cast<double>(ml.sim_cycles), roofline(l, hw).with_latency) << name << " " << l.name;
    }
  }
}

}  // namespace
}  // namespace cimnet
