#include "mapping/execution.hpp"

#include "common/error.hpp"

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

Execution parse_execution(const std::string& text, const std::string& where) {
  for (Execution e : {Execution::LayerByLayer, Execution::Fused}) {
    if (text == to_string(e)) return e;
  }
  throw InputError(located(where, "unknown execution policy '" + text + "' (allowed: layer-by-layer, fused)"));
}

}  // namespace cimnet
