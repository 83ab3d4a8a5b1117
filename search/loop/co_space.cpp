#include "search/loop/co_space.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/error.hpp"

namespace cimnet::loop {

Mode mode_from_string(const std::string& text) {
  if (text == "arch") return Mode::Arch;
  if (text == "hw") return Mode::Hw;
  if (text == "joint") return Mode::Joint;
  throw InputError("unknown search mode '" + text + "'; allowed: arch, hw, joint");
}

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::Arch: return "arch";
    case Mode::Hw: return "hw";
    case Mode::Joint: return "joint";
  }
  return "?";
}

std::string point_key(const SearchSpace& space, const Genome& canonical_arch, const HwGenome& hw) {
  std::string key = space.format(canonical_arch);
  key += " hw=";
  for (std::size_t i = 0; i < hw.size(); ++i) {
    if (i) key += '.';
    key += std::to_string(hw[i]);
  }
  return key;
}

std::string point_key(const SearchSpace& space, const Genome& canonical_arch, const HwGenome& hw, Execution execution) {
  return point_key(space, canonical_arch, hw) + " execution=" + to_string(execution);
}

CoSpace::CoSpace(const SearchSpace& space, const HardwareSpace& hardware, Mode mode,
                 const std::string& reference_network, double area_budget, ExecutionSetting execution,
                 CyclesOf cycles_of, AllocationSetting allocation)
    : space_(space),
      hardware_(hardware),
      mode_(mode),
      execution_(execution),
      cycles_of_(cycles_of),
      allocation_(allocation),
      area_(hardware.reference_config()),
      area_budget_(area_budget),
      reference_network_(space.canonical(space.parse(reference_network))) {
  if (area_budget < 0) throw InputError("the area budget must be 0 (none) or positive");
  if (mode != Mode::Hw) {
    for (std::size_t g = 0; g < space.gene_count(); ++g) {
      cardinalities_.push_back(static_cast<int>(space.group_of(g).choices.size()));
    }
  }
  if (mode != Mode::Arch) {
    for (std::size_t g = 0; g < hardware.gene_count(); ++g) {
      cardinalities_.push_back(static_cast<int>(hardware.gene_choices(g).size()));
    }
  }
  if (execution_.searched) cardinalities_.push_back(static_cast<int>(searched_executions().size()));
  if (allocation_.searched) cardinalities_.push_back(static_cast<int>(searched_allocations().size()));
  if (area_budget_ > 0 && area(mode == Mode::Arch ? hardware.reference : hardware.smallest()) > area_budget_) {
    throw InputError("the area budget " + std::to_string(area_budget_) + " excludes every hardware configuration");
  }
}

Candidate CoSpace::make(const Genome& arch, const HwGenome& hw) const {
  return make(arch, hw, execution_.searched ? Execution::LayerByLayer : execution_.policy);
}

Candidate CoSpace::make(const Genome& arch, const HwGenome& hw, Execution execution) const {
  return make(arch, hw, execution, allocation_.objective);
}

Candidate CoSpace::make(const Genome& arch, const HwGenome& hw, Execution execution, CoreAllocation allocation) const {
  if (!allocation_.searched && allocation != allocation_.objective) {
    throw std::logic_error(std::string("CoSpace::make: a candidate allocated for ") + to_string(allocation) +
                           " in a search whose objective is fixed at " + to_string(allocation_.objective));
  }
  if (!execution_.searched && execution != execution_.policy) {
    throw std::logic_error(std::string("CoSpace::make: a ") + to_string(execution) + " candidate in a search whose "
                           "policy is fixed at " + to_string(execution_.policy));
  }
  if (execution_.searched) {
    const auto policies = searched_executions();
    if (std::find(policies.begin(), policies.end(), execution) == policies.end()) {
      throw std::logic_error(std::string("CoSpace::make: ") + to_string(execution) + " is not a searched policy");
    }
  }
  Candidate c;
  c.arch = space_.canonical(arch);
  c.hw = hw;
  c.execution = execution;
  c.allocation = allocation;
  c.key = execution_.searched ? point_key(space_, c.arch, c.hw, execution) : point_key(space_, c.arch, c.hw);
  if (allocation_.searched) c.key += std::string(" allocation=") + to_string(allocation);
  c.area = area(hw);
  return c;
}

Candidate CoSpace::decode(const std::vector<int>& flat) const {
  Genome arch = reference_network_;
  HwGenome hw = hardware_.reference;
  std::size_t pos = 0;
  if (mode_ != Mode::Hw) {
    arch.assign(flat.begin(), flat.begin() + static_cast<std::ptrdiff_t>(space_.gene_count()));
    pos = space_.gene_count();
  }
  if (mode_ != Mode::Arch) {
    for (std::size_t i = 0; i < hw.size(); ++i) hw[i] = flat.at(pos + i);
    pos += hw.size();
  }
  Execution execution = execution_.policy;
  if (execution_.searched) execution = searched_executions().at(static_cast<std::size_t>(flat.at(pos++)));
  CoreAllocation allocation = allocation_.objective;
  if (allocation_.searched) allocation = searched_allocations().at(static_cast<std::size_t>(flat.at(pos)));
  return make(arch, hw, execution, allocation);
}

std::vector<int> CoSpace::encode(const Candidate& c) const {
  std::vector<int> flat;
  if (mode_ != Mode::Hw) flat = c.arch;
  if (mode_ != Mode::Arch) flat.insert(flat.end(), c.hw.begin(), c.hw.end());
  if (execution_.searched) {
    const auto policies = searched_executions();
    const auto at = std::find(policies.begin(), policies.end(), c.execution);
    if (at == policies.end()) {
      throw std::logic_error(std::string("CoSpace::encode: policy ") + to_string(c.execution) + " is not a searched one");
    }
    flat.push_back(static_cast<int>(at - policies.begin()));
  }
  if (allocation_.searched) {
    const auto objectives = searched_allocations();
    const auto at = std::find(objectives.begin(), objectives.end(), c.allocation);
    if (at == objectives.end()) {
      throw std::logic_error(std::string("CoSpace::encode: objective ") + to_string(c.allocation) + " is not a searched one");
    }
    flat.push_back(static_cast<int>(at - objectives.begin()));
  }
  return flat;
}

std::vector<CoSpace::SearchedChoice> CoSpace::searched_choices() const {
  std::vector<SearchedChoice> out;
  if (execution_.searched) out.push_back({"execution", "execution policy", searched_execution_names()});
  if (allocation_.searched) out.push_back({"allocation", "allocation objective", allocation_names()});
  return out;
}

std::vector<std::string> CoSpace::choice_columns() const {
  std::vector<std::string> out;
  for (const SearchedChoice& c : searched_choices()) out.push_back(c.column);
  return out;
}

std::vector<std::string> CoSpace::choice_values(const Candidate& c) const {
  std::vector<std::string> out;
  if (execution_.searched) out.emplace_back(to_string(c.execution));
  if (allocation_.searched) out.emplace_back(to_string(c.allocation));
  return out;
}

Candidate CoSpace::make(const Genome& arch, const HwGenome& hw, const std::vector<std::string>& choices) const {
  const std::size_t searched = (execution_.searched ? 1 : 0) + (allocation_.searched ? 1 : 0);
  if (choices.size() != searched) {
    throw std::logic_error("CoSpace::make: " + std::to_string(choices.size()) + " choices for " +
                           std::to_string(searched) + " searched ones");
  }
  std::size_t i = 0;
  const Execution execution = execution_.searched ? parse_execution(choices[i++], "execution") : execution_.policy;
  const CoreAllocation allocation = allocation_.searched ? parse_allocation(choices[i], "allocation") : allocation_.objective;
  return make(arch, hw, execution, allocation);
}

Candidate CoSpace::sample(Rng& rng) const {
  std::vector<int> flat(cardinalities_.size());
  for (std::size_t i = 0; i < flat.size(); ++i) {
    flat[i] = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(cardinalities_[i])));
  }
  return decode(flat);
}

}  // namespace cimnet::loop
