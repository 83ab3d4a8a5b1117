#include "accuracy/accuracy_config.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/text.hpp"
#include "accuracy/command_source.hpp"
#include "accuracy/data_dir.hpp"
#include "accuracy/predictor_source.hpp"
#include "accuracy/proxy_source.hpp"
#include "accuracy/table_source.hpp"

namespace cimnet {

const std::vector<std::string>& accuracy_kinds() {
  static const std::vector<std::string> kinds = {"auto", "predictor", "table", "command", "proxy"};
  return kinds;
}

namespace {

std::unique_ptr<AccuracySource> shipped_model(const SearchSpace& space) {
  const std::string path = shipped_accuracy_model(space.name());
  try {
    return std::make_unique<PredictorAccuracySource>(space, path);
  } catch (const InputError& e) {
    // Most likely a relocated binary that cannot find its data: say where it looked and how to fix it.
    throw InputError(std::string(e.what()) + " (the shipped accuracy model is looked for in " + data_dir() +
                     "/accuracy; set CIMNET_DATA_DIR to cimnet's data directory)");
  }
}

}  // namespace

std::unique_ptr<AccuracySource> make_accuracy_source(const SearchSpace& space, const AccuracyConfig& config) {
  const std::string& kind = config.kind;
  const auto& kinds = accuracy_kinds();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    throw InputError("accuracy source kind '" + kind + "' is not allowed" + did_you_mean(kind, kinds) +
                     "; allowed: " + join(kinds, ", "));
  }
  const bool uses_path = kind == "predictor" || kind == "table";
  if (!config.path.empty() && !uses_path) {
    throw InputError("accuracy source '" + kind + "' takes no path (only predictor and table do)");
  }
  if (!config.command.empty() && kind != "command") {
    throw InputError("accuracy source '" + kind + "' takes no command (only command does)");
  }
  if (kind == "predictor") {
    if (!config.path.empty()) return std::make_unique<PredictorAccuracySource>(space, config.path);
    if (shipped_accuracy_model(space.name()).empty()) {
      throw InputError("no accuracy model ships for space '" + space.name() + "'; give the model file's path");
    }
    return shipped_model(space);
  }
  if (kind == "table") {
    if (config.path.empty()) throw InputError("accuracy source 'table' needs the path of a CSV of measured accuracies");
    return std::make_unique<TableAccuracySource>(space, config.path);
  }
  if (kind == "command") {
    if (config.command.empty()) throw InputError("accuracy source 'command' needs the command to run");
    return std::make_unique<CommandAccuracySource>(space, config.command, config.timeout);
  }
  if (kind == "proxy") return std::make_unique<ProxyAccuracySource>(space);
  // auto
  if (!shipped_accuracy_model(space.name()).empty()) return shipped_model(space);
  if (has_proxy(space.name())) return std::make_unique<ProxyAccuracySource>(space);
  throw InputError("no accuracy source ships for space '" + space.name() +
                   "': choose one (accuracy kind predictor with a model file, table, or command)");
}

}  // namespace cimnet
