// The variation operators: ranges, inheritance, mutation rates, bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/real_variation.hpp"

namespace {

using namespace cimnet::moo;
using cimnet::Rng;

TEST(CategoricalVariation, SamplesEveryChoiceUniformly) {
  const CategoricalVariation v({3, 1, 5});
  Rng rng(1);
  std::vector<std::vector<int>> counts = {std::vector<int>(3), std::vector<int>(1), std::vector<int>(5)};
  for (int i = 0; i < 15000; ++i) {
    const auto g = v.sample(rng);
    v.check(g);
    for (std::size_t k = 0; k < g.size(); ++k) ++counts[k][static_cast<std::size_t>(g[k])];
  }
  for (int c : counts[0]) EXPECT_NEAR(c, 5000, 300);
  for (int c : counts[2]) EXPECT_NEAR(c, 3000, 250);
}

TEST(CategoricalVariation, UniformCrossoverSwapsGenesBetweenChildren) {
  const CategoricalVariation v(std::vector<int>(40, 4), {1.0, -1.0});
  Rng rng(2);
  const std::vector<int> a(40, 0), b(40, 3);
  std::vector<int> c, d;
  v.crossover(a, b, c, d, rng);
  int from_a = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(c[i] + d[i], 3);  // one child's gene from each parent
    from_a += c[i] == 0;
  }
  EXPECT_GT(from_a, 5);
  EXPECT_LT(from_a, 35);
  const CategoricalVariation never(std::vector<int>(40, 4), {0.0, -1.0});
  never.crossover(a, b, c, d, rng);
  EXPECT_EQ(c, a);
  EXPECT_EQ(d, b);
}

TEST(CategoricalVariation, MutationRateIsOneOverTheMutableGenesAndAlwaysChangesTheGene) {
  // 10 genes, 2 of them fixed: rate 1/8 per mutable gene.
  std::vector<int> cards(10, 3);
  cards[2] = cards[7] = 1;
  const CategoricalVariation v(cards);
  EXPECT_DOUBLE_EQ(v.mutation_rate(), 1.0 / 8);
  Rng rng(3);
  int changed = 0;
  const int trials = 20000;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> g(10, 1);
    g[2] = g[7] = 0;
    v.mutate(g, rng);
    v.check(g);
    EXPECT_EQ(g[2], 0);
    EXPECT_EQ(g[7], 0);
    for (int x : g) changed += x == 2 || x == 0 ? 1 : 0;  // a mutated gene left the value 1
  }
  changed -= 2 * trials;  // the two fixed genes hold 0
  EXPECT_NEAR(static_cast<double>(changed) / (8.0 * trials), 1.0 / 8, 0.005);
}

TEST(CategoricalVariation, RejectsMalformedGenomesAndOptions) {
  const CategoricalVariation v({2, 3});
  EXPECT_THROW(v.check({0}), cimnet::InputError);
  EXPECT_THROW(v.check({0, 3}), cimnet::InputError);
  EXPECT_THROW(v.check({-1, 0}), cimnet::InputError);
  EXPECT_NO_THROW(v.check({1, 2}));
  EXPECT_THROW(CategoricalVariation({}), cimnet::InputError);
  EXPECT_THROW(CategoricalVariation({2, 0}), cimnet::InputError);
  EXPECT_THROW(CategoricalVariation({2}, {1.5, -1.0}), cimnet::InputError);
}

TEST(RealVariation, ChildrenStayInBoundsAndSbxIsCentredOnTheParents) {
  const std::vector<double> low(20, -1.0), high(20, 2.0);
  const RealVariation v(low, high);
  Rng rng(4);
  double drift = 0.0;
  int moved = 0;
  for (int t = 0; t < 2000; ++t) {
    const auto a = v.sample(rng), b = v.sample(rng);
    std::vector<double> c, d;
    v.crossover(a, b, c, d, rng);
    v.mutate(c, rng);
    v.check(c);
    v.check(d);
    for (std::size_t i = 0; i < a.size(); ++i) {
      drift += (c[i] + d[i]) - (a[i] + b[i]);
      moved += d[i] != b[i] && d[i] != a[i];
    }
  }
  // SBX spreads symmetrically about the parents' mean (exactly so away from the bounds).
  EXPECT_LT(std::fabs(drift / (2000.0 * 20)), 0.02);
  EXPECT_GT(moved, 2000 * 20 * 0.9 * 0.5 * 0.9);  // crossover 0.9, each variable with ½
}

TEST(RealVariation, PolynomialMutationRateAndSpread) {
  const RealVariation v(std::vector<double>(10, 0.0), std::vector<double>(10, 1.0));
  Rng rng(5);
  int changed = 0;
  double total_step = 0.0;
  for (int t = 0; t < 20000; ++t) {
    std::vector<double> g(10, 0.5), h = g;
    v.mutate(h, rng);
    for (std::size_t i = 0; i < g.size(); ++i)
      if (h[i] != g[i]) {
        ++changed;
        total_step += std::fabs(h[i] - g[i]);
      }
  }
  EXPECT_NEAR(changed / (20000.0 * 10), 0.1, 0.005);
  // eta 20 keeps steps small: mean |Δ| ≈ 1/(eta+2) of the range for a central value.
  EXPECT_NEAR(total_step / changed, 1.0 / 22, 0.01);
}

TEST(RealVariation, RejectsBadBoundsAndGenomes) {
  EXPECT_THROW(RealVariation({0.0}, {}), cimnet::InputError);
  EXPECT_THROW(RealVariation({1.0}, {0.0}), cimnet::InputError);
  const RealVariation v({0.0, 0.0}, {1.0, 1.0});
  EXPECT_THROW(v.check({0.5}), cimnet::InputError);
  EXPECT_THROW(v.check({0.5, 1.5}), cimnet::InputError);
}

}  // namespace
