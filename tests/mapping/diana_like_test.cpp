// The shipped DIANA-like scenario (scenarios/experiments/diana-like.yaml; docs/heterogeneous.md, "The
// DIANA-like scenario"): no CiM arrays, an analog macro and a 16 × 16 digital core. Which core each
// MAC layer of ResNet-18 and of OFA-MobileNetV3 (deployed at 2-bit weights and 7-bit activations inside)
// goes to, why, and the analytical model against the SystemC model. Also: a design without CiM arrays
// refuses a layer no core can run, naming the layer and each core's reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "common/error.hpp"
#include "config/scenario.hpp"
#include "sim_support.hpp"
#include "tests/support/test_support.hpp"
#include "workloads/inner_precision.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

Scenario diana_like_scenario() {
  return load_scenario((test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
}
HardwareConfig diana_like() { return diana_like_scenario().hardware.reference_config(); }

std::string core_of(const MappedLayer& ml, const HardwareConfig& hw) {
  return ml.digital < 0 ? "arrays" : hw.digital_cores[static_cast<std::size_t>(ml.digital)].name;
}

struct Agreement {
  double network = 0, median = 0, worst_mac = 0;
};

// |estimate − simulated| ÷ simulated: the network's, the median layer's, the worst MAC layer's.
Agreement agreement(const test::Simulated& s, const Network& net) {
  Agreement a;
  std::vector<double> errors;
  for (const MappedLayer& ml : s.mapping.layers) {
    const double e = std::abs(static_cast<double>(ml.cost.cycles - ml.sim_cycles)) /
                     static_cast<double>(std::max<std::int64_t>(1, ml.sim_cycles));
    errors.push_back(e);
    if (net.layers[static_cast<std::size_t>(ml.index)].is_mac_layer()) a.worst_mac = std::max(a.worst_mac, e);
  }
  std::sort(errors.begin(), errors.end());
  a.median = errors[errors.size() / 2];
  a.network = std::abs(static_cast<double>(s.mapping.analytical_cycles - s.result.total_cycles)) /
              static_cast<double>(s.result.total_cycles);
  std::printf("[diana-like] %s: estimate %lld, simulated %lld (%.2f %%); per layer median %.2f %%, worst MAC "
              "layer %.2f %%\n",
              net.name.c_str(), static_cast<long long>(s.mapping.analytical_cycles),
              static_cast<long long>(s.result.total_cycles), 100 * a.network, 100 * a.median, 100 * a.worst_mac);
  return a;
}

// The 8-bit first convolution and classifier cannot run on the ternary analog macro; every other
// convolution, ternary with 7-bit inputs, runs there: even the three 1 × 1 projections, whose 64–256
// rows of 1 152 leave most of the array idle, are faster than on 256 digital PEs.
TEST(DianaLike, ResNet18RunsItsTernaryConvolutionsOnTheAnalogMacro) {
  const HardwareConfig hw = diana_like();
  const Network net = load_network_file((test::source_dir() / "examples/networks/resnet18.yaml").string());
  const test::Simulated s = test::simulate_network(net, hw);
  ASSERT_TRUE(s.result.ok()) << s.result.message;
  for (const MappedLayer& ml : s.mapping.layers) {
    const Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
    if (!l.is_mac_layer()) continue;
    EXPECT_EQ(core_of(ml, hw), l.name == "conv1" || l.name == "fc" ? "digital" : "aimc") << l.name;
  }
  const Agreement a = agreement(s, net);
  // Every layer alone, digital or vector, is scheduled burst by burst as the model runs it: the
  // estimate is the simulation, layer by layer and in total.
  EXPECT_EQ(a.median, 0.0);
  EXPECT_EQ(a.worst_mac, 0.0);
  EXPECT_EQ(a.network, 0.0);
  // Golden: a change of the model's timing updates these on purpose.
  EXPECT_EQ(s.mapping.analytical_cycles, 1817976);
  EXPECT_EQ(s.result.total_cycles, 1817976);
}

// OFA-MobileNetV3's largest sub-network deployed as DIANA's networks are (the scenario's space:
// inner_precision 2/7): its
// depthwise convolutions use 9 of the analog macro's 1 152 rows and one of its 512 columns per group,
// so they go digital; so do the first convolution and the classifier (8-bit weights) and the pointwise
// layers with 16 input channels; the wider pointwise and squeeze-excite layers go to the macro.
TEST(DianaLike, OfaMobileNetV3KeepsItsDepthwiseLayersDigital) {
  const Scenario scenario = diana_like_scenario();
  const HardwareConfig hw = scenario.hardware.reference_config();
  const auto space = make_space(scenario.space, scenario.space_options);
  const Network net = space->build(space->largest());
  ASSERT_EQ(net.layers[1].output_bits, 7);  // deployed at 2/7 inside
  const test::Simulated s = test::simulate_network(net, hw);
  ASSERT_TRUE(s.result.ok()) << s.result.message;
  int analog = 0, depthwise = 0;
  for (const MappedLayer& ml : s.mapping.layers) {
    const Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
    if (!l.is_mac_layer()) continue;
    const bool dw = l.kind == LayerKind::Conv && l.groups > 1 && l.groups == l.in_channels;
    if (dw) {
      ++depthwise;
      EXPECT_EQ(core_of(ml, hw), "digital") << l.name;
    }
    if (l.name == "first_conv" || l.name == "classifier") {
      EXPECT_EQ(core_of(ml, hw), "digital") << l.name;
    }
    if (core_of(ml, hw) == "aimc") ++analog;
  }
  EXPECT_GT(depthwise, 10);
  EXPECT_GT(analog, 30);
  const Agreement a = agreement(s, net);
  EXPECT_EQ(a.median, 0.0);
  EXPECT_EQ(a.worst_mac, 0.0);
  EXPECT_EQ(a.network, 0.0);
  EXPECT_EQ(s.result.total_cycles, 15290760);
}

// Without CiM arrays a layer that no digital core can run is refused before any simulation, naming the
// layer and each core's reason.
TEST(DianaLike, ALayerNoCoreCanRunIsRefusedNamingEveryCore) {
  const HardwareConfig hw = diana_like();
  Network net = load_network_file((test::source_dir() / "examples/networks/resnet18.yaml").string());
  net.layers.front().weight_bits = 16;  // wider than either core takes
  const std::string e = test::input_error([&] { map_network(net, hw); });
  EXPECT_NE(e.find("layer 'conv1' can run on no core of this design"), std::string::npos) << e;
  EXPECT_NE(e.find("cim_arrays: false"), std::string::npos) << e;
  EXPECT_NE(e.find("digital core 'aimc' takes them at 2 bits"), std::string::npos) << e;
  EXPECT_NE(e.find("digital core 'digital' takes them at 2, 4, 8 bits"), std::string::npos) << e;
}

}  // namespace
}  // namespace cimnet
