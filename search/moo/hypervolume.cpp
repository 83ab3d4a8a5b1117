#include "search/moo/hypervolume.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <map>
#include <numeric>

#include "common/error.hpp"

namespace cimnet::moo {
namespace {

// Points are kept flat (n × d, row-major) inside the algorithms: the recursion builds many small sets.
struct Flat {
  std::vector<double> x;
  std::size_t n = 0;
  std::size_t d = 0;
  const double* at(std::size_t i) const { return x.data() + i * d; }
};

// The points that strictly dominate the reference, flattened; validates dimensions.
Flat inside(const std::vector<Objectives>& points, const Objectives& reference) {
  const std::size_t d = reference.size();
  if (d == 0) throw InputError("hypervolume: the reference point is empty");
  for (double r : reference)
    if (std::isnan(r)) throw InputError("hypervolume: the reference point has a NaN");
  Flat flat;
  flat.d = d;
  for (const auto& p : points) {
    if (p.size() != d)
      throw InputError("hypervolume: a point's dimension differs from the reference point's");
    bool strictly = true;
    for (std::size_t k = 0; k < d; ++k) strictly = strictly && p[k] < reference[k];
    if (!strictly) continue;
    flat.x.insert(flat.x.end(), p.begin(), p.end());
    ++flat.n;
  }
  return flat;
}

bool weakly_dominates(const double* a, const double* b, std::size_t d) {
  for (std::size_t k = 0; k < d; ++k)
    if (a[k] > b[k]) return false;
  return true;
}

// Drops weakly dominated points (so also all but one of identical points). Lexicographic order makes
// a dominator precede what it dominates, so one pass against the kept points suffices.
void keep_non_dominated(Flat& f) {
  std::vector<std::size_t> order(f.n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::lexicographical_compare(f.at(a), f.at(a) + f.d, f.at(b), f.at(b) + f.d);
  });
  std::vector<double> kept;
  std::size_t count = 0;
  for (std::size_t i : order) {
    bool dominated = false;
    for (std::size_t k = 0; k < count && !dominated; ++k)
      dominated = weakly_dominates(kept.data() + k * f.d, f.at(i), f.d);
    if (dominated) continue;
    kept.insert(kept.end(), f.at(i), f.at(i) + f.d);
    ++count;
  }
  f.x = std::move(kept);
  f.n = count;
}

double sweep_2d(const Flat& f, const double* ref) {
  std::vector<std::size_t> order(f.n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double *p = f.at(a), *q = f.at(b);
    return p[0] < q[0] || (p[0] == q[0] && p[1] < q[1]);
  });
  double area = 0.0, floor_y = ref[1];
  for (std::size_t i : order) {
    const double* p = f.at(i);
    if (p[1] >= floor_y) continue;  // dominated by a point to its left
    area += (ref[0] - p[0]) * (floor_y - p[1]);
    floor_y = p[1];
  }
  return area;
}

double sweep_3d(const Flat& f, const double* ref) {
  std::vector<std::size_t> order(f.n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return f.at(a)[2] < f.at(b)[2]; });
  // The staircase of the (x, y) projections seen so far: x ascending, y strictly descending.
  std::map<double, double> stair;
  double area = 0.0, volume = 0.0;
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const double* p = f.at(order[pos]);
    const double px = p[0], py = p[1];
    auto above = stair.upper_bound(px);
    const bool covered = above != stair.begin() && std::prev(above)->second <= py;
    if (!covered) {
      // Add the area between the old staircase and p's box, removing the steps p now covers.
      auto it = stair.lower_bound(px);
      double x = px;
      double y = it == stair.begin() ? ref[1] : std::prev(it)->second;
      while (it != stair.end() && it->second >= py) {
        area += (it->first - x) * (y - py);
        x = it->first;
        y = it->second;
        it = stair.erase(it);
      }
      area += ((it == stair.end() ? ref[0] : it->first) - x) * (y - py);
      stair.emplace(px, py);
    }
    const double next_z = pos + 1 < order.size() ? f.at(order[pos + 1])[2] : ref[2];
    volume += area * (next_z - p[2]);
  }
  return volume;
}

// WFG on mutually non-dominated points; `base` is the dimension at which a sweep takes over (2 or 3).
double wfg(Flat f, const double* ref, std::size_t base) {
  if (f.n == 0) return 0.0;
  if (f.d == 2) return sweep_2d(f, ref);
  if (f.d == 3 && base == 3) return sweep_3d(f, ref);
  const std::size_t d = f.d, last = d - 1;
  // Worst in the last objective first: every later point is then no worse there, so limiting it by
  // the current point sets its last coordinate to the current one's.
  std::vector<std::size_t> order(f.n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return f.at(a)[last] > f.at(b)[last]; });
  double total = 0.0;
  Flat limited;
  limited.d = last;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const double* p = f.at(order[i]);
    double box = 1.0;
    for (std::size_t k = 0; k < last; ++k) box *= ref[k] - p[k];
    limited.x.clear();
    limited.n = 0;
    for (std::size_t j = i + 1; j < order.size(); ++j) {
      const double* q = f.at(order[j]);
      for (std::size_t k = 0; k < last; ++k) limited.x.push_back(std::max(p[k], q[k]));
      ++limited.n;
    }
    keep_non_dominated(limited);
    total += (ref[last] - p[last]) * (box - wfg(limited, ref, base));
  }
  return total;
}

double dispatch(const std::vector<Objectives>& points, const Objectives& reference,
                std::size_t base) {
  Flat f = inside(points, reference);
  if (f.n == 0) return 0.0;
  if (f.d == 1) {
    double best = reference[0];
    for (std::size_t i = 0; i < f.n; ++i) best = std::min(best, f.at(i)[0]);
    return reference[0] - best;
  }
  if (f.d == 2) return sweep_2d(f, reference.data());
  if (f.d == 3 && base == 3) return sweep_3d(f, reference.data());
  keep_non_dominated(f);
  return wfg(std::move(f), reference.data(), base);
}

}  // namespace

double hypervolume(const std::vector<Objectives>& points, const Objectives& reference) {
  return dispatch(points, reference, 3);
}

double hypervolume_2d(const std::vector<Objectives>& points, const Objectives& reference) {
  if (reference.size() != 2) throw InputError("hypervolume_2d: the reference point must be 2-D");
  return dispatch(points, reference, 3);
}

double hypervolume_3d(const std::vector<Objectives>& points, const Objectives& reference) {
  if (reference.size() != 3) throw InputError("hypervolume_3d: the reference point must be 3-D");
  return dispatch(points, reference, 3);
}

double hypervolume_wfg(const std::vector<Objectives>& points, const Objectives& reference) {
  if (reference.size() < 2) throw InputError("hypervolume_wfg: needs two dimensions or more");
  return dispatch(points, reference, 2);
}

}  // namespace cimnet::moo
