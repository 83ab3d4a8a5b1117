#include "search/loop/run_settings.hpp"

#include <stdexcept>

#include "common/text.hpp"

namespace cimnet::loop {

void RunSettings::add(const std::string& name, const std::string& value) {
  if (name.empty() || name.find_first_of(" =") != std::string::npos || value.find(' ') != std::string::npos) {
    throw std::logic_error("run setting '" + name + "=" + value + "' cannot be written on one line");
  }
  pairs_.emplace_back(name, value);
}

std::string RunSettings::line() const {
  std::string out;
  for (const auto& [name, value] : pairs_) out += (out.empty() ? "" : " ") + name + "=" + value;
  return out;
}

RunSettings RunSettings::parse(const std::string& line) {
  RunSettings s;
  for (const auto& piece : split_any(line, " ")) {
    const auto eq = piece.find('=');
    if (eq == std::string::npos) {
      s.pairs_.emplace_back(piece, "");
    } else {
      s.pairs_.emplace_back(piece.substr(0, eq), piece.substr(eq + 1));
    }
  }
  return s;
}

std::string RunSettings::difference(const RunSettings& recorded) const {
  const auto find = [](const RunSettings& s, const std::string& name) -> const std::string* {
    for (const auto& [n, v] : s.pairs_) {
      if (n == name) return &v;
    }
    return nullptr;
  };
  const auto shown = [](const std::string* v) { return v ? (v->empty() ? std::string("''") : *v) : "(none)"; };
  std::vector<std::string> parts;
  std::vector<std::string> names;
  for (const auto& [n, v] : recorded.pairs_) names.push_back(n);
  for (const auto& [n, v] : pairs_) {
    if (!find(recorded, n)) names.push_back(n);
  }
  for (const auto& name : names) {
    const std::string* there = find(recorded, name);
    const std::string* here = find(*this, name);
    if (there && here && *there == *here) continue;
    parts.push_back(name + " " + shown(there) + " in the run folder, " + shown(here) + " now");
  }
  return join(parts, "; ");
}

}  // namespace cimnet::loop
