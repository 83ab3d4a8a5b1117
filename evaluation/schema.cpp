#include "evaluation/schema.hpp"

#include <algorithm>
#include <stdexcept>

#include "hardware/hardware.hpp"

namespace cimnet::evaluation {

Schema::Schema(const SearchSpace& space) : Schema(space, std::string()) {}

Schema::Schema(const SearchSpace& space, const std::string& accuracy_label)
    : Schema(space, HardwareSpace::defaults(), accuracy_label) {}

Schema::Schema(const SearchSpace& space, const HardwareSpace& hardware, const std::string& accuracy_label) {
  auto add = [this](std::string name, std::string unit, std::string description, bool deterministic = true,
                    bool measured = false) {
    columns_.push_back({std::move(name), std::move(unit), std::move(description), deterministic, measured});
  };
  add(col::kIndex, "-", "position of the point in the run's point list (0-based)");
  add(col::kSpace, "-", "search space name");
  add(col::kGenome, "-", "canonical sub-network, compact spec (cimnet network --genome accepts it)");
  for (std::size_t g = 0; g < space.gene_count(); ++g) {
    add(space.gene_name(g), "-", "value of gene " + std::to_string(g) + ": " + space.group_of(g).description);
  }
  for (const auto& info : hw_param_infos()) add(info.name, info.unit, info.description);
  for (const auto& gene : hardware.component_genes) {
    add(gene.name(), unit_of(gene.field),
        "digital core '" + gene.core + "': " + description_of(gene.field) + " (a searched component gene)");
  }
  add(col::kMacs, "MACs", "multiply-accumulates of one inference of the sub-network");
  add(col::kParams, "-", "parameters (weights and biases) of the sub-network");
  if (!accuracy_label.empty()) {
    const bool proxy = accuracy_label.rfind("PROXY", 0) == 0;
    add(col::kAccuracy, "%",
        std::string(proxy ? "PROXY (not a measurement) " : "") + "top-1 accuracy of the sub-network, computed by the "
        "coordinator from the scenario's accuracy source: " + accuracy_label);
  }
  add(col::kStatus, "-", "ok, error (the evaluation failed or its worker crashed) or timeout");
  add(col::kMessage, "-", "why the point is not ok; empty when ok");
  add(col::kCycles, "cycles",
      "SystemC ground truth: cycles of one inference, cold or steady as the metadata's cycles_of= says", true, true);
  add(col::kAnalyticalCycles, "cycles", "the mapper's analytical estimate of the same", true, true);
  add(col::kColdCycles, "cycles", "SystemC: the first inference on an idle chip, every weight loaded", true, true);
  add(col::kSteadyCycles, "cycles",
      "SystemC: one inference once warm, resident weights already in the arrays (= cold_cycles when none is resident)",
      true, true);
  add(col::kAnalyticalColdCycles, "cycles", "the mapper's analytical estimate of cold_cycles", true, true);
  add(col::kAnalyticalSteadyCycles, "cycles", "the mapper's analytical estimate of steady_cycles", true, true);
  add(col::kEnergy, "pJ",
      "energy of the inference the cycles column counts: the program's actions priced by the scenario's energy "
      "table, static power over its simulated cycles (docs/energy.md)",
      true, true);
  add(col::kAnalyticalEnergy, "pJ", "the same with static power over the analytical cycles", true, true);
  for (const char* level : {"dram", "l2", "l1", "ma"}) {
    const std::string l = level;
    // The model counts bytes per run, not per inference: with resident weights the run holds two.
    const std::string whole = " (all links of the level, the whole simulated run: the first and a warm inference "
                              "when cold_cycles and steady_cycles differ)";
    add(l + "_bytes_down", "bytes", "bytes through the " + l + " level towards the arrays" + whole, true, true);
    add(l + "_bytes_up", "bytes", "bytes through the " + l + " level towards DRAM" + whole, true, true);
  }
  add(col::kUtilisation, "-", "MACs / (cycles x peak MACs per cycle): compute utilisation of the cycles column, 0 to 1",
      true, true);
  add(col::kBound, "-", "the kind of resource that bounded the most operations (link, port, reduction, ...)",
      true, true);
  add(col::kWall, "s", "wall time of the point's worker process, fork to result (NOT deterministic)", false,
      false);
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      // A gene named like a fixed column would make the file ambiguous: a bug in the space, not input.
      if (columns_[i].name == columns_[j].name) throw std::logic_error("duplicate dataset column " + columns_[i].name);
    }
  }
}

const std::vector<std::string>& cold_steady_columns() {
  static const std::vector<std::string> names = {col::kColdCycles, col::kSteadyCycles, col::kAnalyticalColdCycles,
                                                 col::kAnalyticalSteadyCycles};
  return names;
}

bool is_cold_steady_column(const std::string& name) {
  const auto& names = cold_steady_columns();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_energy_column(const std::string& name) { return name == col::kEnergy || name == col::kAnalyticalEnergy; }

std::vector<Schema> Schema::earlier_layouts() const { return {without_energy(), without_cold_steady()}; }

Schema Schema::without_energy() const {
  Schema out;
  for (const auto& c : columns_) {
    if (!is_energy_column(c.name)) out.columns_.push_back(c);
  }
  return out;
}

Schema Schema::without_cold_steady() const {
  Schema out;
  for (const auto& c : columns_) {
    if (!is_cold_steady_column(c.name) && !is_energy_column(c.name)) out.columns_.push_back(c);
  }
  return out;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  for (const auto& c : columns_) out.push_back(c.name);
  return out;
}

std::size_t Schema::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  throw std::out_of_range("dataset schema has no column '" + name + "'");
}

bool Schema::has(const std::string& name) const {
  for (const auto& c : columns_) {
    if (c.name == name) return true;
  }
  return false;
}

}  // namespace cimnet::evaluation
