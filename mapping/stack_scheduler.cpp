#include "mapping/stack_scheduler.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "common/error.hpp"

namespace cimnet {

std::vector<Plan> placed_plans(const Network& net, const Segment& seg) {
  std::vector<Plan> plans;
  for (int i = seg.first; i <= seg.last; ++i) {
    if (!net.layers[static_cast<std::size_t>(i)].is_mac_layer()) continue;
    const std::size_t k = static_cast<std::size_t>(i - seg.first);
    Plan p = seg.layout.plans[k];
    p.decoder_base = seg.layout.first_decoder[k];
    plans.push_back(p);
  }
  return plans;
}

Segment best_stack(const Network& net, int first, int last, const HardwareConfig& hw, MapperCache& cache,
                   std::int64_t* scored, Segment* fastest_warm, std::vector<Segment>* options,
                   WarmWithin* warm_within) {
  if (warm_within) {
    fastest_warm = nullptr;
    options = nullptr;
  }
  Segment best;
  best.first = first;
  best.last = last;
  best.cycles = std::numeric_limits<std::int64_t>::max();
  if (fastest_warm) {
    *fastest_warm = best;
    fastest_warm->warm_cycles = std::numeric_limits<std::int64_t>::max();
  }
  const std::int64_t decoders = hw.l1_decoders();
  std::int64_t macs = 0;
  for (int i = first; i <= last; ++i) {
    const Layer& l = net.layers[static_cast<std::size_t>(i)];
    if (l.kind == LayerKind::MatMul) return best;
    if (l.is_mac_layer()) ++macs;
  }
  if (macs == 0 || macs > decoders) return best;
  // The decoders each MAC layer gets: from plans searched on the whole layer, whatever the stack and its
  // tiles — one search per (layer shape, decoders), shared by every stack that holds the layer.
  std::vector<int> members;
  for (int i = first; i <= last; ++i) {
    if (net.layers[static_cast<std::size_t>(i)].is_mac_layer()) members.push_back(i);
  }
  std::map<std::pair<std::size_t, std::int64_t>, std::optional<ScoredPlan>> plans;
  auto plan_on = [&](std::size_t k, std::int64_t d) -> const std::optional<ScoredPlan>& {
    auto it = plans.find({k, d});
    if (it == plans.end()) {
      LayerMapping lm = cache.map(net.layers[static_cast<std::size_t>(members[k])], stage_hardware(hw, d), 1, true);
      std::optional<ScoredPlan> p;
      if (!lm.best.empty()) p = std::move(lm.best.front());
      it = plans.emplace(std::make_pair(k, d), std::move(p)).first;
    }
    return it->second;
  };
  std::vector<std::int64_t> given(members.size(), 0);
  std::int64_t used = 0;
  for (std::size_t k = 0; k < members.size(); ++k) {
    std::int64_t d = 1;
    while (d <= decoders - used && !plan_on(k, d)) ++d;
    if (d > decoders - used) return best;  // the weights fit no share of the decoders in one pass
    given[k] = d;
    used += d;
  }
  auto busy = [&](std::size_t k, std::int64_t d) {
    if (d > decoders) return std::numeric_limits<std::int64_t>::max();
    const auto& p = plan_on(k, d);
    return p ? p->cost.cycles : std::numeric_limits<std::int64_t>::max();
  };
  while (used < decoders) {
    // The slowest member that one more decoder makes faster.
    std::size_t pick = members.size();
    std::int64_t slowest = -1;
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::int64_t now = busy(k, given[k]);
      if (now > slowest && busy(k, given[k] + 1) < now) {
        slowest = now;
        pick = k;
      }
    }
    if (pick == members.size()) break;
    ++given[pick];
    ++used;
  }
  // The layout for `tiles` bands: each band runs the whole layer's mapping, or (`paced`) the mapping
  // searched on the layer's paced band (⌈rows ⁄ tiles⌉ rows, a whole window above and below) on its
  // decoders — a band's positions may favour other tiles, replicas and splits.
  const std::size_t size = static_cast<std::size_t>(last - first + 1);
  auto layout_for = [&](std::int64_t tiles, bool paced) {
    StackLayout layout;
    layout.first_decoder.assign(size, 0);
    layout.decoders.assign(size, 0);
    layout.plans.resize(size);
    std::int64_t next = 0;
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::size_t at = static_cast<std::size_t>(members[k] - first);
      layout.first_decoder[at] = next;
      layout.decoders[at] = given[k];
      layout.plans[at] = plan_on(k, given[k])->plan;
      next += given[k];
      if (!paced) continue;
      const Layer& whole = net.layers[static_cast<std::size_t>(members[k])];
      const RowWindow window = row_window(net, members[k], 0);
      Layer band = whole;
      band.out_h = (whole.out_h + tiles - 1) / tiles;
      band.in_h = window.whole ? window.in_rows
                               : std::min(window.in_rows, (band.out_h - 1) * window.stride + window.kernel);
      const LayerMapping banded = cache.map(band, stage_hardware(hw, given[k]), 1, true);
      if (!banded.best.empty()) layout.plans[at] = banded.best.front().plan;
    }
    return layout;
  };
  std::optional<StackTilings> own;  // per tile count, made once (or the caller's, shared)
  StackTilings& tilings = warm_within && warm_within->tilings ? *warm_within->tilings : own.emplace(net, first, last);
  if (tilings.first() != first || tilings.last() != last) throw std::logic_error("best_stack: tilings of another stack");
  auto consider = [&](std::int64_t tiles, StackLayout layout) -> std::int64_t {
    const StackTiling& tiling = tilings.in(tiles);
    if (warm_within) {  // ranked once warm, within the share of the global buffer
      StackRun warm;
      try {
        warm = run_stack(net, tiling, layout, hw, StackWeights::Resident);
      } catch (const InputError&) {
        return std::numeric_limits<std::int64_t>::max();
      }
      if (scored) ++*scored;
      if (warm.gb_bytes > warm_within->gb_bytes) {
        warm_within->bound = true;
        return std::numeric_limits<std::int64_t>::max();
      }
      if (warm.cycles < best.warm_cycles || !best.stack) {
        best.stack = true;
        best.tiles = tiles;
        best.layout = std::move(layout);
        best.warm_cycles = warm.cycles;
        best.gb_bytes = warm.gb_bytes;
      }
      return warm.cycles;
    }
    StackRun run;
    try {
      run = run_stack(net, tiling, layout, hw, StackWeights::Load);
    } catch (const InputError&) {
      return std::numeric_limits<std::int64_t>::max();  // a band fits no plan, or the bands not the buffer
    }
    if (scored) ++*scored;
    if (options) {
      Segment o;
      o.first = first;
      o.last = last;
      o.stack = true;
      o.tiles = tiles;
      o.layout = layout;
      o.cycles = run.cycles;
      o.gb_bytes = run.gb_bytes;
      options->push_back(std::move(o));
    }
    std::int64_t warm = -1;
    if (fastest_warm) {
      try {
        warm = run_stack(net, tiling, layout, hw, StackWeights::Resident).cycles;
      } catch (const InputError&) {
        warm = -1;
      }
      if (warm >= 0 && (warm < fastest_warm->warm_cycles ||
                        (warm == fastest_warm->warm_cycles && run.cycles < fastest_warm->cycles))) {
        fastest_warm->stack = true;
        fastest_warm->tiles = tiles;
        fastest_warm->layout = layout;
        fastest_warm->cycles = run.cycles;
        fastest_warm->warm_cycles = warm;
        fastest_warm->gb_bytes = run.gb_bytes;
      }
    }
    if (run.cycles < best.cycles) {
      best.stack = true;
      best.tiles = tiles;
      best.layout = std::move(layout);
      best.cycles = run.cycles;
      best.warm_cycles = warm;
      best.gb_bytes = run.gb_bytes;
    }
    return run.cycles;
  };
  // Every tile count with the whole layers' mappings; then the two fastest with their bands' own.
  std::vector<std::pair<std::int64_t, std::int64_t>> ranked;  // (cycles, tiles)
  for (std::int64_t tiles : kTileChoices) {
    if (tiles > net.layers[static_cast<std::size_t>(last)].out_h) continue;
    ranked.emplace_back(consider(tiles, layout_for(tiles, false)), tiles);
  }
  std::sort(ranked.begin(), ranked.end());
  for (std::size_t r = 0; r < std::min<std::size_t>(2, ranked.size()); ++r) {
    if (ranked[r].first == std::numeric_limits<std::int64_t>::max()) break;
    consider(ranked[r].second, layout_for(ranked[r].second, true));
  }
  if (warm_within && best.stack) {  // the chosen tiling's cold cycles (its first inference loads)
    best.cycles = run_stack(net, tilings.in(best.tiles), best.layout, hw, StackWeights::Load).cycles;
  }
  if (options) {  // the front in (cycles, global buffer), fewest cycles first
    std::sort(options->begin(), options->end(), [](const Segment& a, const Segment& b) {
      return a.cycles != b.cycles ? a.cycles < b.cycles : a.gb_bytes < b.gb_bytes;
    });
    std::vector<Segment> front;
    for (Segment& o : *options) {
      if (front.empty() || o.gb_bytes < front.back().gb_bytes) front.push_back(std::move(o));
    }
    *options = std::move(front);
  }
  return best;
}

PipelineChoice schedule_stacks(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<std::int64_t>& single, PipelineChoice* warm,
                               StackOptions* options, const std::vector<char>& on_their_own) {
  const int n = static_cast<int>(net.layers.size());
  // best[j]: the fewest cycles of layers 0 .. j − 1, cold (and once warm, every stack's weights staying).
  struct Programme {
    std::vector<std::int64_t> best;
    std::vector<Segment> last_of;
    void offer(int j, std::int64_t before, Segment s, std::int64_t cost) {
      const std::int64_t total = before + cost;
      if (total < best[static_cast<std::size_t>(j)]) {
        best[static_cast<std::size_t>(j)] = total;
        last_of[static_cast<std::size_t>(j)] = std::move(s);
      }
    }
    PipelineChoice choice(int n_layers) const {
      PipelineChoice out;
      for (int j = n_layers; j > 0; j = last_of[static_cast<std::size_t>(j)].first) {
        out.segments.push_back(last_of[static_cast<std::size_t>(j)]);
      }
      std::reverse(out.segments.begin(), out.segments.end());
      out.cycles = best[static_cast<std::size_t>(n_layers)];
      return out;
    }
  };
  Programme cold{std::vector<std::int64_t>(static_cast<std::size_t>(n) + 1, 0), std::vector<Segment>(static_cast<std::size_t>(n) + 1)};
  Programme once_warm = cold;
  std::int64_t scored = 0;
  if (options) options->assign(static_cast<std::size_t>(n) + 1, {});
  for (int j = 1; j <= n; ++j) {
    Segment alone;
    alone.first = alone.last = j - 1;
    alone.cycles = single[static_cast<std::size_t>(j - 1)];
    for (Programme* p : {&cold, &once_warm}) {
      p->best[static_cast<std::size_t>(j)] = std::numeric_limits<std::int64_t>::max();
      p->offer(j, p->best[static_cast<std::size_t>(j - 1)], alone, alone.cycles);
    }
    const auto own = [&](int i) { return static_cast<std::size_t>(i) < on_their_own.size() && on_their_own[static_cast<std::size_t>(i)]; };
    for (int i = j - 1; i >= std::max(0, j - kMaxStackLayers) && !own(j - 1); --i) {
      if (net.layers[static_cast<std::size_t>(i)].kind == LayerKind::MatMul || own(i)) break;
      Segment fastest_warm;
      std::vector<Segment> front;
      Segment s = best_stack(net, i, j - 1, hw, cache, &scored, warm ? &fastest_warm : nullptr, options ? &front : nullptr);
      if (!s.stack) continue;
      if (options) {
        auto& at = (*options)[static_cast<std::size_t>(j)];
        at.insert(at.end(), std::make_move_iterator(front.begin()), std::make_move_iterator(front.end()));
      }
      cold.offer(j, cold.best[static_cast<std::size_t>(i)], s, s.cycles);
      if (warm && fastest_warm.stack) {
        once_warm.offer(j, once_warm.best[static_cast<std::size_t>(i)], fastest_warm, fastest_warm.warm_cycles);
      }
    }
  }
  PipelineChoice out = cold.choice(n);
  out.stacks_scored = scored;
  if (warm) {
    *warm = once_warm.choice(n);
    warm->stacks_scored = scored;
  }
  return out;
}

}  // namespace cimnet
