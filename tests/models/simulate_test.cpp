// simulate(): a forked child per simulation; failures of the child become error results.
#include <gtest/gtest.h>

#include <chrono>

#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;
using test::path_latency;

Program one_load() {
  Program p;
  p.load({1}, 32 * 1024);
  return p;
}

TEST(Simulate, ForkedRunReturnsTheResult) {
  const HardwareConfig hw = make_hw(Bw{});
  const SimResult r = simulate(one_load(), hw);
  ASSERT_EQ(r.status, SimStatus::Ok) << r.message;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + 32 * 1024 / 32);
  EXPECT_EQ(r.ops.size(), 1U);
  EXPECT_EQ(r.ops[0].bound, "ma[1].port");
  EXPECT_GT(r.peak_rss_kib, 0);
  // Several simulations from one process: each runs in its own child.
  const SimResult again = simulate(one_load(), hw);
  EXPECT_EQ(again.total_cycles, r.total_cycles);
}

// The child's result on the pipe (encode_result): read back whole, the op names and kinds taken from
// the program; cut short or padded, an error result rather than a crash or a wrong result.
TEST(Simulate, TheResultOnThePipeReadsBackWholeAndRefusesDamage) {
  Program p;
  const int load = p.load({1}, 1024, {}, true, "w load");
  p.compute({1}, 64, 8, {load}, "the compute");
  SimResult r;
  r.status = SimStatus::Ok;
  r.total_cycles = 99;
  r.warnings = {"(W1) a warning"};
  r.ops = {{0, "", "", 1, 2, 30, "dram", 20}, {1, "", "", 30, 31, 99, "ma[1].port", 68}};
  const std::string bytes = encode_result(r);
  const SimResult back = decode_result(bytes, p);
  ASSERT_TRUE(back.ok()) << back.message;
  EXPECT_EQ(back.total_cycles, 99);
  EXPECT_EQ(back.warnings, r.warnings);
  ASSERT_EQ(back.ops.size(), 2U);
  EXPECT_EQ(back.ops[1].name, "the compute");
  EXPECT_EQ(back.ops[1].kind, to_string(OpKind::Compute));
  EXPECT_EQ(back.ops[0].end, 30);
  EXPECT_EQ(back.ops[1].bound, "ma[1].port");
  EXPECT_EQ(back.ops[1].bound_cycles, 68);
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{20}, bytes.size() - 1}) {
    const SimResult damaged = decode_result(bytes.substr(0, cut), p);
    EXPECT_EQ(damaged.status, SimStatus::Error) << cut;
    EXPECT_NE(damaged.message.find("unreadable result"), std::string::npos) << damaged.message;
  }
  EXPECT_EQ(decode_result(bytes + "x", p).status, SimStatus::Error);
  Program other;
  other.load({1}, 1024);
  EXPECT_EQ(decode_result(bytes, other).status, SimStatus::Error);  // another program's result
}

TEST(Simulate, BadInputIsAnInputErrorResult) {
  const HardwareConfig hw = make_hw(Bw{});
  Program missing;
  missing.compute({8}, 10, 0);
  EXPECT_EQ(simulate(missing, hw).status, SimStatus::InputError);
  EXPECT_NE(simulate(missing, hw).message.find("array 8 does not exist"), std::string::npos);
  EXPECT_EQ(simulate(Program{}, hw).status, SimStatus::InputError);
  HardwareConfig zero = hw;
  zero.set(HwParam::DRAM_bw, 0);
  EXPECT_NE(simulate(one_load(), zero).message.find("DRAM_bw must be positive"), std::string::npos);
  Program cycle;
  cycle.compute({0}, 10, 0, {1});
  cycle.compute({0}, 10, 0, {0});
  EXPECT_NE(simulate(cycle, hw).message.find("dependency cycle"), std::string::npos);
  Program big;
  big.load({0}, hw.get(HwParam::MA_mem_size));
  big.load({0}, 1);
  EXPECT_NE(simulate(big, hw).message.find("capacity overflow"), std::string::npos);
}

TEST(Simulate, CrashingChildBecomesAnErrorResult) {
  SimOptions o;
  o.test_hook = SimOptions::Hook::Crash;
  const SimResult r = simulate(one_load(), make_hw(Bw{}), o);
  EXPECT_EQ(r.status, SimStatus::Crashed);
  EXPECT_NE(r.message.find("signal"), std::string::npos) << r.message;
}

TEST(Simulate, HangingChildIsKilledAtTheTimeout) {
  SimOptions o;
  o.test_hook = SimOptions::Hook::Hang;
  o.timeout_seconds = 0.5;
  const auto t0 = std::chrono::steady_clock::now();
  const SimResult r = simulate(one_load(), make_hw(Bw{}), o);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, SimStatus::Timeout);
  EXPECT_LT(waited, 5.0);
}

TEST(Simulate, ACancelledSimulationKillsItsChildAtOnce) {
  SimOptions o;
  o.test_hook = SimOptions::Hook::Hang;
  o.timeout_seconds = 120;
  const auto t0 = std::chrono::steady_clock::now();
  o.cancelled = [t0] { return std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(300); };
  const SimResult r = simulate(one_load(), make_hw(Bw{}), o);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, SimStatus::Error);
  EXPECT_EQ(r.message, "simulation cancelled");
  EXPECT_LT(waited, 5.0);  // not the two minutes of its timeout
}

TEST(Simulate, ThrowingChildBecomesAnErrorResult) {
  SimOptions o;
  o.test_hook = SimOptions::Hook::Throw;
  const SimResult r = simulate(one_load(), make_hw(Bw{}), o);
  EXPECT_EQ(r.status, SimStatus::Error);
  EXPECT_NE(r.message.find("test hook"), std::string::npos);
}

TEST(Simulate, BufferDeadlockIsReportedNotHung) {
  HardwareConfig hw = make_hw(Bw{});
  hw.fixed.input_buffer_bytes = 8192;
  Program p;
  const int a = p.stream({0}, 8192, {}, true, "a");  // fills the buffer until its consumer completes
  const int b = p.stream({0}, 4096, {}, true, "b");  // can never fit
  p.compute({0}, 100, 0, {a, b}, "needs both");
  const SimResult r = simulate(p, hw);
  EXPECT_EQ(r.status, SimStatus::Error);
  EXPECT_NE(r.message.find("deadlock"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace cimnet
