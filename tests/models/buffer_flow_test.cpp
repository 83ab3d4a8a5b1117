// Exact cycles of the flows through the on-chip buffers (docs/model.md, "Timing semantics"), one
// design per test process; and programs that could overflow a buffer are refused before simulating.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;

std::int64_t peak_of(const SimResult& r, const std::string& memory) {
  for (const auto& m : r.memories) {
    if (m.name == memory) return m.peak_bytes;
  }
  ADD_FAILURE() << "no memory " << memory << " in the result";
  return -1;
}

// Defaults of make_hw: DRAM_bw 64, L2_bw 256, L1_bw 128, MA_bw 32, 2 L1 decoders × 4 arrays; fixed:
// dram_latency 100, l2_latency 4, l1_latency 2, ma_latency 1, gb_bw 256, gb_latency 2,
// l1_buffer_bw 128, l1_buffer_latency 1, burst_bytes 4096.

TEST(BufferFlows, MoveFromDramIntoTheGlobalBufferAndBack) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = 16 * 1024;
  const int in = p.move(Place::Dram, Place::GlobalBuffer, n);
  const int out = p.move(Place::GlobalBuffer, Place::Dram, n, {in});
  p.free(in, {out});
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  const std::int64_t one_way = hw.fixed.dram_latency + hw.fixed.gb_latency + n / 64;  // DRAM bounds
  EXPECT_EQ(r.ops[static_cast<std::size_t>(in)].end, one_way);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(out)].end, 2 * one_way);
  EXPECT_EQ(r.bytes.at("dram.down"), n);
  EXPECT_EQ(r.bytes.at("dram.up"), n);
  EXPECT_EQ(r.bytes.at("gb.down"), n);
  EXPECT_EQ(r.bytes.at("gb.up"), n);
  EXPECT_EQ(r.bytes.count("l2.down") ? r.bytes.at("l2.down") : 0, 0);  // the global buffer sits at L2
  EXPECT_EQ(peak_of(r, "gb"), n);
  EXPECT_EQ(r.memories.front().name, "ma[0]");  // the most used array: none holds weights here
  EXPECT_EQ(r.memories.front().peak_bytes, 0);
}

TEST(BufferFlows, StreamFromTheGlobalBufferToAnArray) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = 8192;
  p.ops[static_cast<std::size_t>(p.stream({5}, n))].source = Place::GlobalBuffer;
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // gb.port → l2 → l1[1] → input buffer: latencies 2 + 4 + 2, the L1 link (128 B/cycle) the narrowest.
  EXPECT_EQ(r.total_cycles, hw.fixed.gb_latency + hw.fixed.l2_latency + hw.fixed.l1_latency + n / 128);
  EXPECT_EQ(r.bytes.count("dram.down") ? r.bytes.at("dram.down") : 0, 0);
  EXPECT_EQ(r.bytes.at("l1.down"), n);
}

TEST(BufferFlows, StreamFromAnL1BufferStaysUnderItsDecoder) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = 8192;
  Op& s = p.ops[static_cast<std::size_t>(p.stream({1, 2}, n, {}, true))];
  s.source = Place::L1Buffer;
  s.l1 = 0;
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // Multicast from the L1 buffer: its port and the L1 link once each, 128 B/cycle.
  EXPECT_EQ(r.total_cycles, hw.fixed.l1_buffer_latency + hw.fixed.l1_latency + n / 128);
  EXPECT_EQ(r.bytes.count("l2.down") ? r.bytes.at("l2.down") : 0, 0);
  EXPECT_EQ(r.bytes.at("l1buf.up"), n);
}

TEST(BufferFlows, WriteBackIntoTheGlobalBuffer) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = 8192;
  p.ops[static_cast<std::size_t>(p.write_back({3}, n))].dest = Place::GlobalBuffer;
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  // port (32 B/cycle) → l1 → l2 → gb.port, then the buffer's write latency.
  EXPECT_EQ(r.total_cycles,
            hw.fixed.ma_latency + hw.fixed.l1_latency + hw.fixed.l2_latency + hw.fixed.gb_latency + n / 32);
  EXPECT_EQ(r.bytes.at("gb.down"), n);
  EXPECT_EQ(r.bytes.count("dram.up") ? r.bytes.at("dram.up") : 0, 0);
}

TEST(BufferFlows, ReduceAtL1ThenUpToTheGlobalBufferAndOutThroughTheVectorUnit) {
  Bw b;
  b.ma = 128;  // the ports do not bound
  const HardwareConfig hw = make_hw(b);
  Program p;
  const std::int64_t psums = 4096, result = 4096, out = 1024;
  const int red = p.reduce({0, 1, 2, 3}, psums, ReduceLevel::L1, result);
  const int up = p.move(Place::L1Buffer, Place::GlobalBuffer, result, {red}, "", 0);
  p.free(red, {up});
  const int vec = p.vector(result, 1024, out, {up});
  p.free(up, {vec});
  const int store = p.move(Place::GlobalBuffer, Place::Dram, out, {vec});
  p.free(vec, {store});
  const SimResult r = simulate_in_process(p, hw);
  ASSERT_TRUE(r.ok()) << r.message;
  const auto& f = hw.fixed;
  // The reduction unit (64 B/cycle) bounds the four sources' bursts.
  const std::int64_t reduce_end = f.ma_latency + f.l1_latency + 4 * psums / f.reduction_bw;
  EXPECT_EQ(r.ops[static_cast<std::size_t>(red)].end, reduce_end);
  // l1[0].buf (128 B/cycle) → l2 (256) → gb.port (256).
  const std::int64_t up_end = reduce_end + f.l1_buffer_latency + f.l2_latency + f.gb_latency + result / 128;
  EXPECT_EQ(r.ops[static_cast<std::size_t>(up)].end, up_end);
  const std::int64_t vec_end =
      up_end + (result / f.gb_bw + f.gb_latency) + 1024 / f.vector_lanes + (out / f.gb_bw + f.gb_latency);
  EXPECT_EQ(r.ops[static_cast<std::size_t>(vec)].end, vec_end);
  EXPECT_EQ(r.total_cycles, vec_end + f.gb_latency + f.dram_latency + out / 64);
  EXPECT_EQ(r.bytes.at("l2.up"), result);
  EXPECT_EQ(r.bytes.at("dram.up"), out);
  // What the buffers held at most: the L1 buffer the reduced result; the global buffer the result
  // moved up and the vector unit's output together (the result is freed only after the vector op).
  EXPECT_EQ(peak_of(r, "l1[0].buf"), result);
  EXPECT_EQ(peak_of(r, "l1[1].buf"), 0);
  EXPECT_EQ(peak_of(r, "gb"), result + out);
}

TEST(BufferFlows, ProgramsThatCouldOverflowTheGlobalBufferAreRefused) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  const std::int64_t n = hw.fixed.gb_bytes / 2 + 4096;
  const int a = p.move(Place::Dram, Place::GlobalBuffer, n);  // independent: some order holds both
  const int b = p.move(Place::Dram, Place::GlobalBuffer, n);
  p.free(a, {a});
  p.free(b, {b});
  const SimResult r = simulate(p, hw);
  EXPECT_EQ(r.status, SimStatus::InputError);
  EXPECT_NE(r.message.find("capacity overflow in the global buffer"), std::string::npos) << r.message;
  // Ordered (the second after the first is freed), the same two fit.
  Program q;
  const int qa = q.move(Place::Dram, Place::GlobalBuffer, n);
  const int qf = q.free(qa, {qa});
  const int qb = q.move(Place::Dram, Place::GlobalBuffer, n, {qf});
  q.free(qb, {qb});
  EXPECT_TRUE(simulate(q, hw).ok());
}

TEST(BufferFlows, AReductionResultLargerThanAnL1BufferIsRefused) {
  const HardwareConfig hw = make_hw(Bw{});
  Program p;
  p.reduce({0, 1}, 4096, ReduceLevel::L1, hw.fixed.l1_buffer_bytes + 1);
  const SimResult r = simulate(p, hw);
  EXPECT_EQ(r.status, SimStatus::InputError);
  EXPECT_NE(r.message.find("the buffer of L1 decoder 0"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace cimnet
