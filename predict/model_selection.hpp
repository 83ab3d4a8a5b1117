#pragma once
// Model selection by k-fold cross-validation: a grid per model kind and target transform, the best
// configuration by the chosen metric, then a refit on all the data.
//
// Metric: Kendall τ by default. The predictors serve NSGA-II, which only ever compares candidates, so
// the agreement of rankings is what matters; τ is also independent of the target's scale, so it
// compares a log-target model with a plain one fairly. MAPE (DyNAS-T's choice, computed on the
// original scale) is available for users who need calibrated values. Ties on the metric go to the
// other one (τ ties: lower MAPE; MAPE ties: higher τ), then to the earlier candidate.
//
// Grids (small, around sensible defaults, because every point costs k fits):
//   ridge  alpha = 10^-3, 10^-2.5, …, 10^4 on standardised features (15 values; cheap)
//   svr    C ∈ {1, 10, 100}; gamma ∈ {1/4, 1, 4} / features on min–max scaled features; epsilon ∈
//          {0.01, 0.1} standard deviations of the target — 18 points.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "predict/encoding.hpp"
#include "predict/predictor.hpp"

namespace cimnet {

struct SelectionOptions {
  std::vector<ModelKind> kinds = {ModelKind::ridge, ModelKind::svr};  // "auto": both
  std::vector<TargetTransform> transforms = {TargetTransform::none, TargetTransform::log};
  int folds = 5;
  std::uint64_t seed = 1;
  CvMetric metric = CvMetric::kendall_tau;
  std::vector<double> ridge_alphas = default_ridge_alphas();
  std::vector<double> svr_c = {1.0, 10.0, 100.0};
  std::vector<double> svr_gamma_factors = {0.25, 1.0, 4.0};  // × 1 / feature count
  std::vector<double> svr_epsilons = {0.01, 0.1};

  static std::vector<double> default_ridge_alphas();
};

// The transform cimnet recommends for a target: log for cycles, latency and energy (positive, spanning
// orders of magnitude, multiplicative errors), none otherwise (accuracy).
TargetTransform recommended_transform(const std::string& target);

// Scores every configuration of the grids; returns the report with the best in `metrics`.
// `best` receives the winning configuration.
CvReport select_model(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const SelectionOptions& options,
                      ModelConfig& best);

// Selection, then a refit of the best configuration on all the data; the predictor carries the
// encoder's description, the target name, the provenance and the CV report.
Predictor fit_predictor(const Encoder& encoder, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                        const SelectionOptions& options, const std::string& target, const std::string& provenance);

}  // namespace cimnet
