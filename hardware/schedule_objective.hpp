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
};

}  // namespace cimnet
