// thin_to_window_maxima(): at most max_points steps, each window's maximum, the peak exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "common/random.hpp"
#include "program/occupancy_thinning.hpp"

namespace cimnet {
namespace {

using Steps = std::vector<OccupancyStep>;

// The steps from the first at or after `cycle` (steps in increasing cycle order).
Steps::const_iterator first_at_or_after(const Steps& steps, std::int64_t cycle) {
  return std::lower_bound(steps.begin(), steps.end(), cycle,
                          [](const OccupancyStep& s, std::int64_t c) { return s.cycle < c; });
}

std::int64_t value_at(const Steps& steps, std::int64_t cycle) {
  const auto after = first_at_or_after(steps, cycle + 1);
  return after == steps.begin() ? 0 : std::prev(after)->bytes;
}

TEST(OccupancyThinning, FewStepsStayExact) {
  const Steps steps = {{0, 0}, {3, 7}, {4, 1}};
  const ThinnedSteps t = thin_to_window_maxima(steps, 100, 3);
  EXPECT_EQ(t.steps, steps);
  EXPECT_EQ(t.window_cycles, 0);
}

TEST(OccupancyThinning, TwoWindowsKeepTheirMaxima) {
  // Cycles 0..9 in two windows of 5: [0, 5) peaks at 7; [5, 10) enters at 1 and rises to 2.
  const ThinnedSteps t = thin_to_window_maxima({{0, 0}, {3, 7}, {4, 1}, {9, 2}}, 9, 2);
  EXPECT_EQ(t.window_cycles, 5);
  EXPECT_EQ(t.steps, (Steps{{0, 7}, {5, 2}}));
}

TEST(OccupancyThinning, AWindowWithoutAChangeHoldsWhatThePreviousOneEndedWith) {
  // Windows of 10 cycles: [0, 10) peaks at 9 and ends at 3; [10, 20) and [20, 30) hold 3; [30, 40)
  // enters at 3 and reaches 5.
  const ThinnedSteps t = thin_to_window_maxima({{0, 0}, {1, 9}, {2, 3}, {30, 4}, {31, 0}, {32, 5}}, 39, 4);
  EXPECT_EQ(t.window_cycles, 10);
  EXPECT_EQ(t.steps, (Steps{{0, 9}, {10, 3}, {30, 5}}));
}

TEST(OccupancyThinning, EqualNeighboursMerge) {
  const ThinnedSteps t = thin_to_window_maxima({{0, 4}, {2, 1}, {5, 4}, {7, 0}, {10, 4}, {11, 2}}, 14, 3);
  EXPECT_EQ(t.window_cycles, 5);
  EXPECT_EQ(t.steps, (Steps{{0, 4}}));
}

TEST(OccupancyThinning, LongRandomRunsKeepThePeakAndTheWindowMaxima) {
  Rng rng(2000);
  for (int trial = 0; trial < 40; ++trial) {
    // A run of up to 20 000 cycles changing at random cycles.
    Steps steps = {{0, 0}};
    std::int64_t cycle = 0;
    const std::int64_t length = 5000 + static_cast<std::int64_t>(rng.uniform_int(15000));
    while (true) {
      cycle += 1 + static_cast<std::int64_t>(rng.uniform_int(6));
      if (cycle > length) break;
      const auto bytes = static_cast<std::int64_t>(rng.uniform_int(1000000));
      if (bytes != steps.back().bytes) steps.push_back({cycle, bytes});
    }
    const std::int64_t end = length + static_cast<std::int64_t>(rng.uniform_int(50));
    const std::size_t max_points = 100 + rng.uniform_int(steps.size() - 200);
    ASSERT_GT(steps.size(), max_points);
    const ThinnedSteps t = thin_to_window_maxima(steps, end, max_points);
    EXPECT_LE(t.steps.size(), max_points) << "trial " << trial;
    EXPECT_EQ(t.window_cycles, (end + 1 + static_cast<std::int64_t>(max_points) - 1) / static_cast<std::int64_t>(max_points));
    auto peak = [](const Steps& s) {
      return std::max_element(s.begin(), s.end(), [](auto& a, auto& b) { return a.bytes < b.bytes; })->bytes;
    };
    EXPECT_EQ(peak(t.steps), peak(steps)) << "trial " << trial;
    ASSERT_EQ(t.steps.front().cycle, 0);
    for (std::size_t k = 0; k < t.steps.size(); ++k) {
      EXPECT_EQ(t.steps[k].cycle % t.window_cycles, 0) << "a step at a window's first cycle";
      if (k) {
        EXPECT_NE(t.steps[k].bytes, t.steps[k - 1].bytes);
      }
    }
    // Every window holds exactly the most the exact function held in it.
    for (std::int64_t w = 0; w * t.window_cycles <= end; ++w) {
      const std::int64_t first = w * t.window_cycles, last = std::min(end, first + t.window_cycles - 1);
      std::int64_t most = value_at(steps, first);
      for (auto it = first_at_or_after(steps, first); it != steps.end() && it->cycle <= last; ++it) {
        most = std::max(most, it->bytes);
      }
      ASSERT_EQ(value_at(t.steps, first), most) << "trial " << trial << " window " << w;
      ASSERT_EQ(value_at(t.steps, last), most) << "trial " << trial << " window " << w;
    }
  }
}

}  // namespace
}  // namespace cimnet
