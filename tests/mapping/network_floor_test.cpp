// The physical floor of a warm inference (mapping/network_floor.hpp): its terms in closed form, and no
// simulated steady inference below it under either policy.
#include <gtest/gtest.h>

#include "mapping/network_floor.hpp"
#include "sim_support.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

Network conv_relu() {
  NetworkBuilder b("conv-relu", Tensor{-1, 1, 64, 28, 28});
  Tensor x = b.conv("conv", b.input(), 64, 3);
  b.activation("relu", x, ActivationOp::ReLU);
  return b.finish();
}

TEST(NetworkFloor, ClosedFormOfAConvAndItsRelu) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = conv_relu();
  const NetworkFloor f = network_floor(net, hw);
  // 64·64·9 MACs per position, 28·28 positions, 4 096 MAC/cycle.
  EXPECT_EQ(f.compute_cycles, (64 * 64 * 9 * 28 * 28 + 4095) / 4096);
  // The input (64·28·28 bytes) in, the ReLU's output out; the conv's output (50 176 B) fits on chip;
  // 36 KiB of weights fit the arrays.
  EXPECT_EQ(f.io_bytes, 2 * 64 * 28 * 28);
  EXPECT_EQ(f.weight_bytes, 0);
  EXPECT_EQ(f.spill_bytes, 0);
  EXPECT_EQ(f.dram_cycles, (2 * 64 * 28 * 28 + 63) / 64);
  EXPECT_EQ(f.cycles(), f.compute_cycles);
  // With a global buffer of 16 KiB and the activations in it alone, the conv's output spills its
  // excess out and back.
  HardwareConfig small = hw;
  small.fixed.gb_bytes = 16384;
  EXPECT_EQ(network_floor(net, small, true).spill_bytes, 2 * (64 * 28 * 28 - 16384));
  EXPECT_EQ(network_floor(net, small).spill_bytes, 0);  // the arrays' free capacity would hold it
}

TEST(NetworkFloor, WeightsBeyondTheArraysLoadEveryInference) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const auto space = make_space("ofa-resnet50");
  const Network net = space->build(space->largest());
  const NetworkFloor f = network_floor(net, hw);
  EXPECT_EQ(f.weight_bytes, net.total_weight_bytes() - hw.total_capacity_bytes());
}

// No run, cold or warm, under either policy, goes below the floor.
TEST(NetworkFloor, NoSimulatedSteadyInferenceBeatsIt) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const auto space = make_space("ofa-mbv3");
  for (const Network& net : {conv_relu(), space->build(space->smallest())}) {
    const std::int64_t floor = network_floor(net, hw).cycles();
    for (Execution e : {Execution::LayerByLayer, Execution::Fused}) {
      const auto s = test::simulate_network(net, hw, e);
      ASSERT_TRUE(s.result.ok());
      EXPECT_GE(s.mapping.sim_steady_cycles, floor) << net.name << " " << to_string(e);
      EXPECT_GE(s.mapping.sim_cold_cycles, s.mapping.sim_steady_cycles) << net.name << " " << to_string(e);
    }
  }
}

}  // namespace
}  // namespace cimnet
