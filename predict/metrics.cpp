#include "predict/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace cimnet {

namespace {

void check_sizes(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const char* what) {
  if (a.size() != b.size()) {
    throw std::invalid_argument(std::string(what) + ": vectors of different length (" + std::to_string(a.size()) +
                                " and " + std::to_string(b.size()) + ")");
  }
}

// Pairs among runs of equal values in a sorted sequence: Σ t(t−1)/2.
template <typename Equal>
std::int64_t tied_pairs(std::size_t n, Equal equal) {
  std::int64_t pairs = 0;
  std::size_t run = 1;
  for (std::size_t i = 1; i <= n; ++i) {
    if (i < n && equal(i - 1, i)) {
      ++run;
    } else {
      pairs += static_cast<std::int64_t>(run) * static_cast<std::int64_t>(run - 1) / 2;
      run = 1;
    }
  }
  return pairs;
}

// Stable merge sort of `v` that returns the number of inversions (pairs out of order, ties excluded).
std::int64_t sort_counting_swaps(std::vector<double>& v, std::vector<double>& buffer, std::size_t lo, std::size_t hi) {
  if (hi - lo < 2) return 0;
  const std::size_t mid = lo + (hi - lo) / 2;
  std::int64_t swaps = sort_counting_swaps(v, buffer, lo, mid) + sort_counting_swaps(v, buffer, mid, hi);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (v[j] < v[i]) {
      swaps += static_cast<std::int64_t>(mid - i);  // v[j] jumps over every remaining left element
      buffer[k++] = v[j++];
    } else {
      buffer[k++] = v[i++];
    }
  }
  while (i < mid) buffer[k++] = v[i++];
  while (j < hi) buffer[k++] = v[j++];
  std::copy(buffer.begin() + static_cast<std::ptrdiff_t>(lo), buffer.begin() + static_cast<std::ptrdiff_t>(hi),
            v.begin() + static_cast<std::ptrdiff_t>(lo));
  return swaps;
}

}  // namespace

double kendall_tau(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  check_sizes(x, y, "Kendall tau");
  const auto n = static_cast<std::size_t>(x.size());
  if (n < 2) return 0;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Sort by x, then y: within a run of tied x, y ascends, so those pairs count no swap below.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return x[a] < x[b] || (x[a] == x[b] && y[a] < y[b]);
  });
  const auto at = [&](const Eigen::VectorXd& v, std::size_t i) { return v[static_cast<Eigen::Index>(order[i])]; };
  const std::int64_t ties_x = tied_pairs(n, [&](std::size_t a, std::size_t b) { return at(x, a) == at(x, b); });
  const std::int64_t ties_xy = tied_pairs(
      n, [&](std::size_t a, std::size_t b) { return at(x, a) == at(x, b) && at(y, a) == at(y, b); });
  std::vector<double> ys(n), buffer(n);
  for (std::size_t i = 0; i < n; ++i) ys[i] = at(y, i);
  const std::int64_t swaps = sort_counting_swaps(ys, buffer, 0, n);
  const std::int64_t ties_y = tied_pairs(n, [&](std::size_t a, std::size_t b) { return ys[a] == ys[b]; });
  const std::int64_t pairs = static_cast<std::int64_t>(n) * static_cast<std::int64_t>(n - 1) / 2;
  // Pairs untied in both: concordant + discordant = pairs − ties_x − ties_y + ties_xy; discordant = swaps.
  const double numerator = static_cast<double>(pairs - ties_x - ties_y + ties_xy - 2 * swaps);
  const double denominator =
      std::sqrt(static_cast<double>(pairs - ties_x)) * std::sqrt(static_cast<double>(pairs - ties_y));
  return denominator > 0 ? numerator / denominator : 0.0;
}

Eigen::VectorXd average_ranks(const Eigen::VectorXd& x) {
  const auto n = static_cast<std::size_t>(x.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return x[static_cast<Eigen::Index>(a)] < x[static_cast<Eigen::Index>(b)];
  });
  Eigen::VectorXd ranks(x.size());
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i + 1;
    while (j < n && x[static_cast<Eigen::Index>(order[j])] == x[static_cast<Eigen::Index>(order[i])]) ++j;
    const double rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of positions i+1 .. j
    for (std::size_t k = i; k < j; ++k) ranks[static_cast<Eigen::Index>(order[k])] = rank;
    i = j;
  }
  return ranks;
}

double pearson_r(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  check_sizes(x, y, "Pearson r");
  if (x.size() < 2) return 0;
  const Eigen::ArrayXd dx = x.array() - x.mean();
  const Eigen::ArrayXd dy = y.array() - y.mean();
  const double sxx = (dx * dx).sum();
  const double syy = (dy * dy).sum();
  if (sxx <= 0 || syy <= 0) return 0;
  return (dx * dy).sum() / std::sqrt(sxx * syy);
}

double spearman_rho(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  check_sizes(x, y, "Spearman rho");
  return pearson_r(average_ranks(x), average_ranks(y));
}

double mape(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted) {
  check_sizes(truth, predicted, "MAPE");
  if (truth.size() == 0) return 0;
  if ((truth.array() == 0.0).any()) return std::numeric_limits<double>::infinity();
  return 100.0 * ((truth - predicted).array() / truth.array()).abs().mean();
}

double rmse(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted) {
  check_sizes(truth, predicted, "RMSE");
  if (truth.size() == 0) return 0;
  return std::sqrt((truth - predicted).array().square().mean());
}

Metrics evaluate(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted) {
  Metrics m;
  m.samples = static_cast<std::size_t>(truth.size());
  m.kendall_tau = kendall_tau(truth, predicted);
  m.spearman_rho = spearman_rho(truth, predicted);
  m.pearson_r = pearson_r(truth, predicted);
  m.mape = mape(truth, predicted);
  m.rmse = rmse(truth, predicted);
  return m;
}

}  // namespace cimnet
