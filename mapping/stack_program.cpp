#include "mapping/stack_program.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "common/error.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mac_band.hpp"
#include "mapping/program_builder.hpp"

namespace cimnet {

HardwareConfig stage_hardware(const HardwareConfig& hw, std::int64_t decoders) {
  HardwareConfig stage = hw;
  stage.set(HwParam::L1_num_child, decoders);
  return stage;
}

Layer band_layer(const Network& network, int index, const StackTiling::Band& band) {
  Layer l = network.layers.at(static_cast<std::size_t>(index));
  l.out_h = band.out.count();
  if (!band.in.empty()) l.in_h = band.in[0].count();
  return l;
}

Plan band_plan(const Plan& layer_plan, const Layer& band, const HardwareConfig& stage_hw, std::int64_t first_decoder) {
  const GemmView view = gemm_view(band);
  Mapping m = layer_plan.mapping;
  // Fewer tiles than needed fail on the input tile or the result buffer only (more tiles make both
  // smaller): the fewest that fit are found by doubling, then bisection.
  const auto tile_bound = [](const Plan& p) {
    return p.reason == Infeasible::InputTile || p.reason == Infeasible::ResultBuffer;
  };
  for (std::int64_t replicas = m.replicas; replicas >= 1; --replicas) {
    m.replicas = replicas;
    auto at = [&](std::int64_t tiles) {
      m.tiles = tiles;
      return make_plan(view, m, stage_hw, false);
    };
    std::int64_t lo = std::max<std::int64_t>(1, (layer_plan.mapping.tiles * view.m) / layer_plan.view.m);
    Plan p = at(lo);
    if (!p.feasible && tile_bound(p)) {
      std::int64_t hi = lo;
      while (!p.feasible && tile_bound(p) && hi < view.m) {
        lo = hi;
        hi = std::min(view.m, 2 * hi);
        p = at(hi);
      }
      if (!p.feasible) continue;
      while (hi - lo > 1) {  // lo fails, hi fits
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (at(mid).feasible) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      p = at(hi);
    }
    if (p.feasible) {
      p.decoder_base = first_decoder;
      return p;
    }
  }
  m = layer_plan.mapping;
  m.replicas = 1;
  const Plan last = make_plan(view, m, stage_hw, true);
  throw InputError("layer '" + band.name + "': no plan of its mapping " + layer_plan.mapping.summary() +
                   " fits its band of " + std::to_string(band.out_h) + " rows: " + last.why);
}

namespace {

// Layers of the stack whose output only a fused post-op reads (placement.hpp's rule, limited to
// row-wise element-wise layers inside the stack): fused_into[k] = the MAC layer whose band runs it.
struct Chains {
  std::vector<int> fused_into;  // per layer − first: -1, or the head's index
  std::vector<int> tail;        // per MAC head: the last layer of its chain (itself when none)
};

Chains find_chains(const Network& net, int first, int last) {
  const int size = last - first + 1;
  Chains c;
  c.fused_into.assign(static_cast<std::size_t>(size), -1);
  c.tail.assign(static_cast<std::size_t>(size), -1);
  std::vector<int> reads(net.layers.size(), 0);
  for (const Layer& l : net.layers) {
    for (int p : l.inputs) {
      if (p >= 0) ++reads[static_cast<std::size_t>(p)];
    }
  }
  for (int i = first; i <= last; ++i) {
    if (!net.layers[static_cast<std::size_t>(i)].is_mac_layer()) continue;
    int tail = i;
    while (tail + 1 <= last) {
      const Layer& next = net.layers[static_cast<std::size_t>(tail + 1)];
      const bool row_wise = next.kind == LayerKind::Activation ||
                            (next.kind == LayerKind::Eltwise && !next.inputs.empty() && next.inputs[0] == tail);
      if (!row_wise || reads[static_cast<std::size_t>(tail)] != 1 ||
          std::count(next.inputs.begin(), next.inputs.end(), tail) != 1) {
        break;
      }
      ++tail;
      c.fused_into[static_cast<std::size_t>(tail - first)] = i;
    }
    c.tail[static_cast<std::size_t>(i - first)] = tail;
  }
  return c;
}

std::string stack_name(const Network& net, const StackTiling& s) {
  return "stack " + net.layers[static_cast<std::size_t>(s.first)].name + " .. " +
         net.layers[static_cast<std::size_t>(s.last)].name + " in " + std::to_string(s.tiles) + " tiles";
}

// What one band of one layer does: its plan and data placement (MAC) or its vector io, and its estimate.
struct BandWork {
  bool exists = false, mac = false;
  Layer layer;
  Plan plan;  // MAC bands, when a program is built
  LayerIo io;
  VectorIo vio;
  Cost cost;
  std::int64_t working = 0;       // its own allocations in the global buffer at once
  std::int64_t store_bytes = 0;   // a kept output that also leaves the stack: moved to DRAM after it
};

struct BandPlans {
  Chains chains;
  std::vector<bool> read_in_stack;            // per layer − first
  // Per layer − first: its output stays in the global buffer across steps — read inside the stack, and
  // not a tensor inside a fused chain (a MAC head's output with post-ops after it, or a post-op's before
  // the chain's last), which lives only in its band's pieces.
  std::vector<bool> holds;
  // [layer − first][step]: the band's work in `unique` (bands of the same rows share one; -1: none).
  std::vector<std::vector<int>> work_of;
  std::vector<BandWork> unique;
  std::int64_t gb_bytes = 0;
  const BandWork& work(std::size_t k, std::size_t t) const {
    static const BandWork kNone;
    const int at = work_of[k][t];
    return at < 0 ? kNone : unique[static_cast<std::size_t>(at)];
  }
};

// `with_plans`: the MAC bands' plans too (to build the program; the estimate needs only their costs).
BandPlans plan_bands(const Network& net, const StackTiling& s, const StackLayout& layout, const HardwareConfig& hw,
                     bool warm, bool with_plans) {
  const int size = s.last - s.first + 1;
  BandPlans p;
  p.chains = find_chains(net, s.first, s.last);
  p.read_in_stack.assign(static_cast<std::size_t>(size), false);
  for (int c = s.first; c <= s.last; ++c) {
    for (int in : net.layers[static_cast<std::size_t>(c)].inputs) {
      if (in >= s.first && in <= s.last) p.read_in_stack[static_cast<std::size_t>(in - s.first)] = true;
    }
  }
  p.holds = p.read_in_stack;
  for (int i = s.first; i <= s.last; ++i) {
    const std::size_t k = static_cast<std::size_t>(i - s.first);
    const int head = p.chains.fused_into[k] >= 0 ? p.chains.fused_into[k] : i;
    const int tail = p.chains.tail[static_cast<std::size_t>(head - s.first)];
    if (tail >= 0 && tail != i) p.holds[k] = false;
  }
  p.work_of.assign(static_cast<std::size_t>(size), std::vector<int>(static_cast<std::size_t>(s.tiles), -1));
  p.unique.reserve(static_cast<std::size_t>(size) * 2);
  const auto inside = [&](int layer) { return layer >= s.first && layer <= s.last; };
  std::vector<std::int64_t> most_working(static_cast<std::size_t>(size), 0);
  for (int i = s.first; i <= s.last; ++i) {
    const std::size_t k = static_cast<std::size_t>(i - s.first);
    const Layer& layer = net.layers[k + static_cast<std::size_t>(s.first)];
    if (layer.kind == LayerKind::MatMul) {
      throw std::logic_error("run_stack: matmul '" + layer.name + "' cannot run in a pipelined stack in this version");
    }
    if (p.chains.fused_into[k] >= 0) continue;
    bool first_band = true;
    // Bands of the same rows in and out, loading or not, do the same work: planned and estimated once.
    std::vector<std::pair<std::tuple<std::int64_t, std::int64_t, bool>, std::size_t>> same;  // few: searched in turn
    for (std::int64_t t = 0; t < s.tiles; ++t) {
      const StackTiling::Band& band = s.band(i, t);
      if (band.out.empty()) continue;
      int& slot = p.work_of[k][static_cast<std::size_t>(t)];
      const auto key = std::make_tuple(band.out.count(), band.in[0].count(), first_band && !warm);
      const auto seen = std::find_if(same.begin(), same.end(), [&](const auto& e) { return e.first == key; });
      const bool row_wise_inputs = std::all_of(band.in.begin(), band.in.end(), [&](const Rows& r) {
        return r.count() == band.in[0].count();
      });
      if (seen != same.end() && row_wise_inputs) {
        slot = p.work_of[k][seen->second];
        first_band = false;
        continue;
      }
      slot = static_cast<int>(p.unique.size());
      p.unique.emplace_back();
      BandWork& w = p.unique.back();
      if (row_wise_inputs) same.emplace_back(key, static_cast<std::size_t>(t));
      w.exists = true;
      w.layer = band_layer(net, i, band);
      const int tail = layer.is_mac_layer() ? p.chains.tail[k] : i;
      const bool kept = p.read_in_stack[static_cast<std::size_t>(tail - s.first)];
      const bool leaves = s.leaves[static_cast<std::size_t>(tail - s.first)];
      if (layer.is_mac_layer()) {
        w.mac = true;
        const HardwareConfig stage = stage_hardware(hw, layout.decoders[k]);
        w.io.weights = warm ? Weights::Resident : first_band ? Weights::Kept : Weights::Resident;
        w.io.input_in_gb = inside(layer.inputs[0]);
        for (int j = i + 1; j <= tail; ++j) {
          const Layer post_layer = band_layer(net, j, s.band(j, t));
          PostOp post;
          post.name = post_layer.name;
          post.in_bytes = std::max<std::int64_t>(1, post_layer.input_bytes());
          post.ops = std::max<std::int64_t>(1, post_layer.vector_ops());
          post.out_bytes = std::max<std::int64_t>(1, post_layer.output_bytes());
          post.other_bytes =
              std::max<std::int64_t>(0, post_layer.input_bytes() - output_row_bytes(net.layers[static_cast<std::size_t>(j - 1)],
                                                                                    s.band(j, t).out.count()));
          post.other_in_gb = post_layer.inputs.size() > 1 && inside(post_layer.inputs[1]);
          w.io.post.push_back(post);
        }
        w.io.output_to_gb = kept || !w.io.post.empty();
        w.io.keep_output = kept;
        try {
          const MacBand band_work = mac_band(layout.plans[k], w.layer, stage, w.io);
          if (with_plans) w.plan = mac_band_plan(band_work, w.layer, stage, layout.first_decoder[k]);
          w.cost = band_work.cost;
          w.working = band_work.working;
        } catch (const InputError& e) {
          throw InputError(stack_name(net, s) + ": " + e.what());
        }
      } else {
        std::int64_t fetch = 0;
        for (std::size_t o = 0; o < layer.inputs.size(); ++o) {
          const int producer = layer.inputs[o];
          if (inside(producer)) continue;
          const std::int64_t rows = band.in[o].count();
          fetch += producer < 0 ? bits_to_bytes(layer.batch * layer.in_channels * layer.in_w * rows, layer.input_bits)
                                : output_row_bytes(net.layers[static_cast<std::size_t>(producer)], rows);
        }
        w.vio.fetch_bytes = std::min(fetch, std::max<std::int64_t>(1, w.layer.input_bytes()));
        w.vio.store = !kept;
        w.cost = estimate_vector_layer(w.layer, hw, w.vio);
        w.working = vector_chunks(w.layer, hw).in_flight_bytes();
      }
      if (kept && leaves) w.store_bytes = output_row_bytes(net.layers[static_cast<std::size_t>(tail)], band.out.count());
      most_working[k] = std::max(most_working[k], w.working);
      first_band = false;
    }
  }
  // Per kept tensor: its bands held over two consecutive steps at most (stack_program.hpp); and every
  // layer's largest working set.
  for (int i = s.first; i <= s.last; ++i) {
    const std::size_t k = static_cast<std::size_t>(i - s.first);
    p.gb_bytes += most_working[k];
    if (p.holds[k]) p.gb_bytes += s.most_held_one_step_ahead(i);
  }
  return p;
}

}  // namespace

std::int64_t stack_gb_bytes(const Network& network, const StackTiling& tiling, const StackLayout& layout,
                            const HardwareConfig& hw) {
  return plan_bands(network, tiling, layout, hw, true, false).gb_bytes;
}

StackRun run_stack(const Network& net, const StackTiling& s, const StackLayout& layout, const HardwareConfig& hw,
                   StackWeights weights, Program* program, const std::vector<int>& gate) {
  const BandPlans p = plan_bands(net, s, layout, hw, weights == StackWeights::Resident, program != nullptr);
  if (p.gb_bytes > hw.fixed.gb_bytes) {
    throw InputError(stack_name(net, s) + ": its bands need " + std::to_string(p.gb_bytes) +
                     " bytes of the global buffer at once, which holds " + std::to_string(hw.fixed.gb_bytes) +
                     " (gb_bytes); use more tiles or a shorter stack");
  }
  const int size = s.last - s.first + 1;
  const auto T = static_cast<std::size_t>(s.tiles);
  StackRun run;
  run.gb_bytes = p.gb_bytes;
  run.band_cycles.assign(static_cast<std::size_t>(size), std::vector<std::int64_t>(T, 0));
  run.node.assign(static_cast<std::size_t>(size), std::vector<int>(T, -1));
  // Per layer and step: its node (a fused post-op's: its head's). With a program, also the ops after
  // which its rows of that step exist, the ops holding a kept band, and the frees of those (the
  // estimate alone, which a scheduler asks for many times, allocates none of them).
  const std::size_t with_ops = program ? static_cast<std::size_t>(size) : 0;
  run.first_op.assign(with_ops, std::vector<int>(T, 0));
  run.end_op.assign(with_ops, std::vector<int>(T, 0));
  std::vector<std::vector<std::vector<int>>> done(with_ops, std::vector<std::vector<int>>(T));
  std::vector<std::vector<int>> node_of(static_cast<std::size_t>(size), std::vector<int>(T, -1));
  std::vector<std::vector<std::vector<int>>> kept_ops(with_ops, std::vector<std::vector<int>>(T));
  std::vector<std::vector<std::vector<int>>> frees(with_ops, std::vector<std::vector<int>>(T));
  std::optional<ProgramBuilder> b;
  if (program) b.emplace(hw, *program);
  const int vector_resource = size;
  std::vector<int> finals;
  std::vector<std::vector<int>> loads(static_cast<std::size_t>(size));  // per MAC layer: its weight loads
  run.nodes.reserve(static_cast<std::size_t>(size) * T);
  for (std::size_t t = 0; t < T; ++t) {
    for (int i = s.first; i <= s.last; ++i) {
      const std::size_t k = static_cast<std::size_t>(i - s.first);
      const int head = p.chains.fused_into[k];
      if (head >= 0) {
        const std::size_t h = static_cast<std::size_t>(head - s.first);
        if (program) done[k][t] = done[h][t];
        node_of[k][t] = node_of[h][t];
        continue;
      }
      const BandWork& w = p.work(k, t);
      if (!w.exists) {
        if (t > 0) {
          if (program) done[k][t] = done[k][t - 1];
          node_of[k][t] = node_of[k][t - 1];
        }
        continue;
      }
      std::vector<int> deps, node_deps;
      node_deps.reserve(4);  // its own previous band, its producers' and the readers' it waits for
      const auto after_band = [&](std::size_t layer, std::size_t step) {
        if (program) deps.insert(deps.end(), done[layer][step].begin(), done[layer][step].end());
        if (node_of[layer][step] >= 0) node_deps.push_back(node_of[layer][step]);
      };
      bool earlier = false;
      for (std::size_t u = t; u-- > 0;) {
        if (p.work(k, u).exists) {
          after_band(k, u);
          earlier = true;
          break;
        }
      }
      if (!earlier) deps.insert(deps.end(), gate.begin(), gate.end());
      const StackTiling::Band& band = s.band(i, static_cast<std::int64_t>(t));
      const Layer& layer = net.layers[static_cast<std::size_t>(i)];
      for (std::size_t o = 0; o < layer.inputs.size(); ++o) {
        const int producer = layer.inputs[o];
        if (producer < s.first || producer > s.last) continue;
        after_band(static_cast<std::size_t>(producer - s.first), static_cast<std::size_t>(band.after[o]));
      }
      // A step at most ahead of the readers: the frees of this layer's bands read until two steps back.
      const int tail = w.mac ? p.chains.tail[k] : i;
      const std::size_t tk = static_cast<std::size_t>(tail - s.first);
      std::int64_t freed_after = -1;  // the readers' step after which those frees come
      for (std::size_t u = 0; u + 2 <= t; ++u) {
        const std::int64_t until = s.band(tail, static_cast<std::int64_t>(u)).read_until;
        if (until + 2 <= static_cast<std::int64_t>(t)) {
          if (program) deps.insert(deps.end(), frees[tk][u].begin(), frees[tk][u].end());
          if (p.holds[tk]) freed_after = std::max(freed_after, until);
        }
      }
      if (freed_after >= 0) {  // the schedule waits for those readers' bands as the frees do
        for (int c = tail + 1; c <= s.last; ++c) {
          const auto& ins = net.layers[static_cast<std::size_t>(c)].inputs;
          if (std::find(ins.begin(), ins.end(), tail) == ins.end()) continue;
          const int n = node_of[static_cast<std::size_t>(c - s.first)][static_cast<std::size_t>(freed_after)];
          if (n >= 0) node_deps.push_back(n);
        }
      }
      std::sort(deps.begin(), deps.end());
      deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
      std::sort(node_deps.begin(), node_deps.end());
      node_deps.erase(std::unique(node_deps.begin(), node_deps.end()), node_deps.end());

      TileNode node;
      node.resource = w.mac ? static_cast<int>(k) : vector_resource;
      node.duration = w.cost.cycles;
      node.deps = std::move(node_deps);
      // What the band keeps busy that every band shares (tile_schedule.hpp), at most its duration each.
      const double store = static_cast<double>(w.store_bytes) / static_cast<double>(hw.get(HwParam::DRAM_bw));
      const double span = static_cast<double>(w.cost.cycles);
      node.shared = {std::min(span, w.cost.busy.dram + store), std::min(span, w.cost.busy.l2),
                     std::min(span, w.cost.busy.gb), std::min(span, w.cost.busy.vector)};
      node_of[k][t] = static_cast<int>(run.nodes.size());
      run.node[k][t] = node_of[k][t];
      run.nodes.push_back(std::move(node));
      run.band_cycles[k][t] = w.cost.cycles;
      run.shared.dram += w.cost.busy.dram;
      run.shared.l2 += w.cost.busy.l2;
      run.shared.gb += w.cost.busy.gb;
      run.shared.vector += w.cost.busy.vector;
      run.shared_loads.dram += w.cost.load_busy.dram;
      run.shared_loads.l2 += w.cost.load_busy.l2;
      run.shared_write_backs.dram += w.cost.write_back_busy.dram;
      run.shared_write_backs.l2 += w.cost.write_back_busy.l2;
      run.dram_bytes += w.cost.dram_bytes + w.store_bytes;
      run.shared.dram += static_cast<double>(w.store_bytes) / static_cast<double>(hw.get(HwParam::DRAM_bw));

      if (program) {
        const std::string name = layer.name + " b" + std::to_string(t);
        const int first_op = static_cast<int>(program->ops.size());
        const LayerOps ops = w.mac ? b->add_mac_layer(w.plan, name, deps, w.io) : b->add_vector_layer(w.layer, deps, w.vio);
        done[k][t] = ops.done;
        kept_ops[tk][t] = ops.kept;
        if (w.mac && w.io.weights == Weights::Kept) loads[k] = ops.last_loads;
        if (w.store_bytes > 0) {
          finals.push_back(program->move(Place::GlobalBuffer, Place::Dram, w.store_bytes, ops.done, name + " store"));
        }
        run.first_op[k][t] = first_op;
        run.end_op[k][t] = static_cast<int>(program->ops.size());
      }
    }
    // Bands read for the last time in this step leave the global buffer once their readers are done.
    if (!program) continue;
    for (int i = s.first; i <= s.last; ++i) {
      const std::size_t k = static_cast<std::size_t>(i - s.first);
      for (std::size_t u = 0; u <= t; ++u) {
        if (kept_ops[k][u].empty() || s.band(i, static_cast<std::int64_t>(u)).read_until != static_cast<std::int64_t>(t)) continue;
        std::vector<int> after = done[k][u];
        for (int c = i + 1; c <= s.last; ++c) {
          const auto& ins = net.layers[static_cast<std::size_t>(c)].inputs;
          if (std::find(ins.begin(), ins.end(), i) == ins.end()) continue;
          const auto& d = done[static_cast<std::size_t>(c - s.first)][t];
          after.insert(after.end(), d.begin(), d.end());
        }
        for (int op : kept_ops[k][u]) {
          frees[k][u].push_back(program->free(op, after, net.layers[static_cast<std::size_t>(i)].name + " b" +
                                                              std::to_string(u) + " free"));
        }
        finals.insert(finals.end(), frees[k][u].begin(), frees[k][u].end());
      }
    }
  }
  run.schedule = schedule_tiles(run.nodes, size + 1);
  const double shared = std::max({run.shared.dram, run.shared.l2, run.shared.gb, run.shared.vector});
  run.cycles = std::max(run.schedule.makespan, static_cast<std::int64_t>(shared + 0.999999));
  if (program) {
    for (int i = s.first; i <= s.last; ++i) {
      const std::size_t k = static_cast<std::size_t>(i - s.first);
      const auto& d = done[k][T - 1];
      finals.insert(finals.end(), d.begin(), d.end());
      // The weights leave the arrays with the stack (its decoders serve the next segment), unless they stay.
      if (weights != StackWeights::Load) continue;
      for (int load : loads[k]) {
        finals.push_back(program->free(load, d, net.layers[static_cast<std::size_t>(i)].name + " weights free"));
      }
    }
    std::sort(finals.begin(), finals.end());
    finals.erase(std::unique(finals.begin(), finals.end()), finals.end());
    run.done = finals;
  }
  return run;
}

}  // namespace cimnet
