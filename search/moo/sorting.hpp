#pragma once
// Fast non-dominated sorting and crowding distance (Deb et al. 2002).
#include <cstddef>
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

struct NonDominatedSorting {
  std::vector<std::vector<std::size_t>> fronts;  // front 0 first; indices ascending within a front
  std::vector<std::size_t> rank;                 // rank[i] = index of the front holding point i
};

// Pareto fronts of the points (all of one dimension). O(M·N²), which is what NSGA-II's populations of a
// few hundred need; equal points share a front.
NonDominatedSorting fast_non_dominated_sort(const std::vector<Objectives>& points);

// The same with Deb's constrained dominance: feasible points are sorted by their objectives into the
// first fronts; infeasible points follow, one front per distinct total violation (ascending).
// violations[i] is the total violation of point i (see total_violation()); 0 means feasible.
NonDominatedSorting fast_non_dominated_sort(const std::vector<Objectives>& points,
                                            const std::vector<double>& violations);

// Crowding distance of each point of one front: for every objective, the points sorted by it (ties by
// index, for determinism), the two extremes get +infinity and every interior point adds the gap between
// its neighbours divided by the objective's range. An objective whose range is zero or not finite adds
// nothing (instead of the 0/0 = NaN that naive code produces). Fronts of one or two points are all
// infinite.
std::vector<double> crowding_distance(const std::vector<Objectives>& front);

}  // namespace cimnet::moo
