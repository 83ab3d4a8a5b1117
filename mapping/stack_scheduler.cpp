#include "mapping/stack_scheduler.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "common/error.hpp"

namespace cimnet {

namespace {

// A MAC layer of a stack: the band its plans are searched on (its largest), and its bands' count.
struct StackMember {
  int layer = 0;
  Layer band;
  std::int64_t bands = 0;
};

}  // namespace

Segment best_stack(const Network& net, int first, int last, const HardwareConfig& hw, MapperCache& cache,
                   std::int64_t* scored) {
  Segment best;
  best.first = first;
  best.last = last;
  best.cycles = std::numeric_limits<std::int64_t>::max();
  const std::int64_t decoders = hw.l1_decoders();
  std::int64_t macs = 0;
  for (int i = first; i <= last; ++i) {
    const Layer& l = net.layers[static_cast<std::size_t>(i)];
    if (l.kind == LayerKind::MatMul) return best;
    if (l.is_mac_layer()) ++macs;
  }
  if (macs == 0 || macs > decoders) return best;
  for (std::int64_t tiles : kTileChoices) {
    if (tiles > net.layers[static_cast<std::size_t>(last)].out_h) continue;
    const StackTiling tiling = tile_stack(net, first, last, tiles);
    std::vector<StackMember> members;
    for (int i = first; i <= last; ++i) {
      if (!net.layers[static_cast<std::size_t>(i)].is_mac_layer()) continue;
      StackMember m;
      m.layer = i;
      // Plans are searched on the whole layer, whatever the stack and its tiles: one search per (layer
      // shape, decoders), shared by every stack that holds the layer; band_plan fits the mapping to each
      // band (its tiles, and its replicas when a band has too few positions for them).
      m.band = net.layers[static_cast<std::size_t>(i)];
      members.push_back(std::move(m));
    }
    // The plan of member k on d decoders (none when its weights do not fit them in one pass), and how long
    // its bands take there.
    std::map<std::pair<std::size_t, std::int64_t>, std::optional<ScoredPlan>> plans;
    auto plan_on = [&](std::size_t k, std::int64_t d) -> const std::optional<ScoredPlan>& {
      auto it = plans.find({k, d});
      if (it == plans.end()) {
        LayerMapping lm = cache.map(members[k].band, stage_hardware(hw, d), 1, true);
        std::optional<ScoredPlan> p;
        if (!lm.best.empty()) p = std::move(lm.best.front());
        it = plans.emplace(std::make_pair(k, d), std::move(p)).first;
      }
      return it->second;
    };
    std::vector<std::int64_t> given(members.size(), 0);
    std::int64_t used = 0;
    bool fits = true;
    for (std::size_t k = 0; k < members.size() && fits; ++k) {
      std::int64_t d = 1;
      while (d <= decoders - used && !plan_on(k, d)) ++d;
      fits = d <= decoders - used;
      given[k] = d;
      used += d;
    }
    if (!fits) continue;
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
    StackLayout layout;
    const std::size_t size = static_cast<std::size_t>(last - first + 1);
    layout.first_decoder.assign(size, 0);
    layout.decoders.assign(size, 0);
    layout.plans.resize(size);
    std::int64_t next = 0;
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::size_t at = static_cast<std::size_t>(members[k].layer - first);
      layout.first_decoder[at] = next;
      layout.decoders[at] = given[k];
      // The mapping each band runs: searched on the layer's paced band (⌈rows ⁄ tiles⌉ rows, a whole
      // window above and below) on its decoders — the band's positions favour other tiles, replicas and
      // splits than the whole layer's — else the whole layer's.
      const Layer& whole = net.layers[static_cast<std::size_t>(members[k].layer)];
      const RowWindow window = row_window(net, members[k].layer, 0);
      Layer paced = whole;
      paced.out_h = (whole.out_h + tiles - 1) / tiles;
      paced.in_h = window.whole ? window.in_rows
                                : std::min(window.in_rows, (paced.out_h - 1) * window.stride + window.kernel);
      const LayerMapping banded = cache.map(paced, stage_hardware(hw, given[k]), 1, true);
      layout.plans[at] = banded.best.empty() ? plan_on(k, given[k])->plan : banded.best.front().plan;
      next += given[k];
    }
    StackRun run;
    try {
      run = run_stack(net, tiling, layout, hw, false);
    } catch (const InputError&) {
      continue;  // its bands do not fit the global buffer
    }
    if (scored) ++*scored;
    if (run.cycles < best.cycles) {
      best.stack = true;
      best.tiles = tiles;
      best.layout = std::move(layout);
      best.cycles = run.cycles;
    }
  }
  return best;
}

PipelineChoice schedule_stacks(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<std::int64_t>& single) {
  const int n = static_cast<int>(net.layers.size());
  std::vector<std::int64_t> best(static_cast<std::size_t>(n) + 1, 0);
  std::vector<Segment> last_of(static_cast<std::size_t>(n) + 1);
  PipelineChoice out;
  for (int j = 1; j <= n; ++j) {
    Segment alone;
    alone.first = alone.last = j - 1;
    alone.cycles = single[static_cast<std::size_t>(j - 1)];
    best[static_cast<std::size_t>(j)] = best[static_cast<std::size_t>(j - 1)] + alone.cycles;
    last_of[static_cast<std::size_t>(j)] = alone;
    for (int i = j - 1; i >= std::max(0, j - kMaxStackLayers); --i) {
      if (net.layers[static_cast<std::size_t>(i)].kind == LayerKind::MatMul) break;
      Segment s = best_stack(net, i, j - 1, hw, cache, &out.stacks_scored);
      if (!s.stack) continue;
      const std::int64_t total = best[static_cast<std::size_t>(i)] + s.cycles;
      if (total < best[static_cast<std::size_t>(j)]) {
        best[static_cast<std::size_t>(j)] = total;
        last_of[static_cast<std::size_t>(j)] = std::move(s);
      }
    }
  }
  for (int j = n; j > 0; j = last_of[static_cast<std::size_t>(j)].first) {
    out.segments.push_back(last_of[static_cast<std::size_t>(j)]);
  }
  std::reverse(out.segments.begin(), out.segments.end());
  out.cycles = best[static_cast<std::size_t>(n)];
  return out;
}

}  // namespace cimnet
