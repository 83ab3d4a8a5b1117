// The latency bound of the pipelined scheduler's least-memory objective (hardware/schedule_objective.hpp):
// a factor of at least 1 written "1.2x", or a positive number of cycles; anything else is refused
// naming where it came from.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hardware/schedule_objective.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

TEST(LatencyBound, AFactorOfTheFastestOrCycles) {
  const LatencyBound factor = parse_latency_bound("1.25x", "k");
  EXPECT_TRUE(factor.active());
  EXPECT_EQ(factor.applied(1000), 1250);
  EXPECT_EQ(factor.applied(999), 1248);  // rounded down: never above the factor
  EXPECT_EQ(to_string(factor), "1.25x");
  EXPECT_EQ(parse_latency_bound("1x", "k").applied(777), 777);
  const LatencyBound cycles = parse_latency_bound("4500", "k");
  EXPECT_EQ(cycles.applied(1000), 4500);
  EXPECT_EQ(to_string(cycles), "4500");
  EXPECT_FALSE(LatencyBound{}.active());
  EXPECT_EQ(to_string(LatencyBound{}), "none");
  const ScheduleObjective plain = CyclesOf::Steady;
  EXPECT_FALSE(plain.latency_bound.active());
}

TEST(LatencyBound, AnythingElseIsRefusedNamingWhere) {
  for (const char* bad : {"0.9x", "x", "1.2", "-5", "0", "12ms", "1e9", "nanx", "infx", ""}) {
    EXPECT_EQ(test::input_error([&] { parse_latency_bound(bad, "--latency-bound"); }),
              std::string("--latency-bound: latency bound '") + bad +
                  "' is neither a factor >= 1 of the fastest latency such as 1.1x nor a positive number of cycles "
                  "such as 450000")
        << bad;
  }
}

}  // namespace
}  // namespace cimnet
