#pragma once
// ε-support-vector regression with an RBF kernel k(a, b) = exp(−gamma‖a − b‖²).
//
// Trained by libsvm (silenced: it prints to stdout by default). The target is standardised before
// training, so C and epsilon are relative to the target's spread: epsilon = 0.05 ignores errors below
// 5 % of its standard deviation, whatever its unit. The trained model is flattened into dense Eigen
// arrays (support vectors, coefficients, bias with the standardisation folded in), and prediction runs
// as one matrix product ‖x‖² + ‖s‖² − 2·XSᵀ plus a vectorised exp — no libsvm at prediction time, which
// makes batches fast and model files independent of libsvm's format.
#include <Eigen/Core>

namespace cimnet {

struct SvrParams {
  double c = 10.0;        // penalty of errors beyond epsilon (relative to the standardised target)
  double gamma = 0.01;    // RBF width, in the units of the scaled features
  double epsilon = 0.05;  // insensitive tube half-width, in standard deviations of the target
};

struct SvrModel {
  SvrParams params;
  Eigen::MatrixXd support_vectors;  // one per row
  Eigen::VectorXd coefficients;     // per support vector, already in target units
  double bias = 0.0;

  // Batched: one prediction per row of x (already scaled).
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;
};

SvrModel fit_svr(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const SvrParams& params);

}  // namespace cimnet
