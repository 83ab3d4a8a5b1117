#pragma once
// Exact hypervolume (the Lebesgue measure of the region the points dominate, bounded by a reference
// point; minimisation).
//
// Only points that strictly dominate the reference point (every coordinate strictly smaller)
// contribute; any other point, including one equal to the reference in some coordinate or with a NaN,
// adds nothing. Duplicates and dominated points are harmless.
//
// Algorithms: 1-D trivially; 2-D a sort and sweep, O(n log n); 3-D a sweep along the third objective
// that keeps the 2-D staircase of the points seen so far in an ordered map and updates its area
// incrementally, O(n log n) (Beume et al. 2009 style); 4-D and up WFG (While, Bradstreet & Barone, IEEE
// TEC 16(1), 2012): the points sorted by the last objective, each point's exclusive contribution is its
// box minus the hypervolume of the others limited by it, and because every later point is no worse in
// the last objective the limited set collapses to d−1 dimensions — recursion ends in the 3-D sweep.
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

double hypervolume(const std::vector<Objectives>& points, const Objectives& reference);

// The individual algorithms, exposed so they can be checked against each other. hypervolume_2d and
// hypervolume_3d need points of that dimension; hypervolume_wfg takes any dimension ≥ 2 and recurses
// all the way down to the 2-D sweep (slower than hypervolume() in 3-D and up, but independent of the
// 3-D sweep).
double hypervolume_2d(const std::vector<Objectives>& points, const Objectives& reference);
double hypervolume_3d(const std::vector<Objectives>& points, const Objectives& reference);
double hypervolume_wfg(const std::vector<Objectives>& points, const Objectives& reference);

}  // namespace cimnet::moo
