#include "mapping/mapper.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "common/error.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapspace.hpp"

namespace cimnet {

std::int64_t weight_need(const Plan& plan) { return plan.tile_bytes * (plan.mapping.half_capacity ? 2 : 1); }

std::int64_t gb_footprint(const Plan& plan) {
  LayerIo io;
  io.output_to_gb = true;
  return fused_working_set(plan, io);
}

std::int64_t resident_bytes(const Plan& plan) {
  return plan.tile_bytes * plan.groups_in_pass(0) * plan.replicas * plan.mapping.r_split;
}

namespace {

// What the estimate sees of a plan's placement-level choices: a one-pass half_capacity plan and its
// full-capacity twin (same reduce level, tiles and slices) cost the same (with several passes the
// half_capacity plan loads the next pass under the current one: cost_model.cpp), so the pruned searches
// score or list only the twin, enumerated first.
struct TwinKey {
  ReduceLevel at;
  std::int64_t tiles, slices;
  bool first_tile;
  static TwinKey of(const Plan& p) {
    return TwinKey{p.mapping.reduce_at, p.mapping.tiles, p.mapping.weight_slices, p.mapping.first_tile_slices};
  }
  bool operator==(const TwinKey& o) const {
    return at == o.at && tiles == o.tiles && slices == o.slices && first_tile == o.first_tile;
  }
};

LayerMapping search(const GemmView& view, std::int64_t macs, const HardwareConfig& hw, std::size_t top_k,
                    SearchMode mode, bool resident = false, const PlanLimits* limits = nullptr) {
  // Resident: one-pass, one-slice plans scored with their weights in the arrays (and the lower bound
  // without their bytes).
  const bool prune = mode == SearchMode::Pruned;
  LayerIo warm;
  warm.weights = Weights::Resident;
  const MapSpace space(view, hw);
  LayerMapping out;
  top_k = std::max<std::size_t>(1, top_k);
  PassTraffic full, last;  // the placement's, measured on its first plan (of_tile, of_stream bytes)
  std::int64_t of_tile = 0, of_stream = 0;
  bool skip = false;
  // Costs of the current placement's full-capacity plans (reduce_at, tiles): their half_capacity
  // twins cost the same.
  std::vector<std::pair<TwinKey, Cost>> twins;
  auto visit = [&](const Plan& p, bool new_placement) {
    ++out.enumerated;
    if (new_placement) {
      twins.clear();
      // The first plan of a placement has its fewest tiles, so its bound holds for all of them.
      skip = prune && out.best.size() == top_k &&
             std::llround(cycles_lower_bound(p, hw, resident)) > out.best.back().cost.cycles;
      if (!skip) {
        full = pass_traffic(p, 0);
        last = pass_traffic(p, p.passes - 1);
        of_tile = p.tile_bytes;
        of_stream = p.stream_bytes;
      }
    }
    if (skip) return;
    if (resident && (p.passes != 1 || p.mapping.weight_slices != 1 || p.mapping.half_capacity)) return;
    Cost c;
    const Cost* twin = nullptr;
    if (prune && p.mapping.half_capacity && p.passes == 1) {
      const TwinKey key = TwinKey::of(p);
      for (const auto& [k, cost] : twins) {
        if (k == key) twin = &cost;
      }
    }
    if (twin) {
      c = *twin;
    } else {
      ++out.evaluated;
      const PassTraffic f = traffic_for(full, of_tile, of_stream, p), l = traffic_for(last, of_tile, of_stream, p);
      c = resident ? estimate(p, hw, macs, &f, &l, warm) : estimate(p, hw, macs, &f, &l);
      if (prune && !p.mapping.half_capacity && p.passes == 1) twins.emplace_back(TwinKey::of(p), c);
    }
    if (out.best.size() == top_k && c.cycles > out.best.back().cost.cycles) return;
    const std::int64_t ops = estimated_ops(p);
    // Resident: ties of cycles broken by the global-buffer footprint first (ScoredPlan::footprint).
    const std::int64_t footprint = resident ? gb_footprint(p) : 0;
    const auto key = std::make_tuple(c.cycles, footprint, ops);
    const auto key_of = [](const ScoredPlan& s) { return std::make_tuple(s.cost.cycles, s.footprint, s.ops); };
    if (out.best.size() == top_k && key >= key_of(out.best.back())) return;
    // Checked only for a plan that would be kept: it walks the plan's pieces.
    if (limits && !limits->admits(p)) return;
    // Insert after every plan with a (cycles, footprint, ops) ≤ this one: earlier-enumerated plans win ties.
    auto it = std::upper_bound(out.best.begin(), out.best.end(), key,
                               [&](const std::tuple<std::int64_t, std::int64_t, std::int64_t>& v, const ScoredPlan& s) {
                                 return v < key_of(s);
                               });
    out.best.insert(it, ScoredPlan{p, c, ops, footprint});
    if (out.best.size() > top_k) out.best.pop_back();
  };
  // The whole mapspace, whatever the program size: a budget tier chosen by whether anything fits
  // would depend on the hardware and break monotonicity (a larger configuration that fits the
  // budget would be held to it while a smaller one searched wider). Fewer ops only break ties.
  space.enumerate(visit);
  return out;
}

}  // namespace

LayerMapping map_layer(const Layer& layer, const HardwareConfig& hw, std::size_t top_k, SearchMode mode) {
  GemmView view = gemm_view(layer);
  // Plans copy the view; an unnamed one keeps the copies cheap. The chosen plans get the name back.
  view.layer.clear();
  LayerMapping out = search(view, layer.macs(), hw, top_k, mode);
  if (out.best.empty()) {
    view.layer = layer.name;
    throw InputError("layer '" + layer.name + "' cannot be mapped onto this hardware: " +
                     MapSpace(view, hw).infeasibility());
  }
  for (auto& s : out.best) s.plan.view.layer = layer.name;
  return out;
}

LayerMapping map_layer_resident(const Layer& layer, const HardwareConfig& hw) {
  GemmView view = gemm_view(layer);
  view.layer.clear();
  LayerMapping out = search(view, layer.macs(), hw, 1, SearchMode::Pruned, true);
  for (auto& s : out.best) s.plan.view.layer = layer.name;
  return out;
}

namespace {

// `resident`: the front of the plans that keep their weights (one pass, one slice, no half_capacity,
// scored with the weights in, as map_layer_resident) by resident_bytes instead.
LayerMapping need_front(const GemmView& view, std::int64_t macs, const HardwareConfig& hw, const PlanLimits* limits,
                        SearchMode mode, bool resident = false) {
  // Two exact shortcuts (SearchMode::Pruned), both from the front's rule — a plan is listed only when
  // its cycles beat every plan needing no more, earlier-enumerated plans winning ties of (cycles, footprint, ops):
  //   - a placement is skipped when a plan already found needs less than the placement's plans and
  //     takes no more than their lower bound, or needs no more and takes less (within a placement
  //     every full-capacity plan needs the same tile, half_capacity ones twice it);
  //   - a one-pass half_capacity plan is skipped when its full-capacity twin (same reduce level, tiles
  //     and slices: with one pass the estimate does not see half_capacity) was admitted: same cycles,
  //     twice the need, enumerated after it.
  const bool prune = mode == SearchMode::Pruned;
  LayerIo warm;
  warm.weights = Weights::Resident;
  const auto need_of = [&](const Plan& p) { return resident ? resident_bytes(p) : weight_need(p); };
  const MapSpace space(view, hw);
  LayerMapping out;
  std::map<std::int64_t, ScoredPlan> best_of;  // by need; the first enumerated wins ties
  PassTraffic full, last;  // the placement's, measured on its first plan (of_tile, of_stream bytes)
  std::int64_t of_tile = 0, of_stream = 0;
  bool skip = false;
  std::vector<TwinKey> admitted;  // the current placement's full-capacity plans listed or dominated
  space.enumerate([&](const Plan& p, bool new_placement) {
    ++out.enumerated;
    if (new_placement) {
      admitted.clear();
      skip = false;
      if (prune && !best_of.empty()) {
        // The first plan of a placement is full-capacity; its one-pass plans all use the same arrays.
        const std::int64_t need = need_of(p);
        // Every plan of the placement takes at least `bound` cycles (one below the rounded bound:
        // the estimate rounds too).
        const std::int64_t bound = std::llround(cycles_lower_bound(p, hw, resident)) - 1;
        for (const auto& [n, scored] : best_of) {
          if (n > need) break;
          const std::int64_t c = scored.cost.cycles;
          if (c < bound || (n < need && c <= bound)) {
            skip = true;
            break;
          }
        }
      }
      if (!skip) {
        full = pass_traffic(p, 0);
        last = pass_traffic(p, p.passes - 1);
        of_tile = p.tile_bytes;
        of_stream = p.stream_bytes;
      }
    }
    if (skip) return;
    if (resident && (p.passes != 1 || p.mapping.weight_slices != 1 || p.mapping.half_capacity)) return;
    if (prune && p.mapping.half_capacity && p.passes == 1) {
      if (std::find(admitted.begin(), admitted.end(), TwinKey::of(p)) != admitted.end()) return;
    }
    ++out.evaluated;
    const PassTraffic f = traffic_for(full, of_tile, of_stream, p), l = traffic_for(last, of_tile, of_stream, p);
    const Cost c = resident ? estimate(p, hw, macs, &f, &l, warm) : estimate(p, hw, macs, &f, &l);
    const std::int64_t ops = estimated_ops(p);
    const std::int64_t footprint = resident ? gb_footprint(p) : 0;
    const auto it = best_of.find(need_of(p));
    if (it != best_of.end() && std::make_tuple(c.cycles, footprint, ops) >=
                                   std::make_tuple(it->second.cost.cycles, it->second.footprint, it->second.ops)) {
      // Its half_capacity twin is dominated too: by the plan that dominates it, which needs less.
      if (!p.mapping.half_capacity) {
        admitted.push_back(TwinKey::of(p));
      }
      return;
    }
    if (limits && !limits->admits(p)) return;  // checked last: it walks the plan's pieces
    if (!p.mapping.half_capacity) {
      admitted.push_back(TwinKey::of(p));
    }
    best_of[need_of(p)] = ScoredPlan{p, c, ops, footprint};
  });
  for (auto& [need, scored] : best_of) {
    if (out.best.empty() || scored.cost.cycles < out.best.back().cost.cycles) out.best.push_back(std::move(scored));
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> MapperCache::key_of(std::int64_t kind, const Layer& layer, const HardwareConfig& hw,
                                              const PlanLimits* limits) {
  const GemmView v = gemm_view(layer);
  const MicroArch& f = hw.fixed;
  // Everything a search reads: the view's numbers, the layer's MACs (the ideal term), the hardware,
  // and what the limits' admits() reads of the post-ops.
  std::vector<std::int64_t> key = {kind, v.groups, v.k, v.c, v.rs, v.m, v.in_num, v.in_den, v.weight_bits,
                                   v.input_bits, v.output_bits, v.stationary_is_activation ? 1 : 0, layer.macs(),
                                   f.dram_latency, f.l2_latency, f.l1_latency, f.ma_latency, f.core_pipeline,
                                   f.reduction_bw, f.vector_lanes, f.weight_bits, f.activation_bits, f.psum_bits,
                                   f.burst_bytes, f.input_buffer_bytes};
  key.insert(key.end(), hw.values.begin(), hw.values.end());
  if (limits) {
    key.push_back(limits->gb_capacity);
    for (const PostOp& post : limits->post) key.insert(key.end(), {post.other_bytes, post.out_bytes, post.other_in_gb ? 1 : 0});
  }
  return key;
}

template <typename Search>
LayerMapping MapperCache::lookup(std::vector<std::int64_t> key, const Layer& layer, Search&& run) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(std::move(key), run()).first;
  } else {
    ++hits_;
  }
  LayerMapping out = it->second;
  for (auto& s : out.best) s.plan.view.layer = layer.name;
  return out;
}

LayerMapping MapperCache::by_need(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits) {
  return lookup(key_of(-1, layer, hw, limits), layer, [&] {
    GemmView view = gemm_view(layer);
    view.layer.clear();
    return need_front(view, layer.macs(), hw, limits, SearchMode::Pruned);
  });
}

LayerMapping MapperCache::resident_by_bytes(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits) {
  return lookup(key_of(-2, layer, hw, limits), layer, [&] {
    GemmView view = gemm_view(layer);
    view.layer.clear();
    return need_front(view, layer.macs(), hw, limits, SearchMode::Pruned, true);
  });
}

LayerMapping map_layer_by_need(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits,
                               SearchMode mode, bool resident) {
  GemmView view = gemm_view(layer);
  view.layer.clear();
  LayerMapping out = need_front(view, layer.macs(), hw, limits, mode, resident);
  for (auto& s : out.best) s.plan.view.layer = layer.name;
  return out;
}

LayerMapping MapperCache::map(const Layer& layer, const HardwareConfig& hw, std::size_t top_k, bool resident,
                              const PlanLimits* limits) {
  const auto kind = static_cast<std::int64_t>(2 * top_k + (resident ? 1 : 0));  // >= 2: never by_need's -1
  return lookup(key_of(kind, layer, hw, limits), layer, [&] {
    if (!limits) return resident ? map_layer_resident(layer, hw) : map_layer(layer, hw, top_k);
    GemmView view = gemm_view(layer);
    view.layer.clear();
    return search(view, layer.macs(), hw, resident ? 1 : top_k, SearchMode::Pruned, resident, limits);
  });
}

LayerMapping MapperCache::map_carrying(const Layer& layer, const HardwareConfig& hw, bool resident,
                                       const std::vector<PostOp>& post) {
  LayerMapping best = map(layer, hw, 1, resident);
  if (best.best.empty() || chain_fits(best.best.front().plan, post, hw.fixed.gb_bytes)) return best;
  const PlanLimits limits{post, hw.fixed.gb_bytes};
  LayerMapping carrying = map(layer, hw, 1, resident, &limits);
  return carrying.best.empty() ? best : carrying;
}

}  // namespace cimnet

namespace cimnet {

DigitalMapping MapperCache::map_digital(const Layer& layer, const DigitalCore& core, const DigitalPath& path) {
  // Everything the digital search reads: the loop dimensions, window, precisions, the core and the path.
  std::vector<std::int64_t> key = {layer.kind == LayerKind::MatMul ? 1 : 0, layer.batch, layer.groups,
                                   layer.out_channels, layer.in_channels, layer.out_h, layer.out_w, layer.in_h,
                                   layer.in_w, layer.kernel_h, layer.kernel_w, layer.stride, layer.padding,
                                   layer.weight_bits, layer.input_bits, layer.output_bits, core.rows, core.cols,
                                   static_cast<std::int64_t>(core.row_dims.size()),
                                   core.weight_buffer_bytes, core.input_buffer_bytes, core.output_buffer_bytes,
                                   core.accumulator_bits, core.port_bytes_per_cycle, core.link_latency,
                                   core.pipeline_cycles, path.bytes_per_cycle, path.latency_down, path.latency_up,
                                   path.burst_bytes, static_cast<std::int64_t>(path.hops.size())};
  for (const DigitalHop& h : path.hops) key.insert(key.end(), {h.bytes_per_cycle, h.latency});
  for (LoopDim d : core.row_dims) key.push_back(static_cast<std::int64_t>(d));
  for (LoopDim d : core.col_dims) key.push_back(static_cast<std::int64_t>(d));
  key.push_back(static_cast<std::int64_t>(core.precisions.size()));
  key.insert(key.end(), core.precisions.begin(), core.precisions.end());
  key.push_back(static_cast<std::int64_t>(core.weight_precisions.size()));
  key.insert(key.end(), core.weight_precisions.begin(), core.weight_precisions.end());
  key.insert(key.end(), {core.step_cycles, core.weight_slots});
  auto entry = std::make_pair(std::move(key), core.name);
  const auto it = digital_entries_.find(entry);
  if (it != digital_entries_.end()) {
    ++hits_;
    DigitalMapping m = it->second;
    return m;
  }
  DigitalMapping m = map_layer_digital(layer, core, path);
  digital_entries_.emplace(std::move(entry), m);
  return m;
}

}  // namespace cimnet
