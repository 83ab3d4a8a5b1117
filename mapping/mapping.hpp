#pragma once
// A mapping of one MAC layer onto the CiM hierarchy, and the plan it implies.
//
// Choices (the point of the mapspace, see mapspace.hpp):
//   group_pack  gp conv groups (heads) packed side by side in one array (block-diagonal tile); only
//               for grouped layers — depthwise convolutions need it to use an array at all well
//   k_split     output channels of a group split over k_split tiles (kt = ceil(K / k_split) each)
//   r_split     input channels of a group split over r_split tiles (ct = ceil(C / r_split) channels ×
//               RS taps each); the r_split partial sums are reduced at an L1 or the L2 decoder
//   replicas    copies of the whole set of tiles working on disjoint output positions (one pass only)
//   tiles       streamed input tiles per replica and pass (≥ the minimum that fits half the input
//               buffer, so that tile t+1 streams while tile t computes)
//   half_capacity  tiles use at most MA_mem_size / 2, so the next pass's weights load while this
//               pass computes (double-buffered weights)
//   reduce_at   where partial sums of an R split are accumulated
//   weight_slices  S: each array's weight tile is loaded in S slices of its output columns (the gp·kt
//               columns cut as evenly as possible, the shorter slices first), one load op per slice,
//               each after the previous one; the pass runs as S sub-passes, sub-pass j computing the
//               columns of slice j for every input tile as soon as slice j is in — so the load of
//               slice j+1 overlaps the computation on slice j. With one input tile the tile stays in
//               the input buffer for all S sub-passes; with more, every sub-pass streams them again.
//   first_tile_slices  (with S > 1 and more than one input tile) the slices pace only the first
//               input tile: it is computed in S pieces, piece j as soon as slice j is in, and every
//               later tile in one piece on the whole tile, streamed once. Sub-passes suit layers whose
//               weights take longer than their compute (every tile follows every slice); this order
//               suits the others (no input is streamed twice).
//   pass_groups at most this many reduction groups per pass (0: as many as the hardware holds). A
//               smaller hardware configuration runs a layer in passes of its `places`; the cap lets a
//               larger one run the very same passes (same groups per pass, same per-decoder
//               traffic), so its mapspace contains the smaller one's plans with costs that cannot be
//               worse. It also matters on its own: with few tiles per pass, a later pass's weight load
//               and streams overlap the earlier pass's output write-back (docs/mapping.md).
// Placement: a "reduction group" is the r_split tiles of one (group pack, k tile).
//   packed  the group occupies r_split consecutive arrays under one L1 decoder (needs r_split ≤
//           MA_num_child; allows reducing at L1); groups are dealt round-robin over the decoders
//           (group u on decoder u mod L1, slot u div L1)
//   spread  every array of every group is dealt round-robin over all decoders (the j-th array used
//           is array j div L1 of decoder j mod L1): the most even L1 traffic; reduce at L2 only
// Both fill decoders in the same order whatever their size, so more hardware never removes a
// mapping nor makes one busier (the monotonicity property of the mapper relies on it).
// Passes: when the reduction groups outnumber the places (the hardware's, or pass_groups when set),
// they run in passes of at most `places` groups; weights are reloaded from DRAM for every pass and the inputs re-streamed (loop order:
// passes outermost, positions inner — weights are fetched once, inputs once per pass).
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/gemm_view.hpp"
#include "program/program.hpp"

namespace cimnet {

struct Mapping {
  std::int64_t group_pack = 1;
  std::int64_t k_split = 1;
  std::int64_t r_split = 1;
  std::int64_t replicas = 1;
  std::int64_t tiles = 1;
  bool half_capacity = false;
  bool spread = false;  // placement: arrays dealt round-robin over all L1 decoders (else packed groups)
  ReduceLevel reduce_at = ReduceLevel::L2;
  std::int64_t pass_groups = 0;  // cap on reduction groups per pass; 0 = the hardware's places
  std::int64_t weight_slices = 1;
  bool first_tile_slices = false;

  // "gp1 k4 r2@L1 x8 t3 w4 half" for tables ("64/pass": at most 64 reduction groups per pass; "w4": four
  // weight slices; "w4f": four slices pacing the first input tile only).
  std::string summary() const;
  bool operator==(const Mapping& o) const;
};

// Everything derived from (view, mapping, hardware) that both the cost model and the program builder
// use, so that the estimate and the program describe the same work.
// Why a plan is not feasible (the enumeration branches on it without building messages).
enum class Infeasible {
  None,
  OutOfRange,     // a split, replica or tile count outside its range
  TileCapacity,   // the weight tile exceeds the capacity used per array
  OnePosition,    // one output position's input exceeds half the input buffer
  PackedSplit,    // a packed R split wider than MA_num_child
  PassGroups,     // pass_groups larger than the places the hardware has
  Replicas,       // replicas do not fit
  TooManyTiles,   // more tiles than positions
  InputTile,      // an input tile larger than half the input buffer
  ReduceAtL1,     // reduce at L1 without a packed R split
  ResultBuffer,   // two tiles' reduction results (and a staged input) do not fit the global buffer or an L1 buffer
  WeightSlices,   // the tile's output columns cannot be cut into exactly that many slices
};

struct Plan {
  GemmView view;
  Mapping mapping;
  bool feasible = false;
  Infeasible reason = Infeasible::None;
  std::string why;  // when not feasible: the violated constraint (empty unless make_plan was asked to explain)

  std::int64_t kt = 0, ct = 0, rt = 0;  // tile: output channels, input channels, reduction (ct·rs)
  std::int64_t packs = 0;               // ceil(G / gp)
  std::int64_t reduction_groups = 0;    // packs · k_split
  std::int64_t places = 0;              // reduction groups the hardware holds at once
  std::int64_t per_l1_slots = 0;        // packed: reduction groups per L1 decoder
  std::int64_t passes = 0;
  std::int64_t replicas = 1;
  std::int64_t positions_per_replica = 0;
  std::int64_t m = 0;                   // output positions per streamed tile
  std::int64_t tile_bytes = 0;          // stationary bytes per array (the sum of its slices)
  std::int64_t stream_bytes = 0;        // streamed input bytes per array per tile
  std::int64_t macs = 0;                // per array per tile (padded tiles included)
  std::int64_t operand_bytes = 0;       // per array per tile: the weight tile is read once per input tile
  std::int64_t out_bytes = 0;           // per array per tile: outputs written back (r_split == 1) or psums
  std::int64_t tile_outputs = 0;        // output values per array per tile
  bool reduce = false;                  // r_split > 1
  // Weight slices (Mapping::weight_slices): the tile's gp·kt output columns in `slices` slices, the
  // first `short_slices` of ⌊cols / slices⌋ columns, the others one more. Per slice, per array: its
  // weight bytes; per array and input tile: its MACs, operand bytes (the slice, read once per input
  // tile), output values and output bytes (psums with an R split).
  std::int64_t slices = 1, short_slices = 1;
  struct Slice {
    std::int64_t cols = 0, bytes = 0, macs = 0, outputs = 0, out_bytes = 0;
  };
  Slice shorter, longer;  // the two sizes (equal when the columns divide evenly)
  const Slice& slice(std::int64_t j) const { return j < short_slices ? shorter : longer; }
  // Several slices and input tiles: every sub-pass streams the tiles again, from a copy of the pass's
  // input in the global buffer (program_builder.hpp); at most staged_bytes of it.
  bool staged = false;
  std::int64_t staged_bytes = 0;
  // The slices pace only the first input tile (Mapping::first_tile_slices): every later tile computes
  // on the whole tile at once (`whole`: the tile as one slice).
  bool first_tile = false;
  Slice whole;

  // Groups in pass p (the last pass may be partial).
  std::int64_t groups_in_pass(std::int64_t p) const;
  std::int64_t per_l1_arrays = 0;       // MA_num_child
  std::int64_t l1_decoders = 0;
  // Array i (0 .. r_split-1) of place u (the u-th reduction group of a pass, counting replicas:
  // u = rep · groups_in_pass + g).
  std::int64_t array_of(std::int64_t u, std::int64_t i) const;
  // The placement turned by `decoder_offset` L1 decoders and, within every decoder, by `slot_offset`
  // arrays (array_of wraps both). Never a mapspace choice: the network mapper turns the plans of
  // resident weights (residency.hpp) so that they share the arrays evenly. A rotation of the decoders
  // and of the arrays within each moves no traffic from one decoder to another, so the cost is that of
  // the unturned plan; only which arrays hold the weights changes.
  std::int64_t decoder_offset = 0, slot_offset = 0;
  // The plan's L1 decoders are decoders decoder_base .. decoder_base + l1_decoders − 1 of a larger chip
  // (never a mapspace choice): a layer of a pipelined stack (stack_program.hpp) is mapped on hardware of
  // its own decoders' count, then placed on them. Every array id shifts by decoder_base decoders.
  std::int64_t decoder_base = 0;
};

// `explain` = false leaves `why` empty: the enumeration probes many infeasible plans and only needs
// `reason`; building the messages was a large share of the search time.
Plan make_plan(const GemmView& view, const Mapping& mapping, const HardwareConfig& hw, bool explain = true);

}  // namespace cimnet
