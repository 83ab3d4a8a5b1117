#pragma once
// The `pipelined` policy's network-level decisions (issue 15; docs/mapping.md, "Pipelined stacks"):
// which consecutive layers run together as a depth-first stack (row_bands.hpp), in how many tiles, and
// which L1 decoders each of its MAC layers gets (stack_program.hpp). Deterministic and analytical.
//
// Segments. The network runs segment after segment: a stack, or a single layer run as under
// layer-by-layer (a matmul, or a layer no stack helps). Every segment reads its inputs from DRAM and
// writes what later segments read to DRAM; a stack loads its MAC layers' weights into their decoders by
// their first bands. Which stacks keep them for the next inference is decided afterwards
// (stack_residency.hpp); keeping them costs the first inference nothing.
//
// Two objectives (pipelined_network.hpp chooses): latency, the programme below over cold estimates;
// throughput, the same programme over estimates once warm, as if every stack's weights stayed, each
// stack at its fastest warm tiling — then the segmentation of the two whose weights that do fit give
// the fewer steady cycles.
//
// The search, a dynamic programme over segment boundaries: best(j) = the fewest estimated cycles of
// layers 0 .. j − 1, the minimum over a last segment ending at j − 1 — the single layer, or a stack of
// at most kMaxStackLayers layers holding at most one MAC layer per L1 decoder (and no matmul), in each
// of kTileChoices tile counts (at most the rows of its last layer). A stack's allocation: every MAC
// layer first gets the fewest decoders on which its weights fit in one pass, then the decoders left go
// one by one to the layer that takes longest (its whole-layer estimate with resident weights on its
// decoders), while that shortens it; those plans are searched on the whole layer (one search per (layer
// shape, decoders), shared by every stack). Every tile count is scored with each band running its layer's
// whole-layer mapping, and the two fastest again with the mapping searched on the layer's paced band on
// its decoders; each band fits the mapping with its own tiles (band_plan).
// Exact over the segmentations it enumerates; what it cannot find: stacks longer than the cap, tile
// counts outside the choices, decoder splits the greedy balance does not reach, slot-wise (not
// decoder-wise) splits, stacks that keep their output on chip for the next one, and segmentations that
// lose latency to keep more weights resident (docs/pipelined.md, "The scheduler").
#include <cstdint>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/mapper.hpp"
#include "mapping/stack_program.hpp"
#include "workloads/network.hpp"

namespace cimnet {

inline constexpr int kMaxStackLayers = 12;
inline constexpr std::int64_t kTileChoices[] = {1, 2, 4, 7, 14, 28};

struct Segment {
  int first = 0, last = 0;
  bool stack = false;
  std::int64_t tiles = 0;  // stacks
  StackLayout layout;      // stacks
  std::int64_t cycles = 0;  // the segment's estimate (a single layer: its layer-by-layer estimate)
  std::int64_t warm_cycles = -1;  // stacks, when asked for: its estimate once warm, its weights staying
  // The global buffer it claims at once: a stack's bands (stack_gb_bytes); a single layer's, the most
  // its ops can hold there in any order (filled where the least-memory objective needs it).
  std::int64_t gb_bytes = 0;
};

// Per end j (1 .. layers; index j), the stacks of layers i .. j − 1 the scheduler scored, each (first,
// last) reduced to its options no other of the same layers beats in both cycles and global buffer,
// fewest cycles first (the least-memory objective's choices, least_memory_schedule.hpp).
using StackOptions = std::vector<std::vector<Segment>>;

struct PipelineChoice {
  std::vector<Segment> segments;
  std::int64_t cycles = 0;
  std::int64_t stacks_scored = 0;  // (stack, tiles) candidates estimated
};

// A stack's MAC layers' plans, placed on their decoders (Plan::decoder_base): what its weights occupy.
std::vector<Plan> placed_plans(const Network& network, const Segment& stack);

// A stack's best tiling and allocation, its cold estimate in `cycles`; `stack` false when no tile count
// works (a matmul in it, more MAC layers than decoders, weights that fit no decoder share in one pass, or
// bands beyond the global buffer).
// `fastest_warm` (optional): the tiling and allocation of the fewest cycles once warm (ties: the fewer
// cold), with both estimates; the returned one then carries its own warm estimate too.
// `options` (optional): every tiling scored whose cycles and global buffer no other beats in both, fewest
// cycles first.
// `warm_within` (optional, a stream's stages, stream_schedule.hpp): instead, the tiling of the fewest
// cycles once warm among those claiming at most `gb_bytes` of the global buffer, tile counts ranked by
// their warm cycles; its cold cycles are estimated for it alone (`fastest_warm` and `options` unused).
// `bound` is set when the share left out a tiling it would have scored.
// `tilings` (optional): the stack's tilings, shared with the caller's other scorings of it.
struct WarmWithin {
  std::int64_t gb_bytes = 0;
  bool bound = false;
  StackTilings* tilings = nullptr;
};
Segment best_stack(const Network& network, int first, int last, const HardwareConfig& hw, MapperCache& cache,
                   std::int64_t* scored = nullptr, Segment* fastest_warm = nullptr,
                   std::vector<Segment>* options = nullptr, WarmWithin* warm_within = nullptr);

// `single`: per layer, its layer-by-layer estimate (what a segment of that layer alone costs).
// `on_their_own` (optional): per layer, whether it may only run as a segment of its own (a layer on a digital
// core, issue 17: stacks are bands on the arrays' decoders).
// The segmentation of the fewest cold cycles (latency). `warm` (optional, for the throughput objective):
// also the segmentation of the fewest cycles once warm as if every stack's weights stayed, each stack at
// its fastest warm tiling; its `cycles` is that optimistic sum (which stacks do stay is decided after,
// stack_residency.hpp). `options` (optional): filled with every stack's options (StackOptions).
PipelineChoice schedule_stacks(const Network& network, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<std::int64_t>& single, PipelineChoice* warm = nullptr,
                               StackOptions* options = nullptr, const std::vector<char>& on_their_own = {});

}  // namespace cimnet
