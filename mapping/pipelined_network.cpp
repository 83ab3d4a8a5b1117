#include "mapping/pipelined_network.hpp"

#include "mapping/program_builder.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stack_residency.hpp"
#include "mapping/stack_scheduler.hpp"

namespace cimnet {

namespace {

// A stack's MAC layers' plans, placed on their decoders (what its weights occupy).
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

}  // namespace

NetworkMapping finish_pipelined(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                                MapperCache& cache) {
  std::vector<std::int64_t> single;
  single.reserve(out.layers.size());
  for (const MappedLayer& m : out.layers) single.push_back(m.cost.cycles);
  const PipelineChoice choice = schedule_stacks(net, hw, cache, single);

  // Which stacks keep their weights: each stack's cold and warm estimates.
  std::vector<StackTiling> tilings(choice.segments.size());
  std::vector<SegmentWeights> weights(choice.segments.size());
  for (std::size_t s = 0; s < choice.segments.size(); ++s) {
    const Segment& seg = choice.segments[s];
    SegmentWeights& w = weights[s];
    w.stack = seg.stack;
    if (!seg.stack) {
      const MappedLayer& m = out.layers[static_cast<std::size_t>(seg.first)];
      if (m.mac) w.plans.push_back(m.plan);
      continue;
    }
    tilings[s] = tile_stack(net, seg.first, seg.last, seg.tiles);
    w.plans = placed_plans(net, seg);
    const StackRun warm = run_stack(net, tilings[s], seg.layout, hw, StackWeights::Resident);
    w.saving = seg.cycles - warm.cycles;
  }
  const StackResidency residency = choose_stack_residency(hw, weights);
  out.resident_bytes = residency.resident_bytes;
  out.fullest_array_resident_bytes = residency.fullest_array;
  const bool any_stays = residency.resident_bytes > 0;

  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
  auto inference = [&](bool warm) {
    std::int64_t cycles = 0, dram = 0;
    for (std::size_t s = 0; s < choice.segments.size(); ++s) {
      const Segment& seg = choice.segments[s];
      if (!seg.stack) {
        MappedLayer& m = out.layers[static_cast<std::size_t>(seg.first)];
        const Layer& l = net.layers[static_cast<std::size_t>(seg.first)];
        int& first_op = warm ? m.steady_first_op : m.first_op;
        int& end_op = warm ? m.steady_end_op : m.end_op;
        if (build) {
          const LayerOps ops = m.mac ? builder.add_mac_layer(m.plan, l.name, gate) : builder.add_vector_layer(l, gate);
          first_op = ops.first;
          end_op = ops.end;
          gate = ops.done;
        }
        if (warm) m.steady_cost = m.cost;
        cycles += m.cost.cycles;
        dram += m.cost.dram_bytes;
        continue;
      }
      const bool stays = residency.stays[s] != 0;
      const StackWeights mode = !stays ? StackWeights::Load : warm ? StackWeights::Resident : StackWeights::Keep;
      const int first_op = static_cast<int>(out.program.ops.size());
      const StackRun run = run_stack(net, tilings[s], seg.layout, hw, mode, build ? &out.program : nullptr, gate);
      const int end_op = static_cast<int>(out.program.ops.size());
      if (build) gate = run.done;
      for (int i = seg.first; i <= seg.last; ++i) {
        const std::size_t k = static_cast<std::size_t>(i - seg.first);
        MappedLayer& m = out.layers[static_cast<std::size_t>(i)];
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
    (warm ? out.analytical_steady_cycles : out.analytical_cycles) = cycles;
    (warm ? out.analytical_steady_dram_bytes : out.analytical_dram_bytes) = dram;
  };
  inference(false);
  out.steady_first_op = static_cast<int>(out.program.ops.size());
  if (any_stays) {
    out.two_inferences = true;
    inference(true);
  } else {
    steady_is_cold(out);
  }
  return out;
}

}  // namespace cimnet
