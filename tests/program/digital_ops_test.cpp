// The program's digital-core ops (program.hpp: Move to and from a DigitalBuffer, DigitalCompute):
// what validate() refuses, naming the op and the core, and the buffers' capacities over time.
#include <gtest/gtest.h>

#include "program/action_counts.hpp"
#include "program/program.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

HardwareConfig with_core() {
  HardwareConfig hw = small_hw();
  DigitalCore core;
  core.name = "pe";
  core.weight_buffer_bytes = 4096;
  hw.digital_cores.push_back(core);
  return hw;
}

TEST(DigitalOps, AValidTileChain) {
  Program p;
  const int w = p.digital_load(0, DigitalBuffer::Weights, Place::Dram, 2048);
  const int i = p.digital_load(0, DigitalBuffer::Inputs, Place::GlobalBuffer, 4096);
  const int c = p.digital_compute(0, 256 * 10, 10, 1024, {w, i});
  const int s = p.digital_store(0, Place::GlobalBuffer, 1024, {c});
  p.free(w, {c});
  p.free(i, {c});
  p.free(c, {s});
  EXPECT_EQ(error_of(p, with_core()), "");
}

TEST(DigitalOps, RefusalsNameTheOpAndTheCore) {
  Program missing;
  missing.digital_compute(1, 10, 10, 0, {}, "mac");
  EXPECT_EQ(error_of(missing, with_core()), "op 0 (digital_compute 'mac'): digital core 1 does not exist (this hardware has "
                                            "digital cores 0..0)");
  EXPECT_NE(error_of(missing, small_hw()).find("(this hardware has none)"), std::string::npos);

  Program crowded;
  crowded.digital_compute(0, 256 * 10 + 1, 10, 0);
  EXPECT_NE(error_of(crowded, with_core()).find("2561 MACs in 10 steps exceed the 256 PEs of digital core 'pe'"),
            std::string::npos);

  Program zero;
  zero.digital_compute(0, 10, 0, 0);
  EXPECT_NE(error_of(zero, with_core()).find("steps must be positive"), std::string::npos);

  Program out_of_weights;
  const int w = out_of_weights.digital_load(0, DigitalBuffer::Weights, Place::Dram, 64);
  out_of_weights.ops[static_cast<std::size_t>(w)].source = Place::DigitalBuffer;
  out_of_weights.ops[static_cast<std::size_t>(w)].dest = Place::Dram;
  EXPECT_NE(error_of(out_of_weights, with_core()).find("moves out of the weight buffer of digital core 'pe'"),
            std::string::npos);

  Program via_l1;
  const int m = via_l1.digital_load(0, DigitalBuffer::Inputs, Place::L1Buffer, 64);
  via_l1.ops[static_cast<std::size_t>(m)].l1 = 0;
  EXPECT_NE(error_of(via_l1, with_core()).find("exchange data with DRAM or the global buffer only, not an L1 buffer"),
            std::string::npos);

  Program stream;
  const int st = stream.stream({0}, 64);
  stream.ops[static_cast<std::size_t>(st)].source = Place::DigitalBuffer;
  EXPECT_NE(error_of(stream, with_core()).find("only a move reaches a digital core's buffers"), std::string::npos);
}

TEST(DigitalOps, BuffersHoldWhatTheirCapacitySays) {
  // Two 2 KiB weight tiles fit the 4 KiB buffer; a third, not freed before it, does not.
  Program p;
  const int a = p.digital_load(0, DigitalBuffer::Weights, Place::Dram, 2048);
  const int b = p.digital_load(0, DigitalBuffer::Weights, Place::Dram, 2048);
  const int c = p.digital_compute(0, 256, 1, 0, {a, b});
  p.free(a, {c});
  EXPECT_EQ(error_of(p, with_core()), "");
  p.digital_load(0, DigitalBuffer::Weights, Place::Dram, 2048);
  const std::string e = error_of(p, with_core());
  EXPECT_NE(e.find("the weight buffer of digital core 'pe' (weight_buffer_bytes 4096)"), std::string::npos) << e;
  // One tile larger than the buffer names it at once.
  Program big;
  big.digital_load(0, DigitalBuffer::Weights, Place::Dram, 4097);
  EXPECT_NE(error_of(big, with_core()).find("allocates 4097 bytes in the weight buffer of digital core 'pe'"),
            std::string::npos);
}

TEST(DigitalOps, ActionCountsOfEachOp) {
  const HardwareConfig hw = with_core();
  Program p;
  p.digital_load(0, DigitalBuffer::Inputs, Place::GlobalBuffer, 300);
  p.digital_compute(0, 500, 2, 100);
  p.digital_store(0, Place::Dram, 100);
  const ActionCounts c = count_actions(p, hw);
  EXPECT_EQ(c.gb_read_bytes, 300);
  EXPECT_EQ(c.dram_write_bytes, 100);
  EXPECT_EQ(c.l2_link_bytes, 400);
  EXPECT_EQ(c.macs, 0);  // the arrays' MACs only
  ASSERT_EQ(c.digital.size(), 1U);
  EXPECT_EQ(c.digital[0].link_bytes, 400);
  EXPECT_EQ(c.digital[0].buffer_write_bytes[1], 300);
  EXPECT_EQ(c.digital[0].output_read_bytes, 100);
  EXPECT_EQ(c.digital[0].macs, 500);
}

}  // namespace
}  // namespace cimnet
