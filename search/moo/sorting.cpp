#include "search/moo/sorting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/error.hpp"
#include "search/moo/dominance.hpp"

namespace cimnet::moo {
namespace {

std::size_t common_dimension(const std::vector<Objectives>& points, const char* what) {
  const std::size_t m = points.empty() ? 0 : points.front().size();
  for (const auto& p : points)
    if (p.size() != m)
      throw InputError(std::string(what) + ": points of different dimensions");
  return m;
}

// Deb's bookkeeping: for each point, whom it dominates and by how many it is dominated; peel fronts by
// decrementing the counts. `better(i, j)` is the dominance relation in use.
template <class Better>
NonDominatedSorting peel(std::size_t n, Better better) {
  std::vector<std::vector<std::size_t>> dominated(n);
  std::vector<std::size_t> count(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      if (better(i, j)) {
        dominated[i].push_back(j);
        ++count[j];
      } else if (better(j, i)) {
        dominated[j].push_back(i);
        ++count[i];
      }
    }
  NonDominatedSorting result;
  result.rank.assign(n, 0);
  std::vector<std::size_t> current;
  for (std::size_t i = 0; i < n; ++i)
    if (count[i] == 0) current.push_back(i);
  while (!current.empty()) {
    std::vector<std::size_t> next;
    for (std::size_t i : current) {
      result.rank[i] = result.fronts.size();
      for (std::size_t j : dominated[i])
        if (--count[j] == 0) next.push_back(j);
    }
    result.fronts.push_back(std::move(current));
    // Sorted so the front's order does not depend on the order of discovery.
    std::sort(next.begin(), next.end());
    current = std::move(next);
  }
  return result;
}

}  // namespace

NonDominatedSorting fast_non_dominated_sort(const std::vector<Objectives>& points) {
  const std::size_t m = common_dimension(points, "non-dominated sorting");
  return peel(points.size(), [&](std::size_t i, std::size_t j) {
    return dominates(points[i].data(), points[j].data(), m);
  });
}

NonDominatedSorting fast_non_dominated_sort(const std::vector<Objectives>& points,
                                            const std::vector<double>& violations) {
  const std::size_t m = common_dimension(points, "non-dominated sorting");
  if (violations.size() != points.size())
    throw InputError("non-dominated sorting: one violation per point is needed");
  return peel(points.size(), [&](std::size_t i, std::size_t j) {
    const bool fi = violations[i] <= 0.0, fj = violations[j] <= 0.0;
    if (fi != fj) return fi;
    if (!fi) return violations[i] < violations[j];
    return dominates(points[i].data(), points[j].data(), m);
  });
}

std::vector<double> crowding_distance(const std::vector<Objectives>& front) {
  const std::size_t n = front.size();
  const std::size_t m = common_dimension(front, "crowding distance");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> distance(n, 0.0);
  if (n <= 2) {
    std::fill(distance.begin(), distance.end(), kInf);
    return distance;
  }
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < m; ++k) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return front[a][k] < front[b][k]; });
    distance[order.front()] = kInf;
    distance[order.back()] = kInf;
    const double range = front[order.back()][k] - front[order.front()][k];
    if (!(range > 0.0) || !std::isfinite(range)) continue;
    for (std::size_t j = 1; j + 1 < n; ++j)
      distance[order[j]] += (front[order[j + 1]][k] - front[order[j - 1]][k]) / range;
  }
  return distance;
}

}  // namespace cimnet::moo
