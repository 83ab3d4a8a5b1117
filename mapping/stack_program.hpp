#pragma once
// A depth-first stack run as a spatial pipeline (issue 15, policy `pipelined`; docs/mapping.md,
// "Pipelined stacks"): its program and its analytical schedule, from one description so that the two
// describe the same ops.
//
// The stack's layers are cut into row bands (row_bands.hpp). Every MAC layer runs on L1 decoders of its
// own (StackLayout): its weights are loaded once, by its first band, into those decoders' arrays and stay
// there; each band is a layer of the band's rows mapped with the layer's mapping (a plan searched on
// hardware of the layer's decoders, one pass, one weight slice) and placed on its decoders
// (Plan::decoder_base). Element-wise layers that follow a MAC layer run in its output path band by band
// (the post-op rule of placement.hpp, limited to activations and element-wise layers, which read by
// rows); the other non-MAC layers run band by band on the vector unit. A band reads its inputs from the
// global buffer when the stack made them and from DRAM otherwise; its output stays in the global buffer
// while a band of the stack still reads it and is stored to DRAM when it leaves the stack.
//
// Order, as the controller issues by dependencies: a band starts after its own layer's previous band and
// after the producers' bands it reads; and once every reader of its layer has finished the band two
// steps back — a layer runs at most one step ahead of its readers, so the global buffer holds at most
// the bands of two steps (StackTiling's held bytes at steps t − 1 and t), which stack_gb_bytes adds up
// and validate() proves. Layers on different decoders therefore compute concurrently on successive
// bands.
//
// The analytical schedule: each band's estimate (cost_model.hpp, for the band's plan on its layer's
// decoders and where its data lives) is a node of tile_schedule.hpp on its layer's decoders (MAC
// layers) or on the vector unit, with the same dependencies; the stack's cycles are the schedule's
// makespan, or the busiest shared resource (DRAM, L2, the global buffer's port, the vector unit) over
// all bands when that is longer.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapping.hpp"
#include "mapping/row_bands.hpp"
#include "mapping/tile_schedule.hpp"
#include "program/program.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// Which decoders each MAC layer of a stack runs on, and its plan there. Indexed by layer − first.
struct StackLayout {
  std::vector<std::int64_t> first_decoder, decoders;  // MAC layers; ignored for the others
  std::vector<Plan> plans;  // the layer's mapping on `decoders` decoders (a band's plan keeps it but its tiles)
};

// Hardware of `decoders` of `hw`'s L1 decoders: what a layer of a stack is mapped on.
HardwareConfig stage_hardware(const HardwareConfig& hw, std::int64_t decoders);

// A copy of layer `index` restricted to the rows of `band` (its output rows, and the input rows it reads).
Layer band_layer(const Network& network, int index, const StackTiling::Band& band);

// A band's plan: the layer plan's mapping with as few input tiles (and, if need be, replicas) as fit the
// band, on the layer's decoders. InputError naming the layer and the constraint when none does (a band
// of few rows may need more input per output position than the input buffer holds).
Plan band_plan(const Plan& layer_plan, const Layer& band, const HardwareConfig& stage_hw, std::int64_t first_decoder);

struct StackRun {
  // Per layer − first and step: the band's analytical cycles (0 for an empty band or a fused post-op)
  // and its node in `schedule` (-1 for none); its first and end op in the program (equal when none;
  // first_op and end_op are empty when no program was built).
  std::vector<std::vector<std::int64_t>> band_cycles;
  std::vector<std::vector<int>> node;
  std::vector<std::vector<int>> first_op, end_op;
  std::vector<TileNode> nodes;
  TileSchedule schedule;
  ResourceBusy shared;       // summed over every band: dram, l2, gb and vector (the resources all bands share)
  // Of `shared` on DRAM and the L2 link: the weight loads, and the arrays' write-backs (the links serve
  // activations first, then loads, then write-backs; the stores of a stack's outputs are activations).
  ResourceBusy shared_loads, shared_write_backs;
  std::int64_t cycles = 0;   // max(schedule.makespan, the busiest shared resource)
  std::int64_t dram_bytes = 0;
  std::int64_t gb_bytes = 0;  // the global buffer its bands claim at once (stack_gb_bytes, as this run loads)
  std::vector<int> done;     // the ops after which the stack has finished (its gate for what follows)
};

// The global buffer a stack needs at most: per layer, its held bands over two consecutive steps at
// most, plus one band's working set (its pieces in flight, a vector band's chunks) of every layer.
std::int64_t stack_gb_bytes(const Network& network, const StackTiling& tiling, const StackLayout& layout,
                            const HardwareConfig& hw);

// Estimates the stack and, when `program` is given, appends its ops (the first ones after `gate`).
// InputError naming the stack also when a band fits no plan of its layer's mapping.
// What happens to a stack's weights. Load: each MAC layer's first band loads them and they are freed when
// the stack ends (in `done`), as every inference does when the stack's weights do not stay. Keep: loaded
// the same way and never freed (the first inference of a stack whose weights stay in the arrays,
// stack_residency.hpp). Resident: they are in the arrays already (a later inference); nothing is loaded.
// Load and Keep cost the same.
enum class StackWeights { Load, Keep, Resident };

// InputError naming the stack and the capacity when stack_gb_bytes exceeds the global buffer.
StackRun run_stack(const Network& network, const StackTiling& tiling, const StackLayout& layout,
                   const HardwareConfig& hw, StackWeights weights, Program* program = nullptr,
                   const std::vector<int>& gate = {});

}  // namespace cimnet
