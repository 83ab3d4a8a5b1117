#pragma once
// A trained predictor: what its features are, how they are scaled, the model, and how good
// cross-validation found it. Plain data so that predictor_io.hpp can store and restore it exactly.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "predict/encoding.hpp"
#include "predict/feature_scaling.hpp"
#include "predict/metrics.hpp"
#include "predict/model_config.hpp"
#include "predict/ridge.hpp"
#include "predict/svr.hpp"

namespace cimnet {

// The score model selection ranks candidates by.
enum class CvMetric { kendall_tau, mape };
std::string to_string(CvMetric metric);
CvMetric cv_metric_from_string(const std::string& name);  // InputError naming the allowed values

struct CandidateScore {
  ModelConfig config;
  Metrics metrics;  // pooled out-of-fold
};

struct CvReport {
  int folds = 0;
  std::uint64_t seed = 0;
  CvMetric metric = CvMetric::kendall_tau;
  Metrics metrics;                        // of the chosen configuration
  std::vector<CandidateScore> candidates;  // every configuration tried, in the order tried
};

struct Predictor {
  // Metadata: which space and features the model expects.
  std::string space;                       // SearchSpace::name()
  std::string target;                      // "top1", "cycles", ...
  EncodingSpec encoding;
  std::vector<std::string> feature_names;  // Encoder::feature_names() at training time
  std::string provenance;                  // free text: data source, licence, command

  ModelConfig config;
  FeatureScaling scaling;
  RidgeModel ridge;  // used when config.kind == ridge
  SvrModel svr;      // used when config.kind == svr
  std::optional<CvReport> cv;

  std::size_t feature_count() const { return static_cast<std::size_t>(scaling.offset.size()); }
  // Batched prediction on the original target scale: one value per row of unscaled features.
  Eigen::VectorXd predict(const Eigen::MatrixXd& features) const;
  // InputError (prefixed by `where`) when the encoder's space or features differ from the model's.
  void check_compatible(const Encoder& encoder, const std::string& where) const;
  // Sets space, encoding and feature names from an encoder.
  void describe_features(const Encoder& encoder);
};

// InputError (prefixed by `where`, e.g. the model file) when any prediction is not a finite number:
// a model whose weights overflow predicts inf or nan, and metrics computed from those (tau 1.0, MAPE
// nan) would look like results.
void check_finite_predictions(const Eigen::VectorXd& predicted, const std::string& where);

// Fits feature scaling and the model of `config` on (x, y). InputError when the log transform meets
// a target ≤ 0 or the data are empty.
Predictor train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config);

}  // namespace cimnet
