#include "mapping/digital_mapper.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/digital_schedule.hpp"
#include "mapping/digital_tiles.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The layer's loop sizes, per group.
struct Loops {
  std::int64_t n, g, k, c, p, q, r, s;
  std::int64_t size(LoopDim d) const {
    switch (d) {
      case LoopDim::N: return n;
      case LoopDim::G: return g;
      case LoopDim::K: return k;
      case LoopDim::C: return c;
      case LoopDim::P: return p;
      case LoopDim::Q: return q;
      case LoopDim::R: return r;
      case LoopDim::S: return s;
    }
    return 1;
  }
};

Loops loops_of(const Layer& l) {
  return {l.batch, l.groups, l.out_channels / l.groups, l.in_channels / l.groups, l.out_h, l.out_w, l.kernel_h, l.kernel_w};
}

// Steps of every tile: each loop of N..Q has full tiles and at most one smaller last one, so the tiles
// come in at most 2^6 shapes (usually a few); each shape's count times its steps (tile_steps).
std::int64_t total_steps(const DigitalCore& core, const Loops& L, const std::array<std::int64_t, 6>& tile) {
  const std::array<std::int64_t, 6> size = {L.n, L.g, L.k, L.c, L.p, L.q};
  // Per loop, its tile extents and how many tiles have each: (count, extent), one or two.
  std::array<std::array<std::pair<std::int64_t, std::int64_t>, 2>, 6> kinds{};
  std::array<int, 6> kind_count{};
  for (std::size_t d = 0; d < 6; ++d) {
    const std::int64_t full = size[d] / tile[d], rest = size[d] % tile[d];
    if (full > 0) kinds[d][static_cast<std::size_t>(kind_count[d]++)] = {full, tile[d]};
    if (rest > 0) kinds[d][static_cast<std::size_t>(kind_count[d]++)] = {1, rest};
  }
  std::int64_t total = 0;
  std::array<int, 6> pick{};
  while (true) {
    std::array<std::int64_t, 8> extents{};
    std::int64_t count = 1;
    for (std::size_t d = 0; d < 6; ++d) {
      const auto& [n, extent] = kinds[d][static_cast<std::size_t>(pick[d])];
      count *= n;
      extents[d] = extent;
    }
    extents[6] = L.r;
    extents[7] = L.s;
    total += count * tile_steps(core, extents);
    std::size_t d = 0;
    while (d < 6 && ++pick[d] == kind_count[d]) pick[d++] = 0;
    if (d == 6) return total;
  }
}

// Over every tile of a loop of `size` output rows in tiles of `tile`: the input rows fetched in all,
// the most one tile reads, and the first tile's.
struct WindowSum {
  std::int64_t total = 0, largest = 0, first = 0;
};
WindowSum windows(std::int64_t size, std::int64_t tile, std::int64_t stride, std::int64_t kernel, std::int64_t padding,
                  std::int64_t in_size) {
  WindowSum w;
  for (std::int64_t a = 0; a < size; a += tile) {
    const std::int64_t rows = input_window(a, std::min(tile, size - a), stride, kernel, padding, in_size);
    w.total += rows;
    w.largest = std::max(w.largest, rows);
    if (a == 0) w.first = rows;
  }
  return w;
}

std::int64_t last_tile(std::int64_t size, std::int64_t tile) { return size % tile ? size % tile : tile; }

// Tile sizes worth trying for a loop of `size` unrolled over `u`: powers of two, multiples of the
// unrolling by powers of two, and the whole loop.
std::vector<std::int64_t> tile_choices(std::int64_t size, std::int64_t u) {
  std::vector<std::int64_t> t;
  for (std::int64_t v = 1; v < size; v *= 2) t.push_back(v);
  if (u > 1) {
    for (std::int64_t v = u; v < size; v *= 2) t.push_back(v);
  }
  t.push_back(size);
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

bool is_matmul(const Layer& l) { return l.kind == LayerKind::MatMul; }

// What digital_cost computes before the order: everything but the traffic.
struct TileFacts {
  std::int64_t trips_n, trips_g, trips_k, trips_c, trips_x;
  std::int64_t weight_tile, input_tile, output_tile;  // bytes, the largest tile of each
  std::int64_t weights, inputs, outputs;              // bytes of one sweep of each tensor (inputs: halos)
  std::int64_t psum_elements;                         // output elements
  std::int64_t first_loads, last_drain;
  std::int64_t compute;
};

TileFacts facts(const Layer& layer, const DigitalCore& core, const Loops& L, const DigitalTiling& t) {
  TileFacts f{};
  f.trips_n = ceil_div(L.n, t.n);
  f.trips_g = ceil_div(L.g, t.g);
  f.trips_k = ceil_div(L.k, t.k);
  f.trips_c = ceil_div(L.c, t.c);
  f.trips_x = ceil_div(L.p, t.p) * ceil_div(L.q, t.q);
  const std::int64_t wbits = is_matmul(layer) ? layer.input_bits : layer.weight_bits;
  const std::int64_t rs = L.r * L.s;
  const std::int64_t w_n = is_matmul(layer) ? L.n : 1, w_tn = is_matmul(layer) ? t.n : 1;
  f.weights = bits_to_bytes(w_n * L.g * L.k * L.c * rs, wbits);
  f.weight_tile = bits_to_bytes(w_tn * t.g * t.k * t.c * rs, wbits);
  const WindowSum rows = windows(L.p, t.p, layer.stride, L.r, layer.padding, layer.in_h);
  const WindowSum cols = windows(L.q, t.q, layer.stride, L.s, layer.padding, layer.in_w);
  f.inputs = bits_to_bytes(L.n * L.g * L.c * rows.total * cols.total, layer.input_bits);
  f.input_tile = bits_to_bytes(t.n * t.g * t.c * rows.largest * cols.largest, layer.input_bits);
  f.psum_elements = L.n * L.g * L.k * L.p * L.q;
  f.outputs = bits_to_bytes(f.psum_elements, layer.output_bits);
  f.output_tile = bits_to_bytes(t.n * t.g * t.k * t.p * t.q, core.accumulator_bits);
  f.first_loads = bits_to_bytes(w_tn * t.g * t.k * t.c * rs, wbits) +
                  bits_to_bytes(t.n * t.g * t.c * rows.first * cols.first, layer.input_bits);
  f.last_drain = bits_to_bytes(last_tile(L.n, t.n) * last_tile(L.g, t.g) * last_tile(L.k, t.k) *
                                   last_tile(L.p, t.p) * last_tile(L.q, t.q),
                               layer.output_bits);
  f.compute = total_steps(core, L, {t.n, t.g, t.k, t.c, t.p, t.q});
  return f;
}

// Which of the tile loops N, G, K, C, X each operand depends on.
enum Operand { Weights, Inputs, Outputs };
bool depends(Operand o, int loop, bool matmul) {  // loop: 0 N, 1 G, 2 K, 3 C, 4 X
  switch (o) {
    case Weights: return loop == 1 || loop == 2 || loop == 3 || (loop == 0 && matmul);
    case Inputs: return loop != 2;
    case Outputs: return loop != 3;
  }
  return true;
}

int loop_index(TileLoop l) { return l == TileLoop::K ? 2 : l == TileLoop::C ? 3 : 4; }

// How many times operand `o` crosses the port: the trips of the loops it does not depend on that run
// outside its innermost loop it does depend on (loops of one trip ignored).
std::int64_t refetch(Operand o, const std::array<int, 5>& nest, const std::array<std::int64_t, 5>& trips, bool matmul,
                     bool* irrelevant_outside = nullptr) {
  int innermost = -1;
  for (int i = 0; i < 5; ++i) {
    if (trips[static_cast<std::size_t>(nest[static_cast<std::size_t>(i)])] > 1 && depends(o, nest[static_cast<std::size_t>(i)], matmul)) innermost = i;
  }
  std::int64_t factor = 1;
  for (int i = 0; i < innermost; ++i) {
    const int loop = nest[static_cast<std::size_t>(i)];
    if (!depends(o, loop, matmul)) factor *= trips[static_cast<std::size_t>(loop)];
  }
  if (irrelevant_outside) *irrelevant_outside = factor > 1;
  return factor;
}

}  // namespace

std::string digital_precision_refusal(const Layer& layer, const DigitalCore& core) {
  const int wbits = static_cast<int>(is_matmul(layer) ? layer.input_bits : layer.weight_bits);
  const auto refuse = [&](int bits, const char* operand, const std::vector<int>& widths) {
    std::string allowed;
    for (int p : widths) allowed += (allowed.empty() ? "" : ", ") + std::to_string(p);
    return "layer '" + layer.name + "' needs " + std::to_string(bits) + "-bit " + operand + "; digital core '" +
           core.name + "' takes them at " + allowed + " bits";
  };
  if (!core.supports_weights(wbits)) {
    return refuse(wbits, is_matmul(layer) ? "stationary operands" : "weights", core.stationary_precisions());
  }
  if (!core.supports(static_cast<int>(layer.input_bits))) {
    return refuse(static_cast<int>(layer.input_bits), "inputs", core.precisions);
  }
  return "";
}

namespace {

void cost_order(const Layer& layer, const DigitalCore& core, const TileFacts& f, const std::array<TileLoop, 3>& order,
                const DigitalPath& path, DigitalCost& c) {
  const bool mm = is_matmul(layer);
  const std::array<int, 5> nest{0, 1, loop_index(order[0]), loop_index(order[1]), loop_index(order[2])};
  const std::array<std::int64_t, 5> trips{f.trips_n, f.trips_g, f.trips_k, f.trips_c, f.trips_x};
  c.weight_bytes = f.weights * refetch(Weights, nest, trips, mm);
  c.input_bytes = f.inputs * refetch(Inputs, nest, trips, mm);
  bool spills = false;
  refetch(Outputs, nest, trips, mm, &spills);
  // Spilled partial sums: written after every C tile but the last, read back before every one but the first.
  c.output_bytes = f.outputs + (spills ? 2 * (f.trips_c - 1) * bits_to_bytes(f.psum_elements, core.accumulator_bits) : 0);
  const std::int64_t bw = path.bytes_per_cycle;
  const std::int64_t tiles = f.trips_n * f.trips_g * f.trips_k * f.trips_c * f.trips_x;
  const std::int64_t rest = std::max<std::int64_t>(0, c.port_bytes() - f.first_loads - f.last_drain);
  const std::int64_t loads = c.weight_bytes + c.input_bytes + (c.output_bytes - f.outputs) / 2;  // psums come back
  const std::int64_t rest_loads = std::max<std::int64_t>(0, loads - f.first_loads);
  const std::int64_t head = path.latency_down + ceil_div(f.first_loads, bw);
  const std::int64_t tail = core.pipeline_cycles + path.latency_up + ceil_div(f.last_drain, bw);
  c.tiles = tiles;
  c.fill_cycles = head + tail;
  if (tiles == 1) {
    c.cycles = c.closed_form_cycles = head + f.compute + tail;
    return;
  }
  const double n = static_cast<double>(tiles);
  // Per tile: its steps and the pipeline, which drains between tiles (the grid runs them in order).
  const double mean_compute = static_cast<double>(f.compute) / n + static_cast<double>(core.pipeline_cycles);
  const double link = static_cast<double>(rest) / static_cast<double>(bw) / (n - 1);
  const double load = static_cast<double>(rest_loads) / static_cast<double>(bw) / (n - 1);
  const double slots = (mean_compute + static_cast<double>(path.latency_down) + load) / 2;
  // The output buffer's two slots: an output tile's space returns when its move out has arrived, m
  // tiles (its input-channel tiles computed in a row) after it was taken.
  const std::int64_t out_tiles = f.trips_n * f.trips_g * f.trips_k * f.trips_x;
  const std::int64_t visits = spills ? out_tiles * f.trips_c : out_tiles;
  const std::int64_t stores = c.output_bytes - (spills ? (f.trips_c - 1) * bits_to_bytes(f.psum_elements, core.accumulator_bits) : 0);
  const double m = n / static_cast<double>(visits);
  const double store = static_cast<double>(stores) / static_cast<double>(bw) / static_cast<double>(visits);
  // A returning output tile's partial sums come in first.
  const double returning = spills ? static_cast<double>(f.trips_c - 1) / static_cast<double>(f.trips_c) : 0;
  const double psum_in = static_cast<double>(bits_to_bytes(f.psum_elements, core.accumulator_bits)) /
                         static_cast<double>(out_tiles) / static_cast<double>(bw);
  const double out_slots = (m * mean_compute + static_cast<double>(path.latency_up) + store +
                            returning * (static_cast<double>(path.latency_down) + psum_in)) /
                           (2 * m);
  double period = std::max({mean_compute, link, slots, out_slots});
  if (core.weight_slots == 1 && f.weight_tile > 0) {
    // Weights written into the grid itself: the next weight tile waits for every computation on this one.
    const double allocations = std::max(1.0, static_cast<double>(c.weight_bytes) / static_cast<double>(f.weight_tile));
    const double per_allocation = n / allocations;
    const double write = static_cast<double>(f.weight_tile) / static_cast<double>(bw);
    period = std::max(period, mean_compute + (static_cast<double>(path.latency_down) + write) / per_allocation);
  }
  c.cycles = c.closed_form_cycles =
      c.fill_cycles + static_cast<std::int64_t>(std::ceil((n - 1) * period + mean_compute)) - core.pipeline_cycles;
}

}  // namespace

std::string DigitalTiling::summary() const {
  std::string s = "n" + std::to_string(n) + " g" + std::to_string(g) + " k" + std::to_string(k) + " c" + std::to_string(c) +
                  " p" + std::to_string(p) + " q" + std::to_string(q) + " ";
  for (std::size_t i = 0; i < order.size(); ++i) {
    s += order[i] == TileLoop::K ? "K" : order[i] == TileLoop::C ? "C" : "X";
    if (i + 1 < order.size()) s += ">";
  }
  return s;
}

DigitalPath port_path(const DigitalCore& core) {
  return DigitalPath{core.port_bytes_per_cycle, core.link_latency, core.link_latency,
                     {DigitalHop{core.port_bytes_per_cycle, core.link_latency}}, MicroArch{}.burst_bytes};
}

namespace {

// The tiling's facts when it fits the core's buffers and the tile limit; else false with `c.why`. The
// tile sizes are clamped to the layer's (into `t`).
bool feasible_facts(const Layer& layer, const DigitalCore& core, const Loops& L, DigitalTiling& t, TileFacts& f,
                    DigitalCost& c) {
  t.n = std::clamp<std::int64_t>(t.n, 1, L.n);
  t.g = std::clamp<std::int64_t>(t.g, 1, L.g);
  t.k = std::clamp<std::int64_t>(t.k, 1, L.k);
  t.c = std::clamp<std::int64_t>(t.c, 1, L.c);
  t.p = std::clamp<std::int64_t>(t.p, 1, L.p);
  t.q = std::clamp<std::int64_t>(t.q, 1, L.q);
  f = facts(layer, core, L, t);
  auto over = [&](const char* what, std::int64_t tile, std::int64_t buffer, int slots) {
    c.why = "tile " + t.summary() + " of layer '" + layer.name + "': its " + what + " take " + std::to_string(tile) +
            " bytes, more than " + (slots == 1 ? "" : "half ") + "the " + std::to_string(buffer) + "-byte " + what +
            " buffer of digital core '" +
            core.name + "'";
    return false;
  };
  if (core.weight_slots * f.weight_tile > core.weight_buffer_bytes) {
    return over("weights", f.weight_tile, core.weight_buffer_bytes, core.weight_slots);
  }
  if (2 * f.input_tile > core.input_buffer_bytes) return over("inputs", f.input_tile, core.input_buffer_bytes, 2);
  if (2 * f.output_tile > core.output_buffer_bytes) {
    return over("accumulators", f.output_tile, core.output_buffer_bytes, 2);
  }
  const std::int64_t tiles = f.trips_n * f.trips_g * f.trips_k * f.trips_c * f.trips_x;
  if (tiles > kMaxDigitalTiles) {
    c.why = "tiling " + t.summary() + " of layer '" + layer.name + "' has " + std::to_string(tiles) +
            " tiles, more than " + std::to_string(kMaxDigitalTiles);
    return false;
  }
  c.feasible = true;
  c.compute_cycles = f.compute;
  // Of the PEs over the steps (a step of several cycles is one use of each PE).
  c.utilisation = static_cast<double>(c.macs) * static_cast<double>(core.step_cycles) /
                  (static_cast<double>(f.compute) * static_cast<double>(core.pes()));
  return true;
}

}  // namespace

DigitalCost digital_cost(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                         const DigitalPath& path) {
  if (!layer.is_mac_layer()) throw std::logic_error("digital_cost: layer '" + layer.name + "' has no MACs");
  DigitalCost c;
  c.macs = layer.macs();
  c.why = digital_precision_refusal(layer, core);
  if (!c.why.empty()) return c;
  const Loops L = loops_of(layer);
  DigitalTiling t = tiling;
  TileFacts f{};
  if (feasible_facts(layer, core, L, t, f, c)) cost_order(layer, core, f, t.order, path, c);
  return c;
}

DigitalMapping map_layer_digital(const Layer& layer, const DigitalCore& core, const DigitalPath& path) {
  if (!layer.is_mac_layer()) throw std::logic_error("map_layer_digital: layer '" + layer.name + "' has no MACs");
  DigitalMapping best;
  best.cost.macs = layer.macs();
  best.cost.why = digital_precision_refusal(layer, core);
  if (!best.cost.why.empty()) return best;
  const Loops L = loops_of(layer);
  static const std::array<std::array<TileLoop, 3>, 6> kOrders = {{{TileLoop::K, TileLoop::C, TileLoop::X},
                                                                  {TileLoop::K, TileLoop::X, TileLoop::C},
                                                                  {TileLoop::C, TileLoop::K, TileLoop::X},
                                                                  {TileLoop::C, TileLoop::X, TileLoop::K},
                                                                  {TileLoop::X, TileLoop::K, TileLoop::C},
                                                                  {TileLoop::X, TileLoop::C, TileLoop::K}}};
  // The tile sizes tried per loop, built once.
  const auto choices_of = [&](LoopDim d) { return tile_choices(L.size(d), unrolling(core, d)); };
  const std::vector<std::int64_t> ns = choices_of(LoopDim::N), gs = choices_of(LoopDim::G),
                                  ks = choices_of(LoopDim::K), cs = choices_of(LoopDim::C),
                                  ps = choices_of(LoopDim::P), qs = choices_of(LoopDim::Q);
  DigitalTiling t;
  std::string smallest_why;
  // Every feasible tiling with a lower bound on its schedule; then the schedule of each in order of
  // that bound, until the bound reaches the best schedule found: the least schedule over them all.
  struct Candidate {
    DigitalTiling tiling;
    DigitalCost cost;
    std::int64_t bound;
  };
  std::vector<Candidate> candidates;
  auto before = [](const DigitalCost& a, const DigitalCost& b) {
    return a.cycles != b.cycles ? a.cycles < b.cycles : a.port_bytes() < b.port_bytes();
  };
  for (std::int64_t n : ns) {
    for (std::int64_t g : gs) {
      for (std::int64_t k : ks) {
        for (std::int64_t c : cs) {
          for (std::int64_t p : ps) {
            for (std::int64_t q : qs) {
              t.n = n, t.g = g, t.k = k, t.c = c, t.p = p, t.q = q;
              DigitalCost cost;
              cost.macs = best.cost.macs;
              TileFacts f{};
              if (!feasible_facts(layer, core, L, t, f, cost)) {
                if (smallest_why.empty()) smallest_why = cost.why;  // the first: every tile of size 1
                continue;
              }
              for (const auto& order : kOrders) {
                cost_order(layer, core, f, order, path, cost);
                ++best.evaluated;
                // The grid runs every tile and its pipeline after the first tile's loads have crossed
                // the path, and the last tile's results cross it after; the path's narrowest hop
                // carries every byte one burst at a time.
                const std::int64_t bound =
                    std::max(cost.fill_cycles + f.compute + (cost.tiles - 1) * core.pipeline_cycles,
                             ceil_div(cost.port_bytes(), path.bytes_per_cycle));
                Candidate cand{t, cost, bound};
                cand.tiling.order = order;
                candidates.push_back(cand);
              }
            }
          }
        }
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.bound != b.bound ? a.bound < b.bound : a.cost.closed_form_cycles < b.cost.closed_form_cycles;
  });
  for (Candidate& cand : candidates) {
    if (best.cost.feasible && cand.bound > best.cost.cycles) break;
    cand.cost.cycles = digital_schedule_cycles(layer, core, cand.tiling, path);
    ++best.scheduled;
    if (!best.cost.feasible || before(cand.cost, best.cost)) {
      best.cost = cand.cost;
      best.tiling = cand.tiling;
    }
  }
  if (!best.cost.feasible) {
    best.cost.why = smallest_why.find(" tiles, more than ") == std::string::npos
                        ? smallest_why
                        : "no tiling of layer '" + layer.name + "' fits the buffers of digital core '" + core.name +
                              "' in at most " + std::to_string(kMaxDigitalTiles) + " tiles";
  }
  return best;
}

}  // namespace cimnet
