#pragma once
// One candidate predictor: model kind, target transform, feature scaling and hyper-parameters — the
// unit that cross-validation scores and model selection picks.
#include <string>

#include "predict/feature_scaling.hpp"
#include "predict/svr.hpp"

namespace cimnet {

enum class ModelKind { ridge, svr };
// log: fit ln(y), predict exp(·). Cycles span orders of magnitude and their errors are multiplicative,
// so a log target fits relative errors (what MAPE measures); it needs y > 0.
enum class TargetTransform { none, log };

std::string to_string(ModelKind kind);
std::string to_string(TargetTransform transform);
// InputError naming the allowed values.
ModelKind model_kind_from_string(const std::string& name);
TargetTransform target_transform_from_string(const std::string& name);

struct ModelConfig {
  ModelKind kind = ModelKind::ridge;
  TargetTransform transform = TargetTransform::none;
  ScalingMode scaling = ScalingMode::standard;  // standard for ridge, minmax for SVR (feature_scaling.hpp)
  double alpha = 1.0;                           // ridge
  SvrParams svr;                                // svr

  // "ridge alpha=0.1 log" — for reports.
  std::string describe() const;
};

}  // namespace cimnet
