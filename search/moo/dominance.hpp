#pragma once
// Pareto dominance and Deb's constrained dominance (Deb 2000; NSGA-II, IEEE TEC 6(2), 2002).
#include <cstddef>
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

// a dominates b: no worse in every objective and strictly better in at least one (minimisation).
// Identical points do not dominate each other, so duplicates share a front.
bool dominates(const double* a, const double* b, std::size_t m);
bool dominates(const Objectives& a, const Objectives& b);

// Total violation Σ max(0, c_j): 0 exactly when every constraint is satisfied.
double total_violation(const std::vector<double>& constraints);

// Deb's rule: a feasible point beats an infeasible one; between infeasible points the smaller total
// violation wins (whatever the objectives); between feasible points Pareto dominance decides.
bool constrained_dominates(const Objectives& a, double violation_a, const Objectives& b,
                           double violation_b);

}  // namespace cimnet::moo
