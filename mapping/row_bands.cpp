#include "mapping/row_bands.hpp"

#include <algorithm>
#include <string>

#include "common/error.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

Rows RowWindow::of(Rows out) const {
  if (out.empty()) return {};
  if (whole) return {0, in_rows};
  const std::int64_t begin = out.begin * stride - padding;
  const std::int64_t end = (out.end - 1) * stride - padding + kernel;
  return {std::max<std::int64_t>(0, begin), std::min(in_rows, end)};
}

RowWindow row_window(const Network& network, int index, int operand) {
  const Layer& layer = network.layers.at(static_cast<std::size_t>(index));
  const int producer = layer.inputs.at(static_cast<std::size_t>(operand));
  RowWindow w;
  // Rows of the operand as its producer wrote them (the network input has the layer's input rows).
  w.in_rows = producer < 0 ? layer.in_h : network.layers[static_cast<std::size_t>(producer)].out_h;
  const bool windowed = (layer.kind == LayerKind::Conv ||
                         (layer.kind == LayerKind::Pool && layer.pool != PoolOp::GlobalAverage)) &&
                        operand == 0;
  const bool row_wise =
      (operand == 0 && (layer.kind == LayerKind::Linear || layer.kind == LayerKind::Activation ||
                        layer.kind == LayerKind::Softmax || layer.kind == LayerKind::LayerNorm ||
                        layer.kind == LayerKind::MatMul || layer.kind == LayerKind::Eltwise)) ||
      (operand == 1 && layer.kind == LayerKind::Eltwise && !layer.broadcast_second);
  if (windowed && w.in_rows == layer.in_h) {
    w.kernel = layer.kernel_h;
    w.stride = layer.stride;
    w.padding = layer.padding;
  } else if (row_wise && w.in_rows == layer.out_h) {
    // kernel 1, stride 1, no padding: output row r reads input row r.
  } else {
    w.whole = true;
  }
  return w;
}

std::int64_t output_row_bytes(const Layer& layer, std::int64_t rows) {
  return bits_to_bytes(layer.batch * layer.out_channels * layer.out_w * rows, layer.output_bits);
}

std::int64_t StackTiling::peak_bytes() const {
  return step_bytes.empty() ? 0 : *std::max_element(step_bytes.begin(), step_bytes.end());
}

std::int64_t StackTiling::most_held_one_step_ahead(int layer) const {
  const auto& of = bands[static_cast<std::size_t>(layer - first)];
  std::int64_t most = 0;
  for (std::int64_t t = 0; t < tiles; ++t) {
    std::int64_t held = 0;
    for (std::int64_t u = 0; u <= t; ++u) {
      if (of[static_cast<std::size_t>(u)].read_until >= t - 1) held += of[static_cast<std::size_t>(u)].bytes;
    }
    most = std::max(most, held);
  }
  return most;
}

StackTiling tile_stack(const Network& network, int first, int last, std::int64_t tiles) {
  const int n = static_cast<int>(network.layers.size());
  if (first < 0 || last < first || last >= n) {
    throw InputError("network '" + network.name + "': layers " + std::to_string(first) + " .. " +
                     std::to_string(last) + " are not a stack of its " + std::to_string(n) + " layers");
  }
  if (tiles < 1) {
    throw InputError("network '" + network.name + "': a stack needs at least one tile, got " + std::to_string(tiles));
  }
  const int size = last - first + 1;
  const auto layer = [&](int i) -> const Layer& { return network.layers[static_cast<std::size_t>(i)]; };

  StackTiling s;
  s.first = first;
  s.last = last;
  s.tiles = tiles;
  s.bands.assign(static_cast<std::size_t>(size), std::vector<StackTiling::Band>(static_cast<std::size_t>(tiles)));
  s.leaves.assign(static_cast<std::size_t>(size), false);

  // In-stack reads of each layer's output: (consumer, operand).
  std::vector<std::vector<std::pair<int, int>>> readers(static_cast<std::size_t>(size));
  std::vector<bool> read_at_all(static_cast<std::size_t>(size), false);
  for (int c = first; c < n; ++c) {
    const auto& inputs = layer(c).inputs;
    for (int o = 0; o < static_cast<int>(inputs.size()); ++o) {
      const int p = inputs[static_cast<std::size_t>(o)];
      if (p < first || p > last) continue;
      read_at_all[static_cast<std::size_t>(p - first)] = true;
      if (c <= last) {
        readers[static_cast<std::size_t>(p - first)].push_back({c, o});
      } else {
        s.leaves[static_cast<std::size_t>(p - first)] = true;
      }
    }
  }
  for (int i = 0; i < size; ++i) {
    if (!read_at_all[static_cast<std::size_t>(i)]) s.leaves[static_cast<std::size_t>(i)] = true;
  }

  // Rows produced by the end of each step, backwards from the consumers within a step.
  std::vector<std::vector<std::int64_t>> done(static_cast<std::size_t>(size), std::vector<std::int64_t>(
                                                                                   static_cast<std::size_t>(tiles)));
  for (std::int64_t t = 0; t < tiles; ++t) {
    for (int i = last; i >= first; --i) {
      const std::size_t k = static_cast<std::size_t>(i - first);
      const std::int64_t rows = layer(i).out_h;
      const std::int64_t before = t == 0 ? 0 : done[k][static_cast<std::size_t>(t - 1)];
      std::int64_t need = before;
      if (s.leaves[k]) need = std::max(need, ((t + 1) * rows + tiles - 1) / tiles);
      for (const auto& [c, o] : readers[k]) {
        const Rows& band = s.bands[static_cast<std::size_t>(c - first)][static_cast<std::size_t>(t)].out;
        need = std::max(need, row_window(network, c, o).of(band).end);
      }
      if (t == tiles - 1) need = rows;
      done[k][static_cast<std::size_t>(t)] = std::min(need, rows);
      s.bands[k][static_cast<std::size_t>(t)].out = {before, done[k][static_cast<std::size_t>(t)]};
    }
  }

  // What each band reads, and after which step of its producer.
  for (int c = first; c <= last; ++c) {
    const auto& inputs = layer(c).inputs;
    for (std::int64_t t = 0; t < tiles; ++t) {
      StackTiling::Band& band = s.bands[static_cast<std::size_t>(c - first)][static_cast<std::size_t>(t)];
      band.in.assign(inputs.size(), Rows{});
      band.after.assign(inputs.size(), -1);
      if (band.out.empty()) continue;
      for (std::size_t o = 0; o < inputs.size(); ++o) {
        band.in[o] = row_window(network, c, static_cast<int>(o)).of(band.out);
        const int p = inputs[o];
        if (p < first || p > last) continue;
        const auto& made = done[static_cast<std::size_t>(p - first)];
        std::int64_t u = 0;
        while (made[static_cast<std::size_t>(u)] < band.in[o].end) ++u;  // made[t] ≥ end by construction
        band.after[o] = static_cast<int>(u);
      }
    }
  }

  // Until when each band is read, and the bands held on chip while each step runs.
  for (int c = first; c <= last; ++c) {
    const auto& inputs = layer(c).inputs;
    for (std::int64_t t = 0; t < tiles; ++t) {
      const StackTiling::Band& reader = s.bands[static_cast<std::size_t>(c - first)][static_cast<std::size_t>(t)];
      if (reader.out.empty()) continue;
      for (std::size_t o = 0; o < inputs.size(); ++o) {
        const int p = inputs[o];
        if (p < first || p > last) continue;
        for (auto& band : s.bands[static_cast<std::size_t>(p - first)]) {
          if (band.out.begin < reader.in[o].end && reader.in[o].begin < band.out.end) {
            band.read_until = std::max(band.read_until, t);
          }
        }
      }
    }
  }
  s.held_bytes.assign(static_cast<std::size_t>(size), std::vector<std::int64_t>(static_cast<std::size_t>(tiles), 0));
  s.step_bytes.assign(static_cast<std::size_t>(tiles), 0);
  for (int i = first; i <= last; ++i) {
    const std::size_t k = static_cast<std::size_t>(i - first);
    for (std::int64_t u = 0; u < tiles; ++u) {
      StackTiling::Band& band = s.bands[k][static_cast<std::size_t>(u)];
      band.read_until = std::max(band.read_until, u);
      const std::int64_t bytes = output_row_bytes(layer(i), band.out.count());
      band.bytes = bytes;
      for (std::int64_t t = u; t <= band.read_until; ++t) {
        s.held_bytes[k][static_cast<std::size_t>(t)] += bytes;
        s.step_bytes[static_cast<std::size_t>(t)] += bytes;
      }
    }
  }
  return s;
}

const StackTiling& StackTilings::in(std::int64_t tiles) {
  auto it = made_.find(tiles);
  if (it == made_.end()) it = made_.emplace(tiles, tile_stack(network_, first_, last_, tiles)).first;
  return it->second;
}

}  // namespace cimnet
