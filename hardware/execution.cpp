#include "hardware/execution.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

const char* to_string(Execution execution) {
  switch (execution) {
    case Execution::LayerByLayer:
      return "layer-by-layer";
    case Execution::Fused:
      return "fused";
  }
  return "?";
}

namespace {
constexpr Execution kAll[] = {Execution::LayerByLayer, Execution::Fused};
}  // namespace

std::vector<std::string> execution_names() {
  std::vector<std::string> names;
  for (Execution e : kAll) names.emplace_back(to_string(e));
  return names;
}

Execution parse_execution(const std::string& text, const std::string& where) {
  for (Execution e : kAll) {
    if (text == to_string(e)) return e;
  }
  throw InputError(located(where, "unknown execution policy '" + text + "' (allowed: " + join(execution_names(), ", ") + ")"));
}

}  // namespace cimnet
