#pragma once
// Per-column affine scaling of features, fitted on training data: x' = (x − offset) · factor.
//
//   standard  offset = mean, factor = 1/std: ridge's penalty then weighs every feature alike, whatever
//             its unit (a one-hot column and ln MACs) or how rare a choice is, and alpha means the
//             same on every dataset.
//   minmax    offset = min, factor = 1/(max − min): one-hot columns stay exactly 0/1 (the RBF distance
//             then counts differing choices, so gamma ≈ 1/features is a sensible centre of the grid)
//             while numeric columns land in [0, 1] instead of dominating the distance.
//   none      identity.
// A column constant in the training data gets factor 0: the model learned nothing about it, so a
// different value at prediction time must not move the prediction.
#include <Eigen/Core>
#include <string>

namespace cimnet {

enum class ScalingMode { none, standard, minmax };
std::string to_string(ScalingMode mode);
ScalingMode scaling_mode_from_string(const std::string& name);  // InputError for an unknown name

struct FeatureScaling {
  ScalingMode mode = ScalingMode::none;
  Eigen::RowVectorXd offset;
  Eigen::RowVectorXd factor;

  static FeatureScaling fit(const Eigen::MatrixXd& x, ScalingMode mode);
  Eigen::MatrixXd apply(const Eigen::MatrixXd& x) const;
};

}  // namespace cimnet
