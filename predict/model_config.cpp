#include "predict/model_config.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

std::string to_string(ModelKind kind) { return kind == ModelKind::ridge ? "ridge" : "svr"; }
std::string to_string(TargetTransform transform) { return transform == TargetTransform::none ? "none" : "log"; }

ModelKind model_kind_from_string(const std::string& name) {
  if (name == "ridge") return ModelKind::ridge;
  if (name == "svr") return ModelKind::svr;
  throw InputError("unknown model kind '" + name + "' (allowed: ridge, svr)");
}

TargetTransform target_transform_from_string(const std::string& name) {
  if (name == "none") return TargetTransform::none;
  if (name == "log") return TargetTransform::log;
  throw InputError("unknown target transform '" + name + "' (allowed: none, log)");
}

std::string ModelConfig::describe() const {
  std::string s = to_string(kind);
  if (kind == ModelKind::ridge) {
    s += " alpha=" + format_number(alpha);
  } else {
    s += " C=" + format_number(svr.c) + " gamma=" + format_number(svr.gamma) + " epsilon=" + format_number(svr.epsilon);
  }
  s += " transform=" + to_string(transform) + " scaling=" + to_string(scaling);
  return s;
}

}  // namespace cimnet
