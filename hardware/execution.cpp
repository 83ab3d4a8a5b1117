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
    case Execution::Pipelined:
      return "pipelined";
  }
  return "?";
}

namespace {
constexpr Execution kAll[] = {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined};
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

std::vector<Execution> searched_executions() {
  return {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined};
}

std::vector<std::string> searched_execution_names() {
  std::vector<std::string> names;
  for (Execution e : searched_executions()) names.emplace_back(to_string(e));
  return names;
}

std::string to_string(const ExecutionSetting& setting) {
  return setting.searched ? kSearchedExecution : to_string(setting.policy);
}

std::vector<std::string> execution_setting_names() {
  std::vector<std::string> names = execution_names();
  names.emplace_back(kSearchedExecution);
  return names;
}

ExecutionSetting parse_execution_setting(const std::string& text, const std::string& where) {
  ExecutionSetting setting;
  if (text == kSearchedExecution) {
    setting.searched = true;
    return setting;
  }
  for (Execution e : kAll) {
    if (text == to_string(e)) {
      setting.policy = e;
      return setting;
    }
  }
  throw InputError(
      located(where, "unknown execution policy '" + text + "' (allowed: " + join(execution_setting_names(), ", ") + ")"));
}

const char* to_string(CyclesOf cycles_of) {
  switch (cycles_of) {
    case CyclesOf::Cold:
      return "cold";
    case CyclesOf::Steady:
      return "steady";
    case CyclesOf::Stream:
      return "stream";
  }
  return "?";
}

namespace {
constexpr CyclesOf kAllCyclesOf[] = {CyclesOf::Cold, CyclesOf::Steady, CyclesOf::Stream};
}  // namespace

std::vector<std::string> cycles_of_names() {
  std::vector<std::string> names;
  for (CyclesOf c : kAllCyclesOf) names.emplace_back(to_string(c));
  return names;
}

CyclesOf parse_cycles_of(const std::string& text, const std::string& where) {
  for (CyclesOf c : kAllCyclesOf) {
    if (text == to_string(c)) return c;
  }
  throw InputError(located(where, "unknown choice of cycles '" + text + "' (allowed: " + join(cycles_of_names(), ", ") + ")"));
}

}  // namespace cimnet
