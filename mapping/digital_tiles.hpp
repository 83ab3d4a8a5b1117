#pragma once
// The tiles of a digital-core tiling (mapping/digital_mapper.hpp) one by one, in the loop nest's order:
// what each computes and which operand tiles it needs that its predecessor did not have. The program
// builder (digital_program.hpp) turns them into ops; the cost model's closed form counts the same
// tiles in aggregate (tests check the two agree byte for byte).
#include <cstdint>
#include <array>
#include <functional>

#include "hardware/digital_core.hpp"
#include "mapping/digital_mapper.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

struct DigitalTile {
  std::int64_t index = 0;                          // in nest order
  std::int64_t n = 1, g = 1, k = 1, c = 1, p = 1, q = 1;  // its extents (edge tiles are smaller)
  std::int64_t macs = 0, steps = 0;
  std::int64_t weight_bytes = 0, input_bytes = 0;  // its operand tiles (inputs: the window, halo included)
  std::int64_t output_elements = 0;
  std::int64_t output_tile = 0;                    // which output tile (0 .. output tiles − 1)
  bool new_weights = true, new_inputs = true;      // its operand tile differs from its predecessor's
  bool new_outputs = true;                         // it computes other outputs than its predecessor
  bool outputs_return = false;                     // its outputs were computed on before (partial sums back)
  bool outputs_final = false;                      // the last input-channel tile of its outputs
  bool outputs_leave = false;                      // its successor computes other outputs (or there is none)
};

// Calls `visit` for every tile of the tiling (sizes clamped as digital_cost does), in order.
void walk_digital_tiles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                        const std::function<void(const DigitalTile&)>& visit);

// PEs of the core along dimension d when an axis unrolls d alone (1: not unrolled, or unrolled with
// others, whose tile sizes are then chosen as any other dimension's).
std::int64_t unrolling(const DigitalCore& core, LoopDim d);

// Steps of one tile of these extents (indexed by LoopDim: N, G, K, C, P, Q, R, S): the dimensions an
// axis unrolls are flattened into one index spread over its PEs (the ceiling of their product over
// rows or columns); every other one runs in time. In grid cycles: each step takes `step_cycles`.
std::int64_t tile_steps(const DigitalCore& core, const std::array<std::int64_t, 8>& extents);

// Input rows (or columns) that output rows [first, first + count) read: their window, padding excluded.
std::int64_t input_window(std::int64_t first, std::int64_t count, std::int64_t stride, std::int64_t kernel,
                          std::int64_t padding, std::int64_t in_size);

// Tiles the tiling has (the product of the loops' trip counts).
std::int64_t digital_tile_count(const Layer& layer, const DigitalTiling& tiling);

}  // namespace cimnet
