#include <gtest/gtest.h>

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
