#pragma once
// The space the co-search walks: a sub-network (canonical genome), a hardware configuration, or both,
// flattened into one categorical genome for NSGA-II, with the area model and the area budget.
//
//   mode arch   genes = the sub-network's genes; hardware fixed at the scenario's reference design
//   mode hw     genes = the hardware choice indices (the eight parameters, then any component genes:
//               a digital core's size a scenario searches); sub-network fixed (the reference network)
//   mode joint  genes = sub-network genes, then the hardware indices
// and, in every mode, when the execution policy is searched (`execution: searched`), one gene more at
// the end: the policy's index in searched_executions() (0 layer-by-layer, 1 fused, 2 pipelined); then,
// when the allocation objective is searched (`allocation: searched`, designs with digital cores), one
// more: its index in searched_allocations() (0 latency, 1 energy, 2 energy-delay). These are the
// candidate's *choices*. With a fixed policy and objective the genome, the candidates' keys and every
// file are what they were before the genes existed.
#include <memory>
#include <string>
#include <vector>

#include "hardware/area_model.hpp"
#include "hardware/execution.hpp"
#include "hardware/schedule_objective.hpp"
#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::loop {

enum class Mode { Arch, Hw, Joint };
Mode mode_from_string(const std::string& text);  // InputError naming arch, hw, joint
const char* to_string(Mode mode);

// One point of the co-search: what is evaluated for real.
struct Candidate {
  Genome arch;     // canonical
  HwGenome hw;
  Execution execution = Execution::LayerByLayer;  // how its network runs (every evaluation of it)
  CoreAllocation allocation = CoreAllocation::Latency;  // what its choice of core per MAC layer minimises
  // identity: canonical compact spec + hardware choice indices (+ the policy, the objective when searched)
  std::string key;
  double area = 0;  // relative area (reference design = 1)
};

class CoSpace {
 public:
  // `reference_network`: a spec of the space (see SearchSpace::parse), the fixed sub-network of mode hw.
  // area_budget 0: no budget. The spaces must outlive this object.
  // `execution`: the policy every candidate's network runs under in its real evaluations (and
  // estimates), or searched: each candidate's own, one more gene; `cycles_of`: which inference's cycles
  // are the cycles objective (cold or steady); `allocation`: what the choice of core for each MAC layer
  // minimises in designs with digital cores (every evaluation and estimate of a candidate).
  CoSpace(const SearchSpace& space, const HardwareSpace& hardware, Mode mode, const std::string& reference_network,
          double area_budget, ExecutionSetting execution = {}, CyclesOf cycles_of = CyclesOf::Steady,
          AllocationSetting allocation = {});

  const SearchSpace& space() const { return space_; }
  const HardwareSpace& hardware() const { return hardware_; }
  const ExecutionSetting& execution() const { return execution_; }
  bool execution_searched() const { return execution_.searched; }
  CyclesOf cycles_of() const { return cycles_of_; }
  // The fixed objective, or latency (the reference point's) when searched.
  CoreAllocation allocation() const { return allocation_.objective; }
  bool allocation_searched() const { return allocation_.searched; }
  Mode mode() const { return mode_; }
  const AreaModel& area_model() const { return area_; }
  double area_budget() const { return area_budget_; }
  const Genome& reference_network() const { return reference_network_; }

  // Cardinalities of the flat genome's genes.
  const std::vector<int>& cardinalities() const { return cardinalities_; }
  Candidate decode(const std::vector<int>& flat) const;
  // Canonicalises arch. Without `execution`: the fixed policy, or when searched the reference point's,
  // layer-by-layer (the CiMNet-like baseline the speedups are measured against). With it: that policy,
  // which must be the fixed one when the policy is not searched (std::logic_error otherwise).
  Candidate make(const Genome& arch, const HwGenome& hw) const;
  Candidate make(const Genome& arch, const HwGenome& hw, Execution execution) const;
  // The same with an allocation objective, which must be the fixed one when it is not searched.
  Candidate make(const Genome& arch, const HwGenome& hw, Execution execution, CoreAllocation allocation) const;

  // The choices searched beside the sub-network and the hardware, in gene order (the files' last
  // columns, the checkpoint's last elements): the execution policy when searched, then the allocation
  // objective when searched — each with its column, what it is, and its values; their columns alone;
  // a candidate's values; and a candidate made from such values (each one of its choice's `allowed`:
  // callers check and name the file).
  struct SearchedChoice {
    std::string column;                // "execution", "allocation"
    std::string meaning;               // "execution policy", "allocation objective"
    std::vector<std::string> allowed;  // the gene's values, in its order
  };
  std::vector<SearchedChoice> searched_choices() const;
  std::vector<std::string> choice_columns() const;
  std::vector<std::string> choice_values(const Candidate& c) const;
  Candidate make(const Genome& arch, const HwGenome& hw, const std::vector<std::string>& choices) const;
  // The flat genome of a candidate (inverse of decode up to canonicalisation).
  std::vector<int> encode(const Candidate& c) const;
  // The reference point: the reference sub-network on the reference hardware (layer by layer when the
  // policy is searched).
  Candidate reference() const { return make(reference_network_, hardware_.reference); }
  bool feasible(const Candidate& c) const { return area_budget_ <= 0 || c.area <= area_budget_ + 1e-12; }
  // Uniform over the mode's genes (canonical), any area.
  Candidate sample(Rng& rng) const;
  double area(const HwGenome& hw) const { return area_.area(hardware_.config(hw)); }

 private:
  const SearchSpace& space_;
  const HardwareSpace& hardware_;
  Mode mode_;
  ExecutionSetting execution_;
  CyclesOf cycles_of_;
  AllocationSetting allocation_;
  AreaModel area_;
  double area_budget_;
  Genome reference_network_;
  std::vector<int> cardinalities_;
};

// Identity of a point: canonical compact spec and the hardware choice indices (the eight, then the
// component genes: with none, the keys of before the genes existed).
std::string point_key(const SearchSpace& space, const Genome& canonical_arch, const HwGenome& hw);
// With a searched policy: the same, then " execution=<policy>".
std::string point_key(const SearchSpace& space, const Genome& canonical_arch, const HwGenome& hw, Execution execution);

}  // namespace cimnet::loop
