#pragma once
// Which core runs each MAC layer of a design with digital cores (issue 17): the arrays or one of the
// digital cores, for the network's latency, its energy, or their product (CoreAllocation,
// hardware/schedule_objective.hpp).
//
// Under layer-by-layer every layer reads its operands from DRAM and writes its results back, and no two
// layers overlap, so a layer's cycles and its dynamic energy on a core depend on that core alone, and
// the network's cycles and energy are sums over its layers (static energy = static power × the cycles).
// The allocation is then exact without a search heuristic:
//   latency       each layer on its fastest core (ties to the arrays, then to the first core);
//   energy        each layer on the core of least dynamic energy + static power × its cycles;
//   energy-delay  the product of two sums does not split by layer, but its minimum lies on the Pareto
//                 front of (cycles, energy) over all assignments, which is built exactly, layer after
//                 layer: the front of the first i layers is the non-dominated set of the front of i − 1
//                 layers plus each option of layer i. Its size is at most the number of distinct cycle
//                 sums; on the shipped designs it stays in the hundreds.
// Where layers overlap (cores running at once) the sums no longer hold, and the allocation is searched
// over the schedule from this one: under `fused`, for the layers on branches (fused_allocation.hpp); in
// a stream, for its single-layer segments (stream_allocation.hpp).
#include <cstdint>
#include <vector>

#include "hardware/energy_table.hpp"
#include "hardware/hardware.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/digital_mapper.hpp"
#include "mapping/mapping.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// One way to run a layer: on the arrays (core −1) or on digital core `core`; its estimated cycles and
// its dynamic energy (pJ).
struct CoreOption {
  int core = -1;
  std::int64_t cycles = 0;
  double dynamic_pj = 0;
};

struct AllocationProblem {
  std::vector<std::vector<CoreOption>> options;  // per layer with a choice: at least one option each
  std::int64_t fixed_cycles = 0;                 // the layers without a choice
  double fixed_pj = 0;                           // their dynamic energy
  double static_pj_per_cycle = 0;                // the whole design's static power, pJ per cycle
  // The network's energy for `cycles` and `dynamic_pj` of the layers with a choice.
  double energy(std::int64_t cycles, double dynamic_pj) const {
    return fixed_pj + dynamic_pj + static_pj_per_cycle * static_cast<double>(fixed_cycles + cycles);
  }
};

// One assignment: the option index per layer with a choice, and the network's cycles and energy (pJ,
// static included).
struct Assignment {
  std::vector<int> choice;
  std::int64_t cycles = 0;
  double energy_pj = 0;
};

// The assignment the objective chooses (module comment).
Assignment allocate(const AllocationProblem& problem, CoreAllocation objective);

// The exact Pareto front of (cycles, energy) over every assignment, fewest cycles first (the energy
// strictly falling along it). Assignments of equal cycles and energy keep the one found first (the
// earlier options: the arrays before the digital cores).
std::vector<Assignment> allocation_front(const AllocationProblem& problem);

// Dynamic energy (pJ) of one layer run alone from DRAM to DRAM, as the layer-by-layer program runs it:
// its ops built alone, their action counts priced by `table` at the layer's precisions.
double mac_layer_dynamic_pj(const Layer& layer, const Plan& plan, const HardwareConfig& hw, const EnergyTable& table);
double digital_layer_dynamic_pj(const Layer& layer, int core, const DigitalTiling& tiling, const HardwareConfig& hw,
                                const EnergyTable& table);
double vector_layer_dynamic_pj(const Layer& layer, const HardwareConfig& hw, const EnergyTable& table);

// The design's static power in pJ per cycle at its clock.
double static_pj_per_cycle(const HardwareConfig& hw, const EnergyTable& table);

}  // namespace cimnet
