// The `pipelined` scheduler's least-memory objective (mapping/least_memory_schedule.hpp): against brute
// force over every segmentation of random option sets, the bound's refusal, and on a real network
// the global buffer the SystemC run holds never exceeding the claim the schedule was chosen by.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>

#include "common/error.hpp"
#include "mapping/least_memory_schedule.hpp"
#include "mapping/network_mapper.hpp"
#include "tests/mapping/sim_support.hpp"
#include "tests/support/small_networks.hpp"

namespace cimnet {
namespace {

Segment segment(int first, int last, std::int64_t cycles, std::int64_t gb, bool stack) {
  Segment s;
  s.first = first;
  s.last = last;
  s.stack = stack;
  s.cycles = cycles;
  s.gb_bytes = gb;
  return s;
}

// Every segmentation of layers [from, n): calls visit(cycles, claim) for each.
template <typename Visit>
void every_segmentation(const std::vector<Segment>& singles, const StackOptions& options, int from,
                        std::int64_t cycles, std::int64_t claim, Visit&& visit) {
  const int n = static_cast<int>(singles.size());
  if (from == n) {
    visit(cycles, claim);
    return;
  }
  const Segment& alone = singles[static_cast<std::size_t>(from)];
  every_segmentation(singles, options, from + 1, cycles + alone.cycles, std::max(claim, alone.gb_bytes), visit);
  for (std::size_t j = static_cast<std::size_t>(from) + 1; j < options.size(); ++j) {
    for (const Segment& s : options[j]) {
      if (s.first != from) continue;
      every_segmentation(singles, options, s.last + 1, cycles + s.cycles, std::max(claim, s.gb_bytes), visit);
    }
  }
}

TEST(LeastMemorySchedule, FindsTheLeastClaimWithinTheBoundAsBruteForceDoes) {
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<std::int64_t> cycles(100, 1000), gb(1, 50);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 7);
    std::vector<Segment> singles;
    for (int i = 0; i < n; ++i) singles.push_back(segment(i, i, cycles(rng), gb(rng), false));
    StackOptions options(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        for (std::uint64_t k = rng() % 3; k > 0; --k) {
          options[static_cast<std::size_t>(j) + 1].push_back(segment(i, j, cycles(rng), gb(rng), true));
        }
      }
    }
    std::int64_t fastest = std::numeric_limits<std::int64_t>::max();
    every_segmentation(singles, options, 0, 0, 0, [&](std::int64_t c, std::int64_t) { fastest = std::min(fastest, c); });
    EXPECT_EQ(fastest_within_claim(singles, options, std::numeric_limits<std::int64_t>::max()).cycles, fastest);
    const std::int64_t bound = fastest + static_cast<std::int64_t>(rng() % 600);
    std::int64_t least = std::numeric_limits<std::int64_t>::max();
    every_segmentation(singles, options, 0, 0, 0, [&](std::int64_t c, std::int64_t claim) {
      if (c <= bound) least = std::min(least, claim);
    });
    const PipelineChoice chosen = least_memory_schedule(singles, options, bound);
    EXPECT_EQ(claimed_gb_bytes(chosen), least) << "trial " << trial;
    EXPECT_LE(chosen.cycles, bound);
    // The fastest of those claiming that least.
    std::int64_t fastest_at_least = std::numeric_limits<std::int64_t>::max();
    every_segmentation(singles, options, 0, 0, 0, [&](std::int64_t c, std::int64_t claim) {
      if (claim <= least) fastest_at_least = std::min(fastest_at_least, c);
    });
    EXPECT_EQ(chosen.cycles, fastest_at_least);
    std::int64_t sum = 0;
    int next = 0;
    for (const Segment& s : chosen.segments) {
      EXPECT_EQ(s.first, next);
      next = s.last + 1;
      sum += s.cycles;
    }
    EXPECT_EQ(next, n);
    EXPECT_EQ(sum, chosen.cycles);
  }
}

TEST(LeastMemorySchedule, ABoundBelowTheFastestIsRefusedWithBothFigures) {
  const std::vector<Segment> singles = {segment(0, 0, 300, 10, false), segment(1, 1, 200, 20, false)};
  StackOptions options(3);
  options[2].push_back(segment(0, 1, 400, 30, true));
  EXPECT_EQ(claimed_gb_bytes(least_memory_schedule(singles, options, 500)), 20);  // the two alone: 500
  EXPECT_EQ(claimed_gb_bytes(least_memory_schedule(singles, options, 499)), 30);  // only the stack
  try {
    least_memory_schedule(singles, options, 399);
    FAIL() << "a bound below the fastest was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("399"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("400"), std::string::npos) << e.what();
  }
}

TEST(LeastMemorySchedule, OnlyPipelinedTakesALatencyBound) {
  const Network net = test::inverted_residual_blocks(1);
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const ScheduleObjective bounded(CyclesOf::Cold, parse_latency_bound("1.2x", "--latency-bound"));
  EXPECT_THROW(estimate_network(net, hw, nullptr, Execution::Fused, bounded), InputError);
  EXPECT_THROW(estimate_network(net, hw, nullptr, Execution::LayerByLayer, bounded), InputError);
}

// Four inverted-residual blocks: a loose bound never claims more than the latency schedule, the claim
// bounds what the SystemC run holds in the global buffer, and the latency stays within the bound.
TEST(LeastMemorySchedule, TheSimulatedGlobalBufferStaysWithinTheClaim) {
  const Network net = test::inverted_residual_blocks(4);
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const test::Simulated fast = test::simulate_network(net, hw, Execution::Pipelined, CyclesOf::Cold);
  const ScheduleObjective loose(CyclesOf::Cold, parse_latency_bound("2x", "test"));
  const test::Simulated lean = test::simulate_network(net, hw, Execution::Pipelined, loose);
  ASSERT_TRUE(fast.result.ok() && lean.result.ok());
  EXPECT_LE(lean.mapping.analytical_gb_bytes, fast.mapping.analytical_gb_bytes);
  EXPECT_EQ(lean.mapping.latency_bound_cycles, 2 * fast.mapping.analytical_cycles);
  EXPECT_LE(lean.mapping.analytical_cycles, lean.mapping.latency_bound_cycles);
  for (const test::Simulated* s : {&fast, &lean}) {
    for (const MemoryStats& m : s->result.memories) {
      if (m.name == "gb") {
        EXPECT_LE(m.peak_bytes, s->mapping.analytical_gb_bytes);
      }
    }
  }
  std::printf("four blocks: latency schedule claims %lld B of the global buffer in %lld cycles (simulated %lld); "
              "within 2x: %lld B in %lld (simulated %lld)\n",
              static_cast<long long>(fast.mapping.analytical_gb_bytes), static_cast<long long>(fast.mapping.analytical_cycles),
              static_cast<long long>(fast.mapping.sim_cold_cycles), static_cast<long long>(lean.mapping.analytical_gb_bytes),
              static_cast<long long>(lean.mapping.analytical_cycles), static_cast<long long>(lean.mapping.sim_cold_cycles));
}

}  // namespace
}  // namespace cimnet
