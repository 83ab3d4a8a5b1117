// The links' service rule at the DRAM (docs/model.md): among the requests that have reached it, the DRAM serves
// activations (streams into the input buffers, moves between DRAM and a buffer) first, weight loads
// next and the arrays' write-backs last, each class in (arrival, tie key) order, never idle while one
// waits and never interrupting the burst it is serving. Exact cycles from the closed forms.
#include <gtest/gtest.h>

#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;
using test::path_latency;
using test::stream_latency;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// A write-back of eight bursts from array 0 keeps the DRAM (16 B/cycle: 256 cycles a burst) busy
// from cycle 7 (port, L1 and L2 latencies) and queues there, since the array port (32 B/cycle)
// presents a burst every 128 cycles. At cycle 1000 a compute on array 1 ends and a stream to array 1
// and a load of array 2 that wait for it reach the DRAM; bursts 4 to 7 of the write-back have arrived
// before them. The DRAM finishes the burst it is serving, then serves the stream, then the load, and
// only then the rest of the write-back.
TEST(DramPriority, StreamsThenLoadsThenWriteBacks) {
  Bw b;
  b.dram = 16;
  b.ma = 32;
  const HardwareConfig hw = make_hw(b);
  const std::int64_t burst = hw.fixed.burst_bytes, dram_burst = burst / 16;  // 256 cycles
  Program p;
  const int wb = p.write_back({0}, 8 * burst, {}, "wb");
  // 996 cycles of MACs at 64 MAC/cycle and the pipeline's 4: the compute ends at cycle 1000.
  const int c = p.compute({1}, 996 * 64, 32, {}, "c");
  const int s = p.stream({1}, burst, {c}, true, "s");
  const int l = p.load({2}, burst, {c}, true, "l");
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.ops[static_cast<std::size_t>(c)].end, 1000);
  const std::int64_t first = hw.fixed.ma_latency + hw.fixed.l1_latency + hw.fixed.l2_latency;  // 7
  // The write-back burst in service when the stream arrives ends at 7 + 4 · 256 = 1031.
  const std::int64_t in_service_end = first + dram_burst * ceil_div(1000 - first, dram_burst);
  ASSERT_EQ(in_service_end, 1031);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(s)].start, 1000);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(s)].end, in_service_end + dram_burst + stream_latency(hw));
  EXPECT_EQ(r.ops[static_cast<std::size_t>(l)].end, in_service_end + 2 * dram_burst + path_latency(hw));
  // The write-back's last four bursts after both; it completes at its last burst's end + dram_latency.
  EXPECT_EQ(r.ops[static_cast<std::size_t>(wb)].end, in_service_end + 6 * dram_burst + hw.fixed.dram_latency);
  EXPECT_EQ(r.module("dram")->busy_cycles, 10 * dram_burst);
}

// The classes apply among requests that have arrived only: a write-back alone is served at once, and
// a stream that arrives later waits for the burst being served (no pre-emption), not for the rest.
TEST(DramPriority, AWriteBackAloneIsServedAtOnceAndNotInterrupted) {
  Bw b;
  b.dram = 16;
  b.ma = 32;
  const HardwareConfig hw = make_hw(b);
  const std::int64_t burst = hw.fixed.burst_bytes, dram_burst = burst / 16;
  Program p;
  const int wb = p.write_back({0}, burst, {}, "wb");
  const int c = p.compute({1}, 96 * 64, 32, {}, "c");  // ends at cycle 100, during the write-back's burst
  const int s = p.stream({1}, 64, {c}, true, "s");
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.ops[static_cast<std::size_t>(c)].end, 100);
  const std::int64_t first = hw.fixed.ma_latency + hw.fixed.l1_latency + hw.fixed.l2_latency;
  // The write-back burst: at the DRAM from cycle 7 (cut-through), done at 7 + 256.
  EXPECT_EQ(r.ops[static_cast<std::size_t>(wb)].end, first + dram_burst + hw.fixed.dram_latency);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(s)].end, first + dram_burst + 64 / 16 + stream_latency(hw));
}

// The same rule on an L1 link slower than the DRAM: a load of eight bursts to array 0 reaches L1 link 0
// (16 B/cycle: 256 cycles a burst) from cycle 104 and its bursts queue there, since DRAM and L2 (256
// B/cycle) deliver one every 16 cycles. A stream to array 1 under the same decoder, issued at cycle
// 1000, reaches the link at 1104 behind five queued load bursts; it waits only for the burst being
// served (load burst 3, 872 .. 1128), then goes before the rest. By arrival alone it would have waited
// until 104 + 8 · 256 = 2152.
TEST(LinkPriority, AStreamPassesLoadBurstsQueuedOnASlowL1Link) {
  Bw b;
  b.dram = 256;
  b.l2 = 256;
  b.l1 = 16;
  b.ma = 256;
  const HardwareConfig hw = make_hw(b);
  const std::int64_t burst = hw.fixed.burst_bytes, l1_burst = burst / 16;  // 256 cycles
  Program p;
  const int l = p.load({0}, 8 * burst, {}, true, "l");
  const int c = p.compute({1}, 996 * 64, 32, {}, "c");  // ends at cycle 1000
  const int s = p.stream({1}, burst, {c}, true, "s");
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.ops[static_cast<std::size_t>(c)].end, 1000);
  const std::int64_t at_l1 = hw.fixed.dram_latency + hw.fixed.l2_latency;  // 104
  const std::int64_t stream_at_l1 = 1000 + at_l1;                          // 1104
  const std::int64_t in_service_end = at_l1 + l1_burst * ceil_div(stream_at_l1 - at_l1, l1_burst);
  ASSERT_EQ(in_service_end, 1128);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(s)].end, in_service_end + l1_burst + hw.fixed.l1_latency);
  // The load's last four bursts after the stream: its ninth slot on the link, then the port.
  EXPECT_EQ(r.ops[static_cast<std::size_t>(l)].end,
            at_l1 + 9 * l1_burst + hw.fixed.l1_latency + hw.fixed.ma_latency);
}


// An array's port serves a later step's prefetched weights last, as the links do: a computation that
// reads its operands through the port (64 bursts' worth at 32 B/cycle) ends exactly when it ends
// alone although a prefetched load of eight bursts reaches the same port meanwhile, and the load
// completes only after the computation's reads. An ordinary load is served in arrival order there
// and delays the computation.
TEST(PortPriority, APrefetchedLoadTakesOnlyWhatAComputationLeavesOfItsPort) {
  Bw b;
  b.ma = 32;
  const HardwareConfig hw = make_hw(b);
  const std::int64_t burst = hw.fixed.burst_bytes;
  auto run = [&](int with_load, bool prefetch) {
    Program p;
    const int c = p.compute({0}, 64, 64 * burst, {}, "c");
    int l = -1;
    if (with_load) {
      l = p.load({0}, 8 * burst, {}, true, "l");
      p.ops[static_cast<std::size_t>(l)].prefetch = prefetch;
    }
    const SimResult r = simulate(p, hw);  // three runs: each in a forked worker
    EXPECT_TRUE(r.ok()) << r.message;
    return std::make_pair(r.ops[static_cast<std::size_t>(c)].end, l < 0 ? std::int64_t{0} : r.ops[static_cast<std::size_t>(l)].end);
  };
  const std::int64_t alone = run(0, false).first;
  ASSERT_GE(alone, 64 * burst / 32);  // port-bound: its operands take 64 · burst / 32 cycles of the port
  const auto [with_prefetch, prefetch_end] = run(1, true);
  EXPECT_EQ(with_prefetch, alone);
  EXPECT_GT(prefetch_end, alone);
  const auto [with_load, load_end] = run(1, false);
  EXPECT_GT(with_load, alone);
  EXPECT_LT(load_end, prefetch_end);
}

}  // namespace
}  // namespace cimnet
