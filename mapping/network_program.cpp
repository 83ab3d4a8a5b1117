#include "mapping/network_program.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "mapping/digital_program.hpp"
#include "mapping/issue_order.hpp"
#include "mapping/network_allocation.hpp"
#include "mapping/placement.hpp"
#include "mapping/prefetch_head.hpp"
#include "mapping/program_builder.hpp"

namespace cimnet {

namespace {

// What a layer's first pass's weight loads alone keep busy (the estimate's per-resource load time;
// every pass loads alike but a partial last one, so the first is the whole's share per pass at most).
ResourceBusy first_pass_load_busy(const Plan& plan, const HardwareConfig& hw, std::int64_t macs, const LayerIo& io) {
  ResourceBusy b = estimate(plan, hw, macs, nullptr, nullptr, io).load_busy;
  const double passes = static_cast<double>(plan.passes);
  for (double* r : {&b.dram, &b.l2, &b.l1, &b.port}) *r /= passes;
  return b;
}

// The steps of `fused` in their order of issue, and the digital steps among them that run beside the
// others (issue_order.hpp): which those are, what waits for them, and when, in the estimate, each
// core and each of them is done. Without digital cores, under layer-by-layer, or when the mapping runs
// its steps one after another (NetworkMapping::branches_beside false), the order is the network's and
// no step is concurrent.
class BesideSteps {
 public:
  std::vector<int> order;     // the order of issue with steps beside (issue_order.hpp), or empty: none
  std::vector<int> sequence;  // the layers in the order their steps are built: `order`, or the network's

  BesideSteps(const Network& net, const NetworkMapping& m, Execution execution)
      : net_(net), concurrent_(net.layers.size(), false), reads_(net.layers.size()),
        pending_(net.layers.size()), end_(net.layers.size(), 0) {
    std::vector<bool> on_digital(net.layers.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < m.layers.size(); ++i) any |= on_digital[i] = m.layers[i].digital >= 0;
    if (execution == Execution::Fused && m.branches_beside && any) order = issue_order(net, on_digital);
    sequence = order;
    if (sequence.empty()) {
      sequence.resize(net.layers.size());
      std::iota(sequence.begin(), sequence.end(), 0);
    }
    std::size_t cores = 0;
    for (const MappedLayer& l : m.layers) cores = std::max(cores, static_cast<std::size_t>(l.digital + 1));
    core_done_.resize(cores);
    core_free_.assign(cores, 0);
  }

  // With the steps placed (placement.hpp, LayerPlacement::beside): who waits for the steps beside.
  void find_concurrent(const std::vector<LayerPlacement>& place) {
    const std::size_t n = place.size();
    for (std::size_t i = 0; i < n; ++i) concurrent_[i] = place[i].beside;
    for (std::size_t j = 0; j < n; ++j) {
      const auto head = static_cast<std::size_t>(place[j].fused_into < 0 ? static_cast<int>(j) : place[j].fused_into);
      for (int p : net_.layers[j].inputs) {
        if (p < 0 || !concurrent_[static_cast<std::size_t>(p)]) continue;
        std::vector<int>& r = reads_[head];
        if (std::find(r.begin(), r.end(), p) == r.end()) r.push_back(p);
      }
      if (!concurrent_[j]) continue;
      for (int p : net_.layers[j].inputs) {
        if (p >= 0) readers_of_input_[p].push_back(static_cast<int>(j));
      }
    }
  }

  bool concurrent(std::size_t layer) const { return concurrent_[layer]; }
  // The concurrent steps step `head` waits for.
  const std::vector<int>& joins(std::size_t head) const { return reads_[head]; }

  void start_inference() {
    std::fill(end_.begin(), end_.end(), 0);
    std::fill(core_free_.begin(), core_free_.end(), 0);
  }
  // When step `head` may start in the estimate, the steps waited for one after another being done at
  // `chain`: once the concurrent steps it reads are, and on a digital core once the core is free.
  std::int64_t start(std::size_t head, int core, std::int64_t chain) const {
    std::int64_t t = chain;
    for (int d : reads_[head]) t = std::max(t, end_[static_cast<std::size_t>(d)]);
    if (core >= 0) t = std::max(t, core_free_[static_cast<std::size_t>(core)]);
    return t;
  }
  // The ops step `head` waits for besides `gate`.
  std::vector<int> waits(std::size_t head, int core, std::vector<int> gate) const {
    for (int d : reads_[head]) add(gate, pending_[static_cast<std::size_t>(d)]);
    if (core >= 0) add(gate, core_done_[static_cast<std::size_t>(core)]);
    return gate;
  }
  // A digital step on `core` ends at `end` with ops `done` (empty when nothing is built).
  void ran(std::size_t layer, int core, std::int64_t end, const std::vector<int>& done) {
    core_free_[static_cast<std::size_t>(core)] = end;
    core_done_[static_cast<std::size_t>(core)] = done;
    if (!concurrent_[layer]) return;
    end_[layer] = end;
    pending_[layer] = done;
    running_.push_back(layer);
  }
  // Freeing `producer`'s kept output: after the concurrent steps that read it as well.
  std::int64_t free_at(int producer, std::int64_t chain) const {
    const auto found = readers_of_input_.find(producer);
    if (found == readers_of_input_.end()) return chain;
    for (int d : found->second) chain = std::max(chain, end_[static_cast<std::size_t>(d)]);
    return chain;
  }
  std::vector<int> free_waits(int producer, std::vector<int> gate) const {
    const auto found = readers_of_input_.find(producer);
    if (found == readers_of_input_.end()) return gate;
    for (int d : found->second) add(gate, pending_[static_cast<std::size_t>(d)]);
    return gate;
  }
  // The inference ends when its last step and every concurrent step have: the next one waits for all.
  std::int64_t finish_inference(std::int64_t chain, std::vector<int>& gate) {
    for (std::size_t d : running_) {
      chain = std::max(chain, end_[d]);
      add(gate, pending_[d]);
      pending_[d].clear();
    }
    running_.clear();
    return chain;
  }

 private:
  static void add(std::vector<int>& to, const std::vector<int>& ops) { to.insert(to.end(), ops.begin(), ops.end()); }

  const Network& net_;
  std::vector<bool> concurrent_;
  std::vector<std::vector<int>> reads_;    // per step head: the concurrent digital steps its layers read
  std::map<int, std::vector<int>> readers_of_input_;  // per producer: the concurrent steps reading it
  std::vector<std::vector<int>> pending_;  // per concurrent step: its ops a reader waits for
  std::vector<std::int64_t> end_;          // per concurrent step: its end in the estimate
  std::vector<std::size_t> running_;       // the concurrent steps of this inference
  std::vector<std::vector<int>> core_done_;
  std::vector<std::int64_t> core_free_;
};

}  // namespace

Cost DigitalStepMemo::cost(std::size_t index, const Layer& layer, const HardwareConfig& hw, const MappedLayer& m,
                           const DigitalLayerIo& io) {
  const auto key = std::make_tuple(index, m.digital, m.digital_tiling.summary(), static_cast<int>(io.inputs),
                                   static_cast<int>(io.outputs));
  const auto found = costs_.find(key);
  if (found != costs_.end()) return found->second;
  const Cost c = digital_step_cost(layer, hw, m, io);
  costs_.emplace(key, c);
  return c;
}

bool layer_by_layer(const LayerIo& io) { return !io.input_in_gb && !io.output_to_gb; }
bool layer_by_layer(const VectorIo& io) { return io.fetch_bytes < 0 && io.store; }

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

NetworkMapping network_program(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                               const Residency* residency, Execution execution, std::vector<StepContext>* contexts,
                               DigitalStepMemo* memo, bool warm_only) {
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
  BesideSteps beside(net, out, execution);
  const std::vector<LayerPlacement> place = place_network(net, hw, plans, execution, digital, beside.order);
  beside.find_concurrent(place);
  bool reordered = false;
  for (std::size_t k = 0; k < beside.sequence.size(); ++k) {
    reordered |= beside.sequence[k] != static_cast<int>(k);
    out.layers[k].beside = beside.concurrent(k);
    out.layers[k].joins = beside.joins(k);
  }
  out.issue_order = reordered ? beside.sequence : std::vector<int>{};
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
  // Warm only: the first inference is estimated, not built (its ops would be simulated for nothing).
  const bool starts_warm = build && warm_only && warm_differs;
  auto inference = [&](bool warm) {
    const bool emit = build && (warm || !starts_warm);  // its ops go into the program
    const std::size_t ops_before = out.program.ops.size();  // the cold inference's, when this is the warm one
    // The warm inference is at most as long as the cold one (its resident weights load no more).
    if (emit && warm && !starts_warm) out.program.ops.reserve(2 * ops_before);
    std::vector<std::vector<int>> kept_ops(net.layers.size());  // per step head: the ops holding its kept output
    std::int64_t cycles = 0, dram = 0;  // cycles: the end of the steps waited for one after another
    beside.start_inference();
    PreviousStep prev;
    for (std::size_t at_k = 0; at_k < beside.sequence.size(); ++at_k) {
      const auto i = static_cast<std::size_t>(beside.sequence[at_k]);
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
        const bool chain_goes_on =
            at_k + 1 < beside.sequence.size() &&
            place[static_cast<std::size_t>(beside.sequence[at_k + 1])].fused_into == at.fused_into;
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
        cost = layer_by_layer(io) ? m.cost
               : memo             ? memo->cost(i, l, hw, m, digital_step_io(io))
                                  : digital_step_cost(l, hw, m, digital_step_io(io));
      } else if (m.mac && (!layer_by_layer(io) || m.resident || io.prefetch)) {
        cost = estimate(m.plan, hw, l.macs(), nullptr, nullptr, io);
      } else if (warm) {
        cost = m.cost;
      } else if (!m.mac && !layer_by_layer(at.vector_io)) {
        cost = estimate_vector_layer(l, hw, at.vector_io);
      }
      const bool beside_chain = beside.concurrent(i);
      if (!beside_chain) {  // the steps after a concurrent one follow the step before it
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
      }
      m.input_on_chip = m.mac ? io.input_in_gb : at.vector_io.fetch_bytes >= 0;
      m.output_on_chip = m.mac ? io.output_to_gb : !at.vector_io.store;
      const std::int64_t end = beside.start(i, m.digital, cycles) + cost.cycles;
      std::vector<int> done;
      if (emit) {
        // Room for the steps left at the mean size of this inference's steps so far: a 7B decode
        // step's 341 k ops then move once or twice, not at every doubling (a fifth of building them).
        auto& program_ops = out.program.ops;
        if (at_k > 0) {
          const std::size_t mean = (program_ops.size() - ops_before) / at_k;
          const std::size_t wanted = program_ops.size() + mean * (beside.sequence.size() - at_k);
          if (program_ops.capacity() < wanted) {
            std::size_t room = std::max(wanted + wanted / 8, program_ops.capacity() + program_ops.capacity() / 2);
            // The warm inference is at most as long as the cold one: no more than twice the cold's ops.
            if (warm && !starts_warm) room = std::max(wanted, std::min(room, 2 * ops_before));
            program_ops.reserve(room);
          }
        }
        const std::vector<int> after = beside.waits(i, m.digital, gate);
        if (m.digital >= 0) {
          // On a digital core, its input and results where the placement puts them; the next step waits
          // for its results and its frees (unless it runs beside the next steps).
          const DigitalLayerOps ops =
              build_digital_layer(out.program, l, hw, m.digital, m.digital_tiling, digital_step_io(io), after);
          first_op = ops.first;
          done = ops.done;
          if (!beside_chain) gate = ops.done;
          if (at.kept) kept_ops[i] = ops.outputs;
        } else {
          const LayerOps ops = m.mac ? builder.add_mac_layer(m.plan, l.name, after, io)
                                     : builder.add_vector_layer(l, after, at.vector_io);
          first_op = ops.first;
          gate = ops.done;
          prev.last_loads = ops.last_loads;
          kept_ops[i] = ops.kept;
        }
      }
      if (m.digital >= 0) beside.ran(i, m.digital, end, done);
      if (!beside_chain) cycles = end;
      // The kept outputs this step read last leave the global buffer (Frees, one after another; the
      // next step waits for the last), once every step reading them is done.
      for (int producer : at.free_after) {
        cycles = beside.free_at(producer, cycles);
        if (!emit) continue;
        for (int op : kept_ops[static_cast<std::size_t>(producer)]) {
          gate = {out.program.free(op, beside.free_waits(producer, gate),
                                   l.name + " frees " + net.layers[static_cast<std::size_t>(producer)].name)};
        }
      }
      if (emit) end_op = static_cast<int>(out.program.ops.size());
      dram += cost.dram_bytes;
    }
    cycles = beside.finish_inference(cycles, gate);
    (warm ? out.analytical_steady_cycles : out.analytical_cycles) = cycles;
    (warm ? out.analytical_steady_dram_bytes : out.analytical_dram_bytes) = dram;
  };
  inference(false);
  if (starts_warm) {
    // The program starts warm: the resident weights are programmed (their loads alone, as the first
    // inference loads them) and the warm inference starts when they are in, on an idle chip as after
    // a first inference, so its every op takes the cycles it takes after one. The first inference has
    // no ops.
    for (MappedLayer& m : out.layers) m.first_op = m.end_op = 0;
    std::vector<int> programmed;
    for (std::size_t i = 0; i < out.layers.size(); ++i) {
      if (!out.layers[i].resident) continue;
      const std::vector<int> loads = builder.add_resident_weights(out.layers[i].plan, net.layers[i].name);
      programmed.insert(programmed.end(), loads.begin(), loads.end());
    }
    gate = std::move(programmed);
    out.starts_warm = true;
  }
  out.steady_first_op = static_cast<int>(out.program.ops.size());
  if (warm_differs) {
    out.two_inferences = true;
    inference(true);
  } else {
    steady_is_cold(out);
  }
  return out;
}

}  // namespace cimnet
