#pragma once
// A whole network as one controller program: every layer in the network's (dependency-respecting)
// order, MAC layers with the mapper's best plan, non-MAC layers on the vector unit.
//
// Execution policy (execution.hpp). Layer-by-layer: every layer reads its inputs from DRAM and writes
// its outputs to DRAM, and its first ops (weight loads and first input tiles) wait for the previous
// layer's last op (its gate, see program_builder.hpp). Nothing overlaps across a boundary — not even
// the next layer's weight prefetch — which makes each layer's cycles its own: simulated cycles of
// layer L = end of L's last op − end of layer L−1's last op (they sum to the network's total), and the
// analytical network estimate is the sum of the layers' estimates. Within a layer, everything the plan
// allows overlaps.
// Fused (placement.hpp): the same, step by step, where a step is a MAC layer with the post-ops that
// run in its output path (their cycles are the step's: they overlap its computation, and a fused
// layer reports 0 cycles and `fused_into`), or a non-MAC layer alone; activations that fit stay in the
// global buffer. The plans are the layer-by-layer search's (the per-layer mapspace is unchanged), then
// each step that loads its weights tries the layer's best few plans in its own context (where its
// data lives, its prefetch) and the network keeps them if its steady estimate drops; the
// estimate of each step is for where its data actually lives. Weights that fit stay in the arrays
// over a stream of inferences (residency.hpp): a resident layer runs its plan with one weight slice,
// turned onto the arrays the residency chose; its first inference loads the weights and never frees
// them, and the program then holds a second inference, in which it loads nothing: cold cycles are the
// first inference's, steady cycles the second's (from the first's end to its own).
// Digital cores (HardwareConfig::digital_cores; issue 17), under every policy: each MAC layer runs
// on the core — the arrays or one of the digital cores — that the objective's allocation chooses
// (core_allocation.hpp), each layer costed alone from DRAM to DRAM: by default the one where its
// estimate alone is the fewest cycles (ties to the arrays); or for the least energy, or the least
// energy × delay. Under layer-by-layer layers never overlap and each reads and writes DRAM, so these
// choices are exact for the whole network. Under fused a layer on a digital core is a step of its own
// that reads its input where it lies and leaves its results in the global buffer when they are kept
// (placement.hpp's DigitalStep); the choice of core is still each layer's alone. Under pipelined it is a
// segment of its own (pipelined_network.hpp) (docs/heterogeneous.md).
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/digital_mapper.hpp"
#include "hardware/execution.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/mapper.hpp"
#include "mapping/mapping.hpp"
#include "program/program.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct MappedLayer {
  int index = 0;
  bool mac = false;
  Plan plan;           // MAC layers
  Cost cost;           // analytical
  // The digital core that runs it (-1: the arrays), with its tiling and estimate (`cost` then carries
  // the same cycles and DRAM bytes, bound "digital").
  int digital = -1;
  DigitalTiling digital_tiling;
  DigitalCost digital_cost;
  // With digital cores, what the allocation chose among (a MAC layer alone on each core that can run
  // it: -1 the arrays, else the digital core's index, with its cycles), and why the others cannot.
  std::vector<std::pair<int, std::int64_t>> core_options;
  std::string refused;
  std::int64_t enumerated = 0;  // plans in the layer's mapspace
  std::int64_t evaluated = 0;   // plans the mapper scored (the others provably could not win)
  int first_op = 0, end_op = 0;  // its ops in the program
  // Fused (placement.hpp): the MAC layer whose output path runs this layer (-1: a step of its own);
  // where its input comes from and where its output goes.
  int fused_into = -1;
  bool input_on_chip = false, output_on_chip = false;
  // Fused, on a digital core: it runs beside the steps issued after it up to its first reader, which
  // alone wait for it (issue_order.hpp); its simulated cycles are then its own span.
  bool beside = false;
  // The layers running beside whose results its step waits for (their ends start its simulated cycles
  // when later than the previous step's).
  std::vector<int> joins;
  // Its weights stay in the arrays over a stream of inferences (residency.hpp): loaded by the first
  // inference, never by the later ones.
  bool resident = false;
  // Its first pass's weights load before its step starts (cross-layer prefetch): in the first
  // inference, and once warm.
  bool prefetched = false, steady_prefetched = false;
  // Once warm (the second inference; the first's when nothing is resident): its estimate and its ops.
  Cost steady_cost;
  int steady_first_op = 0, steady_end_op = 0;
  // Pipelined (stack_scheduler.hpp): the stack this layer runs in (its first and last layer; -1 when it
  // runs alone), the stack's tiles, and a MAC layer's decoders in it. A stack's estimate and ops are its
  // last layer's; the others report 0 cycles.
  int stack_first = -1, stack_last = -1;
  std::int64_t stack_tiles = 0, first_decoder = 0, decoders = 0;
  // Pipelined: the ops of each of its bands, [first, end) (none for a post-op in a MAC layer's path,
  // whose work is its head's bands'): where its work is in the program, which first_op / end_op (the
  // stack's, on its last layer) do not say.
  std::vector<std::pair<int, int>> band_ops;
  std::vector<std::pair<int, int>> steady_band_ops;  // the same once warm (the second inference's)
  // Under a stream (cycles: stream, pipelined): its ops in the inferences after the second, which
  // overlap (NetworkMapping::stream_inference_ops).
  std::vector<std::pair<int, int>> stream_ops;
  // Filled by attribute(): simulated cycles (end − previous layer's end), its ops' span, start, end;
  // in the first inference and once warm.
  std::int64_t sim_cycles = -1, sim_start = -1, sim_end = -1;
  std::int64_t sim_steady_cycles = -1, sim_steady_start = -1, sim_steady_end = -1;
};

struct NetworkMapping {
  Program program;
  std::vector<MappedLayer> layers;
  Execution execution = Execution::LayerByLayer;
  // Cold: the first inference on an idle chip, every weight loaded (resident ones included). Steady:
  // one inference once warm, the resident weights already in the arrays. When nothing is resident
  // they are equal and the program holds one inference; otherwise it holds the first inference and
  // then a second one (ops from steady_first_op on), which starts when the first has ended (under a
  // stream, a third follows: stream_first_op).
  std::int64_t analytical_cycles = 0;  // cold: the sum of the layers' (steps') estimates
  std::int64_t analytical_dram_bytes = 0;  // bytes across the DRAM interface, by the estimate (cold)
  std::int64_t analytical_steady_cycles = 0, analytical_steady_dram_bytes = 0;
  bool two_inferences = false;
  // Built for ScheduleObjective::warm_only with weights resident: the program programs them (their
  // loads, before steady_first_op) and holds the warm inference alone. The cold estimates stand; the
  // first inference is not simulated (sim_cold_cycles and the layers' sim_cycles stay -1).
  bool starts_warm = false;
  // The layers in the order their steps were issued (issue_order.hpp), when it is not the network's.
  std::vector<int> issue_order;
  // Fused with digital cores: whether digital steps run beside the others (issue_order.hpp), or every
  // step one after another in the network's order — whichever the allocation's objective scores lower
  // (fused_allocation.hpp).
  bool branches_beside = true;
  int steady_first_op = 0;
  // Resident weights (fused): bytes kept in the arrays, the most any one array keeps, and what every
  // array leaves for the layers that load theirs (residency.hpp).
  std::int64_t resident_bytes = 0, fullest_array_resident_bytes = 0, weight_reserve = 0;
  // Pipelined: the most of the global buffer its segments claim at once (least_memory_schedule.hpp; an
  // upper bound on what any run holds there), and the latency bound it was scheduled within (cycles;
  // 0 without one). -1 under the other policies.
  std::int64_t analytical_gb_bytes = -1, latency_bound_cycles = 0;
  // A stream of inferences (pipelined, cycles: stream; stream_schedule.hpp): its stages, and the ops of
  // each warm inference after the first (2 × stages of them, each overlapping the ones before stage by
  // stage; empty: no stream), segment by segment (with digital cores the program is built time slot by
  // time slot, so an inference's ops are not one run of ids). The first inference
  // runs alone; the first warm one (the second inference, from steady_first_op) starts when it has
  // ended. Once warm the estimate is the cycles
  // between inferences (analytical_steady_cycles); the simulated steady cycles are the mean interval
  // between the ends of warm inferences measured_from .. measured_to (1: the first warm one), where the
  // pipeline is full before and after.
  struct StreamStageInfo {
    int first_layer = 0, last_layer = 0;
    std::int64_t first_decoder = 0, decoders = 0, cycles = 0;  // cycles: one inference through it, warm
  };
  std::vector<StreamStageInfo> stream_stages;
  std::vector<std::vector<std::pair<int, int>>> stream_inference_ops;  // [first, end) runs per inference
  // The first op of the stream's inference k (0: the third of the program): its stage 0's first segment,
  // which is issued before the inference's others (each later stage waits for the one before).
  int stream_first_op(std::size_t k) const { return stream_inference_ops.at(k).at(0).first; }
  int stream_measured_from = 0, stream_measured_to = 0;
  // Filled by attribute(): the simulated first inference and one inference once warm (the second
  // inference's end − the first's; under a stream, the mean interval between warm inferences' ends
  // over stream_measured_from .. stream_measured_to).
  std::int64_t sim_cold_cycles = -1, sim_steady_cycles = -1;
};

// Maps every layer and builds the program. InputError (naming the layer) when a layer cannot be mapped.
// Pipelined: the segments of the stack scheduler (stack_scheduler.hpp), each a stack (stack_program.hpp)
// or a single layer run as under layer-by-layer; the stacks whose weights fit keep them between
// inferences (stack_residency.hpp; pipelined_network.hpp).
// Layers of the same shape are searched once (MapperCache): per call, or across calls through `cache`
// (e.g. many sub-networks of one space on one hardware configuration).
// `objective`: which inference's cycles the network-level decisions minimise where they can choose —
// under `pipelined`, the segmentation (pipelined_network.hpp): cold = the latency of one inference,
// steady = cycles per inference once warm (throughput). `fused` always chooses its resident weights for
// the steady cycles, which costs its cold ones nothing; layer-by-layer has no choice to make. With a
// latency bound (pipelined only; InputError otherwise), the segmentation claiming the least global
// buffer among those within it (least_memory_schedule.hpp).
NetworkMapping map_network(const Network& network, const HardwareConfig& hw, MapperCache* cache = nullptr,
                           Execution execution = Execution::LayerByLayer,
                           const ScheduleObjective& objective = CyclesOf::Cold);
// Analytical estimate only (no program): what the search and the benchmark time.
NetworkMapping estimate_network(const Network& network, const HardwareConfig& hw, MapperCache* cache = nullptr,
                                Execution execution = Execution::LayerByLayer,
                                const ScheduleObjective& objective = CyclesOf::Cold);

// When nothing stays between inferences (the program holds one): every inference is the first, so the
// steady estimates, ops and prefetches are the cold ones.
void steady_is_cold(NetworkMapping& mapping);

// Per op of the program: the layer whose work it is (a fused post-op's work is its head's), or -1 for
// bookkeeping that belongs to no one layer (a stack's closing frees and stores).
std::vector<int> op_layers(const NetworkMapping& mapping);

// Per-layer simulated cycles from the ops' start and end cycles (indexed by op id, as the simulator
// reports them), in the first inference and once warm, and the cold and steady totals.
void attribute(NetworkMapping& mapping, const std::vector<std::int64_t>& op_start,
               const std::vector<std::int64_t>& op_end);

}  // namespace cimnet
