#include "search/moo/igd.hpp"

#include <cmath>
#include <limits>

#include "common/error.hpp"

namespace cimnet::moo {

double igd(const std::vector<Objectives>& approximation, const std::vector<Objectives>& reference_front) {
  if (approximation.empty() || reference_front.empty())
    throw InputError("IGD: the approximation and the reference front must be non-empty");
  const std::size_t m = reference_front.front().size();
  for (const auto* set : {&approximation, &reference_front})
    for (const auto& p : *set)
      if (p.size() != m) throw InputError("IGD: points of different dimensions");
  double sum = 0.0;
  for (const auto& r : reference_front) {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& a : approximation) {
      double squared = 0.0;
      for (std::size_t k = 0; k < m; ++k) squared += (a[k] - r[k]) * (a[k] - r[k]);
      best = std::min(best, squared);
    }
    sum += std::sqrt(best);
  }
  return sum / static_cast<double>(reference_front.size());
}

}  // namespace cimnet::moo
