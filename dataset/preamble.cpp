#include "dataset/preamble.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"
#include "hardware/execution.hpp"
#include "hardware/schedule_objective.hpp"
#include "common/text.hpp"
#include "common/csv_line.hpp"
#include "common/fnv_hash.hpp"

namespace cimnet::dataset {

namespace {
constexpr const char* kMagic = "# cimnet dataset ";
}

std::string Meta::describe() const {
  return "scenario=" + scenario + " space=" + space + " mode=" + mode + " seed=" + std::to_string(seed) +
         " n=" + std::to_string(n) + " points=" + points + " shard=" + shard.to_string() + " execution=" + execution +
         " cycles_of=" + cycles_of + (latency_bound == "none" ? "" : " latency_bound=" + latency_bound) +
         (allocation == "latency" ? "" : " allocation=" + allocation);
}

std::string Meta::difference(const Meta& other) const {
  // Every field, the optional ones at their defaults too, so that the two lists align word by word.
  const auto words = [](const Meta& m) {
    auto w = split(m.describe(), ' ');
    if (m.latency_bound == "none") w.push_back("latency_bound=none");
    if (m.allocation == "latency") w.push_back("allocation=latency");
    std::stable_partition(w.begin(), w.end(), [](const std::string& x) { return !starts_with(x, "allocation="); });
    return w;
  };
  const auto a = words(*this);
  const auto b = words(other);
  std::vector<std::string> mine;
  std::vector<std::string> theirs;
  if (version != other.version) {
    mine.push_back(version);
    theirs.push_back(other.version);
  }
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const std::string& x = a[i];
    const std::string& y = b[i];
    if (x == y) continue;
    mine.push_back(x);
    theirs.push_back(y);
  }
  return join(mine, " ") + " vs " + join(theirs, " ");
}

std::string scenario_fingerprint(const std::string& scenario_text) { return fnv1a_hex(scenario_text); }

std::string format_preamble(const Meta& meta, const evaluation::Schema& schema) {
  std::string out = std::string(kMagic) + meta.version + " " + meta.describe() + "\n";
  for (const auto& c : schema.columns()) {
    out += "# column " + c.name + " [" + c.unit + "]: " + c.description + "\n";
  }
  out += format_csv_line(schema.names());
  return out;
}

std::size_t preamble_length(const std::string& text) {
  if (!starts_with(text, kMagic)) return 0;
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == '#') {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) return text.size();
    pos = end + 1;
  }
  return pos;
}

Meta parse_meta(const std::string& text, const std::string& source) {
  if (!starts_with(text, kMagic)) {
    throw InputError(source + ":1: not a cimnet dataset file (its first line must start with '# cimnet dataset')");
  }
  const std::string line = text.substr(0, text.find('\n'));
  const auto words = split_any(line.substr(std::string(kMagic).size()), " ");
  if (words.empty() || words[0] != kFormatVersion) {
    throw InputError(source + ":1: dataset format '" + (words.empty() ? "" : words[0]) + "' is not " +
                     kFormatVersion + " (written by another version of cimnet)");
  }
  std::map<std::string, std::string> kv;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto eq = words[i].find('=');
    if (eq == std::string::npos) throw InputError(source + ":1: malformed metadata '" + words[i] + "'");
    kv[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  auto get = [&](const std::string& key) {
    const auto it = kv.find(key);
    if (it == kv.end()) throw InputError(source + ":1: metadata line lacks '" + key + "='");
    return it->second;
  };
  Meta m;
  m.scenario = get("scenario");
  m.space = get("space");
  m.mode = get("mode");
  m.seed = static_cast<std::uint64_t>(parse_integer(get("seed"), source + ":1: seed"));
  m.n = static_cast<std::uint64_t>(parse_integer(get("n"), source + ":1: n"));
  m.points = get("points");
  m.shard = parse_shard(get("shard"));
  if (const auto it = kv.find("execution"); it != kv.end()) {
    m.execution = to_string(parse_execution(it->second, source + ":1: execution"));
  }
  if (const auto it = kv.find("cycles_of"); it != kv.end()) {
    m.cycles_of = to_string(parse_cycles_of(it->second, source + ":1: cycles_of"));
  }
  if (const auto it = kv.find("latency_bound"); it != kv.end()) {
    m.latency_bound = to_string(parse_latency_bound(it->second, source + ":1: latency_bound"));
  }
  if (const auto it = kv.find("allocation"); it != kv.end()) {
    m.allocation = to_string(parse_allocation(it->second, source + ":1: allocation"));
  }
  return m;
}

}  // namespace cimnet::dataset
