// Dominance, non-dominated sorting, crowding distance and Pareto-front extraction on hand-made sets.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "search/moo/dominance.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/sorting.hpp"

namespace {

using namespace cimnet::moo;
using Fronts = std::vector<std::vector<std::size_t>>;
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Dominance, StrictInOneObjectiveNoWorseInAll) {
  EXPECT_TRUE(dominates(Objectives{1, 2}, Objectives{1, 3}));
  EXPECT_TRUE(dominates(Objectives{0, 0, 0}, Objectives{1, 1, 1}));
  EXPECT_FALSE(dominates(Objectives{1, 2}, Objectives{1, 2}));  // equal points: neither
  EXPECT_FALSE(dominates(Objectives{1, 3}, Objectives{2, 2}));
  EXPECT_FALSE(dominates(Objectives{2, 2}, Objectives{1, 3}));
}

TEST(Dominance, DebsConstrainedRule) {
  EXPECT_DOUBLE_EQ(total_violation({-1.0, 0.0, 2.0, 0.5}), 2.5);
  EXPECT_DOUBLE_EQ(total_violation({}), 0.0);
  // Feasible beats infeasible even with far worse objectives.
  EXPECT_TRUE(constrained_dominates({100, 100}, 0.0, {0, 0}, 0.1));
  EXPECT_FALSE(constrained_dominates({0, 0}, 0.1, {100, 100}, 0.0));
  // Among infeasible points the smaller violation wins, whatever the objectives.
  EXPECT_TRUE(constrained_dominates({9, 9}, 0.2, {0, 0}, 0.3));
  EXPECT_FALSE(constrained_dominates({0, 0}, 0.3, {9, 9}, 0.2));
  EXPECT_FALSE(constrained_dominates({0, 0}, 0.3, {9, 9}, 0.3));
  // Among feasible points Pareto dominance decides.
  EXPECT_TRUE(constrained_dominates({0, 0}, 0.0, {1, 1}, 0.0));
  EXPECT_FALSE(constrained_dominates({0, 1}, 0.0, {1, 0}, 0.0));
}

TEST(NonDominatedSorting, HandMadeFrontsWithDuplicates) {
  const std::vector<Objectives> points = {{1, 5}, {2, 2}, {5, 1}, {2, 2}, {3, 3}, {4, 4}, {6, 6}, {4.5, 3.5}};
  const auto s = fast_non_dominated_sort(points);
  EXPECT_EQ(s.fronts, (Fronts{{0, 1, 2, 3}, {4}, {5, 7}, {6}}));
  EXPECT_EQ(s.rank, (std::vector<std::size_t>{0, 0, 0, 0, 1, 2, 3, 2}));
}

TEST(NonDominatedSorting, EdgeCases) {
  EXPECT_TRUE(fast_non_dominated_sort({}).fronts.empty());
  EXPECT_EQ(fast_non_dominated_sort({{1.0, 2.0}}).fronts, (Fronts{{0}}));
  // Collinear points on a line of negative slope are mutually non-dominated ...
  EXPECT_EQ(fast_non_dominated_sort({{0, 3}, {1, 2}, {2, 1}, {3, 0}}).fronts, (Fronts{{0, 1, 2, 3}}));
  // ... and on a line of positive slope form a chain.
  EXPECT_EQ(fast_non_dominated_sort({{2, 2}, {0, 0}, {1, 1}}).fronts, (Fronts{{1}, {2}, {0}}));
  EXPECT_THROW(fast_non_dominated_sort({{1, 2}, {1, 2, 3}}), cimnet::InputError);
}

TEST(NonDominatedSorting, ConstrainedPutsFeasibleFirstAndInfeasibleByViolation) {
  const std::vector<Objectives> points = {{0, 0}, {5, 5}, {6, 4}, {1, 1}, {7, 7}, {-1, -1}};
  const std::vector<double> violations = {0.5, 0.0, 0.0, 0.5, 0.0, 2.0};
  const auto s = fast_non_dominated_sort(points, violations);
  EXPECT_EQ(s.fronts, (Fronts{{1, 2}, {4}, {0, 3}, {5}}));
}

TEST(CrowdingDistance, HandComputed) {
  // Sorted by f1: A(0,4) B(1,2) C(3,1) D(4,0); ranges 4 and 4.
  const std::vector<Objectives> front = {{1, 2}, {4, 0}, {0, 4}, {3, 1}};
  const auto d = crowding_distance(front);
  EXPECT_DOUBLE_EQ(d[0], (3.0 - 0.0) / 4 + (4.0 - 1.0) / 4);  // B
  EXPECT_DOUBLE_EQ(d[3], (4.0 - 1.0) / 4 + (2.0 - 0.0) / 4);  // C
  EXPECT_EQ(d[1], kInf);
  EXPECT_EQ(d[2], kInf);
}

TEST(CrowdingDistance, SmallFrontsAndZeroRange) {
  EXPECT_EQ(crowding_distance({{1, 1}}), (std::vector<double>{kInf}));
  EXPECT_EQ(crowding_distance({{1, 1}, {2, 0}}), (std::vector<double>{kInf, kInf}));
  // Identical points: every range is zero, interior points get 0 rather than NaN.
  const auto d = crowding_distance({{1, 1}, {1, 1}, {1, 1}, {1, 1}});
  EXPECT_EQ(d[0], kInf);  // ties broken by index: the first and last are the extremes
  EXPECT_EQ(d[3], kInf);
  EXPECT_EQ(d[1], 0.0);
  EXPECT_EQ(d[2], 0.0);
}

TEST(ParetoFront, FilterWithDuplicates) {
  const std::vector<Objectives> points = {{2, 2}, {1, 3}, {2, 2}, {3, 3}, {3, 1}, {1, 3}, {2, 3}};
  EXPECT_EQ(non_dominated_indices(points), (std::vector<std::size_t>{0, 1, 4}));
  EXPECT_EQ(non_dominated_indices(points, Duplicates::keep_all),
            (std::vector<std::size_t>{0, 1, 2, 4, 5}));
  EXPECT_EQ(pareto_front(points), (std::vector<Objectives>{{2, 2}, {1, 3}, {3, 1}}));
  EXPECT_TRUE(pareto_front({}).empty());
}

TEST(ParetoFront, AgreesWithSortingsFirstFrontOnRandomSets) {
  cimnet::Rng rng(11);
  for (std::size_t m : {2u, 3u, 4u}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<Objectives> points(60, Objectives(m));
      for (auto& p : points)
        for (auto& f : p) f = static_cast<double>(rng.uniform_int(6));  // many ties and duplicates
      auto first = fast_non_dominated_sort(points).fronts.front();
      EXPECT_EQ(non_dominated_indices(points, Duplicates::keep_all), first) << "m=" << m;
      // keep_first: one index per distinct point of the first front.
      std::vector<std::size_t> unique;
      for (std::size_t i : first) {
        bool seen = false;
        for (std::size_t j : unique) seen = seen || points[j] == points[i];
        if (!seen) unique.push_back(i);
      }
      EXPECT_EQ(non_dominated_indices(points), unique) << "m=" << m;
    }
  }
}

}  // namespace
