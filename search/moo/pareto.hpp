#pragma once
// Pareto-front extraction: the non-dominated subset of a set of points.
#include <cstddef>
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

enum class Duplicates {
  keep_first,  // of several identical non-dominated points, only the one with the lowest index
  keep_all,    // every copy of an identical non-dominated point
};

// Indices (ascending) of the points no other point dominates. O(N·F·M) for F front points, after a
// lexicographic sort: a point can only be dominated by one that precedes it lexicographically.
std::vector<std::size_t> non_dominated_indices(const std::vector<Objectives>& points,
                                               Duplicates duplicates = Duplicates::keep_first);

// The non-dominated points themselves, in index order, one copy of each.
std::vector<Objectives> pareto_front(const std::vector<Objectives>& points);

}  // namespace cimnet::moo
