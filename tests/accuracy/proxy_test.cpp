// The published-points proxy: monotone in MACs, close to its anchors, and always labelled a proxy.
#include "accuracy/proxy_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

TEST(Proxy, FitRecoversAKnownSaturatingCurve) {
  std::vector<AnchorPoint> points;
  for (double m : {0.5, 1.0, 2.0, 4.0, 8.0}) points.push_back({m, 82.0 - 3.0 * std::pow(m, -0.7), "synthetic"});
  const SaturatingCurve c = fit_saturating(points);
  EXPECT_NEAR(c.a, 82.0, 1e-2);
  EXPECT_NEAR(c.b, 3.0, 1e-2);
  EXPECT_NEAR(c.c, 0.7, 2e-3);
}

TEST(Proxy, StaysNearItsPublishedAnchors) {
  for (const char* name : {"ofa-resnet50", "vit-b16"}) {
    const auto anchors = proxy_anchors(name);
    ASSERT_GE(anchors.size(), 3u);
    const SaturatingCurve c = fit_saturating(anchors);
    for (const auto& p : anchors) EXPECT_NEAR(c(p.gmacs), p.top1, 0.5) << name << " at " << p.gmacs << " GMACs";
  }
  EXPECT_FALSE(has_proxy("ofa-mbv3"));
}

TEST(Proxy, IsMonotoneInMacsAndLabelledAProxy) {
  for (const char* name : {"ofa-resnet50", "vit-b16"}) {
    SCOPED_TRACE(name);
    const auto space = make_space(name);
    ProxyAccuracySource proxy(*space);
    EXPECT_TRUE(proxy.is_proxy());
    EXPECT_EQ(proxy.label().rfind("PROXY", 0), 0u) << proxy.label();
    EXPECT_NE(proxy.label().find("not a measurement"), std::string::npos);
    Rng rng(3);
    std::vector<Genome> genomes = {space->smallest(), space->largest()};
    for (int i = 0; i < 60; ++i) genomes.push_back(space->sample(rng));
    const std::vector<double> acc = proxy.top1(genomes);
    std::vector<std::pair<std::int64_t, double>> by_macs;
    for (std::size_t i = 0; i < genomes.size(); ++i) by_macs.emplace_back(space->build(genomes[i]).total_macs(), acc[i]);
    std::sort(by_macs.begin(), by_macs.end());
    for (std::size_t i = 1; i < by_macs.size(); ++i) {
      if (by_macs[i].first > by_macs[i - 1].first) {
        EXPECT_GT(by_macs[i].second, by_macs[i - 1].second);
      }
    }
    // Plausible ImageNet top-1 over the whole space, the largest sub-network best.
    EXPECT_GT(acc[0], 70.0);
    EXPECT_LT(acc[1], 83.0);
    EXPECT_EQ(*std::max_element(acc.begin(), acc.end()), acc[1]);
  }
  const auto vit = make_space("vit-b16");
  EXPECT_NEAR(ProxyAccuracySource(*vit).top1(vit->largest()), 81.1, 0.2);  // the documented anchor
}

TEST(Proxy, SpacesWithoutAProxyAreRefused) {
  const auto space = make_space("ofa-mbv3");
  const std::string e = test::input_error([&] { ProxyAccuracySource p(*space); });
  EXPECT_NE(e.find("no accuracy proxy for space 'ofa-mbv3'"), std::string::npos) << e;
}

}  // namespace
}  // namespace cimnet
