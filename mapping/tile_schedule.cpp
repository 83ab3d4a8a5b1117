#include "mapping/tile_schedule.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cimnet {

std::int64_t TileSchedule::period() const { return busy.empty() ? 0 : *std::max_element(busy.begin(), busy.end()); }

TileSchedule schedule_tiles(const std::vector<TileNode>& nodes, int resources) {
  TileSchedule s;
  s.start.assign(nodes.size(), 0);
  s.finish.assign(nodes.size(), 0);
  s.busy.assign(static_cast<std::size_t>(std::max(resources, 0)), 0);
  std::vector<std::int64_t> free_at(s.busy.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const TileNode& node = nodes[i];
    if (node.resource < 0 || node.resource >= resources) {
      throw std::logic_error("schedule_tiles: node " + std::to_string(i) + " names resource " +
                             std::to_string(node.resource) + " of " + std::to_string(resources));
    }
    const std::size_t r = static_cast<std::size_t>(node.resource);
    std::int64_t ready = free_at[r];
    for (int d : node.deps) {
      if (d < 0 || static_cast<std::size_t>(d) >= i) {
        throw std::logic_error("schedule_tiles: node " + std::to_string(i) + " depends on node " + std::to_string(d) +
                               ", which is not listed before it");
      }
      ready = std::max(ready, s.finish[static_cast<std::size_t>(d)]);
    }
    s.start[i] = ready;
    s.finish[i] = ready + node.duration;
    free_at[r] = s.finish[i];
    s.busy[r] += node.duration;
    s.makespan = std::max(s.makespan, s.finish[i]);
  }
  return s;
}

}  // namespace cimnet
