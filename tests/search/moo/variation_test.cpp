// The variation operators: ranges, inheritance, mutation rates, bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/real_variation.hpp"
#include "search/moo/rounded_real_variation.hpp"

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

// DyNAS-T's operators on a 3-choice gene: polynomial mutation (eta 20) moves the real value by less
// than half an index almost always, so rounding undoes it. From the middle choice, a mutated gene
// changes index with probability 2 · (0.75^21 − 0.5^21) / (2 (1 − 0.5^21)) ≈ 0.24 %.
TEST(RoundedRealVariation, PolynomialMutationRarelyChangesAnIndex) {
  RoundedRealOptions always;
  always.offspring_mutation_probability = 1.0;
  const RoundedRealVariation one_gene({3}, always);  // per-gene rate min(1/2, 1/1) = 1/2
  Rng rng(11);
  const int trials = 400000;
  int changed = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> g = {1};
    one_gene.mutate(g, rng);
    one_gene.check(g);
    changed += g[0] != 1;
  }
  const double per_mutation = (std::pow(0.75, 21) - std::pow(0.5, 21)) / (1 - std::pow(0.5, 21));
  const double expected = trials * 0.5 * per_mutation;  // ≈ 475
  EXPECT_NEAR(changed, expected, 4 * std::sqrt(expected));

  // DyNAS-T's setting on a 53-gene joint genome: 2 % of offspring mutated, about one gene each.
  const RoundedRealVariation dynast(std::vector<int>(53, 3));
  int offspring_changed = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> g(53, 1);
    dynast.mutate(g, rng);
    offspring_changed += g != std::vector<int>(53, 1);
  }
  EXPECT_LT(offspring_changed, trials / 2000) << "under 0.05 % of offspring change at all";
  // cimnet's categorical mutation changes about 1 − (1 − 1/53)^53 ≈ 63 % of them.
  const CategoricalVariation categorical(std::vector<int>(53, 3));
  int categorical_changed = 0;
  for (int t = 0; t < 20000; ++t) {
    std::vector<int> g(53, 1);
    categorical.mutate(g, rng);
    categorical_changed += g != std::vector<int>(53, 1);
  }
  EXPECT_NEAR(categorical_changed / 20000.0, 1 - std::pow(1 - 1.0 / 53, 53), 0.015);
}

// SBX leaves a gene alone where the parents agree, so crossover can never bring back a choice that
// the population has lost; children are whole indices within range.
TEST(RoundedRealVariation, CrossoverCannotRestoreALostChoice) {
  RoundedRealOptions o;
  o.crossover_probability = 1.0;
  const RoundedRealVariation v(std::vector<int>(20, 4), o);
  Rng rng(12);
  std::vector<int> a(20, 0), b(20, 0);
  for (std::size_t i = 10; i < 20; ++i) b[i] = 3;  // genes 0-9 agree on choice 0
  std::vector<int> c, d;
  int moved = 0;
  for (int t = 0; t < 2000; ++t) {
    v.crossover(a, b, c, d, rng);
    v.check(c);
    v.check(d);
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(c[i], 0);
      EXPECT_EQ(d[i], 0);
    }
    for (std::size_t i = 10; i < 20; ++i) moved += c[i] != a[i] && c[i] != b[i];
  }
  EXPECT_GT(moved, 0) << "where parents differ, SBX produces values between and beyond them";
  EXPECT_THROW(v.check(std::vector<int>(20, 4)), cimnet::InputError);
  EXPECT_THROW(v.check(std::vector<int>(19, 0)), cimnet::InputError);
}

}  // namespace
