#include "mapping/digital_tiles.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The six tiled loops: N, G, K, C, P, Q.
enum Loop { kN, kG, kK, kC, kP, kQ };

struct Nest {
  std::array<std::int64_t, 6> size{}, tile{}, trips{};
  std::array<int, 6> order{};  // outer to inner
};

Nest nest_of(const Layer& l, const DigitalTiling& t) {
  Nest nest;
  nest.size = {l.batch, l.groups, l.out_channels / l.groups, l.in_channels / l.groups, l.out_h, l.out_w};
  const std::array<std::int64_t, 6> wanted = {t.n, t.g, t.k, t.c, t.p, t.q};
  for (int i = 0; i < 6; ++i) {
    nest.tile[static_cast<std::size_t>(i)] =
        std::clamp<std::int64_t>(wanted[static_cast<std::size_t>(i)], 1, nest.size[static_cast<std::size_t>(i)]);
    nest.trips[static_cast<std::size_t>(i)] =
        ceil_div(nest.size[static_cast<std::size_t>(i)], nest.tile[static_cast<std::size_t>(i)]);
  }
  int at = 0;
  nest.order[static_cast<std::size_t>(at++)] = kN;
  nest.order[static_cast<std::size_t>(at++)] = kG;
  for (TileLoop loop : t.order) {
    if (loop == TileLoop::K) nest.order[static_cast<std::size_t>(at++)] = kK;
    if (loop == TileLoop::C) nest.order[static_cast<std::size_t>(at++)] = kC;
    if (loop == TileLoop::X) {
      nest.order[static_cast<std::size_t>(at++)] = kP;
      nest.order[static_cast<std::size_t>(at++)] = kQ;
    }
  }
  return nest;
}

}  // namespace

std::int64_t unrolling(const DigitalCore& core, LoopDim d) {
  if (core.row_dims.size() == 1 && core.row_dims[0] == d) return core.rows;
  if (core.col_dims.size() == 1 && core.col_dims[0] == d) return core.cols;
  return 1;
}

std::int64_t tile_steps(const DigitalCore& core, const std::array<std::int64_t, 8>& extents) {
  const auto at = [&](LoopDim d) { return extents[static_cast<std::size_t>(d)]; };
  std::int64_t steps = 1, over_rows = 1, over_cols = 1;
  for (LoopDim d : {LoopDim::N, LoopDim::G, LoopDim::K, LoopDim::C, LoopDim::P, LoopDim::Q, LoopDim::R, LoopDim::S}) {
    if (std::find(core.row_dims.begin(), core.row_dims.end(), d) != core.row_dims.end()) {
      over_rows *= at(d);
    } else if (std::find(core.col_dims.begin(), core.col_dims.end(), d) != core.col_dims.end()) {
      over_cols *= at(d);
    } else {
      steps *= at(d);
    }
  }
  return steps * ceil_div(over_rows, core.rows) * ceil_div(over_cols, core.cols) * core.step_cycles;
}

std::int64_t input_window(std::int64_t first, std::int64_t count, std::int64_t stride, std::int64_t kernel,
                          std::int64_t padding, std::int64_t in_size) {
  const std::int64_t lo = std::max<std::int64_t>(0, first * stride - padding);
  const std::int64_t hi = std::min(in_size, (first + count - 1) * stride - padding + kernel);
  return std::max<std::int64_t>(0, hi - lo);
}

std::int64_t digital_tile_count(const Layer& layer, const DigitalTiling& tiling) {
  const Nest nest = nest_of(layer, tiling);
  std::int64_t n = 1;
  for (std::int64_t t : nest.trips) n *= t;
  return n;
}

void walk_digital_tiles(const Layer& l, const DigitalCore& core, const DigitalTiling& tiling,
                        const std::function<void(const DigitalTile&)>& visit) {
  const Nest nest = nest_of(l, tiling);
  const bool matmul = l.kind == LayerKind::MatMul;
  const std::int64_t wbits = matmul ? l.input_bits : l.weight_bits;
  const std::int64_t rs = l.kernel_h * l.kernel_w;
  const std::int64_t total = digital_tile_count(l, tiling);
  // Keys of each tile's operand tiles: weights (n if matmul, g, k, c), inputs (n, g, c, p, q),
  // outputs (n, g, k, p, q), as indices into the trip counts.
  auto out_key = [&](const std::array<std::int64_t, 6>& i) {
    return (((i[kN] * nest.trips[kG] + i[kG]) * nest.trips[kK] + i[kK]) * nest.trips[kP] + i[kP]) * nest.trips[kQ] + i[kQ];
  };
  auto w_key = [&](const std::array<std::int64_t, 6>& i) {
    return (((matmul ? i[kN] : 0) * nest.trips[kG] + i[kG]) * nest.trips[kK] + i[kK]) * nest.trips[kC] + i[kC];
  };
  auto in_key = [&](const std::array<std::int64_t, 6>& i) {
    return (((i[kN] * nest.trips[kG] + i[kG]) * nest.trips[kC] + i[kC]) * nest.trips[kP] + i[kP]) * nest.trips[kQ] + i[kQ];
  };
  std::vector<bool> seen(static_cast<std::size_t>(nest.trips[kN] * nest.trips[kG] * nest.trips[kK] * nest.trips[kP] *
                                                  nest.trips[kQ]),
                         false);
  std::array<std::int64_t, 6> idx{};  // the current tile's index per loop
  std::int64_t prev_w = -1, prev_in = -1, prev_out = -1;
  for (std::int64_t t = 0; t < total; ++t) {
    DigitalTile tile;
    tile.index = t;
    std::array<std::int64_t, 6> ext{};
    for (int d = 0; d < 6; ++d) {
      const auto u = static_cast<std::size_t>(d);
      ext[u] = std::min(nest.tile[u], nest.size[u] - idx[u] * nest.tile[u]);
    }
    tile.n = ext[kN], tile.g = ext[kG], tile.k = ext[kK], tile.c = ext[kC], tile.p = ext[kP], tile.q = ext[kQ];
    tile.macs = tile.n * tile.g * tile.k * tile.c * tile.p * tile.q * rs;
    tile.steps = tile_steps(core, {tile.n, tile.g, tile.k, tile.c, tile.p, tile.q, l.kernel_h, l.kernel_w});
    tile.weight_bytes = bits_to_bytes((matmul ? tile.n : 1) * tile.g * tile.k * tile.c * rs, wbits);
    const std::int64_t rows = input_window(idx[kP] * nest.tile[kP], tile.p, l.stride, l.kernel_h, l.padding, l.in_h);
    const std::int64_t cols = input_window(idx[kQ] * nest.tile[kQ], tile.q, l.stride, l.kernel_w, l.padding, l.in_w);
    tile.input_bytes = bits_to_bytes(tile.n * tile.g * tile.c * rows * cols, l.input_bits);
    tile.output_elements = tile.n * tile.g * tile.k * tile.p * tile.q;
    const std::int64_t wk = w_key(idx), ik = in_key(idx), ok = out_key(idx);
    tile.output_tile = ok;
    tile.new_weights = wk != prev_w;
    tile.new_inputs = ik != prev_in;
    tile.new_outputs = ok != prev_out;
    tile.outputs_return = tile.new_outputs && seen[static_cast<std::size_t>(ok)];
    seen[static_cast<std::size_t>(ok)] = true;
    tile.outputs_final = idx[kC] == nest.trips[kC] - 1;
    prev_w = wk, prev_in = ik, prev_out = ok;
    // The successor: advance the odometer (innermost loop fastest).
    for (int j = 5; j >= 0; --j) {
      const auto loop = static_cast<std::size_t>(nest.order[static_cast<std::size_t>(j)]);
      if (++idx[loop] < nest.trips[loop]) break;
      idx[loop] = 0;
    }
    tile.outputs_leave = t + 1 == total || out_key(idx) != ok;
    visit(tile);
  }
}

}  // namespace cimnet
