#include "search/loop/objective.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace cimnet::loop {

const std::vector<std::string>& objective_names() {
  static const std::vector<std::string> names = {"accuracy", "cycles", "energy", "edp", "area"};
  return names;
}

std::string to_string(Objective o) { return objective_names().at(static_cast<std::size_t>(o)); }

Objective objective_from_string(const std::string& name) {
  const auto& names = objective_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string allowed;
    for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
    throw InputError("unknown objective '" + name + "'; allowed: " + allowed);
  }
  return static_cast<Objective>(it - names.begin());
}

std::vector<Objective> objectives_from_strings(const std::vector<std::string>& names) {
  std::vector<Objective> out;
  for (const auto& n : names) out.push_back(objective_from_string(n));
  return out;
}

bool contains(const std::vector<Objective>& objectives, Objective o) {
  return std::find(objectives.begin(), objectives.end(), o) != objectives.end();
}

bool needs_energy(const std::vector<Objective>& objectives) {
  return contains(objectives, Objective::energy) || contains(objectives, Objective::edp);
}

}  // namespace cimnet::loop
