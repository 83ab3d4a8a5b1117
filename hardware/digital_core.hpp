#pragma once
// A digital PE-array core (issue 17): the Von-Neumann compute unit a heterogeneous accelerator places
// beside its compute-in-memory arrays, because CiM arrays waste most of their cells on depthwise, small
// and misshapen layers (DIANA, ISSCC 2022, pairs its analog core with a 16 × 16 digital one).
//
// The core is a grid of `rows` × `cols` processing elements, each one MAC per cycle at any precision it
// supports. The grid unrolls loop dimensions of a layer in space: `row_dims` over its rows and
// `col_dims` over its columns (Stream models DIANA's digital core as output channels × output columns,
// K × Q). Several dimensions on one axis are flattened into one index spread over its PEs, as an analog
// in-memory macro unrolls input channels × kernel taps (C × R × S) over its rows. A dimension smaller
// than its unrolling, or not a multiple of it, leaves PEs idle: that is the under-utilisation an
// allocation weighs against the arrays' own.
//
// Operands reach the core over one port (`port_bytes_per_cycle`, both directions) from the memory it
// hangs under, into three local buffers: weights (the stationary operand), inputs and accumulators.
// Each buffer is double-buffered (a tile takes at most half of it), so loading the next tile overlaps
// computing this one. `pipeline_cycles` is the grid's latency from operands in to results out.
//
// Two properties describe an in-memory macro with the same loop-nest view: `step_cycles`, the cycles one
// step of the grid takes (an analog matrix-vector product's conversions, or bit-serial inputs), and
// `weight_slots` = 1, weights written into the grid's own cells: a tile may fill the weight buffer, and
// the next weight tile is written only once every computation on the last one has ended.
//
// Loop dimensions are the layer's (workloads/layer.hpp), per group: N batch (attention heads of a
// matmul), G groups, K output channels per group, C input channels per group, P × Q output rows ×
// columns, R × S kernel taps. K unrolled over the rows means one input broadcast to `rows` output
// channels of the same group: a depthwise conv (one channel per group) uses one row of the grid unless
// G is unrolled instead.
#include <cstdint>
#include <string>
#include <vector>

namespace cimnet {

enum class LoopDim { N, G, K, C, P, Q, R, S };

// "N", "G", "K", "C", "P", "Q", "R", "S".
const char* to_string(LoopDim d);
std::vector<std::string> loop_dim_names();
// InputError "<where>: unknown loop dimension '<text>' (allowed: N, G, K, C, P, Q, R, S)".
LoopDim loop_dim_from_string(const std::string& text, const std::string& where);

struct DigitalCore {
  std::string name = "digital";
  std::int64_t rows = 16, cols = 16;
  std::vector<LoopDim> row_dims{LoopDim::K}, col_dims{LoopDim::Q};
  // Operand widths in bits the PEs compute at. A narrower operand runs at the least width at least as
  // wide (a 7-bit activation on an 8-bit multiplier), as precision-scalable PEs do.
  std::vector<int> precisions{8};
  // Widths the stationary operand (weights; a matmul's stationary activation) may have, where they
  // differ from `precisions`: an analog macro stores ternary weights in its cells but converts 7-bit
  // inputs. Empty: `precisions`.
  std::vector<int> weight_precisions;
  std::int64_t weight_buffer_bytes = 65536;  // local buffers, each double-buffered
  std::int64_t input_buffer_bytes = 65536;
  std::int64_t output_buffer_bytes = 65536;  // accumulators at accumulator_bits
  std::int64_t accumulator_bits = 32;
  std::int64_t port_bytes_per_cycle = 8;     // the core's link to the memory above it
  std::int64_t link_latency = 2;             // cycles through that link (≥ 1, as every hop's)
  std::int64_t pipeline_cycles = 4;
  std::int64_t step_cycles = 1;  // cycles per step of the grid
  int weight_slots = 2;          // weight tiles the weight buffer holds at once (1 or 2)
  // Leakage of the whole core (grid, buffers, link), mW, while the run lasts: the design's own figure
  // (no source gives one for a PE array or macro in general; 0 by default, as the energy table's
  // static entries). Priced with them (hardware/energy.hpp).
  double static_power_mw = 0;

  std::int64_t pes() const { return rows * cols; }
  // "K", "C*R*S": the dimensions an axis unrolls.
  std::string row_unrolling() const;
  std::string col_unrolling() const;
  // The first dimension unrolled twice (on both axes, or twice on one), if any: into `which`.
  bool unrolls_twice(LoopDim& which) const;
  // Whether some precision is at least `bits` wide; the least such (0 when none).
  bool supports(int bits) const { return compute_bits(bits) > 0; }
  int compute_bits(int bits) const;
  // The same for the stationary operand (weight_precisions, or else precisions).
  bool supports_weights(int bits) const { return weight_compute_bits(bits) > 0; }
  int weight_compute_bits(int bits) const;
  const std::vector<int>& stationary_precisions() const {
    return weight_precisions.empty() ? precisions : weight_precisions;
  }
  // InputError "digital core '<name>': <key>: expected ..., got ..." for the first property out of range
  // (sizes ≥ 1, at least one dimension per axis and none unrolled twice, precisions in 1..32, buffers and
  // port ≥ 1, step_cycles ≥ 1, weight_slots 1 or 2, static power finite and ≥ 0).
  void validate() const;
};

}  // namespace cimnet
