#include "mapping/pipelined_network.hpp"

#include "mapping/program_builder.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stack_scheduler.hpp"

namespace cimnet {

NetworkMapping finish_pipelined(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                                MapperCache& cache) {
  std::vector<std::int64_t> single;
  single.reserve(out.layers.size());
  for (const MappedLayer& m : out.layers) single.push_back(m.cost.cycles);
  const PipelineChoice choice = schedule_stacks(net, hw, cache, single);
  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
  std::int64_t cycles = 0, dram = 0;
  for (const Segment& seg : choice.segments) {
    if (!seg.stack) {
      MappedLayer& m = out.layers[static_cast<std::size_t>(seg.first)];
      const Layer& l = net.layers[static_cast<std::size_t>(seg.first)];
      if (build) {
        const LayerOps ops = m.mac ? builder.add_mac_layer(m.plan, l.name, gate) : builder.add_vector_layer(l, gate);
        m.first_op = ops.first;
        m.end_op = ops.end;
        gate = ops.done;
      }
      cycles += m.cost.cycles;
      dram += m.cost.dram_bytes;
      continue;
    }
    const StackTiling tiling = tile_stack(net, seg.first, seg.last, seg.tiles);
    const int first_op = static_cast<int>(out.program.ops.size());
    const StackRun run = run_stack(net, tiling, seg.layout, hw, false, build ? &out.program : nullptr, gate);
    const int end_op = static_cast<int>(out.program.ops.size());
    if (build) gate = run.done;
    for (int i = seg.first; i <= seg.last; ++i) {
      const std::size_t k = static_cast<std::size_t>(i - seg.first);
      MappedLayer& m = out.layers[static_cast<std::size_t>(i)];
      m.stack_first = seg.first;
      m.stack_last = seg.last;
      m.stack_tiles = seg.tiles;
      m.first_decoder = seg.layout.first_decoder[k];
      m.decoders = seg.layout.decoders[k];
      m.input_on_chip = i > seg.first;
      m.output_on_chip = i < seg.last;
      if (m.mac) m.plan = seg.layout.plans[k];
      if (build) {
        for (std::size_t t = 0; t < run.first_op[k].size(); ++t) {
          if (run.end_op[k][t] > run.first_op[k][t]) m.band_ops.emplace_back(run.first_op[k][t], run.end_op[k][t]);
        }
      }
      m.cost = Cost{};
      m.cost.bound = "stacked";
      m.first_op = m.end_op = end_op;
      if (i == seg.last) {
        m.cost.cycles = run.cycles;
        m.cost.bound = "pipelined";
        m.cost.dram_bytes = run.dram_bytes;
        m.first_op = first_op;
      }
    }
    cycles += run.cycles;
    dram += run.dram_bytes;
  }
  for (MappedLayer& m : out.layers) {
    m.steady_cost = m.cost;
    m.steady_first_op = m.first_op;
    m.steady_end_op = m.end_op;
  }
  out.analytical_cycles = out.analytical_steady_cycles = cycles;
  out.analytical_dram_bytes = out.analytical_steady_dram_bytes = dram;
  out.steady_first_op = static_cast<int>(out.program.ops.size());
  return out;
}

}  // namespace cimnet
