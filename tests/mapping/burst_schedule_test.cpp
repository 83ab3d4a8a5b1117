// The burst-by-burst schedule engine (mapping/burst_schedule.hpp) in closed forms: a flow over two
// hops, a command, the tie rule, stages in sequence, dependencies. What it schedules (vector layers,
// digital cores) is held to the SystemC cycles by CostModel.AVectorLayerIsItsScheduleAtEveryCorner and
// DigitalProgram.SimulatedCyclesAreTheEstimateOnEveryLayer.
#include <gtest/gtest.h>

#include <stdexcept>

#include "mapping/burst_schedule.hpp"

namespace cimnet {
namespace {

using Kind = BurstStage::Kind;

// 10 000 bytes in bursts of 4 096 over a slow hop (16 B/cycle, latency 100) then a fast one (64, 2):
// the slow hop serves the bursts back to back (256 + 256 + 113 cycles), the fast one keeps up, and the
// last burst's tail crosses both latencies.
TEST(BurstSchedule, AFlowIsItsSlowestHopPlusEveryLatency) {
  BurstSchedule s(4096);
  const auto slow = s.add_hop(16, 100), fast = s.add_hop(64, 2);
  s.add_op({{Kind::Flow, {slow, fast}, 10000, false, 0}}, {}, 10000);
  EXPECT_EQ(s.run(), 256 + 256 + 113 + 100 + 2);
}

// A command of 10 units at 4 per cycle takes 3 cycles of its hop, and ends `after` cycles later.
TEST(BurstSchedule, ACommandTakesItsServiceAndItsDrain) {
  BurstSchedule s(4096);
  const auto unit = s.add_hop(4, 0);
  const int a = s.add_op({{Kind::Command, {unit}, 10, false, 5}}, {}, 10);
  const int b = s.add_op({{Kind::Command, {unit}, 4, false, 0}}, {a}, 4);
  EXPECT_EQ(s.run(), 3 + 5 + 1);
  EXPECT_EQ(s.end_of(a), 8);
  EXPECT_EQ(s.end_of(b), 9);
}

// Two flows reaching one hop in the same cycle: the up flow goes first, whatever the program order.
TEST(BurstSchedule, AtATieAnUpFlowGoesFirst) {
  BurstSchedule s(4096);
  const auto link = s.add_hop(8, 1);
  const int down = s.add_op({{Kind::Flow, {link}, 80, false, 0}}, {}, 80);
  const int up = s.add_op({{Kind::Flow, {link}, 80, true, 0}}, {}, 80);
  s.run();
  EXPECT_EQ(s.end_of(up), 10 + 1);
  EXPECT_EQ(s.end_of(down), 20 + 1);
}

// An op's stages run one after another (a vector op: read, work, write), a Free as soon as it is
// ready, and an op after its dependencies.
TEST(BurstSchedule, StagesRunInSequenceAfterTheDependencies) {
  BurstSchedule s(4096);
  const auto port = s.add_hop(32, 2), unit = s.add_hop(64, 0);
  const int first = s.add_op({{Kind::Flow, {port}, 64, false, 0}}, {}, 64);  // 2 cycles + 2
  const int free = s.add_free({first});
  const int op = s.add_op({{Kind::Flow, {port}, 320, false, 0},   // 10 + 2
                           {Kind::Command, {unit}, 640, false, 0},  // 10
                           {Kind::Flow, {port}, 96, false, 0}},     // 3 + 2
                          {free}, 320);
  EXPECT_EQ(s.run(), 4 + 12 + 10 + 5);
  EXPECT_EQ(s.end_of(free), 4);
  EXPECT_EQ(s.end_of(op), 31);
  EXPECT_THROW(s.add_op({}, {99}, 0), std::logic_error);  // only earlier ops
}

}  // namespace
}  // namespace cimnet
