#include "search/loop/method_spec.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::loop {

namespace {

struct SettingInfo {
  const char* name;
  long long low, high;  // the scenario's ranges (config/scenario.cpp, search:)
  long long MethodSettings::*field;
};

const std::vector<SettingInfo>& setting_infos() {
  static const std::vector<SettingInfo> infos = {
      {"initial", 1, 10000000, &MethodSettings::initial},
      {"batch", 1, 10000000, &MethodSettings::batch},
      {"population", 4, 100000, &MethodSettings::population},
      {"generations", 1, 1000000, &MethodSettings::generations},
      {"rerank", 0, 1000, &MethodSettings::rerank},
  };
  return infos;
}

const std::map<std::string, std::vector<std::string>>& settings_of() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"linas", {"initial", "batch", "population", "generations", "rerank"}},
      {"nsga2", {"initial", "batch"}},
      {"dynast", {"population", "generations"}},
      {"random", {}},
  };
  return m;
}

}  // namespace

const std::vector<std::string>& method_names() {
  static const std::vector<std::string> names = {"linas", "nsga2", "random", "dynast"};
  return names;
}

const std::vector<std::string>& method_setting_names(const std::string& method) { return settings_of().at(method); }

MethodSpec parse_method_spec(const std::string& text, const MethodSettings& run_settings) {
  const std::string where = "method '" + text + "'";
  const auto parts = split(text, ':');
  MethodSpec spec;
  spec.method = parts.front();
  const auto& names = method_names();
  if (std::find(names.begin(), names.end(), spec.method) == names.end()) {
    throw InputError(where + ": unknown method '" + spec.method + "'" + did_you_mean(spec.method, names) +
                     "; allowed: " + join(names, ", ") + ", each optionally followed by :setting=value");
  }
  const auto& allowed = method_setting_names(spec.method);
  const std::string allowed_text = allowed.empty() ? spec.method + " takes no settings"
                                                   : "allowed for " + spec.method + ": " + join(allowed, ", ");
  spec.settings = run_settings;
  std::map<std::string, long long> given;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    const std::string key = parts[i].substr(0, eq);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw InputError(where + ": " + (key.empty() ? std::string("an empty setting") : "unknown setting '" + key + "'") +
                       "; " + allowed_text + " (as " + spec.method + ":setting=value)");
    }
    if (eq == std::string::npos) throw InputError(where + ": setting '" + key + "' needs a value (" + key + "=N)");
    if (given.count(key)) throw InputError(where + ": setting '" + key + "' given twice");
    const auto info = std::find_if(setting_infos().begin(), setting_infos().end(),
                                   [&](const SettingInfo& s) { return key == s.name; });
    const std::string value = parts[i].substr(eq + 1);
    long long v = 0;
    try {
      v = parse_integer(value, key);
    } catch (const InputError&) {
      v = info->low - 1;  // reported below with the range
    }
    if (v < info->low || v > info->high || value.empty()) {
      throw InputError(where + ": " + key + " must be an integer from " + std::to_string(info->low) + " to " +
                       std::to_string(info->high) + ", got '" + value + "'");
    }
    given[key] = v;
    spec.settings.*(info->field) = v;
  }
  // Canonical name: the settings in the order of the table, written as integers.
  spec.name = spec.method;
  for (const auto& info : setting_infos()) {
    const auto g = given.find(info.name);
    if (g != given.end()) spec.name += std::string(":") + info.name + "=" + std::to_string(g->second);
  }
  return spec;
}

std::vector<MethodSpec> parse_method_specs(const std::vector<std::string>& texts, const MethodSettings& run_settings) {
  std::vector<MethodSpec> out;
  for (const auto& t : texts) {
    MethodSpec s = parse_method_spec(t, run_settings);
    for (const auto& o : out) {
      if (o.name == s.name) throw InputError("method '" + t + "' is listed twice (as '" + o.name + "')");
    }
    out.push_back(std::move(s));
  }
  if (out.empty()) throw InputError("search: no method to run");
  return out;
}

}  // namespace cimnet::loop
