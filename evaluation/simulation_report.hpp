#pragma once
// One network on one hardware configuration, as `cimnet simulate` reports it: map every layer,
// estimate it analytically and/or run the whole network in the SystemC model, attribute the simulated
// cycles to the layers, and assemble the figures — one line per layer and a total line for the table,
// and the JSON report (`--report`, format in docs/user-guide.md) with the mapping details, the
// analytical breakdown, the simulated span of every layer and the per-level figures of the run.
//
// Part of cimnet_evaluation_sim: it needs the mapper's and the model's results, as the simulation
// evaluator does.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hardware/hardware.hpp"
#include "hardware/energy_table.hpp"
#include "hardware/execution.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "program/memory_occupancy.hpp"
#include "workloads/network.hpp"

namespace cimnet::evaluation {

// Which cycle counts to produce: the mapper's estimate, the SystemC model's, or both.
enum class Engine { Analytical, SystemC, Both };

struct NetworkRun {
  NetworkMapping mapping;  // the plans, the analytical cycles, the program, per-layer simulated spans
  bool analytical = false;
  bool simulated = false;
  SimResult result;        // the SystemC run, when simulated (with resident weights: two inferences)
  // Which inference the per-layer lines and the unqualified totals show; the totals give both.
  CyclesOf cycles_of = CyclesOf::Steady;
};

// `power` (with a trace path in `options`): the trace gains a power counter track priced by this table.
// Maps the network (InputError naming a layer that fits no mapping) and, unless the engine is
// Analytical, simulates its program through simulate() (a forked child) and attributes the simulated
// cycles to the layers. InputError when the model refuses the program; std::runtime_error when the
// simulation fails otherwise (error, crash, timeout).
NetworkRun run_network(const Network& network, const HardwareConfig& hardware, Engine engine,
                       const SimOptions& options, Execution execution = Execution::LayerByLayer,
                       const ScheduleObjective& objective = CyclesOf::Steady, const EnergyTable* power = nullptr);

// Per-layer simulated cycles from a finished run's op timings (network_mapper.hpp's attribute()).
void attribute(NetworkMapping& mapping, const SimResult& result);

// One line of the table: a layer, in the inference run.cycles_of names, or a total (index -1).
struct LayerLine {
  int index = -1;
  std::string name, kind, shape;
  std::int64_t macs = 0;
  std::string mapping;                 // the plan's summary, "vector unit", or "" for the total
  std::int64_t analytical_cycles = -1;  // -1: not estimated
  std::int64_t simulated_cycles = -1;   // -1: not simulated
  double error = 0;                    // (analytical − simulated) / simulated, when both
  double utilisation = 0;              // MACs / (peak MACs per cycle × cycles; simulated when simulated)
  std::string bound;                   // the estimate's bound ("" for the total)
  // MAC layers: the roofline of the layer run alone (mapping/roofline.hpp) and what bounds it; -1 for
  // non-MAC layers and the total. roofline_ratio: cycles (simulated when simulated) ÷ roofline.
  double roofline = -1, roofline_ratio = 0;
  std::string roofline_bound;
  // Where the layer's input came from and its output went ("dram" or "gb", the global buffer), and
  // under `fused` the MAC layer whose step runs it (-1: its own step).
  std::string input_from, output_to;
  int fused_into = -1;
  bool resident = false;  // its weights stay in the arrays over a stream of inferences
};

// The table: one line per layer in order, then the total line ("total"); when the program holds a
// first and a warm inference (resident weights), two: "cold total" and "steady total".
std::vector<LayerLine> report_lines(const Network& network, const HardwareConfig& hardware, const NetworkRun& run);

// What each memory level held over the simulated run (program/memory_occupancy.hpp), from the run's
// op spans. Precondition: run.simulated.
MemoryOccupancy memory_occupancy(const NetworkRun& run, const HardwareConfig& hardware);

// The most change points per level the JSON report's "levels.occupancy" keeps; a level with more is
// thinned to window maxima (program/occupancy_thinning.hpp), which keeps its peak exactly.
constexpr std::size_t kOccupancyPoints = 2000;

// "levels.occupancy" of the JSON report: the run's end cycle and, per level, its capacity, peak and
// [cycle, bytes] change points (docs/user-guide.md).
nlohmann::json occupancy_json(const MemoryOccupancy& occupancy, std::size_t max_points = kOccupancyPoints);

// The JSON report: `header` (what was simulated: space and sub-network, or network file) with
// "hardware", "layers", "totals" and, when simulated, "levels" (with "occupancy") and "warnings" added.
nlohmann::json report_json(nlohmann::json header, const Network& network, const HardwareConfig& hardware,
                           const NetworkRun& run);

// "64x7x7" for a layer's output (channels × height × width, batch in front when above 1).
std::string output_shape(const Layer& layer);

}  // namespace cimnet::evaluation
