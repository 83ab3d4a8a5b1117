#pragma once
// Ridge regression in closed form: minimise ‖y − b − Xw‖² + alpha·‖w‖², the intercept b unpenalised.
//
// Solved on centred data, (XcᵀXc + alpha·I) w = Xcᵀ yc, b = ȳ − x̄ᵀw, by an LDLT of the p×p system:
// O(n p² + p³), milliseconds for p ≈ 200. alpha > 0 keeps the system regular even though one-hot
// blocks are collinear with the intercept.
#include <Eigen/Core>

namespace cimnet {

struct RidgeModel {
  double alpha = 1.0;
  double intercept = 0.0;
  Eigen::VectorXd weights;

  // Batched: one prediction per row of x (already scaled).
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;
};

RidgeModel fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double alpha);

}  // namespace cimnet
