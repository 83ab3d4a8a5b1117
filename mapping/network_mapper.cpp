#include "mapping/network_mapper.hpp"
#include "mapping/pipelined_network.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "mapping/network_allocation.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/mapper.hpp"
#include "mapping/placement.hpp"
#include "mapping/prefetch_head.hpp"
#include "mapping/program_builder.hpp"
#include "mapping/residency.hpp"

namespace cimnet {

namespace {

bool layer_by_layer(const LayerIo& io) { return !io.input_in_gb && !io.output_to_gb; }
bool layer_by_layer(const VectorIo& io) { return io.fetch_bytes < 0 && io.store; }

// What a layer's first pass's weight loads alone keep busy (the estimate's per-resource load time;
// every pass loads alike but a partial last one, so the first is the whole's share per pass at most).
ResourceBusy first_pass_load_busy(const Plan& plan, const HardwareConfig& hw, std::int64_t macs, const LayerIo& io) {
  ResourceBusy b = estimate(plan, hw, macs, nullptr, nullptr, io).load_busy;
  const double passes = static_cast<double>(plan.passes);
  for (double* r : {&b.dram, &b.l2, &b.l1, &b.port}) *r /= passes;
  return b;
}

// What a MAC step's estimate read of its surroundings once warm (fused): where its data lives, its
// post-ops, whether its loads were prefetched and under what previous step.
struct StepContext {
  bool mac_step = false;
  LayerIo io;
  Cost previous;
  bool previous_loads = false;
  // Were it to load its weights, the step could be prefetched under the previous one, capacity
  // permitting (the rule of finish(), without its capacity check).
  bool prefetchable = false;
};

// A MAC step's estimate in its recorded context with plan `p`: its weights as given and, when
// `prefetch`, its first pass's loads credited with their head start under the previous step.
std::int64_t cycles_in_context(const StepContext& c, const Layer& l, const Plan& p, const HardwareConfig& hw,
                               Weights weights, bool prefetch) {
  LayerIo io = c.io;
  io.weights = weights;
  io.prefetch = prefetch;
  io.head_start = 0;
  if (prefetch) {
    io.head_start = prefetch_head_start(c.previous, c.previous_loads, first_pass_load_busy(p, hw, l.macs(), io));
  }
  return estimate(p, hw, l.macs(), nullptr, nullptr, io).cycles;
}

// The program and the estimate of one set of network-level decisions: `out` holds every layer's plan
// and layer-by-layer cost, `residency` (fused) the resident layers and the plans within the reserve.
// `contexts` (optional): filled per layer with its step's context once warm.
NetworkMapping finish(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                      const Residency* residency, Execution execution,
                      std::vector<StepContext>* contexts = nullptr) {
  std::vector<Plan> plans;
  plans.reserve(out.layers.size());
  for (const auto& m : out.layers) plans.push_back(m.plan);
  if (residency) {
    out.weight_reserve = residency->reserve;
    out.resident_bytes = residency->resident_bytes;
    out.fullest_array_resident_bytes = residency->fullest_array;
    for (std::size_t i = 0; i < out.layers.size(); ++i) {
      if (residency->replanned[i]) {  // a plan within the reserve: its own layer-by-layer estimate
        out.layers[i].plan = residency->plans[i];
        out.layers[i].cost = estimate(residency->plans[i], hw, net.layers[i].macs());
        plans[i] = residency->plans[i];
      }
      if (!residency->resident[i]) continue;
      out.layers[i].resident = true;
      out.layers[i].plan = residency->plans[i];
      plans[i] = residency->plans[i];
    }
  }
  const bool warm_differs = std::any_of(out.layers.begin(), out.layers.end(), [](const MappedLayer& m) { return m.resident; });
  // Layers on a digital core are steps of their own (placement.hpp's DigitalStep).
  std::vector<DigitalStep> digital(out.layers.size());
  for (std::size_t i = 0; i < out.layers.size(); ++i) {
    if (out.layers[i].digital < 0) continue;
    digital[i].on_digital = true;
    digital[i].result_bytes = digital_result_bytes(net.layers[i], hw, out.layers[i]);
  }
  const std::vector<LayerPlacement> place = place_network(net, hw, plans, execution, digital);
  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
  // One inference: every step in order. `warm`: the second inference, resident weights in the arrays.
  // Cross-layer prefetch (fused): what the arrays hold for good, and the previous step.
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  std::vector<std::int64_t> kept_weights(static_cast<std::size_t>(hw.total_arrays()), 0);
  auto add_tile = [](std::vector<std::int64_t>& on, const Plan& p, std::int64_t bytes) {
    for (std::int64_t u = 0; u < p.groups_in_pass(0) * p.replicas; ++u) {
      for (std::int64_t r = 0; r < p.mapping.r_split; ++r) on[static_cast<std::size_t>(p.array_of(u, r))] += bytes;
    }
  };
  for (const auto& m : out.layers) {
    if (m.resident) add_tile(kept_weights, m.plan, m.plan.tile_bytes);
  }
  struct PreviousStep {
    bool exists = false, loads = false, kept = false, one_pass = true;
    const Plan* plan = nullptr;
    Cost cost;
    std::vector<int> last_loads, gate_in;
  };
  auto inference = [&](bool warm) {
    std::vector<std::vector<int>> kept_ops(net.layers.size());  // per step head: the ops holding its kept output
    std::int64_t cycles = 0, dram = 0;
    PreviousStep prev;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      MappedLayer& m = out.layers[i];
      const LayerPlacement& at = place[i];
      Cost& cost = warm ? m.steady_cost : m.cost;
      int& first_op = warm ? m.steady_first_op : m.first_op;
      int& end_op = warm ? m.steady_end_op : m.end_op;
      m.fused_into = at.fused_into;
      if (at.fused_into >= 0) {
        // Its work is in its step's estimate and ops.
        cost = Cost{};
        cost.bound = "fused";
        first_op = end_op = static_cast<int>(out.program.ops.size());
        m.input_on_chip = true;
        const bool chain_goes_on = i + 1 < net.layers.size() && place[i + 1].fused_into == at.fused_into;
        m.output_on_chip = chain_goes_on || place[static_cast<std::size_t>(at.fused_into)].kept;
        continue;
      }
      LayerIo io = at.io;
      if (m.resident) io.weights = warm ? Weights::Resident : Weights::Kept;
      // Cross-layer prefetch (fused): a step that loads weights (not a matmul's operand, which an
      // earlier step may still be writing) issues its first pass's loads early — after the previous
      // step's last loads when that step loads weights in one pass, else when the previous step
      // starts — if, on every array it uses, they fit beside the weights kept for good and the
      // previous step's: the builder then never has to wait for a free to make room. The estimate
      // credits the loads with a head start (prefetch_head.hpp).
      bool& prefetched = warm ? m.steady_prefetched : m.prefetched;
      prefetched = false;
      if (execution == Execution::Fused && m.mac && m.digital < 0 && io.weights != Weights::Resident &&
          l.kind != LayerKind::MatMul && prev.exists && (!prev.loads || prev.one_pass)) {
        std::vector<std::int64_t> on = kept_weights;
        if (prev.loads && !prev.kept) add_tile(on, *prev.plan, weight_need(*prev.plan));
        bool fits = true;
        const std::int64_t need = weight_need(m.plan);
        for (std::int64_t u = 0; u < m.plan.groups_in_pass(0) * m.plan.replicas && fits; ++u) {
          for (std::int64_t r = 0; r < m.plan.mapping.r_split && fits; ++r) {
            const auto a = static_cast<std::size_t>(m.plan.array_of(u, r));
            // A resident layer's own tile is in kept_weights already (its cold, Kept, load).
            fits = on[a] + (m.resident ? 0 : need) <= cap;
          }
        }
        if (fits) {
          io.prefetch = true;
          io.head_start = prefetch_head_start(prev.cost, prev.loads, first_pass_load_busy(m.plan, hw, l.macs(), io));
          // Never before the previous step starts (its own gate): one step ahead at most, so every
          // step before it has freed its weights first, which keeps the program's capacity check
          // (validate()) to two steps' weights at a time.
          io.load_gate = prev.gate_in;
          if (prev.loads) io.load_gate.insert(io.load_gate.end(), prev.last_loads.begin(), prev.last_loads.end());
          prefetched = true;
        }
      }
      if (contexts && m.mac && m.digital < 0 && (warm || !warm_differs)) {
        StepContext& c = (*contexts)[i];
        c.mac_step = true;
        c.io = io;
        c.previous = prev.cost;
        c.previous_loads = prev.loads;
        c.prefetchable = execution == Execution::Fused && l.kind != LayerKind::MatMul && prev.exists &&
                         (!prev.loads || prev.one_pass);
      }
      // The estimate for where the step's data lives (the mapper's own when that is layer-by-layer and
      // the plan is the mapper's). Once warm, only a resident or prefetched layer's estimate changes.
      if (m.digital >= 0) {
        cost = layer_by_layer(io) ? m.cost : digital_step_cost(l, hw, m, digital_step_io(io));
      } else if (m.mac && (!layer_by_layer(io) || m.resident || io.prefetch)) {
        cost = estimate(m.plan, hw, l.macs(), nullptr, nullptr, io);
      } else if (warm) {
        cost = m.cost;
      } else if (!m.mac && !layer_by_layer(at.vector_io)) {
        cost = estimate_vector_layer(l, hw, at.vector_io);
      }
      prev.exists = true;
      // A digital step loads its weights into its core, not the arrays: for a step prefetching under
      // it, its traffic is other traffic (its Cost's busy DRAM and L2).
      prev.loads = m.mac && m.digital < 0 && io.weights != Weights::Resident;
      prev.kept = m.resident;
      prev.one_pass = !m.mac || m.plan.passes == 1;
      prev.plan = &m.plan;
      prev.cost = cost;
      prev.gate_in = gate;
      prev.last_loads.clear();
      m.input_on_chip = m.mac ? io.input_in_gb : at.vector_io.fetch_bytes >= 0;
      m.output_on_chip = m.mac ? io.output_to_gb : !at.vector_io.store;
      if (build) {
        if (m.digital >= 0) {
          // On a digital core, its input and results where the placement puts them; the next step waits
          // for its results and its frees.
          const DigitalLayerOps ops =
              build_digital_layer(out.program, l, hw, m.digital, m.digital_tiling, digital_step_io(io), gate);
          first_op = ops.first;
          gate = ops.done;
          if (at.kept) kept_ops[i] = ops.outputs;
        } else {
          const LayerOps ops =
              m.mac ? builder.add_mac_layer(m.plan, l.name, gate, io) : builder.add_vector_layer(l, gate, at.vector_io);
          first_op = ops.first;
          gate = ops.done;
          prev.last_loads = ops.last_loads;
          kept_ops[i] = ops.kept;
        }
        // The kept outputs this step read last leave the global buffer (Frees, one after another; the
        // next step waits for the last).
        for (int producer : at.free_after) {
          for (int op : kept_ops[static_cast<std::size_t>(producer)]) {
            gate = {out.program.free(op, gate, l.name + " frees " + net.layers[static_cast<std::size_t>(producer)].name)};
          }
        }
        end_op = static_cast<int>(out.program.ops.size());
      }
      cycles += cost.cycles;
      dram += cost.dram_bytes;
    }
    (warm ? out.analytical_steady_cycles : out.analytical_cycles) = cycles;
    (warm ? out.analytical_steady_dram_bytes : out.analytical_dram_bytes) = dram;
  };
  inference(false);
  out.steady_first_op = static_cast<int>(out.program.ops.size());
  if (warm_differs) {
    out.two_inferences = true;
    inference(true);
  } else {
    steady_is_cold(out);
  }
  return out;
}

// Whether two residencies keep the same layers with the same plans in the same places.
bool same_decisions(const Residency& a, const Residency& b) {
  if (a.reserve != b.reserve || a.resident != b.resident || a.replanned != b.replanned) return false;
  for (std::size_t i = 0; i < a.plans.size(); ++i) {
    if (!a.resident[i] && !a.replanned[i]) continue;
    const Plan& p = a.plans[i];
    const Plan& q = b.plans[i];
    if (!(p.mapping == q.mapping) || p.decoder_offset != q.decoder_offset || p.slot_offset != q.slot_offset) return false;
  }
  return true;
}

// How many of the residency's proposals (residency.hpp) the network mapper estimates whole: the per-layer
// proxy ranks the reserves, the whole network's steady estimate chooses among its best few. Each costs
// one more estimate of the network's steps (a few ms for the largest networks).
constexpr std::size_t kResidencyOptions = 4;
// How many of a layer's best plans (alone) a step tries in its own context.
constexpr std::size_t kContextPlans = 8;

NetworkMapping run(const Network& net, const HardwareConfig& hw, bool build, MapperCache* shared,
                   Execution execution, const ScheduleObjective& objective) {
  hw.validate("hardware");
  if (objective.latency_bound.active() && execution != Execution::Pipelined) {
    throw InputError(std::string("a latency bound (the least-memory objective) applies only under execution "
                                 "pipelined, not ") + to_string(execution));
  }
  // Repeated layer shapes (blocks of the same width, attention heads) are searched once.
  MapperCache local;
  MapperCache& cache = shared ? *shared : local;
  NetworkMapping out;
  out.execution = execution;
  // Fused: a step's plan carries all the post-ops that may follow it when some plan can (the
  // layer-by-layer search's best, or else the best of those that do): a plan whose pieces cut a
  // post-op back sends its tensor through DRAM twice and gives the post-op a step of its own.
  std::vector<std::vector<PostOp>> chains =
      execution == Execution::Fused ? fusable_chains(net) : std::vector<std::vector<PostOp>>(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    MappedLayer m;
    m.index = static_cast<int>(i);
    m.mac = l.is_mac_layer();
    if (m.mac && !hw.cim_arrays) {
      m.cost = Cost{};  // no arrays: a digital core takes it (allocate_to_digital_cores)
    } else if (m.mac) {
      const LayerMapping lm = cache.map_carrying(l, hw, false, chains[i]);
      m.plan = lm.best.front().plan;
      m.cost = lm.best.front().cost;
      m.enumerated = lm.enumerated;
      m.evaluated = lm.evaluated;
    } else {
      m.cost = estimate_vector_layer(l, hw);
    }
    out.layers.push_back(std::move(m));
  }
  if (!hw.digital_cores.empty()) allocate_to_digital_cores(net, hw, out, cache, objective);
  // A layer on a digital core carries no post-op and never stays in the arrays (residency.hpp skips a
  // layer without an array plan).
  for (std::size_t i = 0; execution == Execution::Fused && i < out.layers.size(); ++i) {
    if (out.layers[i].digital < 0) continue;
    chains[i].clear();
    out.layers[i].plan = Plan{};
  }
  if (execution == Execution::Pipelined) return finish_pipelined(net, hw, build, std::move(out), cache, objective);
  if (execution != Execution::Fused) return finish(net, hw, build, std::move(out), nullptr, execution);
  std::vector<Plan> plans;
  plans.reserve(out.layers.size());
  for (const auto& m : out.layers) plans.push_back(m.plan);
  std::vector<Residency> options = residency_options(net, hw, plans, cache, chains, kResidencyOptions);
  // The best option's estimate and its steps' contexts are kept for the refinement below (and are
  // the result itself when nothing is built and no refinement helps).
  std::size_t chosen = 0;
  NetworkMapping best_estimate;
  std::vector<StepContext> contexts;
  auto score = [&](std::size_t from) {
    for (std::size_t k = from; k < options.size(); ++k) {
      std::vector<StepContext> option_contexts(net.layers.size());
      NetworkMapping e = finish(net, hw, false, out, &options[k], execution, &option_contexts);
      if (k == 0 || e.analytical_steady_cycles < best_estimate.analytical_steady_cycles) {
        best_estimate = std::move(e);
        contexts = std::move(option_contexts);
        chosen = k;
      }
    }
  };
  score(0);
  // Savings in context: the proxy above counts what residency saves a layer alone, with its weights
  // loaded from DRAM in full view; in the network a loading step may be prefetched under the previous
  // one and its data may live in the global buffer, so it saves less (a MobileNetV3 on 128 KiB arrays
  // kept an expand conv resident, a step of 2 606 cycles, that takes 2 065 with its loads prefetched:
  // Residency.SavingsCountedInContextFindAFasterNetwork). The residency is proposed again with each
  // layer's cycles in its step's context under the best option (loading: its io, prefetched when the
  // previous step allows it, capacity aside; resident: the same io without loads), and the whole
  // network's steady estimate chooses among all proposals.
  // (Every MAC layer heads a step, so its context is recorded.)
  const StepCycles step_in_context = [&](std::size_t i, const Plan& p, bool resident) -> std::int64_t {
    const StepContext& c = contexts[i];
    return cycles_in_context(c, net.layers[i], p, hw, resident ? Weights::Resident : Weights::Loaded,
                             !resident && c.prefetchable);
  };
  const std::size_t proposed = options.size();
  for (Residency& r : residency_options(net, hw, plans, cache, chains, kResidencyOptions, &step_in_context)) {
    const bool known = std::any_of(options.begin(), options.begin() + static_cast<std::ptrdiff_t>(proposed),
                                   [&](const Residency& o) { return same_decisions(o, r); });
    if (!known) options.push_back(std::move(r));
  }
  score(proposed);
  const std::int64_t best = best_estimate.analytical_steady_cycles;
  // Plans for where their data lives: the layer-by-layer search chose every plan for DRAM in and out.
  // Each step that loads its weights with the mapper's plan tries the layer's best kContextPlans plans
  // (alone; within the weight reserve and carrying its post-ops) in its own context once warm — its
  // input or output in the global buffer, its prefetch under the previous step — and takes the one
  // estimated fastest there. The network is then placed again, and the new plans are kept only if
  // its steady estimate is lower: a plan may need more of the global buffer and keep another
  // activation off chip. (ViT-B/16 on faster cores: the layer-by-layer best first MLP layer,
  // k64 x4 t5, runs 88 879 cycles in context against 79 357 for k256 t20 w2, and sends the second
  // layer's input through DRAM.)
  Residency refined = options[chosen];
  bool changed = false;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const StepContext& c = contexts[i];
    if (!c.mac_step || refined.resident[i] || refined.replanned[i] || l.kind == LayerKind::MatMul) continue;
    if (layer_by_layer(c.io) && !c.io.prefetch) continue;  // the mapper's own context: its plan is the best
    const PlanLimits limits{chains[i], hw.fixed.gb_bytes};
    const LayerMapping top = cache.map(l, hw, kContextPlans, false, chains[i].empty() ? nullptr : &limits);
    const bool any_resident = refined.resident_bytes > 0;
    auto in_context = [&](const Plan& p) { return cycles_in_context(c, l, p, hw, c.io.weights, c.io.prefetch); };
    std::int64_t best_here = in_context(out.layers[i].plan);
    for (const ScoredPlan& s : top.best) {
      if (s.plan.mapping == out.layers[i].plan.mapping) continue;
      if (any_resident && weight_need(s.plan) > refined.reserve) continue;
      const std::int64_t cycles = in_context(s.plan);
      if (cycles < best_here) {
        best_here = cycles;
        refined.plans[i] = s.plan;
        refined.replanned[i] = 1;
        changed = true;
      }
    }
  }
  if (changed) {
    NetworkMapping e = finish(net, hw, false, out, &refined, execution);
    if (e.analytical_steady_cycles < best) return build ? finish(net, hw, true, std::move(out), &refined, execution) : e;
  }
  return build ? finish(net, hw, true, std::move(out), &options[chosen], execution) : best_estimate;
}

}  // namespace

NetworkMapping map_network(const Network& network, const HardwareConfig& hw, MapperCache* cache,
                           Execution execution, const ScheduleObjective& objective) {
  return run(network, hw, true, cache, execution, objective);
}
NetworkMapping estimate_network(const Network& network, const HardwareConfig& hw, MapperCache* cache,
                                Execution execution, const ScheduleObjective& objective) {
  return run(network, hw, false, cache, execution, objective);
}

void steady_is_cold(NetworkMapping& mapping) {
  mapping.analytical_steady_cycles = mapping.analytical_cycles;
  mapping.analytical_steady_dram_bytes = mapping.analytical_dram_bytes;
  for (MappedLayer& m : mapping.layers) {
    m.steady_prefetched = m.prefetched;
    m.steady_cost = m.cost;
    m.steady_first_op = m.first_op;
    m.steady_end_op = m.end_op;
    m.steady_band_ops = m.band_ops;
  }
}

std::vector<int> op_layers(const NetworkMapping& mapping) {
  std::vector<int> out(mapping.program.ops.size(), -1);
  auto mark = [&](int first, int end, int layer) {
    for (int id = std::max(first, 0); id < end && id < static_cast<int>(out.size()); ++id) {
      out[static_cast<std::size_t>(id)] = layer;
    }
  };
  for (const MappedLayer& m : mapping.layers) {
    if (m.stack_first >= 0) {
      for (const auto& [first, end] : m.band_ops) mark(first, end, m.index);
      if (mapping.two_inferences) {
        for (const auto& [first, end] : m.steady_band_ops) mark(first, end, m.index);
      }
      for (const auto& [first, end] : m.stream_ops) mark(first, end, m.index);
      continue;
    }
    for (const auto& [first, end] : m.stream_ops) mark(first, end, m.index);
    mark(m.first_op, m.end_op, m.index);
    if (mapping.two_inferences) mark(m.steady_first_op, m.steady_end_op, m.index);
  }
  return out;
}

void attribute(NetworkMapping& mapping, const std::vector<std::int64_t>& op_start,
               const std::vector<std::int64_t>& op_end) {
  // Layers of one inference: simulated cycles from the previous layer's end (the first from `from`).
  auto spans = [&](bool warm, std::int64_t from) {
    std::int64_t prev_end = from;
    for (auto& l : mapping.layers) {
      const int first = warm ? l.steady_first_op : l.first_op;
      const int end = warm ? l.steady_end_op : l.end_op;
      std::int64_t s = -1, e = 0;
      for (int id = first; id < end && id < static_cast<int>(op_end.size()); ++id) {
        const auto k = static_cast<std::size_t>(id);
        s = s < 0 ? op_start[k] : std::min(s, op_start[k]);
        e = std::max(e, op_end[k]);
      }
      (warm ? l.sim_steady_start : l.sim_start) = s;
      (warm ? l.sim_steady_end : l.sim_end) = e;
      (warm ? l.sim_steady_cycles : l.sim_cycles) = std::max<std::int64_t>(0, e - prev_end);
      prev_end = std::max(prev_end, e);
    }
  };
  spans(false, 0);
  std::int64_t cold = 0, all = 0;
  for (std::size_t k = 0; k < op_end.size(); ++k) {
    if (static_cast<int>(k) < mapping.steady_first_op) cold = std::max(cold, op_end[k]);
    all = std::max(all, op_end[k]);
  }
  mapping.sim_cold_cycles = cold;
  if (!mapping.stream_first_ops.empty()) {
    spans(true, cold);
    // Warm inference k (1-based): the second inference's ops, then the stream's runs.
    auto end_of = [&](int k) {
      std::vector<std::pair<int, int>> runs{{mapping.steady_first_op, mapping.stream_first_ops.front()}};
      if (k > 1) runs = mapping.stream_inference_ops[static_cast<std::size_t>(k - 2)];
      std::int64_t e = 0;
      for (const auto& [first, end] : runs) {
        for (int id = first; id < end; ++id) e = std::max(e, op_end[static_cast<std::size_t>(id)]);
      }
      return e;
    };
    const int from = mapping.stream_measured_from, to = mapping.stream_measured_to;
    const std::int64_t span = end_of(to) - end_of(from);
    mapping.sim_steady_cycles = (span + (to - from) / 2) / (to - from);
  } else if (mapping.two_inferences) {
    spans(true, cold);
    mapping.sim_steady_cycles = all - cold;
  } else {
    mapping.sim_steady_cycles = cold;
    for (auto& l : mapping.layers) {
      l.sim_steady_cycles = l.sim_cycles;
      l.sim_steady_start = l.sim_start;
      l.sim_steady_end = l.sim_end;
    }
  }
}

}  // namespace cimnet
