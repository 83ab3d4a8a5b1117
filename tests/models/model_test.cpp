// Exact-cycle tests of the timed model, one design per test process (simulate_in_process). The
// expected values are the closed forms of docs/model.md, computed from the hardware parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;
using test::path_latency;
using test::stream_latency;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

TEST(Model, OneTransferTakesPathLatencyPlusBytesOverNarrowestBandwidth) {
  const HardwareConfig hw = make_hw(Bw{});  // narrowest on the path: MA_bw = 32
  Program p;
  const std::int64_t n = 64 * 1024;
  p.load({5}, n);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + n / 32);  // 107 + 2048
  EXPECT_EQ(r.ops[0].start, 0);
  EXPECT_EQ(r.ops[0].end, r.total_cycles);
  EXPECT_EQ(r.ops[0].bound, "ma[5].port");
  EXPECT_EQ(r.bytes.at("dram.down"), n);
  EXPECT_EQ(r.bytes.at("l2.down"), n);
  EXPECT_EQ(r.bytes.at("l1.down"), n);
  EXPECT_EQ(r.bytes.at("ma.down"), n);
  EXPECT_EQ(r.module("ma[5].port")->busy_cycles, n / 32);
  EXPECT_EQ(r.module("dram")->transactions, n / hw.fixed.burst_bytes);  // tile-sized bursts, not bytes
  EXPECT_EQ(r.transport_calls, 4 * (n / hw.fixed.burst_bytes));       // DRAM, L2, L1, array per burst
}

TEST(Model, OneTransferBoundByDramWithRoundingPerBurst) {
  Bw b;
  b.dram = 16;
  b.ma = 128;
  const HardwareConfig hw = make_hw(b);
  Program p;
  const std::int64_t n = 4096 + 904 + 1;  // two bursts: 4096 and 905 bytes
  p.load({0}, n);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + 4096 / 16 + ceil_div(905, 16));
  EXPECT_EQ(r.ops[0].bound, "dram");
}

TEST(Model, ComputeIsMacBound) {
  const HardwareConfig hw = make_hw(Bw{});  // 64 MAC/cycle, MA_bw 32
  Program p;
  const std::int64_t macs = 100001;
  p.compute({3}, macs, 8192);  // operands: 256 cycles < 1563
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, ceil_div(macs, 64) + hw.fixed.core_pipeline);
  EXPECT_EQ(r.ops[0].bound, "core[3]");
  EXPECT_EQ(r.module("ma[3].port")->bytes_up, 8192);
}

TEST(Model, ComputeIsOperandBoundWhenTheArrayPortIsSlower) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t operands = 64 * 1024;  // 2048 cycles at MA_bw 32
  p.compute({3}, 1000, operands);           // 16 cycles of MACs
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, std::max(ceil_div(1000, 64), operands / 32) + hw.fixed.core_pipeline);
  EXPECT_EQ(r.ops[0].bound, "ma[3].port");
}

// k arrays under one L1 decoder loading at once, each its own (unicast) transfer.
Program concurrent_loads(int k, std::int64_t n) {
  Program p;
  for (int a = 0; a < k; ++a) p.load({a}, n, {}, /*multicast=*/false);
  return p;
}

TEST(Model, ContentionOnAnL1LinkScalesWithTheNumberOfLoads) {
  Bw b;
  b.dram = 128;
  b.l2 = 128;
  b.l1 = 32;  // the L1 link bounds: k loads share it
  b.ma = 64;
  b.ma_num = 4;
  const HardwareConfig hw = make_hw(b);
  const int k = 4;
  const std::int64_t n = 32 * 1024;
  const SimResult r = simulate_in_process(concurrent_loads(k, n), hw);
  ASSERT_TRUE(r.ok()) << r.message;
  const std::int64_t single = path_latency(hw) + n / 32;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + k * n / 32);  // k x the single transfer's streaming time
  EXPECT_GT(r.total_cycles, (k - 1) * single);
  EXPECT_EQ(r.module("l1[0]")->busy_cycles, k * n / 32);
  EXPECT_EQ(r.bound_counts.at("l1"), k);
}

TEST(Model, NoContentionPenaltyWhenEachArrayPortBounds) {
  Bw b;
  b.dram = 128;
  b.l2 = 128;
  b.l1 = 128;
  b.ma = 32;  // k * MA_bw <= every shared link
  b.ma_num = 4;
  const HardwareConfig hw = make_hw(b);
  const int k = 4;
  const std::int64_t n = 32 * 1024;
  const SimResult r = simulate_in_process(concurrent_loads(k, n), hw);
  ASSERT_TRUE(r.ok()) << r.message;
  const std::int64_t single = path_latency(hw) + n / 32;
  // Bursts are presented round-robin, so the last transfer starts (k-1) DRAM bursts later.
  EXPECT_EQ(r.total_cycles, single + (k - 1) * hw.fixed.burst_bytes / 128);
  EXPECT_LT(r.total_cycles, single * 11 / 10);
}

TEST(Model, MulticastPaysTheParentLinksOnce) {
  const HardwareConfig hw = make_hw(Bw{});  // 2 L1 decoders x 4 arrays, MA_bw 32 narrowest
  Program p;
  const std::int64_t n = 16 * 1024;
  p.load({0, 1, 2, 3, 6}, n, {}, /*multicast=*/true);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + n / 32);  // as fast as one transfer
  EXPECT_EQ(r.bytes.at("dram.down"), n);
  EXPECT_EQ(r.bytes.at("l2.down"), n);                    // once for both L1 decoders
  EXPECT_EQ(r.module("l1[0]")->bytes_down, n);            // once for its four arrays
  EXPECT_EQ(r.module("l1[1]")->bytes_down, n);
  EXPECT_EQ(r.bytes.at("ma.down"), 5 * n);                // every array port receives it
}

TEST(Model, UnicastToManyArraysPaysEveryLink) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = 16 * 1024;
  p.load({0, 1, 2, 3}, n, {}, /*multicast=*/false);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.bytes.at("dram.down"), 4 * n);
  EXPECT_EQ(r.module("l1[0]")->bytes_down, 4 * n);
  // DRAM_bw 64 carries all 16 bursts back to back; the last burst then drains through its array port
  // (4096 / 32 = 128 cycles > 64), which the earlier bursts never limited (one every 4 x 64 cycles).
  const std::int64_t bursts = 4 * n / hw.fixed.burst_bytes;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + (bursts - 1) * 4096 / 64 + 4096 / 32);
  EXPECT_EQ(r.ops[0].bound, "dram");
}

// n tiles: stream tile k into array 0's input buffer (two tiles fit), compute on it.
Program double_buffered(int tiles, std::int64_t tile_bytes, std::int64_t macs, std::int64_t operands) {
  Program p;
  for (int k = 0; k < tiles; ++k) {
    const int s = p.stream({0}, tile_bytes, {}, true, "in" + std::to_string(k));
    p.compute({0}, macs, operands, {s}, "mm" + std::to_string(k));
  }
  return p;
}

TEST(Model, DoubleBufferingOverlapsLoadsWithComputeWhenComputeBounds) {
  HardwareConfig hw = make_hw(Bw{});  // DRAM_bw 64: a 4 KiB tile streams in 64 cycles
  hw.fixed.input_buffer_bytes = 8192;  // two 4 KiB tiles: double buffering
  const int n = 8;
  const std::int64_t load = stream_latency(hw) + 4096 / 64;  // 170
  const std::int64_t compute = 64 * 1000 / 64 + hw.fixed.core_pipeline;  // 1004 (operands 256 cycles)
  const SimResult r = simulate_in_process(double_buffered(n, 4096, 64 * 1000, 8192), hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // Fill (the first tile's load), then the core never waits: n computes back to back.
  EXPECT_EQ(r.total_cycles, load + n * compute);
  EXPECT_LT(r.total_cycles, n * (load + compute) * 9 / 10);
  EXPECT_EQ(r.module("core[0]")->busy_cycles, n * compute);
}

TEST(Model, DoubleBufferingOverlapsComputeWithLoadsWhenLoadsBound) {
  Bw b;
  b.dram = 16;  // a 4 KiB tile streams in 256 cycles
  HardwareConfig hw = make_hw(b);
  hw.fixed.input_buffer_bytes = 8192;
  const int n = 8;
  const std::int64_t stream = 4096 / 16;
  const std::int64_t compute = 64 * 20 / 64 + hw.fixed.core_pipeline;  // 24
  const SimResult r = simulate_in_process(double_buffered(n, 4096, 64 * 20, 0), hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // The DRAM link never idles: latency + n tiles back to back + the last compute (drain).
  EXPECT_EQ(r.total_cycles, stream_latency(hw) + n * stream + compute);
  EXPECT_EQ(r.module("dram")->busy_cycles, n * stream);
}

TEST(Model, BufferSpaceLimitsHowFarLoadsRunAhead) {
  Bw b;
  b.dram = 128;
  HardwareConfig hw = make_hw(b);
  hw.fixed.input_buffer_bytes = 8192;  // two tiles
  const SimResult r = simulate_in_process(double_buffered(4, 4096, 64 * 1000, 0), hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // Tile 2 cannot start before compute 0 frees its slot.
  EXPECT_EQ(r.ops[4].start, r.ops[1].end);
  EXPECT_GT(r.ops[4].start, r.ops[4].ready);
  EXPECT_GE(r.bound_counts.at("input_buffer_wait"), 1);
}

TEST(Model, ReductionAtAnL1DecoderCostsCyclesAndMovement) {
  const HardwareConfig hw = make_hw(Bw{});  // reduction_bw 64, L1_bw 128, MA_bw 32
  Program p;
  p.reduce({0, 1, 2, 3}, 4096, ReduceLevel::L1, 4096);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // The reduction unit bounds: 4 x 4096 / 64 after the first burst's port + link latency.
  EXPECT_EQ(r.total_cycles, hw.fixed.ma_latency + hw.fixed.l1_latency + 4 * 4096 / hw.fixed.reduction_bw);
  EXPECT_EQ(r.bytes.at("l1.up"), 4 * 4096);
  EXPECT_EQ(r.bytes.at("reduce.up"), 4 * 4096);
  EXPECT_EQ(r.bytes.at("l2.up"), 0);
  EXPECT_EQ(r.ops[0].bound, "l1[0].reduce");
}

TEST(Model, VectorOperationReadsAndWritesTheGlobalBuffer) {
  const HardwareConfig hw = make_hw(Bw{});  // vector_lanes 64, gb_bw 256, gb_latency 2
  Program p;
  p.vector(4096, 6400, 4096);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // Read the input out of the global buffer, 6400 element operations, write the result back.
  const std::int64_t gb = hw.fixed.gb_bw, lat = hw.fixed.gb_latency;
  EXPECT_EQ(r.total_cycles, (4096 / gb + lat) + 6400 / hw.fixed.vector_lanes + (4096 / gb + lat));  // 136
  EXPECT_EQ(r.module("l2.vector")->busy_cycles, 100);
  EXPECT_EQ(r.module("gb.port")->busy_cycles, 2 * 4096 / gb);
  EXPECT_EQ(r.bytes.at("gb.up"), 4096);    // read out
  EXPECT_EQ(r.bytes.at("gb.down"), 4096);  // written in
  EXPECT_EQ(r.bytes.count("dram.up") ? r.bytes.at("dram.up") : 0, 0);
}

TEST(Model, WriteBackGoesUpThroughEveryLevel) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  p.write_back({7}, 8192);
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.total_cycles, path_latency(hw) + 8192 / 32);
  for (const char* level : {"dram.up", "l2.up", "l1.up", "ma.up"}) EXPECT_EQ(r.bytes.at(level), 8192) << level;
}

TEST(Model, LargestDefaultConfigurationElaboratesAndRuns) {
  const HardwareSpace space = HardwareSpace::defaults();
  const HardwareConfig hw = space.config(space.largest());  // 16 x 16 = 256 arrays and cores
  ASSERT_EQ(hw.total_arrays(), 256);
  Program p;
  std::vector<int> all(256);
  for (int a = 0; a < 256; ++a) all[static_cast<std::size_t>(a)] = a;
  const int l = p.load(all, 64 * 1024);
  const int s = p.stream(all, 4096);
  const int c = p.compute(all, 1 << 20, 64 * 1024, {l, s});
  p.reduce(all, 4096, ReduceLevel::L2, 4096, {c});
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.arrays, 256);
  EXPECT_NE(r.module("core[255]"), nullptr);
  EXPECT_NE(r.module("ma[255].port"), nullptr);
  EXPECT_NE(r.module("l1[15]"), nullptr);
  EXPECT_GT(r.total_cycles, 0);
  EXPECT_GT(r.peak_rss_kib, 0);
  RecordProperty("peak_rss_kib", std::to_string(r.peak_rss_kib));
  std::printf("16x16: %lld cycles, peak RSS %lld KiB, %lld transport calls, %.3f s\n",
              static_cast<long long>(r.total_cycles), static_cast<long long>(r.peak_rss_kib),
              static_cast<long long>(r.transport_calls), r.wall_seconds);
}

TEST(Model, BadInputThrowsAClearError) {
  Program p;
  p.load({99}, 1024);
  EXPECT_THROW(
      {
        try {
          simulate_in_process(p, make_hw(Bw{}));
        } catch (const InputError& e) {
          EXPECT_NE(std::string(e.what()).find("array 99 does not exist"), std::string::npos);
          throw;
        }
      },
      InputError);
}

TEST(Model, TraceHasATrackPerModuleAndEveryTransfer) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const int l = p.load({0}, 8192, {}, true, "w");
  p.compute({0}, 6400, 4096, {l}, "mm");
  SimOptions o;
  o.trace_path = (test::scratch_dir("cimnet_trace_test") / "trace.json").string();
  const SimResult r = simulate_in_process(p, hw, o);
  ASSERT_TRUE(r.ok()) << r.message;
  std::ifstream in(o.trace_path);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::map<int, std::string> tracks;
  std::set<std::string> busy_tracks;
  int slices = 0;
  for (const auto& e : j.at("traceEvents")) {
    if (e.at("ph") == "M" && e.at("name") == "thread_name") tracks[e.at("tid").get<int>()] = e.at("args").at("name");
  }
  for (const auto& e : j.at("traceEvents")) {
    if (e.at("ph") != "X") continue;
    ++slices;
    busy_tracks.insert(tracks.at(e.at("tid").get<int>()));
    if (e.at("name") == "op 1 (compute 'mm')" && tracks.at(e.at("tid").get<int>()) == "core[0]") {
      EXPECT_DOUBLE_EQ(e.at("ts").get<double>(), static_cast<double>(r.ops[1].start) * 1e-3 / hw.fixed.clock_ghz);
    }
  }
  for (const char* t : {"dram", "l2", "l1[0]", "ma[0].port", "core[0]", "controller ops 0"}) {
    EXPECT_EQ(busy_tracks.count(t), 1U) << t;
  }
  // 2 bursts on each of 4 resources + 1 operand-read burst + the core + 2 ops.
  EXPECT_EQ(slices, 2 * 4 + 1 + 1 + 2);
}

}  // namespace
}  // namespace cimnet
