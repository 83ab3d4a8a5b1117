#include "mapping/network_mapper.hpp"

#include <algorithm>

#include "mapping/mapper.hpp"
#include "mapping/program_builder.hpp"

namespace cimnet {

namespace {

NetworkMapping run(const Network& net, const HardwareConfig& hw, bool build, MapperCache* shared) {
  hw.validate("hardware");
  // Repeated layer shapes (blocks of the same width, attention heads) are searched once.
  MapperCache local;
  MapperCache& cache = shared ? *shared : local;
  NetworkMapping out;
  ProgramBuilder builder(hw, out.program);
  std::vector<int> gate;
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
    if (build) {
      const LayerOps ops = m.mac ? builder.add_mac_layer(m.plan, l.name, gate) : builder.add_vector_layer(l, gate);
      m.first_op = ops.first;
      m.end_op = ops.end;
      gate = ops.done;
    }
    out.analytical_cycles += m.cost.cycles;
    out.layers.push_back(std::move(m));
  }
  return out;
}

}  // namespace

NetworkMapping map_network(const Network& network, const HardwareConfig& hw, MapperCache* cache) {
  return run(network, hw, true, cache);
}
NetworkMapping estimate_network(const Network& network, const HardwareConfig& hw, MapperCache* cache) {
  return run(network, hw, false, cache);
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
