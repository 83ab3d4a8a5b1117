#include "mapping/pipelined_network.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "mapping/least_memory_schedule.hpp"
#include "mapping/program_builder.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/single_layer_memory.hpp"
#include "program/peak_allocation.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stack_residency.hpp"
#include "mapping/stack_scheduler.hpp"
#include "mapping/stream_allocation.hpp"
#include "mapping/stream_order.hpp"
#include "mapping/stream_schedule.hpp"

namespace cimnet {

namespace {

// The most a single-layer segment's ops can hold in the global buffer at once (single_layer_gb_bytes).
std::int64_t single_gb_bytes(const Network& net, const HardwareConfig& hw, const MappedLayer& m) {
  if (m.digital >= 0) return 0;  // on a digital core, from DRAM to DRAM through its own buffers
  return single_layer_gb_bytes(net.layers[static_cast<std::size_t>(m.index)], m.mac ? &m.plan : nullptr, hw);
}

// A segmentation with the stacks whose weights stay, their tilings, the single layers given a plan
// that needs less of the arrays (so that stacks' weights fit beside them), and its steady estimate.
struct Decision {
  PipelineChoice choice;
  std::vector<StackTiling> tilings;
  StackResidency residency;
  std::vector<std::pair<int, ScoredPlan>> replanned;  // (layer, its plan within the reserve)
  std::int64_t steady = 0;
};

// `replan` (the throughput objective): single layers may take their best plan within a reserve of each
// array (MapperCache::by_need) when what that costs them is less than what the stacks' weights that then
// stay save. Every reserve a single layer's front offers is tried; none (the plans as they are) too.
Decision decide(const Network& net, const HardwareConfig& hw, const std::vector<MappedLayer>& layers,
                PipelineChoice choice, MapperCache* replan) {
  Decision d;
  d.tilings.resize(choice.segments.size());
  std::vector<SegmentWeights> weights(choice.segments.size());
  std::vector<std::int64_t> warm(choice.segments.size(), 0);
  std::vector<std::size_t> singles;  // segments of one MAC layer
  for (std::size_t s = 0; s < choice.segments.size(); ++s) {
    const Segment& seg = choice.segments[s];
    SegmentWeights& w = weights[s];
    w.stack = seg.stack;
    if (!seg.stack) {
      const MappedLayer& m = layers[static_cast<std::size_t>(seg.first)];
      if (m.mac && m.digital < 0) {  // its weights on the arrays (a digital core's stay in its own buffer)
        w.plans.push_back(m.plan);
        singles.push_back(s);
      }
      warm[s] = seg.cycles;
      continue;
    }
    d.tilings[s] = tile_stack(net, seg.first, seg.last, seg.tiles);
    w.plans = placed_plans(net, seg);
    warm[s] = seg.warm_cycles >= 0 ? seg.warm_cycles
                                   : run_stack(net, d.tilings[s], seg.layout, hw, StackWeights::Resident).cycles;
    w.saving = seg.cycles - warm[s];
  }
  d.residency = choose_stack_residency(hw, weights);
  // Only when some stack that would save cycles does not stay (the singles' fronts are searches of
  // their own, seconds on a large network).
  bool left_out = false;
  for (std::size_t s = 0; s < choice.segments.size(); ++s) {
    left_out = left_out || (weights[s].saving > 0 && !d.residency.stays[s]);
  }
  if (replan && left_out && !singles.empty()) {
    // Reserves from the largest that could let a left-out stack stay (MA_mem_size less its fullest
    // array) down; a single layer needing more than the reserve takes its fastest plan within it. What
    // that costs only grows as the reserve shrinks, so the search stops once it exceeds every saving
    // there is; the singles' fronts are searched when first needed (seconds each on large layers).
    const std::int64_t cap = hw.get(HwParam::MA_mem_size);
    const std::size_t arrays = static_cast<std::size_t>(hw.total_arrays());
    std::int64_t all_savings = 0, largest = -1;
    for (std::size_t s = 0; s < choice.segments.size(); ++s) {
      if (weights[s].saving <= 0) continue;
      all_savings += weights[s].saving;
      if (d.residency.stays[s]) continue;
      std::vector<std::int64_t> kept(arrays, 0);
      for (const Plan& p : weights[s].plans) add_plan_bytes(p, p.tile_bytes, kept);
      largest = std::max(largest, cap - *std::max_element(kept.begin(), kept.end()));
    }
    std::set<std::int64_t, std::greater<>> reserves;
    if (largest >= 0) reserves.insert(largest);
    for (std::size_t s : singles) {
      const std::int64_t need = weight_need(weights[s].plans.front());
      if (need < largest) reserves.insert(need);
    }
    std::vector<std::optional<LayerMapping>> fronts(singles.size());
    std::int64_t best_gain = d.residency.saving;
    for (const std::int64_t reserve : reserves) {  // descending; fronts add smaller reserves as they come
      std::vector<SegmentWeights> within = weights;
      std::vector<std::pair<int, ScoredPlan>> replanned;
      std::int64_t loss = 0;
      bool feasible = true;
      for (std::size_t k = 0; k < singles.size() && feasible; ++k) {
        const MappedLayer& m = layers[static_cast<std::size_t>(choice.segments[singles[k]].first)];
        if (weight_need(m.plan) <= reserve) continue;
        if (!fronts[k]) {
          const Layer& l = net.layers[static_cast<std::size_t>(m.index)];
          fronts[k] = l.kind == LayerKind::MatMul ? LayerMapping{} : replan->by_need(l, hw);
          for (const ScoredPlan& p : fronts[k]->best) {
            if (weight_need(p.plan) < reserve) reserves.insert(weight_need(p.plan));
          }
        }
        const ScoredPlan* fit = nullptr;  // the fastest plan within the reserve: the last that fits
        for (const ScoredPlan& p : fronts[k]->best) {
          if (weight_need(p.plan) <= reserve) fit = &p;
        }
        feasible = fit != nullptr;
        if (!fit) break;
        within[singles[k]].plans = {fit->plan};
        loss += fit->cost.cycles - m.cost.cycles;
        replanned.emplace_back(m.index, *fit);
      }
      if (!feasible || all_savings - loss <= best_gain) break;
      StackResidency r = choose_stack_residency(hw, within);
      if (r.saving - loss > best_gain) {
        best_gain = r.saving - loss;
        d.residency = std::move(r);
        d.replanned = std::move(replanned);
      }
    }
  }
  for (const auto& [layer, plan] : d.replanned) {
    for (std::size_t s : singles) {
      Segment& seg = choice.segments[s];
      if (seg.first == layer) warm[s] = seg.cycles = plan.cost.cycles;
    }
  }
  for (std::size_t s = 0; s < choice.segments.size(); ++s) {
    d.steady += d.residency.stays[s] ? warm[s] : choice.segments[s].cycles;
  }
  d.choice = std::move(choice);
  return d;
}

}  // namespace

NetworkMapping finish_pipelined(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                                MapperCache& cache, const ScheduleObjective& objective) {
  std::vector<std::int64_t> single;
  single.reserve(out.layers.size());
  for (const MappedLayer& m : out.layers) single.push_back(m.cost.cycles);
  PipelineChoice for_throughput;
  const bool least_memory = objective.latency_bound.active();
  const bool throughput = !least_memory && once_warm(objective.cycles);
  MapperCache* replan = throughput ? &cache : nullptr;
  StackOptions options;
  // A layer on a digital core runs as a segment of its own (from DRAM to DRAM, as under layer-by-layer).
  std::vector<char> alone(out.layers.size(), 0);
  for (std::size_t i = 0; i < alone.size(); ++i) alone[i] = out.layers[i].digital >= 0;
  PipelineChoice fastest = schedule_stacks(net, hw, cache, single, throughput ? &for_throughput : nullptr,
                                           least_memory ? &options : nullptr, alone);
  if (least_memory) {
    // The least global buffer within the bound; the stacks whose weights fit stay, as under latency.
    std::vector<Segment> singles(out.layers.size());
    for (std::size_t i = 0; i < singles.size(); ++i) {
      singles[i].first = singles[i].last = static_cast<int>(i);
      singles[i].cycles = single[i];
      singles[i].gb_bytes = single_gb_bytes(net, hw, out.layers[i]);
    }
    out.latency_bound_cycles = objective.latency_bound.applied(fastest.cycles);
    fastest = least_memory_schedule(singles, options, out.latency_bound_cycles);
  }
  Decision d = decide(net, hw, out.layers, std::move(fastest), replan);
  if (throughput) {
    // The segmentation for the fewest cycles once warm, if its weights that do stay make it faster.
    Decision other = decide(net, hw, out.layers, std::move(for_throughput), replan);
    if (other.steady < d.steady) d = std::move(other);
  }
  // A stream of inferences: stages on decoders of their own, when they beat one inference after another.
  std::vector<int> stage_of;  // per segment, under a stream; empty otherwise
  std::vector<std::int64_t> stage_claim;
  std::vector<std::int64_t> gb_share(out.layers.size(), 0);  // per layer: StreamSegment::gb_share
  std::vector<StreamStep> stream_steps;  // under a stream: the order its program issues the segments in
  std::int64_t stream_period = -1;
  // A layer on a digital core is a single-layer segment of its stage; the stages share the core.
  if (objective.cycles == CyclesOf::Stream && !least_memory) {
    StreamSchedule st = schedule_stream(net, hw, cache, out.layers);
    std::vector<MappedLayer> allocated;  // the layers as the stream allocates them, when it moved any
    if (!st.stages.empty() && !hw.digital_cores.empty()) {
      // The cores overlap in a stream: the allocation searched over its schedule for the objective's
      // score (stream_allocation.hpp), then the stages cut again for it, kept when either scores better.
      StreamScore score(net, hw, objective);
      std::vector<MappedLayer> moved = out.layers;
      StreamSchedule searched = st;
      if (improve_stream_allocation(net, hw, cache, score, moved, searched) > 0) {
        StreamSchedule recut = schedule_stream(net, hw, cache, moved);
        if (!recut.stages.empty() && score(moved, recut.period) < score(moved, searched.period)) searched = std::move(recut);
        if (score(moved, searched.period) < score(out.layers, st.period)) {
          st = std::move(searched);
          allocated = std::move(moved);
        }
      }
    }
    if (!st.stages.empty() && st.period < d.steady) {
      if (!allocated.empty()) out.layers = std::move(allocated);
      Decision s;
      s.residency = st.residency;
      stream_steps = stream_issue_order(st.stages, st.segments, !hw.digital_cores.empty());
      for (std::size_t g = 0; g < st.stages.size(); ++g) {
        const StreamStage& stage = st.stages[g];
        out.stream_stages.push_back({st.segments[stage.first].segment.first, st.segments[stage.last].segment.last,
                                     stage.first_decoder, stage.decoders, stage.cycles});
        stage_claim.push_back(0);
        for (std::size_t k = stage.first; k <= stage.last; ++k) {
          StreamSegment& seg = st.segments[k];
          stage_of.push_back(static_cast<int>(g));
          stage_claim.back() = std::max(stage_claim.back(), seg.gb_bytes);
          s.tilings.push_back(seg.segment.stack ? tile_stack(net, seg.segment.first, seg.segment.last, seg.segment.tiles)
                                                : StackTiling{});
          if (!seg.segment.stack) {
            MappedLayer& m = out.layers[static_cast<std::size_t>(seg.segment.first)];
            if (m.digital < 0) {
              m.first_decoder = stage.first_decoder;
              m.decoders = stage.decoders;
            }
            if (m.mac && m.digital < 0) s.replanned.emplace_back(seg.segment.first, seg.single);
            if (seg.gb_share > 0) {  // a vector layer within its stage's share of the buffer
              gb_share[static_cast<std::size_t>(seg.segment.first)] = seg.gb_share;
              m.cost = seg.single.cost;
            }
            seg.segment.cycles = seg.cold;
          }
          s.choice.segments.push_back(std::move(seg.segment));
        }
      }
      s.steady = stream_period = st.period;
      d = std::move(s);
    }
  }
  for (const auto& [layer, plan] : d.replanned) {
    MappedLayer& m = out.layers[static_cast<std::size_t>(layer)];
    m.plan = plan.plan;
    m.cost = plan.cost;
  }
  const PipelineChoice& choice = d.choice;
  const std::vector<StackTiling>& tilings = d.tilings;
  const StackResidency& residency = d.residency;
  out.resident_bytes = residency.resident_bytes;
  out.fullest_array_resident_bytes = residency.fullest_array;
  const bool any_stays = residency.resident_bytes > 0;
  const bool stream = !stage_of.empty();
  // What the segments claim of the global buffer: the stacks' runs (both inferences), the single layers
  // as built (measured already for the least-memory objective, which replans none of them). Under a
  // stream the stages run at once: the sum of each stage's largest claim.
  out.analytical_gb_bytes = 0;
  for (const Segment& seg : choice.segments) {
    if (seg.stack || stream) continue;  // a stream's claim is its stages' (measured by the schedule), below
    const std::int64_t claim =
        least_memory ? seg.gb_bytes : single_gb_bytes(net, hw, out.layers[static_cast<std::size_t>(seg.first)]);
    out.analytical_gb_bytes = std::max(out.analytical_gb_bytes, claim);
  }

  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
  // Under a stream: per stage, for each warm inference, the ops after which the stage has finished it.
  // Stage g takes warm inference k once it has finished k − 1 and stage g + 1 has finished k − 2 — two
  // inferences' activations between stages, double buffered — so that an earlier, faster stage cannot
  // run ahead and leave the later ones alone in the measured window. (The first, cold inference runs
  // alone: nothing before it.)
  std::vector<std::vector<std::vector<int>>> stage_history(stream ? static_cast<std::size_t>(stage_of.back()) + 1 : 0);
  // Under a stream, each digital core's layers in the order built: a core serves one layer at a time,
  // so each waits for the previous one on its core (which validate() then proves its buffers by).
  std::vector<std::vector<int>> core_done(hw.digital_cores.size());
  // Segments s_from .. s_to − 1 of one inference, `inference_k` its warm index (−1: the first, cold):
  // `pass` 0 the first, 1 once warm, 2 (a stream) each inference after that one.
  auto run_segments = [&](int pass, int inference_k, std::size_t s_from, std::size_t s_to, std::int64_t& cycles,
                          std::int64_t& dram) {
    const bool warm = pass > 0;
    for (std::size_t s = s_from; s < s_to; ++s) {
      const Segment& seg = choice.segments[s];
      if (stream && (s == 0 || stage_of[s] != stage_of[s - 1])) {
        const std::size_t g = static_cast<std::size_t>(stage_of[s]);
        const auto finished = [&](std::size_t stage, int before) {  // its ops for warm inference `before`, if built
          const std::vector<std::vector<int>>& h = stage_history[stage];
          if (!warm || before < 0 || static_cast<std::size_t>(before) >= h.size()) return;
          gate.insert(gate.end(), h[static_cast<std::size_t>(before)].begin(), h[static_cast<std::size_t>(before)].end());
        };
        finished(g, inference_k - 1);
        if (g + 1 < stage_history.size()) finished(g + 1, inference_k - 2);
      }
      if (!seg.stack) {
        MappedLayer& m = out.layers[static_cast<std::size_t>(seg.first)];
        const Layer& l = net.layers[static_cast<std::size_t>(seg.first)];
        if (build) {
          LayerOps ops;
          if (m.digital >= 0) {
            std::vector<int>& previous = core_done[static_cast<std::size_t>(m.digital)];
            if (stream) gate.insert(gate.end(), previous.begin(), previous.end());
            const DigitalLayerOps on_core =
                build_digital_layer(out.program, l, hw, m.digital, m.digital_tiling, DigitalLayerIo{}, gate);
            if (stream) previous = on_core.done;  // outside a stream the gate already orders the core's layers
            ops.first = on_core.first;
            ops.end = static_cast<int>(out.program.ops.size());
            ops.done = on_core.done;
          } else if (gb_share[static_cast<std::size_t>(seg.first)] > 0) {
            HardwareConfig share = hw;
            share.fixed.gb_bytes = gb_share[static_cast<std::size_t>(seg.first)];
            ops = ProgramBuilder(share, out.program).add_vector_layer(l, gate);
          } else {
            ops = m.mac ? builder.add_mac_layer(m.plan, l.name, gate) : builder.add_vector_layer(l, gate);
          }
          if (pass == 2) {
            m.stream_ops.emplace_back(ops.first, ops.end);
          } else {
            (warm ? m.steady_first_op : m.first_op) = ops.first;
            (warm ? m.steady_end_op : m.end_op) = ops.end;
          }
          gate = ops.done;
        }
        if (pass == 1) m.steady_cost = m.cost;
        cycles += m.cost.cycles;
        dram += m.cost.dram_bytes;
      } else {
        const bool stays = residency.stays[s] != 0;
        const StackWeights mode = !stays ? StackWeights::Load : warm ? StackWeights::Resident : StackWeights::Keep;
        const int first_op = static_cast<int>(out.program.ops.size());
        const StackRun run = run_stack(net, tilings[s], seg.layout, hw, mode, build ? &out.program : nullptr, gate);
        const int end_op = static_cast<int>(out.program.ops.size());
        out.analytical_gb_bytes = std::max(out.analytical_gb_bytes, run.gb_bytes);
        if (stream) stage_claim[static_cast<std::size_t>(stage_of[s])] = std::max(stage_claim[static_cast<std::size_t>(stage_of[s])], run.gb_bytes);
        if (build) gate = run.done;
        for (int i = seg.first; i <= seg.last; ++i) {
          const std::size_t k = static_cast<std::size_t>(i - seg.first);
          MappedLayer& m = out.layers[static_cast<std::size_t>(i)];
          if (pass == 2) {
            if (!build) continue;
            for (std::size_t t = 0; t < run.first_op[k].size(); ++t) {
              if (run.end_op[k][t] > run.first_op[k][t]) m.stream_ops.emplace_back(run.first_op[k][t], run.end_op[k][t]);
            }
            continue;
          }
          std::vector<std::pair<int, int>>& band_ops = warm ? m.steady_band_ops : m.band_ops;
          if (build) {
            for (std::size_t t = 0; t < run.first_op[k].size(); ++t) {
              if (run.end_op[k][t] > run.first_op[k][t]) band_ops.emplace_back(run.first_op[k][t], run.end_op[k][t]);
            }
          }
          Cost& cost = warm ? m.steady_cost : m.cost;
          int& first = warm ? m.steady_first_op : m.first_op;
          int& end = warm ? m.steady_end_op : m.end_op;
          cost = Cost{};
          cost.bound = "stacked";
          first = end = end_op;
          if (i == seg.last) {
            cost.cycles = run.cycles;
            cost.bound = "pipelined";
            cost.dram_bytes = run.dram_bytes;
            first = first_op;
          }
          if (warm) continue;
          m.stack_first = seg.first;
          m.stack_last = seg.last;
          m.stack_tiles = seg.tiles;
          m.first_decoder = seg.layout.first_decoder[k];
          m.decoders = seg.layout.decoders[k];
          m.input_on_chip = i > seg.first;
          m.output_on_chip = i < seg.last;
          m.resident = stays && m.mac;
          if (m.mac) m.plan = seg.layout.plans[k];
        }
        cycles += run.cycles;
        dram += run.dram_bytes;
      }
      if (stream && build && (s + 1 == choice.segments.size() || stage_of[s + 1] != stage_of[s])) {
        if (warm) stage_history[static_cast<std::size_t>(stage_of[s])].push_back(gate);
      }
    }
  };
  int warm_index = -1;
  // One whole inference, the first (pass 0) or the first once warm (pass 1).
  auto inference = [&](int pass) {
    const bool warm = pass > 0;
    if (warm) ++warm_index;
    std::int64_t cycles = 0, dram = 0;
    run_segments(pass, warm_index, 0, choice.segments.size(), cycles, dram);
    (warm ? out.analytical_steady_cycles : out.analytical_cycles) = cycles;
    (warm ? out.analytical_steady_dram_bytes : out.analytical_dram_bytes) = dram;
  };
  inference(0);
  out.steady_first_op = static_cast<int>(out.program.ops.size());
  if (stream) {
    // Once warm, inferences overlap stage by stage. The first warm one starts on an idle chip (after
    // the first inference), and 2 × stages in all follow it: the simulated cycles between inferences
    // are measured over the completions of warm inferences stages .. stages + 2, each with stages − 1
    // inferences in flight behind it and the pipeline filled before it — not at the stream's tail,
    // where the last inferences' later stages run with nothing beside them (stream_schedule.hpp).
    const std::size_t G = stage_history.size();
    inference(1);
    gate.clear();
    const int N = static_cast<int>(2 * G);
    std::vector<std::size_t> stage_first(G, choice.segments.size()), stage_end(G, 0);
    for (std::size_t s = 0; s < choice.segments.size(); ++s) {
      const auto g = static_cast<std::size_t>(stage_of[s]);
      stage_first[g] = std::min(stage_first[g], s);
      stage_end[g] = s + 1;
    }
    out.stream_inference_ops.assign(static_cast<std::size_t>(N), {});
    // Segment s of stage g of warm inference k: after the stage's previous segment, or, first in its
    // stage, after the same inference's stage g − 1 and the gates above.
    std::vector<std::vector<int>> stage_gate(G);
    auto segment_run = [&](int k, std::size_t g, std::size_t s) {
      if (s == stage_first[g]) stage_gate[g] = g > 0 ? stage_history[g - 1][static_cast<std::size_t>(k)] : std::vector<int>{};
      gate = std::move(stage_gate[g]);
      const int start = static_cast<int>(out.program.ops.size());
      std::int64_t unused_cycles = 0, unused_dram = 0;
      run_segments(2, k, s, s + 1, unused_cycles, unused_dram);
      stage_gate[g] = std::move(gate);
      out.stream_inference_ops[static_cast<std::size_t>(k - 1)].emplace_back(start, static_cast<int>(out.program.ops.size()));
    };
    if (build) {
      for (const StreamStep& step : stream_steps) {
        segment_run(step.inference, step.stage, step.segment);
      }
    }
    gate.clear();
    out.stream_measured_from = static_cast<int>(G);
    out.stream_measured_to = static_cast<int>(G) + 2;
    out.two_inferences = true;
    out.analytical_steady_cycles = stream_period;
    out.analytical_gb_bytes = 0;
    for (std::int64_t claim : stage_claim) out.analytical_gb_bytes += claim;
  } else if (any_stays) {
    out.two_inferences = true;
    inference(1);
  } else {
    steady_is_cold(out);
  }
  return out;
}

}  // namespace cimnet
