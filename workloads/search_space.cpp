#include "workloads/search_space.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

SearchSpace::SearchSpace(std::string name, std::vector<GeneGroup> groups, std::vector<std::string> ignored_dict_keys)
    : name_(std::move(name)), groups_(std::move(groups)), ignored_dict_keys_(std::move(ignored_dict_keys)) {
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].choices.empty() || groups_[g].count <= 0) {
      throw std::logic_error("search space " + name_ + ": gene group " + groups_[g].name + " is empty");
    }
    group_start_.push_back(gene_group_.size());
    for (int i = 0; i < groups_[g].count; ++i) gene_group_.push_back(g);
  }
}

std::string SearchSpace::gene_name(std::size_t gene) const {
  const std::size_t g = gene_group_.at(gene);
  if (groups_[g].count == 1) return groups_[g].spec_name();
  return groups_[g].spec_name() + std::to_string(gene - group_start_[g]);
}

double SearchSpace::value(const Genome& genome, std::size_t gene) const {
  return group_of(gene).choices.at(static_cast<std::size_t>(genome.at(gene)));
}

std::vector<double> SearchSpace::group_values(const Genome& genome, const std::string& group) const {
  const std::size_t start = group_offset(group);
  std::vector<double> values;
  for (std::size_t i = start; i < start + static_cast<std::size_t>(groups_[gene_group_[start]].count); ++i) {
    values.push_back(value(genome, i));
  }
  return values;
}

double SearchSpace::log10_genome_count() const {
  double s = 0;
  for (const auto& g : groups_) s += g.count * std::log10(static_cast<double>(g.choices.size()));
  return s;
}

std::size_t SearchSpace::group_offset(const std::string& group) const {
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].named(group)) return group_start_[g];
  }
  throw std::logic_error("search space " + name_ + " has no gene group " + group);
}

double SearchSpace::gene_value(const Genome& genome, const std::string& group, int index) const {
  return value(genome, group_offset(group) + static_cast<std::size_t>(index));
}

void SearchSpace::check(const Genome& genome) const {
  if (genome.size() != gene_count()) {
    throw InputError(name_ + ": a genome has " + std::to_string(gene_count()) + " genes, got " +
                     std::to_string(genome.size()));
  }
  for (std::size_t i = 0; i < genome.size(); ++i) {
    const auto n = static_cast<int>(group_of(i).choices.size());
    if (genome[i] < 0 || genome[i] >= n) {
      throw InputError(name_ + ": gene " + gene_name(i) + " has choice index " + std::to_string(genome[i]) +
                       ", allowed 0.." + std::to_string(n - 1));
    }
  }
}

Genome SearchSpace::canonical(const Genome& genome) const {
  check(genome);
  Genome c = genome;
  fold_aliases(c);
  const std::vector<bool> active = active_genes(c);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!active[i]) c[i] = 0;
  }
  return c;
}

Genome SearchSpace::smallest() const { return canonical(Genome(gene_count(), 0)); }

Genome SearchSpace::largest() const {
  Genome g(gene_count());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = static_cast<int>(group_of(i).choices.size()) - 1;
  return canonical(g);
}

Genome SearchSpace::sample(Rng& rng) const {
  Genome g(gene_count());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = static_cast<int>(rng.uniform_int(group_of(i).choices.size()));
  return canonical(g);
}

std::string SearchSpace::format(const Genome& genome) const {
  check(genome);
  std::vector<std::string> parts;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    std::vector<std::string> values;
    for (int i = 0; i < groups_[g].count; ++i) values.push_back(format_number(value(genome, group_start_[g] + i)));
    parts.push_back(groups_[g].spec_name() + "=" + join(values, "-"));
  }
  return join(parts, ":");
}

std::string SearchSpace::to_dynast_dict(const Genome& genome) const {
  check(genome);
  std::string s = "{";
  for (const auto& key : ignored_dict_keys_) s += "'" + key + "': None, ";
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (g) s += ", ";
    s += "'" + groups_[g].name + "': [";
    for (int i = 0; i < groups_[g].count; ++i) {
      if (i) s += ", ";
      s += format_number(value(genome, group_start_[g] + i));
    }
    s += "]";
  }
  return s + "}";
}

int SearchSpace::choice_index(const GeneGroup& group, double v, const std::string& what) const {
  for (std::size_t c = 0; c < group.choices.size(); ++c) {
    if (std::fabs(group.choices[c] - v) <= 1e-9 * std::max(1.0, std::fabs(v))) return static_cast<int>(c);
  }
  std::vector<std::string> allowed;
  for (double c : group.choices) allowed.push_back(format_number(c));
  throw InputError(name_ + ": " + what + " = " + format_number(v) + " is not allowed; choices: " +
                   join(allowed, ", "));
}

Genome SearchSpace::parse(const std::string& raw) const {
  const std::string spec = trim(raw);
  if (spec == "min") return smallest();
  if (spec == "max") return largest();
  if (starts_with(spec, "random:")) {
    const long long seed = parse_integer(spec.substr(7), name_ + ": seed of '" + spec + "'");
    Rng rng(static_cast<std::uint64_t>(seed));
    return sample(rng);
  }
  if (starts_with(spec, "{")) return parse_dict(spec);
  if (spec.find('=') != std::string::npos) return parse_compact(spec);
  throw InputError(name_ + ": cannot read architecture spec '" + spec +
                   "'; expected min, max, random:SEED, a compact gene string like '" + format(smallest()) +
                   "', or a DyNAS-T dict");
}

namespace {

std::vector<std::string> group_names(const std::vector<GeneGroup>& groups) {
  std::vector<std::string> names;
  for (const auto& g : groups) names.push_back(g.spec_name());
  return names;
}

std::vector<std::string> dict_keys(const std::vector<GeneGroup>& groups) {
  std::vector<std::string> names;
  for (const auto& g : groups) names.push_back(g.name);
  return names;
}

}  // namespace

Genome SearchSpace::parse_compact(const std::string& spec) const {
  Genome genome(gene_count(), -1);
  for (const std::string& part : split_any(spec, ":; \t")) {
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos) {
      throw InputError(name_ + ": '" + part + "' in architecture spec is not of the form group=values");
    }
    const std::string key = part.substr(0, eq);
    std::size_t g = 0;
    while (g < groups_.size() && !groups_[g].named(key)) ++g;
    if (g == groups_.size()) {
      throw InputError(name_ + ": unknown gene group '" + key + "'" + did_you_mean(key, group_names(groups_)) +
                       "; groups: " + join(group_names(groups_), ", "));
    }
    if (genome[group_start_[g]] >= 0) {
      // Last-one-wins would hide a typo (two groups meant, one written twice).
      throw InputError(name_ + ": gene group '" + groups_[g].name + "' is given twice in the architecture spec");
    }
    const std::vector<std::string> values = split_any(part.substr(eq + 1), "-,");
    if (static_cast<int>(values.size()) != groups_[g].count) {
      throw InputError(name_ + ": gene group '" + key + "' needs " + std::to_string(groups_[g].count) +
                       " values, got " + std::to_string(values.size()));
    }
    for (int i = 0; i < groups_[g].count; ++i) {
      const std::string what = groups_[g].count == 1 ? key : key + "[" + std::to_string(i) + "]";
      genome[group_start_[g] + i] = choice_index(groups_[g], parse_number(values[i], name_ + ": " + what), what);
    }
  }
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (genome[group_start_[g]] >= 0) continue;
    if (groups_[g].choices.size() == 1) {
      for (int i = 0; i < groups_[g].count; ++i) genome[group_start_[g] + i] = 0;
    } else {
      throw InputError(name_ + ": architecture spec is missing gene group '" + groups_[g].spec_name() + "' (" +
                       groups_[g].description + ")");
    }
  }
  return genome;
}

Genome SearchSpace::parse_dict(const std::string& spec) const {
  // A Python dict literal of the form {'key': [n, n, ...] | n | None, ...}.
  Genome genome(gene_count(), -1);
  std::set<std::string> seen_keys;
  std::size_t pos = 1;
  auto fail = [&](const std::string& why) -> InputError {
    return InputError(name_ + ": cannot read DyNAS-T dict at character " + std::to_string(pos) + ": " + why);
  };
  auto skip_space = [&] {
    while (pos < spec.size() && std::isspace(static_cast<unsigned char>(spec[pos]))) ++pos;
  };
  auto read_number = [&]() -> double {
    skip_space();
    const std::size_t begin = pos;
    while (pos < spec.size() && (std::isdigit(static_cast<unsigned char>(spec[pos])) || spec[pos] == '.' ||
                                 spec[pos] == '-' || spec[pos] == '+' || spec[pos] == 'e' || spec[pos] == 'E')) {
      ++pos;
    }
    if (begin == pos) throw fail("expected a number");
    return parse_number(spec.substr(begin, pos - begin), name_ + ": DyNAS-T dict");
  };
  while (true) {
    skip_space();
    if (pos < spec.size() && spec[pos] == '}') break;
    if (pos >= spec.size() || (spec[pos] != '\'' && spec[pos] != '"')) throw fail("expected a quoted key");
    const char quote = spec[pos++];
    const std::size_t end = spec.find(quote, pos);
    if (end == std::string::npos) throw fail("unterminated key");
    const std::string key = spec.substr(pos, end - pos);
    pos = end + 1;
    skip_space();
    if (pos >= spec.size() || spec[pos] != ':') throw fail("expected ':' after key '" + key + "'");
    ++pos;
    skip_space();
    if (!seen_keys.insert(key).second) throw InputError(name_ + ": key '" + key + "' appears twice in the DyNAS-T dict");
    std::vector<double> values;
    bool is_none = false;
    // Python's None, or JSON's null (the accuracy-command protocol sends the dict as JSON).
    if (spec.compare(pos, 4, "None") == 0 || spec.compare(pos, 4, "null") == 0) {
      is_none = true;
      pos += 4;
    } else if (pos < spec.size() && spec[pos] == '[') {
      ++pos;
      skip_space();
      while (pos < spec.size() && spec[pos] != ']') {
        values.push_back(read_number());
        skip_space();
        if (pos < spec.size() && spec[pos] == ',') ++pos;
        skip_space();
      }
      if (pos >= spec.size()) throw fail("unterminated list for key '" + key + "'");
      ++pos;
    } else {
      values.push_back(read_number());
    }
    std::size_t g = 0;
    while (g < groups_.size() && !groups_[g].named(key)) ++g;
    const bool ignored = std::find(ignored_dict_keys_.begin(), ignored_dict_keys_.end(), key) != ignored_dict_keys_.end();
    if (g == groups_.size()) {
      if (ignored && !is_none) {
        throw InputError(name_ + ": key '" + key + "' of the DyNAS-T dict must be None (or null): this space has no "
                         "such choice");
      }
      if (!ignored) {
        std::vector<std::string> keys = dict_keys(groups_);
        keys.insert(keys.end(), ignored_dict_keys_.begin(), ignored_dict_keys_.end());
        throw InputError(name_ + ": unknown key '" + key + "' in DyNAS-T dict" + did_you_mean(key, keys) +
                         "; keys: " + join(keys, ", "));
      }
    } else {
      // The short and the long name of a group are one key.
      if (genome[group_start_[g]] >= 0) throw InputError(name_ + ": key '" + key + "' appears twice in the DyNAS-T dict");
      if (is_none || static_cast<int>(values.size()) != groups_[g].count) {
        throw InputError(name_ + ": key '" + key + "' needs " + std::to_string(groups_[g].count) + " values, got " +
                         (is_none ? std::string("None") : std::to_string(values.size())));
      }
      for (int i = 0; i < groups_[g].count; ++i) {
        const std::string what = groups_[g].count == 1 ? key : key + "[" + std::to_string(i) + "]";
        genome[group_start_[g] + i] = choice_index(groups_[g], values[i], what);
      }
    }
    skip_space();
    if (pos < spec.size() && spec[pos] == ',') ++pos;
  }
  if (trim(spec.substr(pos + 1)).size() != 0) throw fail("unexpected text after '}'");
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (genome[group_start_[g]] >= 0) continue;
    if (groups_[g].choices.size() != 1) {
      throw InputError(name_ + ": DyNAS-T dict is missing key '" + groups_[g].name + "'");
    }
    for (int i = 0; i < groups_[g].count; ++i) genome[group_start_[g] + i] = 0;
  }
  return genome;
}

}  // namespace cimnet
