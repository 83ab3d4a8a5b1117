#include "predict/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/random.hpp"

namespace cimnet {
namespace {

Eigen::VectorXd v(std::initializer_list<double> values) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) out[i++] = x;
  return out;
}

// Definition of τ-b by all pairs, for comparison with the O(n log n) implementation.
double brute_force_tau_b(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  double concordant = 0, discordant = 0, ties_x = 0, ties_y = 0, pairs = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    for (Eigen::Index j = i + 1; j < x.size(); ++j) {
      ++pairs;
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0) ++ties_x;
      if (dy == 0) ++ties_y;
      if (dx * dy > 0) ++concordant;
      if (dx * dy < 0) ++discordant;
    }
  }
  return (concordant - discordant) / std::sqrt((pairs - ties_x) * (pairs - ties_y));
}

TEST(Metrics, PerfectAndReversedRankings) {
  const auto x = v({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(kendall_tau(x, v({10, 20, 30, 40, 50})), 1.0);
  EXPECT_DOUBLE_EQ(kendall_tau(x, v({5, 4, 3, 2, 1})), -1.0);
  EXPECT_DOUBLE_EQ(spearman_rho(x, v({1, 4, 9, 16, 25})), 1.0);
  EXPECT_DOUBLE_EQ(spearman_rho(x, v({5, 4, 3, 2, 1})), -1.0);
  EXPECT_NEAR(pearson_r(x, v({2, 4, 6, 8, 10})), 1.0, 1e-15);
  EXPECT_NEAR(pearson_r(x, v({5, 4, 3, 2, 1})), -1.0, 1e-15);
}

TEST(Metrics, HandComputedWithTies) {
  // Pairs of x = 1,2,2,3 and y = 1,3,2,4: 5 concordant, 0 discordant, one pair tied in x only.
  // τ-b = 5 / sqrt((6 − 1)(6 − 0)).
  EXPECT_NEAR(kendall_tau(v({1, 2, 2, 3}), v({1, 3, 2, 4})), 5.0 / std::sqrt(30.0), 1e-15);
  // Ties on both sides: x = 1,1,2,3, y = 1,2,2,3. Pairs: (12) tie x, (13) C, (14) C, (23) tie y, (24) C,
  // (34) C → 4 / sqrt(5·5).
  EXPECT_NEAR(kendall_tau(v({1, 1, 2, 3}), v({1, 2, 2, 3})), 0.8, 1e-15);
  // A pair tied in both counts in neither denominator term: x = 1,1,2, y = 5,5,6 → 2 / sqrt(2·2).
  EXPECT_NEAR(kendall_tau(v({1, 1, 2}), v({5, 5, 6})), 1.0, 1e-15);
  EXPECT_EQ(average_ranks(v({10, 20, 20, 30})), v({1, 2.5, 2.5, 4}));
  EXPECT_EQ(average_ranks(v({3, 3, 3})), v({2, 2, 2}));
  // Spearman of x = 1,2,2,3 against y = 1,3,2,4: Pearson of ranks (1,2.5,2.5,4) and (1,3,2,4).
  const double rho = spearman_rho(v({1, 2, 2, 3}), v({1, 3, 2, 4}));
  EXPECT_NEAR(rho, 4.5 / std::sqrt(4.5 * 5.0), 1e-15);
  // Pearson by hand: x = 1,2,3, y = 1,3,2: cov 1, var 2 and 2 → 0.5.
  EXPECT_NEAR(pearson_r(v({1, 2, 3}), v({1, 3, 2})), 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(mape(v({100, 200}), v({110, 190})), 7.5);
  EXPECT_DOUBLE_EQ(rmse(v({1, 2}), v({11, -8})), 10.0);
  EXPECT_TRUE(std::isinf(mape(v({0, 1}), v({1, 1}))));
}

TEST(Metrics, DegenerateInputsGiveZero) {
  EXPECT_EQ(kendall_tau(v({1}), v({2})), 0.0);
  EXPECT_EQ(kendall_tau(v({1, 1, 1}), v({1, 2, 3})), 0.0);
  EXPECT_EQ(pearson_r(v({1, 2, 3}), v({4, 4, 4})), 0.0);
  EXPECT_THROW(kendall_tau(v({1, 2}), v({1})), std::invalid_argument);
}

TEST(Metrics, FastKendallMatchesThePairDefinition) {
  Rng rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::Index n = 2 + static_cast<Eigen::Index>(rng.uniform_int(300));
    Eigen::VectorXd x(n), y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      x[i] = static_cast<double>(rng.uniform_int(trial % 2 ? 5 : 1000));  // many ties on odd trials
      y[i] = static_cast<double>(rng.uniform_int(7)) + 0.1 * x[i];
    }
    EXPECT_NEAR(kendall_tau(x, y), brute_force_tau_b(x, y), 1e-12) << "trial " << trial;
  }
}

}  // namespace
}  // namespace cimnet
