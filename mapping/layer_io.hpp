#pragma once
// Where one layer's data lives under an execution policy (execution.hpp), and what runs in a MAC
// layer's output path: what the network mapper decides and both the program builder and the cost
// model read, so that the program and the estimate describe the same movements.
//
// Layer-by-layer is the default of every field: inputs streamed from DRAM, outputs written to DRAM.
// Under `fused` (docs/mapping.md, "Execution policies"):
//   - a MAC layer's outputs may be written into the global buffer (WriteBack dest = the global buffer;
//     with an R split the requantised result simply stays there), piece by piece — a piece is one
//     computation of the program (an input tile, or one weight slice of it) and its outputs;
//   - the element-wise non-MAC layers that follow it (`post`) then run on the vector unit at L2 on each
//     piece as it lands: a Vector op per piece and post-op, reading its share of the post-op's input
//     (the other operand of an eltwise moved in from DRAM per piece, or read where it lies in the global
//     buffer) and writing its share of the output; each post-op's share is its totals pro rata of the
//     piece's output values (exact integer shares over the layer);
//   - the last result either stays in the global buffer (`keep_output`, an activation on chip that a
//     later layer streams from there) or is moved to DRAM piece by piece;
//   - with post-ops, a piece's outputs wait for the piece two back to have left the buffers (as an R
//     split's results do), so at most two pieces' intermediates are in the global buffer.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mapping/mapping.hpp"

namespace cimnet {

// One non-MAC layer fused into a MAC layer's output path: its totals over the whole layer.
struct PostOp {
  std::string name;
  std::int64_t in_bytes = 0;     // everything the vector unit reads (both operands of an eltwise)
  std::int64_t other_bytes = 0;  // of which the other operand (not the output path's own tensor)
  bool other_in_gb = false;      // the other operand lies in the global buffer (else moved from DRAM)
  std::int64_t ops = 0;          // vector element operations
  std::int64_t out_bytes = 0;
};

// A MAC layer's weights over a stream of inferences (residency.hpp). Loaded: from DRAM for every
// inference, freed after the layer (layer-by-layer, and every layer that is not resident). Kept: the
// first inference of a resident layer loads them and never frees them. Resident: once warm they are
// in the arrays already, and the layer loads nothing.
enum class Weights { Loaded, Kept, Resident };

struct LayerIo {
  Weights weights = Weights::Loaded;
  // Cross-layer prefetch (fused, network_mapper.hpp): the first pass's loads may be issued before the
  // step starts, after `load_gate` (ops of earlier steps; the builder's default is the step's gate).
  // `head_start`: the cycles, by the estimate, between their earliest issue and the step's start in
  // which the DRAM has time for them.
  std::vector<int> load_gate;
  bool prefetch = false;
  double head_start = 0;
  bool input_in_gb = false;   // the streamed input is in the global buffer (else DRAM)
  bool output_to_gb = false;  // outputs are written into the global buffer
  std::vector<PostOp> post;   // fused post-ops, in order (needs output_to_gb)
  bool keep_output = false;   // the last result stays in the global buffer (needs output_to_gb)
  // The output path holds intermediates that must be freed piece by piece (an R split's sums, the
  // post-ops' inputs): pieces then wait for the piece two back.
  bool throttled(const Plan& plan) const { return plan.reduce || !post.empty(); }
};

// A non-MAC layer run on its own: the part of its input in DRAM (moved in chunk by chunk; the rest is
// read where it lies in the global buffer) and whether its output is stored to DRAM (else it stays).
struct VectorIo {
  std::int64_t fetch_bytes = -1;  // -1: the whole input (layer-by-layer)
  bool store = true;
};

// The output values of all pieces of a plan (tile padding included): Σ over passes of the pass's
// reduction groups · replicas · tiles · m · gp·kt.
std::int64_t output_values(const Plan& plan);
// Calls `piece(slice, units)` for every piece of the plan in program order (passes, then the pieces of
// a pass as program_builder.cpp emits them): the piece computes `slice` on `units` reduction groups ·
// replicas, so it holds slice.outputs · units output values.
void for_each_piece(const Plan& plan, const std::function<void(const Plan::Slice& slice, std::int64_t units)>& piece);
// Per piece of a fused step: everything its output path allocates in the global buffer (the result,
// the post-ops' operands and outputs); `kept_total` (if given) gets the sum over pieces of the bytes
// its last result takes.
std::int64_t largest_piece(const Plan& plan, const LayerIo& io, std::int64_t* kept_total = nullptr);
// What a fused step holds in the global buffer while it runs: its staged input and two pieces in
// flight, each as largest_piece counts it for `io`.
std::int64_t fused_working_set(const Plan& plan, const LayerIo& io);
// Whether a plan can carry these post-ops under `fused` (placement.hpp): its staged input and two
// pieces in flight, each with every post-op's operands and results, fit a global buffer of
// `gb_capacity` bytes. Depends on the plan alone, not on the hardware it was found for.
bool chain_fits(const Plan& plan, const std::vector<PostOp>& post, std::int64_t gb_capacity);
// The integer share of `total` of a piece holding `values` of `all` values, `before` of them in earlier
// pieces: floor(total·(before+values)/all) − floor(total·before/all), so the shares sum to `total`.
std::int64_t piece_share(std::int64_t total, std::int64_t before, std::int64_t values, std::int64_t all);

}  // namespace cimnet
