#pragma once
// Agreement between measured and predicted values, on held-out data.
//
// Degenerate inputs (fewer than two points, or one side constant) give 0 for the correlations: no
// evidence of agreement, and a number the model selection can still compare. Vectors of different
// length are a programming error (std::invalid_argument).
#include <Eigen/Core>
#include <cstddef>

namespace cimnet {

// Kendall τ-b: (concordant − discordant) / sqrt((n0 − ties_x)(n0 − ties_y)) over all pairs, ties
// counted as neither. O(n log n) (Knight's algorithm: sort by x, count swaps of a merge sort by y).
double kendall_tau(const Eigen::VectorXd& x, const Eigen::VectorXd& y);
// Spearman ρ: Pearson r of the ranks, tied values sharing their average rank.
double spearman_rho(const Eigen::VectorXd& x, const Eigen::VectorXd& y);
double pearson_r(const Eigen::VectorXd& x, const Eigen::VectorXd& y);
// Mean absolute percentage error in percent, relative to `truth`: +inf when a true value is 0.
double mape(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted);
double rmse(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted);

// Average ranks (1-based, ties share the mean of their positions).
Eigen::VectorXd average_ranks(const Eigen::VectorXd& x);

struct Metrics {
  std::size_t samples = 0;
  double kendall_tau = 0;
  double spearman_rho = 0;
  double pearson_r = 0;
  double mape = 0;  // percent
  double rmse = 0;
};
Metrics evaluate(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted);

}  // namespace cimnet
