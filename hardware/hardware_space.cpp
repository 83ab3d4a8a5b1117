// HardwareSpace (hardware/hardware.hpp): genomes of the eight parameters and the component genes, and
// the configurations they stand for.
#include <algorithm>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

namespace {

// The core of that name in a configuration's or a space's cores (const or not), or null.
template <typename Cores>
auto core_named(Cores& cores, const std::string& name) -> decltype(&cores.front()) {
  for (auto& c : cores) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> core_names(const std::vector<DigitalCore>& cores) {
  std::vector<std::string> names;
  for (const auto& c : cores) names.push_back(c.name);
  return names;
}

std::string listed(const std::vector<std::int64_t>& values) {
  std::vector<std::string> parts;
  for (auto v : values) parts.push_back(std::to_string(v));
  return join(parts, ", ");
}

// The core a gene sizes, with its choices checked: each a size the core accepts (DigitalCore::validate),
// strictly ascending. InputError otherwise, its message without the key (the callers know where).
const DigitalCore& checked_gene_core(const std::vector<DigitalCore>& cores, const ComponentGene& gene) {
  const DigitalCore* core = core_named(cores, gene.core);
  if (!core) {
    throw InputError("no digital core is named '" + gene.core + "'" +
                     (cores.empty() ? std::string("; the design has none") : "; cores: " + join(core_names(cores), ", ")));
  }
  if (gene.choices.empty()) throw InputError("needs at least one choice");
  for (std::size_t i = 0; i < gene.choices.size(); ++i) {
    if (i && gene.choices[i] <= gene.choices[i - 1]) {
      throw InputError("choices must be strictly ascending without repeats, got " + listed(gene.choices));
    }
    DigitalCore sized = *core;
    apply_gene(sized, gene.field, gene.choices[i]);
    sized.validate();
  }
  return *core;
}

}  // namespace

HardwareSpace HardwareSpace::defaults() {
  HardwareSpace s;
  for (const auto& i : hw_param_infos()) {
    s.choices[static_cast<std::size_t>(i.param)].assign(i.default_choices.begin(), i.default_choices.end());
    s.reference[static_cast<std::size_t>(i.param)] = 2;
  }
  return s;
}

std::vector<std::string> HardwareSpace::gene_names() const {
  std::vector<std::string> names = hw_param_names();
  for (const auto& g : component_genes) names.push_back(g.name());
  return names;
}

double HardwareSpace::size() const {
  double n = 1;
  for (std::size_t g = 0; g < gene_count(); ++g) n *= static_cast<double>(gene_choices(g).size());
  return n;
}

const std::vector<std::int64_t>& HardwareSpace::gene_choices(std::size_t gene) const {
  return gene < kHwParamCount ? choices.at(gene) : component_genes.at(gene - kHwParamCount).choices;
}

std::vector<std::int64_t> HardwareSpace::gene_values(const HardwareConfig& config) const {
  std::vector<std::int64_t> values(config.values.begin(), config.values.end());
  for (const auto& g : component_genes) {
    const DigitalCore* core = core_named(config.digital_cores, g.core);
    if (!core) throw std::logic_error("HardwareSpace::gene_values: the configuration has no digital core " + g.core);
    values.push_back(gene_value(*core, g.field));
  }
  return values;
}

void HardwareSpace::add_component_gene(ComponentGene gene) {
  const DigitalCore& core = checked_gene_core(digital_cores, gene);
  for (const auto& g : component_genes) {
    if (g.name() == gene.name()) throw InputError("is given twice");
  }
  const std::int64_t own = gene_value(core, gene.field);
  const auto it = std::find(gene.choices.begin(), gene.choices.end(), own);
  if (it == gene.choices.end()) {
    throw InputError("the core's own " + std::string(to_string(gene.field)) + " (" + std::to_string(own) +
                     ") is the reference design and must be one of the choices; allowed: a list that includes " +
                     std::to_string(own) + ", got " + listed(gene.choices));
  }
  reference.push_back(static_cast<int>(it - gene.choices.begin()));
  component_genes.push_back(std::move(gene));
}

HardwareConfig HardwareSpace::config(const HwGenome& genome) const {
  if (genome.size() != gene_count()) {
    throw std::logic_error("hardware genome of " + std::to_string(genome.size()) + " genes in a space of " +
                           std::to_string(gene_count()));
  }
  HardwareConfig c;
  c.fixed = fixed;
  c.digital_cores = digital_cores;
  c.cim_arrays = cim_arrays;
  for (std::size_t p = 0; p < genome.size(); ++p) {
    const auto& options = gene_choices(p);
    if (genome[p] < 0 || genome[p] >= static_cast<int>(options.size())) {
      throw InputError("hardware genome: " + gene_names()[p] + " choice " + std::to_string(genome[p]) +
                       " out of range 0.." + std::to_string(options.size() - 1));
    }
    const std::int64_t value = options[static_cast<std::size_t>(genome[p])];
    if (p < kHwParamCount) {
      c.values[p] = value;
      continue;
    }
    const ComponentGene& gene = component_genes[p - kHwParamCount];
    DigitalCore* core = core_named(c.digital_cores, gene.core);
    if (!core) throw std::logic_error("HardwareSpace::config: no digital core " + gene.core);
    apply_gene(*core, gene.field, value);
  }
  return c;
}

HwGenome HardwareSpace::smallest() const { return HwGenome(gene_count(), 0); }

HwGenome HardwareSpace::largest() const {
  HwGenome g(gene_count());
  for (std::size_t p = 0; p < g.size(); ++p) g[p] = static_cast<int>(gene_choices(p).size()) - 1;
  return g;
}

HwGenome HardwareSpace::sample(Rng& rng) const {
  HwGenome g(gene_count());
  for (std::size_t p = 0; p < g.size(); ++p) g[p] = static_cast<int>(rng.uniform_int(gene_choices(p).size()));
  return g;
}

HwGenome HardwareSpace::genome_of(const HardwareConfig& config) const { return genome_of_values(gene_values(config)); }

HwGenome HardwareSpace::genome_of_values(const std::vector<std::int64_t>& values) const {
  if (values.size() != gene_count()) {
    throw std::logic_error("hardware values of " + std::to_string(values.size()) + " genes in a space of " +
                           std::to_string(gene_count()));
  }
  HwGenome g(gene_count());
  for (std::size_t p = 0; p < g.size(); ++p) {
    const auto& options = gene_choices(p);
    const auto it = std::find(options.begin(), options.end(), values[p]);
    if (it == options.end()) {
      throw InputError(gene_names()[p] + " = " + std::to_string(values[p]) + " is not one of the choices " +
                       listed(options));
    }
    g[p] = static_cast<int>(it - options.begin());
  }
  return g;
}

void HardwareSpace::validate(const std::string& where) const {
  for (std::size_t p = 0; p < kHwParamCount; ++p) {
    const std::string name = hw_param_infos()[p].name;
    const auto& c = choices[p];
    if (c.empty()) throw InputError(located(where, "hardware.choices." + name + " is empty"));
    for (std::size_t i = 0; i < c.size(); ++i) {
      try {
        check_hw_bounds(static_cast<HwParam>(p), c[i], "hardware.choices." + name);
      } catch (const InputError& e) {
        throw InputError(located(where, e.what()));
      }
      if (i && c[i] == c[i - 1]) {
        throw InputError(located(where, "hardware.choices." + name + " lists " + std::to_string(c[i]) + " twice"));
      }
      if (i && c[i] < c[i - 1]) {
        throw InputError(located(where, "hardware.choices." + name + " must be strictly ascending"));
      }
    }
  }
  for (const auto& gene : component_genes) {
    try {
      checked_gene_core(digital_cores, gene);
    } catch (const InputError& e) {
      throw InputError(located(where, "hardware.choices." + gene.name() + ": " + e.what()));
    }
  }
  if (reference.size() != gene_count()) {
    throw InputError(located(where, "hardware.reference: " + std::to_string(reference.size()) + " indices for " +
                                        std::to_string(gene_count()) + " genes"));
  }
  for (std::size_t p = 0; p < gene_count(); ++p) {
    if (reference[p] < 0 || reference[p] >= static_cast<int>(gene_choices(p).size())) {
      throw InputError(located(where, "hardware.reference." + gene_names()[p] + " is not one of its choices"));
    }
  }
  // Every configuration of the space must be valid, the largest counts included.
  const std::int64_t l1 = choices[static_cast<std::size_t>(HwParam::L1_num_child)].back();
  const std::int64_t ma = choices[static_cast<std::size_t>(HwParam::MA_num_child)].back();
  if (l1 * ma > kMaxArrays) {
    throw InputError(located(where, "hardware.choices: the largest choices give " + arrays_problem(l1, ma)));
  }
  config(reference).validate(where);
}

}  // namespace cimnet
