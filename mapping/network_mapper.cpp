#include "mapping/network_mapper.hpp"
#include "mapping/pipelined_network.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "mapping/network_allocation.hpp"
#include "mapping/fused_allocation.hpp"
#include "mapping/inference_energy.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_program.hpp"
#include "mapping/placement.hpp"
#include "mapping/residency.hpp"

namespace cimnet {

namespace {

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

// Where the allocation of MAC layers to cores starts (designs with digital cores): each layer where the
// objective prices it lowest alone, or where it is fastest alone.
enum class AllocationStart { Objective, Fastest };

NetworkMapping run_from(const Network& net, const HardwareConfig& hw, bool build, MapperCache* shared,
                        Execution execution, const ScheduleObjective& objective, AllocationStart start) {
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
  if (!hw.digital_cores.empty()) {
    const ScheduleObjective fastest(objective.cycles);
    allocate_to_digital_cores(net, hw, out, cache, start == AllocationStart::Fastest ? fastest : objective);
  }
  DigitalStepMemo memo;  // for every fused estimate below
  if (!hw.digital_cores.empty() && execution == Execution::Fused) {
    // Branches may run on different cores at once: the allocation searched over the fused schedule.
    StreamScore score(net, hw, objective);
    improve_fused_allocation(net, hw, cache, score, out, memo);
  }
  // A layer on a digital core carries no post-op and never stays in the arrays (residency.hpp skips a
  // layer without an array plan).
  for (std::size_t i = 0; execution == Execution::Fused && i < out.layers.size(); ++i) {
    if (out.layers[i].digital < 0) continue;
    chains[i].clear();
    out.layers[i].plan = Plan{};
  }
  if (execution == Execution::Pipelined) return finish_pipelined(net, hw, build, std::move(out), cache, objective);
  if (execution != Execution::Fused) return network_program(net, hw, build, std::move(out), nullptr, execution);
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
      NetworkMapping e = network_program(net, hw, false, out, &options[k], execution, &option_contexts, &memo);
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
    NetworkMapping e = network_program(net, hw, false, out, &refined, execution, nullptr, &memo);
    if (e.analytical_steady_cycles < best) {
      return build ? network_program(net, hw, true, std::move(out), &refined, execution, nullptr, &memo,
                                     objective.warm_only)
                   : e;
    }
  }
  return build ? network_program(net, hw, true, std::move(out), &options[chosen], execution, nullptr, &memo,
                                 objective.warm_only)
               : best_estimate;
}

// The objective's measure of a mapped network (its program built): the cycles of the inference it
// counts; that inference's energy (its ops' actions priced, static power over those cycles); or their
// product.
double objective_measure(const Network& net, const NetworkMapping& m, const HardwareConfig& hw,
                         const ScheduleObjective& objective) {
  const bool steady = objective.cycles != CyclesOf::Cold;
  const std::int64_t cycles = steady ? m.analytical_steady_cycles : m.analytical_cycles;
  if (objective.allocation == CoreAllocation::Latency) return static_cast<double>(cycles);
  const double pj = inference_energy(net, m, hw, objective.energy, steady, cycles).energy.total();
  return objective.allocation == CoreAllocation::Energy ? pj : pj * static_cast<double>(cycles);
}

NetworkMapping run(const Network& net, const HardwareConfig& hw, bool build, MapperCache* shared,
                   Execution execution, const ScheduleObjective& objective) {
  if (execution == Execution::LayerByLayer || hw.digital_cores.empty() ||
      objective.allocation == CoreAllocation::Latency) {
    return run_from(net, hw, build, shared, execution, objective, AllocationStart::Objective);
  }
  // Under fused and pipelined, an energy or energy-delay objective is also mapped from the fastest
  // allocation, and the network whose measure is lower is kept. Alone, from DRAM to DRAM, a layer may
  // cost less energy on a digital core; in the network, on the arrays, its activations stay on chip and
  // its weights may stay resident, which the layers' prices alone do not see (the largest
  // OFA-MobileNetV3 on a small CiM part beside a 16 × 16 core: fused, 1 302 µJ allocated for energy
  // layer by layer, 935 µJ allocated for latency; pipelined, 2 189 against 1 622). Layer by layer the
  // layers' prices alone are the network's: the objective's own allocation is exact there.
  // Both programs are built, to be measured: an estimate of an energy objective costs a build more.
  MapperCache local;
  MapperCache& cache = shared ? *shared : local;
  NetworkMapping by_objective = run_from(net, hw, true, &cache, execution, objective, AllocationStart::Objective);
  NetworkMapping from_fastest = run_from(net, hw, true, &cache, execution, objective, AllocationStart::Fastest);
  return objective_measure(net, from_fastest, hw, objective) < objective_measure(net, by_objective, hw, objective)
             ? std::move(from_fastest)
             : std::move(by_objective);
}

}  // namespace

NetworkMapping map_network(const Network& network, const HardwareConfig& hw, MapperCache* cache,
                           Execution execution, const ScheduleObjective& objective) {
  if (objective.warm_only && objective.cycles != CyclesOf::Steady) {
    throw std::invalid_argument("map_network: a program of the warm inference alone counts steady cycles, not " +
                                std::string(to_string(objective.cycles)));
  }
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
  // In the order of issue; a layer that ran beside the others (MappedLayer::beside) gets its own span and
  // leaves the previous end as it was.
  auto spans = [&](bool warm, std::int64_t from) {
    std::int64_t prev_end = from;
    for (std::size_t at = 0; at < mapping.layers.size(); ++at) {
      auto& l = mapping.layers[mapping.issue_order.empty() ? at : static_cast<std::size_t>(mapping.issue_order[at])];
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
      if (l.beside) {
        (warm ? l.sim_steady_cycles : l.sim_cycles) = s < 0 ? 0 : e - s;
        continue;
      }
      for (int j : l.joins) {
        prev_end = std::max(prev_end, warm ? mapping.layers[static_cast<std::size_t>(j)].sim_steady_end
                                           : mapping.layers[static_cast<std::size_t>(j)].sim_end);
      }
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
  if (!mapping.stream_inference_ops.empty()) {
    spans(true, cold);
    // Warm inference k (1-based): the second inference's ops, then the stream's runs.
    auto end_of = [&](int k) {
      std::vector<std::pair<int, int>> runs{{mapping.steady_first_op, mapping.stream_first_op(0)}};
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
    if (mapping.starts_warm) {  // `cold` is when the resident weights were in: no inference ran before
      mapping.sim_cold_cycles = -1;
      for (auto& l : mapping.layers) l.sim_cycles = l.sim_start = l.sim_end = -1;
    }
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
