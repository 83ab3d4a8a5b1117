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
// Time, in cycles, of the n tiles as the program runs them (digital_program.hpp): every transfer over
// the core's path (`DigitalPath`: the narrowest bandwidth b from the memory to the core's buffers, and
// the latencies down and up), two tiles of each buffer in flight, the grid one tile after another:
//   cycles = λ_down + first loads ÷ b  +  (n − 1) · period  +  c̄ + pipeline + λ_up + last results ÷ b
//   period = max(c̄, t̄, (c̄ + pipeline + λ_down + l̄) ÷ 2)
// with c̄ the mean compute steps per tile, t̄ the mean link time per tile of everything but the first
// loads and the last results, l̄ that of its loads alone. The last term is the two-slot buffers: a
// tile's loads start when the tile two before it has finished, so a latency longer than a tile's
// computation shows. With one weight slot (an in-memory macro) a weight tile is written only after the
// m_w tiles computing on the last one: period ≥ c̄ + pipeline + (λ_down + w̄) ÷ m_w, w̄ a weight tile's
// link time. Exact for one tile; for uniform tiles close to the program's own schedule, which the
// mapper computes for the tilings that may be best (digital_schedule.hpp).
//   compute = N·G·K·C·P·Q·R·S spread over the grid tile by tile: per unrolled dimension of size s in a
//             tile, ⌈s ÷ unrolling⌉ steps; every other dimension its size; each step step_cycles.
// A GEMM whose unrolled dimensions are multiples of the grid computes in MACs ÷ (rows × cols) steps;
// a misaligned one shows its idle PEs in `utilisation` = MACs ÷ (steps × rows × cols).
// The search scores every tiling and order; the best has the fewest cycles, then the fewest port
// bytes, then comes first in the enumeration.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/digital_core.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// Between a memory and a digital core's buffers: the narrowest bandwidth on the way (bytes per cycle)
// and the latency of a transfer going down (into the core) and up (out of it).
// `hops` is the way itself, memory first: each a resource serving one burst (at most `burst_bytes`) at
// a time at its rate, the data reaching the next hop its latency later; moves up cross them in reverse.
// The schedule (digital_schedule.hpp) times the bursts hop by hop; the closed form sees only the
// narrowest rate and the summed latencies.
struct DigitalHop {
  std::int64_t bytes_per_cycle = 1;
  std::int64_t latency = 0;
};
struct DigitalPath {
  std::int64_t bytes_per_cycle = 1;
  std::int64_t latency_down = 0, latency_up = 0;
  std::vector<DigitalHop> hops;
  std::int64_t burst_bytes = 4096;
};
// The core's own link alone (port_bytes_per_cycle, link_latency): the core seen by itself.
DigitalPath port_path(const DigitalCore& core);

// Why `core` cannot take the operands of `layer` at their widths ("" when it can): weights (a matmul's
// stationary operand) against its weight precisions, inputs against its precisions.
std::string digital_precision_refusal(const Layer& layer, const DigitalCore& core);

// Tilings with more tiles are not tried: each tile is a few ops of the program.
inline constexpr std::int64_t kMaxDigitalTiles = 4096;

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
  std::int64_t tiles = 0;
  std::int64_t closed_form_cycles = 0;  // the closed form above (map_layer_digital: `cycles` is the schedule's)
  std::int64_t fill_cycles = 0;    // first loads + pipeline + last drain, with the path's latencies
  std::int64_t weight_bytes = 0;   // over the port, refetches included
  std::int64_t input_bytes = 0;
  std::int64_t output_bytes = 0;   // partial sums out and back, and the results
  std::int64_t port_bytes() const { return weight_bytes + input_bytes + output_bytes; }
  double utilisation = 0;          // MACs ÷ (steps × PEs), steps = compute_cycles ÷ step_cycles
};

struct DigitalMapping {
  DigitalTiling tiling;
  DigitalCost cost;               // feasible = false (with why) when no tiling runs the layer on the core
  std::int64_t evaluated = 0;     // tilings scored by the closed form
  std::int64_t scheduled = 0;     // of which scheduled (digital_schedule.hpp)
};

// The cost of one tiling over `path`. Precondition: layer.is_mac_layer(), core.validate() passed; tile
// sizes ≥ 1 (clamped to the layer's sizes).
DigitalCost digital_cost(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                         const DigitalPath& path);
inline DigitalCost digital_cost(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling) {
  return digital_cost(layer, core, tiling, port_path(core));
}

// The best tiling of the layer on the core over `path` (at most kMaxDigitalTiles tiles): the fewest
// cycles of its schedule (digital_schedule.hpp), then the fewest port bytes, over every tiling tried —
// scheduled in order of a lower bound (the first loads' latency, every tile's steps and pipeline; or
// every byte over the path) until the bound passes the best, so the minimum is exact. `cycles` is the
// schedule's, `closed_form_cycles` the closed form above. Deterministic.
DigitalMapping map_layer_digital(const Layer& layer, const DigitalCore& core, const DigitalPath& path);
inline DigitalMapping map_layer_digital(const Layer& layer, const DigitalCore& core) {
  return map_layer_digital(layer, core, port_path(core));
}

}  // namespace cimnet
