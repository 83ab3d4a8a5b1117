// pagmo2 (Debian libpagmo-dev) as an oracle for non-dominated sorting, crowding distance and
// hypervolume. Point sets are drawn from a small integer grid, so ties and duplicates are common.
//
// Where the semantics differ on purpose, pagmo is given only the inputs it defines and cimnet's own
// behaviour is tested in sorting_test.cpp / hypervolume_test.cpp:
// - pagmo's hypervolume rejects points outside the reference box: they are filtered out for it, and
//   cimnet must give the same volume with them left in (they contribute nothing).
// - pagmo's crowding distance breaks ties with an unstable sort carried over from the previous
//   objective, so on fronts with tied values the assignment among tied points is unspecified; it is
//   compared on fronts with distinct values per objective (cimnet breaks ties by index).
// - pagmo needs at least two points to sort or crowd.
#include <gtest/gtest.h>

#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "common/random.hpp"
#include "search/moo/hypervolume.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/sorting.hpp"

namespace {

using cimnet::Rng;
using cimnet::moo::Objectives;

// n points on a grid of `levels` values per axis, with a few exact copies appended.
std::vector<Objectives> grid_points(Rng& rng, std::size_t n, std::size_t m, int levels) {
  std::vector<Objectives> points(n, Objectives(m));
  for (auto& p : points)
    for (auto& f : p) f = static_cast<double>(rng.uniform_int(static_cast<std::uint64_t>(levels))) / 4.0;
  for (std::size_t i = 0; i < n / 5; ++i) points.push_back(points[rng.uniform_int(n)]);
  return points;
}

// A mutually non-dominated set with distinct values in every objective: random directions scaled onto
// the simplex Σf = 1 (ties have probability ~0 with 53-bit draws).
std::vector<Objectives> simplex_front(Rng& rng, std::size_t n, std::size_t m) {
  std::vector<Objectives> points(n, Objectives(m));
  for (auto& p : points) {
    double sum = 0;
    for (auto& f : p) sum += (f = rng.uniform01() + 1e-9);
    for (auto& f : p) f /= sum;
  }
  return points;
}

TEST(PagmoOracle, NonDominatedSortingWithTiesAndDuplicates) {
  Rng rng(101);
  for (std::size_t m : {2u, 3u, 4u}) {
    for (int trial = 0; trial < 40; ++trial) {
      const auto points = grid_points(rng, 2 + rng.uniform_int(80), m, 6);
      const auto ours = cimnet::moo::fast_non_dominated_sort(points);
      const auto theirs = pagmo::fast_non_dominated_sorting(points);
      const auto& their_fronts = std::get<0>(theirs);
      const auto& their_rank = std::get<3>(theirs);
      ASSERT_EQ(ours.fronts.size(), their_fronts.size()) << "m=" << m;
      for (std::size_t f = 0; f < their_fronts.size(); ++f) {
        std::vector<std::size_t> sorted(their_fronts[f].begin(), their_fronts[f].end());
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(ours.fronts[f], sorted) << "m=" << m << " front " << f;
      }
      for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(ours.rank[i], their_rank[i]);
      // The extracted Pareto front is pagmo's first front.
      std::vector<std::size_t> first(their_fronts[0].begin(), their_fronts[0].end());
      std::sort(first.begin(), first.end());
      EXPECT_EQ(cimnet::moo::non_dominated_indices(points, cimnet::moo::Duplicates::keep_all), first);
    }
  }
}

TEST(PagmoOracle, NonDominatedSortingEdgeCases) {
  // Two identical points; collinear chains and anti-chains.
  for (const std::vector<Objectives>& points :
       {std::vector<Objectives>{{1, 1}, {1, 1}}, std::vector<Objectives>{{0, 3}, {1, 2}, {2, 1}, {3, 0}},
        std::vector<Objectives>{{3, 3, 3}, {1, 1, 1}, {2, 2, 2}, {0, 0, 0}}}) {
    const auto ours = cimnet::moo::fast_non_dominated_sort(points);
    const auto their_rank = std::get<3>(pagmo::fast_non_dominated_sorting(points));
    for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(ours.rank[i], their_rank[i]);
  }
}

TEST(PagmoOracle, CrowdingDistanceOnFrontsWithDistinctValues) {
  Rng rng(202);
  for (std::size_t m : {2u, 3u, 4u}) {
    for (std::size_t n : {2u, 3u, 4u, 10u, 50u, 200u}) {
      const auto front = simplex_front(rng, n, m);
      const auto ours = cimnet::moo::crowding_distance(front);
      const auto theirs = pagmo::crowding_distance(front);
      ASSERT_EQ(ours.size(), theirs.size());
      for (std::size_t i = 0; i < n; ++i) {
        if (std::isinf(theirs[i]))
          EXPECT_TRUE(std::isinf(ours[i])) << "m=" << m << " n=" << n << " i=" << i;
        else
          EXPECT_NEAR(ours[i], theirs[i], 1e-12) << "m=" << m << " n=" << n << " i=" << i;
      }
    }
  }
  // Collinear front: equally spaced points on f2 = 1 − f1.
  std::vector<Objectives> line;
  for (int i = 0; i <= 10; ++i) line.push_back({i / 10.0, 1.0 - i / 10.0});
  const auto ours = cimnet::moo::crowding_distance(line);
  const auto theirs = pagmo::crowding_distance(line);
  for (std::size_t i = 1; i + 1 < line.size(); ++i) EXPECT_NEAR(ours[i], theirs[i], 1e-12);
}

void expect_hypervolume_agrees(const std::vector<Objectives>& points, const Objectives& ref) {
  // pagmo only accepts points inside the reference box; cimnet is given everything.
  std::vector<Objectives> inside;
  for (const auto& p : points) {
    bool strictly = true;
    for (std::size_t k = 0; k < ref.size(); ++k) strictly = strictly && p[k] < ref[k];
    if (strictly) inside.push_back(p);
  }
  const double ours = cimnet::moo::hypervolume(points, ref);
  if (inside.empty()) {
    EXPECT_EQ(ours, 0.0);
    return;
  }
  const double theirs = pagmo::hypervolume(inside).compute(ref);
  EXPECT_NEAR(ours, theirs, 1e-10 * std::max(1.0, std::fabs(theirs)))
      << "m=" << ref.size() << " n=" << points.size();
  if (ref.size() >= 3) {
    EXPECT_NEAR(cimnet::moo::hypervolume_wfg(points, ref), theirs, 1e-10 * std::max(1.0, theirs));
  }
}

TEST(PagmoOracle, HypervolumeWithTiesDuplicatesAndPointsBeyondTheReference) {
  Rng rng(303);
  for (std::size_t m : {2u, 3u, 4u}) {
    for (int trial = 0; trial < 40; ++trial) {
      // Grid values 0 … 2 against the reference 1.75: about one coordinate in eight lies beyond it.
      const auto points = grid_points(rng, 1 + rng.uniform_int(60), m, 9);
      expect_hypervolume_agrees(points, Objectives(m, 1.75));
    }
  }
}

TEST(PagmoOracle, HypervolumeOnLargeContinuousFronts) {
  Rng rng(404);
  for (std::size_t m : {2u, 3u, 4u}) {
    for (std::size_t n : {1u, 2u, 50u, 150u}) expect_hypervolume_agrees(simplex_front(rng, n, m), Objectives(m, 1.1));
  }
}

TEST(PagmoOracle, HypervolumeEdgeCases) {
  expect_hypervolume_agrees({{0.5, 0.5}}, {1, 1});                       // one point
  expect_hypervolume_agrees({{0.5, 0.5, 0.5, 0.5}}, {1, 1, 1, 1});       // one point, 4-D
  expect_hypervolume_agrees({{0, 1}, {0.5, 0.5}, {1, 0}}, {2, 2});       // collinear
  expect_hypervolume_agrees({{0, 0, 1}, {0.5, 0.5, 0.5}, {1, 1, 0}}, {2, 2, 2});
  expect_hypervolume_agrees({{0.2, 0.2}, {0.2, 0.2}, {0.2, 0.2}}, {1, 1});  // all duplicates
  expect_hypervolume_agrees({{3, 0}, {0, 3}, {0.5, 0.5}}, {2, 2});       // two beyond
  expect_hypervolume_agrees({{2, 0}, {0, 2}}, {2, 2});                   // on the boundary only
}

}  // namespace
