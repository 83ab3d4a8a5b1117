#include "program/occupancy_thinning.hpp"

#include <algorithm>

namespace cimnet {

ThinnedSteps thin_to_window_maxima(const std::vector<OccupancyStep>& steps, std::int64_t end_cycle,
                                   std::size_t max_points) {
  ThinnedSteps out;
  if (steps.size() <= max_points) {
    out.steps = steps;
    return out;
  }
  // More change points than max_points means more than max_points distinct cycles in [0, end_cycle],
  // so every window spans at least two cycles.
  const auto windows = static_cast<std::int64_t>(max_points);
  const std::int64_t width = (end_cycle + 1 + windows - 1) / windows;
  out.window_cycles = width;
  auto emit = [&](std::int64_t cycle, std::int64_t bytes) {
    if (out.steps.empty() || out.steps.back().bytes != bytes) out.steps.push_back({cycle, bytes});
  };
  std::int64_t carried = 0;  // the value entering the next window: the last step's before it
  for (std::size_t i = 0; i < steps.size();) {
    const std::int64_t window = steps[i].cycle / width;
    const std::int64_t first = window * width;
    // The window's maximum: what it starts with (a step at its first cycle replaces that) and every
    // step inside it.
    std::int64_t most = steps[i].cycle == first ? steps[i].bytes : carried;
    for (; i < steps.size() && steps[i].cycle / width == window; ++i) {
      most = std::max(most, steps[i].bytes);
      carried = steps[i].bytes;
    }
    emit(first, most);
    // A following window without a step of its own holds, all through, the value this one ended with
    // (one step at its first cycle; the windows after it up to the next step hold the same).
    const std::int64_t next = first + width;
    if (next <= end_cycle && (i == steps.size() || steps[i].cycle >= next + width)) emit(next, carried);
  }
  return out;
}

}  // namespace cimnet
