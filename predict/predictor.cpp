#include "predict/predictor.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

std::string to_string(CvMetric metric) { return metric == CvMetric::kendall_tau ? "kendall_tau" : "mape"; }

CvMetric cv_metric_from_string(const std::string& name) {
  if (name == "kendall_tau" || name == "tau") return CvMetric::kendall_tau;
  if (name == "mape") return CvMetric::mape;
  throw InputError("unknown cross-validation metric '" + name + "' (allowed: kendall_tau, mape)");
}

Predictor train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config) {
  if (x.rows() == 0) throw InputError("cannot train a predictor on no data");
  if (x.rows() != y.size()) throw std::invalid_argument("train: feature rows and targets differ in number");
  Eigen::VectorXd t = y;
  if (config.transform == TargetTransform::log) {
    if ((y.array() <= 0.0).any()) throw InputError("the log target transform needs targets > 0");
    t = y.array().log();
  }
  Predictor p;
  p.config = config;
  p.scaling = FeatureScaling::fit(x, config.scaling);
  const Eigen::MatrixXd scaled = p.scaling.apply(x);
  if (config.kind == ModelKind::ridge) {
    p.ridge = fit_ridge(scaled, t, config.alpha);
  } else {
    p.svr = fit_svr(scaled, t, config.svr);
  }
  return p;
}

Eigen::VectorXd Predictor::predict(const Eigen::MatrixXd& features) const {
  if (static_cast<std::size_t>(features.cols()) != feature_count()) {
    throw InputError("predictor expects " + std::to_string(feature_count()) + " features, got " +
                     std::to_string(features.cols()));
  }
  const Eigen::MatrixXd scaled = scaling.apply(features);
  Eigen::VectorXd t = config.kind == ModelKind::ridge ? ridge.predict(scaled) : svr.predict(scaled);
  if (config.transform == TargetTransform::log) t = t.array().exp();
  return t;
}

void check_finite_predictions(const Eigen::VectorXd& predicted, const std::string& where) {
  Eigen::Index bad = 0;
  Eigen::Index first = -1;
  for (Eigen::Index i = 0; i < predicted.size(); ++i) {
    if (std::isfinite(predicted[i])) continue;
    if (first < 0) first = i;
    ++bad;
  }
  if (bad == 0) return;
  const double v = predicted[first];
  throw InputError(located(where, "the model predicts " + std::string(std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf") +
                                      " for " + std::to_string(bad) + " of " + std::to_string(predicted.size()) +
                                      " points (the first is point " + std::to_string(first) +
                                      "): its numbers overflow; refit the model"));
}

void Predictor::check_compatible(const Encoder& encoder, const std::string& where) const {
  if (encoder.space().name() != space) {
    throw InputError(located(where, "the predictor was trained on space '" + space + "', not '" +
                                        encoder.space().name() + "'"));
  }
  const auto& names = encoder.feature_names();
  if (names.size() != feature_names.size()) {
    throw InputError(located(where, "the predictor has " + std::to_string(feature_names.size()) +
                                        " features, the encoding of space '" + space + "' has " +
                                        std::to_string(names.size())));
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != feature_names[i]) {
      throw InputError(located(where, "feature " + std::to_string(i) + " is '" + feature_names[i] +
                                          "' in the predictor but '" + names[i] + "' in the encoding"));
    }
  }
}

void Predictor::describe_features(const Encoder& encoder) {
  space = encoder.space().name();
  encoding = encoder.spec();
  feature_names = encoder.feature_names();
}

}  // namespace cimnet
