// The digital PE-array core in the timed model (models/digital_core_unit.hpp): closed forms of a tile
// loaded into its buffers, of its grid's work, of a result stored out, of a load-compute-store chain;
// its counters against the program's action counts; and a design whose digital core stays idle timing
// a CiM program exactly as the design without it. One design per test process.
#include <gtest/gtest.h>

#include "models/simulate.hpp"
#include "program/action_counts.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;

// The reference-like test design (DRAM 64 B/cycle, L2 256) with one 16 × 16 digital core whose link
// (16 B/cycle) is the narrowest on its path.
HardwareConfig with_core() {
  HardwareConfig hw = make_hw(Bw{});
  DigitalCore core;
  core.name = "pe";
  core.port_bytes_per_cycle = 16;
  core.link_latency = 2;
  core.pipeline_cycles = 5;
  hw.digital_cores.push_back(core);
  return hw;
}

// DRAM → L2 decoder → the core's link: the latencies on the way.
std::int64_t down_latency(const HardwareConfig& hw) {
  return hw.fixed.dram_latency + hw.fixed.l2_latency + hw.digital_cores[0].link_latency;
}

TEST(DigitalCoreUnit, ATileLoadTakesPathLatencyPlusBytesOverItsLink) {
  const HardwareConfig hw = with_core();
  Program p;
  const std::int64_t n = 64 * 1024;
  p.digital_load(0, DigitalBuffer::Weights, Place::Dram, n);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, down_latency(hw) + n / 16);  // 106 + 4096
  EXPECT_EQ(r.ops[0].bound, "pe.link");
  EXPECT_EQ(r.bytes.at("dram.down"), n);
  EXPECT_EQ(r.bytes.at("l2.down"), n);
  EXPECT_EQ(r.bytes.at("digital.down"), n);
  EXPECT_EQ(r.module("pe.link")->busy_cycles, n / 16);
}

TEST(DigitalCoreUnit, TheGridTakesItsStepsThenItsPipeline) {
  const HardwareConfig hw = with_core();
  Program p;
  p.digital_compute(0, 256 * 1000, 1000, 1024);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, 1000 + 5);
  EXPECT_EQ(r.module("pe.grid")->busy_cycles, 1000);
}

TEST(DigitalCoreUnit, AStoreGoesUpThroughL2ToDram) {
  const HardwareConfig hw = with_core();
  Program p;
  p.digital_store(0, Place::Dram, 8192);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, down_latency(hw) + 8192 / 16);
  for (const char* level : {"dram.up", "l2.up", "digital.up"}) EXPECT_EQ(r.bytes.at(level), 8192) << level;
}

// Weights and inputs share the link (their bursts interleave), the grid waits for both, the result
// leaves after the pipeline; the counters are the program's action counts.
TEST(DigitalCoreUnit, LoadComputeStoreInSequenceAndTheCountersAreTheProgramsCounts) {
  const HardwareConfig hw = with_core();
  Program p;
  const std::int64_t w = 16 * 1024, in = 8 * 1024, out = 4 * 1024;
  const int lw = p.digital_load(0, DigitalBuffer::Weights, Place::Dram, w);
  const int li = p.digital_load(0, DigitalBuffer::Inputs, Place::Dram, in);
  const int c = p.digital_compute(0, 256 * 300, 300, out, {lw, li});
  const int s = p.digital_store(0, Place::Dram, out, {c});
  p.free(lw, {c});
  p.free(li, {c});
  p.free(c, {s});
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  const std::int64_t loads = down_latency(hw) + (w + in) / 16;
  EXPECT_EQ(r.ops[static_cast<std::size_t>(c)].start, loads);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(c)].end, loads + 300 + 5);
  EXPECT_EQ(r.total_cycles, loads + 300 + 5 + down_latency(hw) + out / 16);
  const ActionCounts counts = count_actions(p, hw);
  ASSERT_EQ(counts.digital.size(), 1U);
  EXPECT_EQ(counts.digital[0].link_bytes, r.bytes.at("digital.down") + r.bytes.at("digital.up"));
  EXPECT_EQ(counts.dram_read_bytes, r.bytes.at("dram.down"));
  EXPECT_EQ(counts.dram_write_bytes, r.bytes.at("dram.up"));
  EXPECT_EQ(counts.l2_link_bytes, r.bytes.at("l2.down") + r.bytes.at("l2.up"));
  EXPECT_EQ(counts.digital[0].macs, 256 * 300);
  EXPECT_EQ(counts.digital[0].buffer_write_bytes[0], w);
  EXPECT_EQ(counts.digital[0].buffer_write_bytes[1], in);
  EXPECT_EQ(counts.digital[0].output_read_bytes, out);
}

// A digital core nobody uses changes nothing: the CiM template's results stand (issue 17).
TEST(DigitalCoreUnit, AnIdleDigitalCoreLeavesACimProgramsTimingAlone) {
  const HardwareConfig hw = with_core();
  Program p;
  const int l = p.load({0, 1, 2, 3, 4}, 64 * 1024);
  const int s = p.stream({0, 1, 2, 3, 4}, 4096);
  const int c = p.compute({0, 1, 2, 3, 4}, 1 << 16, 16384, {l, s});
  p.write_back({0, 1, 2, 3, 4}, 2048, {c});
  // Both in forked children (simulate()): one process elaborates once.
  const SimResult r = simulate(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  HardwareConfig plain = hw;
  plain.digital_cores.clear();
  const SimResult q = simulate(p, plain);
  ASSERT_TRUE(q.ok()) << q.message;
  EXPECT_EQ(r.total_cycles, q.total_cycles);
  for (const auto& [level, bytes] : q.bytes) EXPECT_EQ(r.bytes.at(level), bytes) << level;
  EXPECT_EQ(r.bytes.at("digital.down") + r.bytes.at("digital.up"), 0);
}

}  // namespace
}  // namespace cimnet
