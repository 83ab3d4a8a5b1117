#include "mapping/network_mapper.hpp"

#include <algorithm>

#include "mapping/mapper.hpp"
#include "mapping/placement.hpp"
#include "mapping/program_builder.hpp"

namespace cimnet {

namespace {

bool layer_by_layer(const LayerIo& io) { return !io.input_in_gb && !io.output_to_gb; }
bool layer_by_layer(const VectorIo& io) { return io.fetch_bytes < 0 && io.store; }

NetworkMapping run(const Network& net, const HardwareConfig& hw, bool build, MapperCache* shared,
                   Execution execution) {
  hw.validate("hardware");
  // Repeated layer shapes (blocks of the same width, attention heads) are searched once.
  MapperCache local;
  MapperCache& cache = shared ? *shared : local;
  NetworkMapping out;
  out.execution = execution;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    MappedLayer m;
    m.index = static_cast<int>(i);
    m.mac = l.is_mac_layer();
    if (m.mac) {
      LayerMapping lm = cache.map(l, hw, 1);
      m.plan = lm.best.front().plan;
      m.cost = lm.best.front().cost;
      m.enumerated = lm.enumerated;
      m.evaluated = lm.evaluated;
    } else {
      m.cost = estimate_vector_layer(l, hw);
    }
    out.layers.push_back(std::move(m));
  }
  std::vector<Plan> plans;
  plans.reserve(out.layers.size());
  for (const auto& m : out.layers) plans.push_back(m.plan);
  const std::vector<LayerPlacement> place = place_network(net, hw, plans, execution);
  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
  std::vector<std::vector<int>> kept_ops(net.layers.size());  // per step head: the ops holding its kept output
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    MappedLayer& m = out.layers[i];
    const LayerPlacement& at = place[i];
    m.fused_into = at.fused_into;
    if (at.fused_into >= 0) {
      // Its work is in its step's estimate and ops.
      m.cost = Cost{};
      m.cost.bound = "fused";
      m.first_op = m.end_op = static_cast<int>(out.program.ops.size());
      m.input_on_chip = true;
      const bool chain_goes_on = i + 1 < net.layers.size() && place[i + 1].fused_into == at.fused_into;
      m.output_on_chip = chain_goes_on || place[static_cast<std::size_t>(at.fused_into)].kept;
      continue;
    }
    // The estimate for where the step's data lives (the mapper's own when that is layer-by-layer).
    if (m.mac && !layer_by_layer(at.io)) m.cost = estimate(m.plan, hw, l.macs(), nullptr, nullptr, at.io);
    if (!m.mac && !layer_by_layer(at.vector_io)) m.cost = estimate_vector_layer(l, hw, at.vector_io);
    m.input_on_chip = m.mac ? at.io.input_in_gb : at.vector_io.fetch_bytes >= 0;
    m.output_on_chip = m.mac ? at.io.output_to_gb : !at.vector_io.store;
    if (build) {
      const LayerOps ops =
          m.mac ? builder.add_mac_layer(m.plan, l.name, gate, at.io) : builder.add_vector_layer(l, gate, at.vector_io);
      m.first_op = ops.first;
      gate = ops.done;
      kept_ops[i] = ops.kept;
      // The kept outputs this step read last leave the global buffer (Frees, one after another; the
      // next step waits for the last).
      for (int producer : at.free_after) {
        for (int op : kept_ops[static_cast<std::size_t>(producer)]) {
          gate = {out.program.free(op, gate, l.name + " frees " + net.layers[static_cast<std::size_t>(producer)].name)};
        }
      }
      m.end_op = static_cast<int>(out.program.ops.size());
    }
    out.analytical_cycles += m.cost.cycles;
    out.analytical_dram_bytes += m.cost.dram_bytes;
  }
  return out;
}

}  // namespace

NetworkMapping map_network(const Network& network, const HardwareConfig& hw, MapperCache* cache,
                           Execution execution) {
  return run(network, hw, true, cache, execution);
}
NetworkMapping estimate_network(const Network& network, const HardwareConfig& hw, MapperCache* cache,
                                Execution execution) {
  return run(network, hw, false, cache, execution);
}

void attribute(NetworkMapping& mapping, const std::vector<std::int64_t>& op_start,
               const std::vector<std::int64_t>& op_end) {
  std::int64_t prev_end = 0;
  for (auto& l : mapping.layers) {
    std::int64_t s = -1, e = 0;
    for (int id = l.first_op; id < l.end_op && id < static_cast<int>(op_end.size()); ++id) {
      const auto k = static_cast<std::size_t>(id);
      s = s < 0 ? op_start[k] : std::min(s, op_start[k]);
      e = std::max(e, op_end[k]);
    }
    l.sim_start = s;
    l.sim_end = e;
    l.sim_cycles = std::max<std::int64_t>(0, e - prev_end);
    prev_end = std::max(prev_end, e);
  }
}

}  // namespace cimnet
