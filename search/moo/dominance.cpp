#include "search/moo/dominance.hpp"

#include <algorithm>

namespace cimnet::moo {

bool dominates(const double* a, const double* b, std::size_t m) {
  bool strictly_better = false;
  for (std::size_t k = 0; k < m; ++k) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) strictly_better = true;
  }
  return strictly_better;
}

bool dominates(const Objectives& a, const Objectives& b) {
  return a.size() == b.size() && dominates(a.data(), b.data(), a.size());
}

double total_violation(const std::vector<double>& constraints) {
  double sum = 0.0;
  for (double c : constraints) sum += std::max(0.0, c);
  return sum;
}

bool constrained_dominates(const Objectives& a, double violation_a, const Objectives& b,
                           double violation_b) {
  const bool feasible_a = violation_a <= 0.0, feasible_b = violation_b <= 0.0;
  if (feasible_a != feasible_b) return feasible_a;
  if (!feasible_a) return violation_a < violation_b;
  return dominates(a, b);
}

}  // namespace cimnet::moo
