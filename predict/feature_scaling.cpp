#include "predict/feature_scaling.hpp"

#include <cmath>

#include "common/error.hpp"

namespace cimnet {

std::string to_string(ScalingMode mode) {
  switch (mode) {
    case ScalingMode::none: return "none";
    case ScalingMode::standard: return "standard";
    case ScalingMode::minmax: return "minmax";
  }
  return "?";
}

ScalingMode scaling_mode_from_string(const std::string& name) {
  if (name == "none") return ScalingMode::none;
  if (name == "standard") return ScalingMode::standard;
  if (name == "minmax") return ScalingMode::minmax;
  throw InputError("unknown feature scaling '" + name + "' (allowed: none, standard, minmax)");
}

FeatureScaling FeatureScaling::fit(const Eigen::MatrixXd& x, ScalingMode mode) {
  FeatureScaling s;
  s.mode = mode;
  const Eigen::Index p = x.cols();
  s.offset = Eigen::RowVectorXd::Zero(p);
  s.factor = Eigen::RowVectorXd::Ones(p);
  if (mode == ScalingMode::none || x.rows() == 0) return s;
  for (Eigen::Index c = 0; c < p; ++c) {
    double spread = 0;
    if (mode == ScalingMode::standard) {
      s.offset[c] = x.col(c).mean();
      spread = std::sqrt((x.col(c).array() - s.offset[c]).square().mean());
    } else {
      s.offset[c] = x.col(c).minCoeff();
      spread = x.col(c).maxCoeff() - s.offset[c];
    }
    s.factor[c] = spread > 0 ? 1.0 / spread : 0.0;
  }
  return s;
}

Eigen::MatrixXd FeatureScaling::apply(const Eigen::MatrixXd& x) const {
  if (mode == ScalingMode::none) return x;
  return (x.rowwise() - offset).array().rowwise() * factor.array();
}

}  // namespace cimnet
