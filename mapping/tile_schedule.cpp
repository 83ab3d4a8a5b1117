#include "mapping/tile_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cimnet {

std::int64_t TileSchedule::period() const { return busy.empty() ? 0 : *std::max_element(busy.begin(), busy.end()); }

TileSchedule schedule_tiles(const std::vector<TileNode>& nodes, int resources) {
  const std::size_t n = nodes.size();
  TileSchedule s;
  s.start.assign(n, 0);
  s.finish.assign(n, 0);
  s.busy.assign(static_cast<std::size_t>(std::max(resources, 0)), 0);
  // Each resource's nodes in listed order; the order is checked first.
  std::vector<std::vector<std::size_t>> queue(s.busy.size());
  for (std::size_t i = 0; i < n; ++i) {
    const TileNode& node = nodes[i];
    if (node.resource < 0 || node.resource >= resources) {
      throw std::logic_error("schedule_tiles: node " + std::to_string(i) + " names resource " +
                             std::to_string(node.resource) + " of " + std::to_string(resources));
    }
    for (int d : node.deps) {
      if (d < 0 || static_cast<std::size_t>(d) >= i) {
        throw std::logic_error("schedule_tiles: node " + std::to_string(i) + " depends on node " + std::to_string(d) +
                               ", which is not listed before it");
      }
    }
    queue[static_cast<std::size_t>(node.resource)].push_back(i);
    s.busy[static_cast<std::size_t>(node.resource)] += node.duration;
  }
  // Event by event: start what can start, run the running nodes at their shared pace until the first
  // finishes.
  std::vector<std::size_t> next(queue.size(), 0);
  std::vector<bool> busy_now(queue.size(), false), finished(n, false);
  std::vector<double> left(n, 0), finish_at(n, 0);  // a running node's alone-cycles still to do
  std::vector<std::size_t> running, still;
  std::vector<double> slow;  // per running node: how much slower than alone it runs now
  std::size_t done = 0;
  double now = 0;
  constexpr double kEps = 1e-9;
  while (done < n) {
    for (bool started = true; started;) {
      started = false;
      for (std::size_t r = 0; r < queue.size(); ++r) {
        if (busy_now[r] || next[r] == queue[r].size()) continue;
        const std::size_t i = queue[r][next[r]];
        const bool ready = std::all_of(nodes[i].deps.begin(), nodes[i].deps.end(),
                                       [&](int d) { return finished[static_cast<std::size_t>(d)]; });
        if (!ready) continue;
        ++next[r];
        s.start[i] = static_cast<std::int64_t>(std::ceil(now - kEps));
        if (nodes[i].duration <= 0) {  // takes no time: done at once
          finished[i] = true;
          finish_at[i] = now;
          ++done;
        } else {
          busy_now[r] = true;
          left[i] = static_cast<double>(nodes[i].duration);
          running.push_back(i);
        }
        started = true;
      }
    }
    if (running.empty()) {
      if (done < n) throw std::logic_error("schedule_tiles: nodes wait on each other");
      break;
    }
    std::array<double, kSharedResources> load{};
    for (std::size_t i : running) {
      for (std::size_t r = 0; r < kSharedResources; ++r) {
        load[r] += nodes[i].shared[r] / static_cast<double>(nodes[i].duration);
      }
    }
    slow.assign(running.size(), 1.0);
    double step = std::numeric_limits<double>::max();
    for (std::size_t k = 0; k < running.size(); ++k) {
      const TileNode& node = nodes[running[k]];
      for (std::size_t r = 0; r < kSharedResources; ++r) {
        if (node.shared[r] > 0) slow[k] = std::max(slow[k], load[r]);
      }
      step = std::min(step, left[running[k]] * slow[k]);
    }
    now += step;
    still.clear();
    for (std::size_t k = 0; k < running.size(); ++k) {
      const std::size_t i = running[k];
      left[i] -= step / slow[k];
      if (left[i] > kEps * static_cast<double>(nodes[i].duration)) {
        still.push_back(i);
        continue;
      }
      finished[i] = true;
      finish_at[i] = now;
      busy_now[static_cast<std::size_t>(nodes[i].resource)] = false;
      ++done;
    }
    running.swap(still);
  }
  for (std::size_t i = 0; i < n; ++i) {
    s.finish[i] = std::max(s.start[i], static_cast<std::int64_t>(std::ceil(finish_at[i] - kEps)));
    s.makespan = std::max(s.makespan, s.finish[i]);
  }
  return s;
}

}  // namespace cimnet
