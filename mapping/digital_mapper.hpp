#pragma once
// Mapping a MAC layer onto a digital PE-array core (hardware/digital_core.hpp; issue 17): a loop-nest
// mapping in Timeloop's sense, one buffer level deep, searched exhaustively, and its analytical cost.
//
// A tiling cuts the layer's N, G, K, C, P and Q loops into tiles that the core's local buffers hold
// (R and S stay whole: kernels are small); the tile loops run N, G outermost, then K, C and the output
// positions X = (P, Q) in `order`. Per operand, the port traffic is its bytes times the trips of the loops
// it does not depend on that run outside its innermost loop it does depend on (with trips > 1): then
// its tile has left the buffer before it is needed again. Weights depend on G, K, C (and N for a
// matmul's stationary activation); inputs on N, G, C, X (a tile of output rows and columns reads its
// input window, halo included, padding excluded); outputs on N, G, K, X — with C outside their
// innermost loop, partial sums go out at accumulator width and come back (n_C − 1 times each way)
// before the final values leave at output width.
//
// Time, in cycles, a pipeline of tile loads, computation and result drains over one port:
//   cycles = first tile's loads ÷ port + pipeline_cycles + max(compute, other port bytes ÷ port)
//            + last tile's results ÷ port
//   compute = N·G·K·C·P·Q·R·S spread over the grid tile by tile: per unrolled dimension of size s in a
//             tile, ⌈s ÷ unrolling⌉ steps; every other dimension its size.
// A GEMM whose unrolled dimensions are multiples of the grid computes in MACs ÷ (rows × cols) cycles;
// a misaligned one shows its idle PEs in `utilisation` = MACs ÷ (compute × rows × cols).
// The search scores every tiling and order; the best has the fewest cycles, then the fewest port
// bytes, then comes first in the enumeration.
#include <array>
#include <cstdint>
#include <string>

#include "hardware/digital_core.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// The three tile loops inside N and G, outer to inner.
enum class TileLoop { K, C, X };

struct DigitalTiling {
  std::int64_t n = 1, g = 1, k = 1, c = 1, p = 1, q = 1;  // tile sizes (the last tile of a loop may be smaller)
  std::array<TileLoop, 3> order{TileLoop::K, TileLoop::C, TileLoop::X};
  std::string summary() const;  // "n1 g1 k16 c64 p8 q56 K>C>X"
};

struct DigitalCost {
  bool feasible = false;
  std::string why;  // when not feasible: precision unsupported, or a tile that exceeds half its buffer
  std::int64_t macs = 0;
  std::int64_t compute_cycles = 0;
  std::int64_t cycles = 0;
  std::int64_t fill_cycles = 0;    // first loads + pipeline + last drain
  std::int64_t weight_bytes = 0;   // over the port, refetches included
  std::int64_t input_bytes = 0;
  std::int64_t output_bytes = 0;   // partial sums out and back, and the results
  std::int64_t port_bytes() const { return weight_bytes + input_bytes + output_bytes; }
  double utilisation = 0;          // MACs ÷ (compute_cycles × PEs)
};

struct DigitalMapping {
  DigitalTiling tiling;
  DigitalCost cost;               // feasible = false (with why) when no tiling runs the layer on the core
  std::int64_t evaluated = 0;     // tilings scored
};

// The cost of one tiling. Precondition: layer.is_mac_layer(), core.validate() passed; tile sizes ≥ 1
// (clamped to the layer's sizes).
DigitalCost digital_cost(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling);

// The best tiling of the layer on the core (see above). Deterministic.
DigitalMapping map_layer_digital(const Layer& layer, const DigitalCore& core);

}  // namespace cimnet
