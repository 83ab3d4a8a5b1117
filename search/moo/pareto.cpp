#include "search/moo/pareto.hpp"

#include <algorithm>
#include <numeric>

#include "common/error.hpp"
#include "search/moo/dominance.hpp"

namespace cimnet::moo {

std::vector<std::size_t> non_dominated_indices(const std::vector<Objectives>& points,
                                               Duplicates duplicates) {
  const std::size_t m = points.empty() ? 0 : points.front().size();
  for (const auto& p : points)
    if (p.size() != m) throw InputError("Pareto front: points of different dimensions");
  // Lexicographic order (ties by index): if q dominates p then q precedes p, so each point needs
  // checking only against the front kept so far, and the first of identical points comes first.
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return points[a] < points[b]; });
  std::vector<std::size_t> kept;
  if (m == 2) {
    // Two objectives: a sweep. In lexicographic order a point is dominated exactly when an earlier
    // point has a smaller f2, or the same f2 with a smaller f1; the same f2 and f1 is a duplicate.
    bool any = false;
    double best_f2 = 0.0, best_f1 = 0.0;  // smallest f2 so far, and the f1 of its first holder
    for (std::size_t i : order) {
      const double f1 = points[i][0], f2 = points[i][1];
      if (!any || f2 < best_f2) {
        kept.push_back(i);
        any = true;
        best_f2 = f2;
        best_f1 = f1;
      } else if (f2 == best_f2 && f1 == best_f1 && duplicates == Duplicates::keep_all) {
        kept.push_back(i);
      }
    }
    std::sort(kept.begin(), kept.end());
    return kept;
  }
  for (std::size_t i : order) {
    bool keep = true;
    for (std::size_t k : kept) {
      if (dominates(points[k].data(), points[i].data(), m) ||
          (duplicates == Duplicates::keep_first && points[k] == points[i])) {
        keep = false;
        break;
      }
    }
    if (keep) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::vector<Objectives> pareto_front(const std::vector<Objectives>& points) {
  std::vector<Objectives> front;
  for (std::size_t i : non_dominated_indices(points, Duplicates::keep_first))
    front.push_back(points[i]);
  return front;
}

}  // namespace cimnet::moo
