#pragma once
// A long run's occupancy step function (memory_occupancy.hpp) can change at hundreds of thousands of
// cycles; a report or a figure needs a few thousand points at most. Thinning keeps, for each of at most
// `max_points` windows of equal width, the window's maximum: the thinned function is at every cycle at
// least the exact one (an upper envelope), equals the most the level held in each window, and keeps
// the peak exactly — what an architect reads off an occupancy figure is how close to capacity it came.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "program/memory_occupancy.hpp"

namespace cimnet {

struct ThinnedSteps {
  std::vector<OccupancyStep> steps;   // change points, the first at cycle 0
  std::int64_t window_cycles = 0;     // 0: not thinned (the exact steps); else the width of every window
};

// The steps unchanged when there are at most `max_points` of them; otherwise windows of
// ceil((end_cycle + 1) / max_points) cycles starting at cycle 0, each step at a window's first cycle
// holding the window's maximum (equal neighbours merged), so at most `max_points` steps.
// Preconditions: `steps` as OccupancyTimeline's (increasing cycles, the first at 0), the last at or
// before `end_cycle`; max_points ≥ 1.
ThinnedSteps thin_to_window_maxima(const std::vector<OccupancyStep>& steps, std::int64_t end_cycle,
                                   std::size_t max_points);

}  // namespace cimnet
