#pragma once
// What a network's network-level decisions minimise where they can choose (map_network): which
// inference's cycles (CyclesOf, execution.hpp), or — the `pipelined` scheduler's third objective (issue
// 15; mapping/least_memory_schedule.hpp) — the least global buffer at once among the segmentations whose
// latency is within a bound — and, in a design with digital cores, what the choice of core for each
// MAC layer minimises (CoreAllocation; mapping/core_allocation.hpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hardware/energy_table.hpp"
#include "hardware/execution.hpp"

namespace cimnet {

// A latency bound: `factor` × the fastest segmentation's latency (cold cycles of one inference), or
// `cycles`. At most one is set; neither (the default) means no bound, and no least-memory objective.
struct LatencyBound {
  double factor = 0;        // ≥ 1 when set
  std::int64_t cycles = 0;  // > 0 when set
  bool active() const { return factor > 0 || cycles > 0; }
  // The bound in cycles, given the fastest latency.
  std::int64_t applied(std::int64_t fastest) const;
  bool operator==(const LatencyBound& o) const { return factor == o.factor && cycles == o.cycles; }
};

// "1.1x" (a factor ≥ 1 of the fastest latency) or "450000" (cycles > 0); InputError "<where>: latency
// bound '<text>' is neither a factor ≥ 1 such as 1.1x nor a positive number of cycles" otherwise.
LatencyBound parse_latency_bound(const std::string& text, const std::string& where);
// "1.1x", "450000", or "none".
std::string to_string(const LatencyBound& bound);

// What the choice of core for each MAC layer minimises in a design with digital cores (issue 17;
// docs/heterogeneous.md): the network's cycles (latency), its energy (dynamic plus static power over
// its cycles, priced by a table), or their product (energy-delay). Scenario key `allocation`.
enum class CoreAllocation { Latency, Energy, EnergyDelay };

// "latency", "energy", "energy-delay".
const char* to_string(CoreAllocation allocation);
std::vector<std::string> allocation_names();
// InputError "<where>: unknown allocation objective '<text>' (allowed: latency, energy, energy-delay)".
CoreAllocation parse_allocation(const std::string& text, const std::string& where);

// What a scenario's key `allocation` names: one objective for every network, or "searched": the
// co-search (cimnet search, cimnet run) picks each candidate's objective as one more gene of its genome
// (after the execution policy's, when that is searched too), so that its front holds a design allocated
// for latency beside the same design allocated for energy (docs/search.md). Commands that run one
// network (simulate, dataset) refuse "searched". Implicit from an objective: a fixed setting.
struct AllocationSetting {
  AllocationSetting(CoreAllocation fixed = CoreAllocation::Latency) : objective(fixed) {}  // NOLINT
  bool searched = false;
  CoreAllocation objective = CoreAllocation::Latency;  // every network's, when not searched
  bool operator==(const AllocationSetting& o) const {
    return searched == o.searched && (searched || objective == o.objective);
  }
  bool operator!=(const AllocationSetting& o) const { return !(*this == o); }
};
// The objectives a searched setting chooses among (the gene's values, in this order): latency, energy,
// energy-delay.
std::vector<CoreAllocation> searched_allocations();
inline constexpr const char* kSearchedAllocation = "searched";
// "latency", ..., or "searched".
std::string to_string(const AllocationSetting& setting);
// allocation_names(), then "searched".
std::vector<std::string> allocation_setting_names();
// InputError "<where>: unknown allocation objective '<text>' (allowed: latency, energy, energy-delay,
// searched)" otherwise.
AllocationSetting parse_allocation_setting(const std::string& text, const std::string& where);

struct ScheduleObjective {
  // Implicit: every caller that only chooses the inference passes a CyclesOf.
  ScheduleObjective(CyclesOf cycles_of = CyclesOf::Cold, LatencyBound least_memory_within = {},  // NOLINT
                    CoreAllocation allocation_by = CoreAllocation::Latency, EnergyTable prices = default_energy_table())
      : cycles(cycles_of), latency_bound(least_memory_within), allocation(allocation_by), energy(std::move(prices)) {}
  // Without a bound: the segmentation of the fewest cycles of this inference. With one: this inference's
  // cycles are still the ones reported, but the segmentation is the least-memory one (the bound is on
  // the cold cycles, the latency).
  CyclesOf cycles = CyclesOf::Cold;
  LatencyBound latency_bound;
  // Which core runs each MAC layer (designs with digital cores), and the prices an energy objective
  // uses (the scenario's table).
  CoreAllocation allocation = CoreAllocation::Latency;
  EnergyTable energy;
  // Only the inference once warm is wanted (cycles = steady): under `fused`, when weights stay resident,
  // the program then programs them and runs that one inference instead of holding a first (cold)
  // inference before it; the cold one is estimated, not built (mapping/network_program.hpp). A language
  // model's decode step (its arrays warm from the steps before) needs no more.
  bool warm_only = false;
};

}  // namespace cimnet
