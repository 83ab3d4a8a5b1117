#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "common/random.hpp"

using cimnet::Rng;

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, SeedZeroIsUsable) {
  Rng r(0);
  EXPECT_NE(r.next(), r.next());
}

TEST(Rng, UniformIntStaysInRangeAndIsRoughlyUniform) {
  Rng r(7);
  const int n = 3, draws = 30000;
  std::vector<int> counts(n);
  for (int i = 0; i < draws; ++i) {
    const auto v = r.uniform_int(n);
    ASSERT_LT(v, static_cast<std::uint64_t>(n));
    ++counts[v];
  }
  // Each bucket expects 10000 with sd ~82; 6 sd is a bound a correct generator never crosses.
  for (int c : counts) EXPECT_NEAR(c, draws / n, 500);
  EXPECT_EQ(r.uniform_int(1), 0u);
  EXPECT_THROW(r.uniform_int(0), std::invalid_argument);
}

TEST(Rng, Uniform01InUnitInterval) {
  Rng r(9);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

// The one shuffle (common/random.hpp) draws exactly what the three hand-written Fisher–Yates loops it
// replaced drew (cross-validation folds, learning-curve splits, NSGA-II tournaments), so no result
// changes: item i-1 swaps with uniform_int(i), from the back.
TEST(Rng, ShuffleIsTheFisherYatesTheCodeUsedBefore) {
  for (std::uint64_t seed : {0ULL, 1ULL, 7ULL, 123456789ULL}) {
    for (std::size_t n : {0u, 1u, 2u, 3u, 10u, 257u}) {
      Rng a(seed), b(seed);
      std::vector<std::size_t> expected(n);
      for (std::size_t i = 0; i < n; ++i) expected[i] = i;
      for (std::size_t i = n; i > 1; --i) std::swap(expected[i - 1], expected[a.uniform_int(i)]);
      EXPECT_EQ(cimnet::random_permutation(n, b), expected) << seed << " " << n;
      EXPECT_EQ(a.next(), b.next());  // and the generator is left in the same state
    }
  }
  Rng r(3);
  std::vector<int> v = {5, 6, 7, 8};
  cimnet::shuffle(v, r);
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{5, 6, 7, 8}));
}
