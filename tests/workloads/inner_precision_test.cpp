// A network deployed at narrower precision between its first and last MAC layers
// (workloads/inner_precision.hpp): which layers change, and how their inputs follow their producers.
#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"
#include "workloads/inner_precision.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

TEST(InnerPrecision, TheFirstAndLastMacLayersKeepTheirsTheRestTakeIt) {
  const auto space = make_space("ofa-mbv3");
  const Network eight = space->build(space->largest());
  const Network inner = with_inner_precision(eight, parse_inner_precision("2/7", "--inner-precision"));
  ASSERT_EQ(inner.layers.size(), eight.layers.size());
  EXPECT_EQ(inner.total_macs(), eight.total_macs());
  EXPECT_EQ(inner.total_params(), eight.total_params());
  int first = -1, last = -1;
  for (std::size_t i = 0; i < inner.layers.size(); ++i) {
    if (!inner.layers[i].is_mac_layer()) continue;
    if (first < 0) first = static_cast<int>(i);
    last = static_cast<int>(i);
  }
  ASSERT_EQ(inner.layers[static_cast<std::size_t>(first)].name, "first_conv");
  ASSERT_EQ(inner.layers[static_cast<std::size_t>(last)].name, "classifier");
  for (std::size_t i = 0; i < inner.layers.size(); ++i) {
    const Layer& l = inner.layers[i];
    const int at = static_cast<int>(i);
    if (l.is_mac_layer()) {
      EXPECT_EQ(l.weight_bits, at == first || at == last ? 8 : 2) << l.name;
    }
    EXPECT_EQ(l.output_bits, at >= first && at < last ? 7 : 8) << l.name;
    if (!l.inputs.empty() && l.inputs.front() >= 0) {
      EXPECT_EQ(l.input_bits, inner.layers[static_cast<std::size_t>(l.inputs.front())].output_bits) << l.name;
    } else {
      EXPECT_EQ(l.input_bits, 8) << l.name;  // the image
    }
  }
  // Narrower activations and weights: fewer bytes, the same work.
  EXPECT_LT(inner.total_weight_bytes(), eight.total_weight_bytes());
}

// A space given the option builds every sub-network so (what a scenario's space: inner_precision does).
TEST(InnerPrecision, ASpaceBuildsItsSubNetworksAtIt) {
  SpaceOptions options;
  options.inner_precision = InnerPrecision{4, 6};
  const auto space = make_space("ofa-resnet50", options);
  const Network plain = make_space("ofa-resnet50")->build(space->largest());
  const Network inner = space->build(space->largest());
  EXPECT_EQ(inner.total_macs(), plain.total_macs());
  EXPECT_EQ(inner.layers[1].weight_bits, plain.layers[1].is_mac_layer() ? 4 : 8);
  EXPECT_EQ(inner.layers.front().output_bits, 6);
  EXPECT_EQ(inner.layers.back().weight_bits, 8);  // the classifier
  EXPECT_EQ(space->inner_precision().text(), "4/6");
}

TEST(InnerPrecision, BadTextNamesTheOptionAndTheForm) {
  for (const char* bad : {"2", "2/", "/7", "0/7", "2/33", "a/b", "2/7/1"}) {
    const std::string e = test::input_error([&] { parse_inner_precision(bad, "--inner-precision"); });
    EXPECT_NE(e.find("--inner-precision: expected WEIGHT_BITS/ACTIVATION_BITS in 1..32, e.g. 2/7"), std::string::npos)
        << bad << ": " << e;
  }
  EXPECT_EQ(parse_inner_precision("4/8", "x").text(), "4/8");
}

}  // namespace
}  // namespace cimnet
