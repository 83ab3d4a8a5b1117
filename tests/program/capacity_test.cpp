// validate()'s capacity check: the weight cells of each array (MA_mem_size), the global buffer
// (gb_bytes) and each L1 buffer (l1_buffer_bytes). A single allocation larger than its memory; an
// overflow over time that only some schedule reaches; and the pipelines the mapper builds, which fit
// exactly when their slots do. That the bound never misses an overflow: capacity_exhaustive_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "program/program.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

// --- Weights in arrays (the rules of FreeWeights, now Free) ---

TEST(Capacity, RejectsASingleLoadLargerThanAnArray) {
  Program p;
  p.load({1}, 64 * 1024 + 1);
  EXPECT_NE(error_of(p, small_hw()).find("op 0 (load): allocates 65537 bytes in array 1 (MA_mem_size 65536) (capacity "
                                         "overflow)"),
            std::string::npos)
      << error_of(p, small_hw());
  Program full;
  full.load({1}, 64 * 1024);
  EXPECT_EQ(error_of(full, small_hw()), "");
}

TEST(Capacity, RejectsWeightOverflowOverTime) {
  // Two 40 KiB loads into a 64 KiB array: fine when the first is freed before the second...
  Program ok;
  const int a = ok.load({0}, 40 * 1024);
  const int c = ok.compute({0}, 100, 0, {a});
  const int f = ok.free(a, {c});
  ok.load({0}, 40 * 1024, {f});
  EXPECT_EQ(error_of(ok, small_hw()), "");
  // ...an overflow when nothing orders a free before it...
  Program bad;
  const int b = bad.load({0}, 40 * 1024, {}, true, "first");
  const int d = bad.compute({0}, 100, 0, {b});
  bad.free(b, {d});
  bad.load({0}, 40 * 1024, {d}, true, "second");  // depends on the compute, not on the free
  EXPECT_NE(error_of(bad, small_hw()).find("capacity overflow in array 0 (MA_mem_size 65536): in some order the "
                                           "dependencies allow, 81920 bytes are allocated there at once; when op 3 "
                                           "(load 'second') runs, these may still be allocated: op 0 (load 'first') — "
                                           "free them (a Free ordered before this op)"),
            std::string::npos)
      << error_of(bad, small_hw());
  // ...and when the loads are unordered, whichever runs second overflows; array 0 holds only one.
  Program par;
  par.load({0, 1}, 40 * 1024);
  par.load({1}, 40 * 1024);
  EXPECT_NE(error_of(par, small_hw()).find("capacity overflow in array 1 (MA_mem_size 65536)"), std::string::npos);
}

TEST(Capacity, ArraysFilledInStepAreCheckedOnceAndAnOverflowNamesTheFirst) {
  // Arrays 2 and 3 receive the same multicast loads: one verdict serves both, named after array 2.
  Program bad;
  const int a = bad.load({2, 3}, 40 * 1024, {}, true, "first");
  const int c = bad.compute({2, 3}, 100, 0, {a});
  bad.free(a, {c});
  bad.load({2, 3}, 40 * 1024, {c}, true, "second");
  EXPECT_NE(error_of(bad, small_hw()).find("capacity overflow in array 2 (MA_mem_size 65536)"), std::string::npos)
      << error_of(bad, small_hw());
  // Array 3 alone gaining one more load is no longer in step with array 2, and is checked on its own.
  Program apart;
  const int x = apart.load({2, 3}, 30 * 1024);
  apart.load({3}, 40 * 1024, {x});
  EXPECT_NE(error_of(apart, small_hw()).find("capacity overflow in array 3 (MA_mem_size 65536)"), std::string::npos)
      << error_of(apart, small_hw());
}

// --- The buffers: one allocation ---

TEST(Capacity, RejectsASingleAllocationLargerThanItsBuffer) {
  const HardwareConfig hw = small_hw();
  const std::int64_t gb = hw.fixed.gb_bytes, l1 = hw.fixed.l1_buffer_bytes;
  const std::string in_gb = " bytes in the global buffer (gb_bytes " + std::to_string(gb) + ") (capacity overflow)";
  const std::string in_l1 =
      " bytes in the buffer of L1 decoder 1 (l1_buffer_bytes " + std::to_string(l1) + ") (capacity overflow)";
  Program move;
  move.move(Place::Dram, Place::GlobalBuffer, gb + 1);
  EXPECT_NE(error_of(move, hw).find("op 0 (move): allocates " + std::to_string(gb + 1) + in_gb), std::string::npos)
      << error_of(move, hw);
  Program vec;
  vec.vector(64, 64, gb + 1);
  EXPECT_NE(error_of(vec, hw).find("op 0 (vector): allocates " + std::to_string(gb + 1) + in_gb), std::string::npos);
  Program red;
  red.reduce({0, 5}, 64, ReduceLevel::L2, gb + 1);
  EXPECT_NE(error_of(red, hw).find("op 0 (reduce): allocates " + std::to_string(gb + 1) + in_gb), std::string::npos);
  // A write-back into the global buffer allocates its bytes from every source array.
  Program wb;
  wb.write_back({0, 1}, gb / 2 + 1);
  wb.ops.back().dest = Place::GlobalBuffer;
  EXPECT_NE(error_of(wb, hw).find("op 0 (write_back): allocates " + std::to_string(gb + 2) + in_gb), std::string::npos);
  wb.ops.back().dest = Place::Dram;  // into DRAM it allocates nothing
  EXPECT_EQ(error_of(wb, hw), "");
  // The buffer of the L1 decoder the op names (a move) or its arrays are under (a reduce at L1).
  Program down;
  down.move(Place::GlobalBuffer, Place::L1Buffer, l1 + 1, {}, "", 1);
  EXPECT_NE(error_of(down, hw).find("op 0 (move): allocates " + std::to_string(l1 + 1) + in_l1), std::string::npos)
      << error_of(down, hw);
  Program red1;
  red1.reduce({4, 7}, 64, ReduceLevel::L1, l1 + 1);
  EXPECT_NE(error_of(red1, hw).find("op 0 (reduce): allocates " + std::to_string(l1 + 1) + in_l1), std::string::npos);
  // Exactly the capacity fits.
  Program full;
  full.move(Place::Dram, Place::GlobalBuffer, gb);
  full.reduce({4, 7}, 64, ReduceLevel::L1, l1);
  EXPECT_EQ(error_of(full, hw), "");
}

// --- The buffers over time ---

// Two allocations of 600 KiB in a 1 MiB global buffer that nothing orders: a schedule that frees the
// first before starting the second fits, one that runs them together does not, so it is rejected
// naming both ops. Ordering the second after the first's Free makes every schedule fit.
TEST(Capacity, RejectsAGlobalBufferOverflowThatOnlySomeScheduleReaches) {
  const HardwareConfig hw = small_hw();
  ASSERT_EQ(hw.fixed.gb_bytes, 1 << 20);
  const std::int64_t chunk = 600 * 1024;
  Program p;
  const int a = p.move(Place::Dram, Place::GlobalBuffer, chunk, {}, "a");
  const int fa = p.free(a, {a});
  const int b = p.move(Place::Dram, Place::GlobalBuffer, chunk, {}, "b");
  p.free(b, {b});
  EXPECT_NE(error_of(p, hw).find("capacity overflow in the global buffer (gb_bytes 1048576): in some order the dependencies "
                                 "allow, 1228800 bytes are allocated there at once; when op 0 (move 'a') runs, these may "
                                 "still be allocated: op 2 (move 'b')"),
            std::string::npos)
      << error_of(p, hw);
  p.ops[static_cast<std::size_t>(b)].deps = {fa};
  EXPECT_EQ(error_of(p, hw), "");
  // Ordered after `a` itself (not after its Free), `b` still meets it in the buffer.
  p.ops[static_cast<std::size_t>(b)].deps = {a};
  EXPECT_NE(error_of(p, hw).find("capacity overflow in the global buffer"), std::string::npos);
  // Every kind of allocation counts alike: a vector op's result and a write-back into the buffer.
  Program kinds;
  const int v = kinds.vector(64, 64, chunk, {}, "requant");
  kinds.free(v, {v});
  const int w = kinds.write_back({0, 1}, chunk / 2, {}, "wb");
  kinds.ops.back().dest = Place::GlobalBuffer;
  kinds.free(w, {w});
  EXPECT_NE(error_of(kinds, hw).find("capacity overflow in the global buffer (gb_bytes 1048576): in some order the "
                                     "dependencies allow, 1228800 bytes are allocated there at once; when op 0 (vector "
                                     "'requant') runs, these may still be allocated: op 2 (write_back 'wb')"),
            std::string::npos)
      << error_of(kinds, hw);
}

TEST(Capacity, RejectsAnL1BufferOverflowThatOnlySomeScheduleReaches) {
  const HardwareConfig hw = small_hw();
  ASSERT_EQ(hw.fixed.l1_buffer_bytes, 65536);
  Program p;
  const int r = p.reduce({4, 5}, 64, ReduceLevel::L1, 40 * 1024, {}, "psum");
  const int fr = p.free(r, {r});
  const int m = p.move(Place::GlobalBuffer, Place::L1Buffer, 40 * 1024, {}, "down", 1);
  p.free(m, {m});
  // The same sizes in the other L1 decoder's buffer do not meet: one each.
  Program apart = p;
  apart.ops[static_cast<std::size_t>(m)].l1 = 0;
  EXPECT_EQ(error_of(apart, hw), "");
  EXPECT_NE(error_of(p, hw).find("capacity overflow in the buffer of L1 decoder 1 (l1_buffer_bytes 65536): in some order "
                                 "the dependencies allow, 81920 bytes are allocated there at once; when op 0 (reduce "
                                 "'psum') runs, these may still be allocated: op 2 (move 'down')"),
            std::string::npos)
      << error_of(p, hw);
  p.ops[static_cast<std::size_t>(m)].deps = {fr};
  EXPECT_EQ(error_of(p, hw), "");
}

// The mapper's pipeline of a non-MAC layer (program_builder.cpp, add_vector_layer): chunk i moves its
// input into the global buffer, a vector op writes its output there, the input is freed, the output
// stored to DRAM and freed; chunk i's input waits for chunk i − k to be released. At most k chunks
// are in the buffer, so it fits exactly when k chunks do.
Program vector_pipeline(int chunks, int in_flight, std::int64_t in, std::int64_t out) {
  Program p;
  std::vector<int> released;
  for (int i = 0; i < chunks; ++i) {
    std::vector<int> deps;
    if (i >= in_flight) deps.push_back(released[static_cast<std::size_t>(i - in_flight)]);
    const std::string n = "c" + std::to_string(i);
    const int fetch = p.move(Place::Dram, Place::GlobalBuffer, in, deps, n + " in");
    const int vec = p.vector(in, in, out, {fetch}, n + " vec");
    const int in_free = p.free(fetch, {vec}, n + " in free");
    const int store = p.move(Place::GlobalBuffer, Place::Dram, out, {vec}, n + " out");
    released.push_back(p.free(vec, {store, in_free}, n + " out free"));
  }
  return p;
}

TEST(Capacity, AcceptsAPipelineWhoseChunksInFlightFitAndRejectsOneMore) {
  HardwareConfig hw = small_hw();
  const std::int64_t in = 3000, out = 1000, chunk = in + out;
  for (int k = 1; k <= 8; ++k) {
    for (std::int64_t gb : {k * chunk, (k + 1) * chunk - 1}) {
      hw.fixed.gb_bytes = gb;
      const int chunks = 3 * k + 2;
      EXPECT_EQ(error_of(vector_pipeline(chunks, k, in, out), hw), "") << k << " in flight, gb_bytes " << gb;
      // With one more in flight, k + 1 whole chunks can be in the buffer at once; the op named is the
      // first whose start the chain bound cannot clear: chunk 0's input when it meets k whole chunks,
      // else its output.
      const bool input_overflows = in + k * chunk > gb;
      const std::string e = error_of(vector_pipeline(chunks, k + 1, in, out), hw);
      EXPECT_NE(e.find("capacity overflow in the global buffer (gb_bytes " + std::to_string(gb) +
                       "): in some order the dependencies allow, " + std::to_string((k + 1) * chunk) +
                       " bytes are allocated there at once; when " +
                       (input_overflows ? "op 0 (move 'c0 in')" : "op 1 (vector 'c0 vec')") +
                       " runs, these may still be allocated: " +
                       (input_overflows ? "op 5 (move 'c1 in')" : "op 0 (move 'c0 in'), op 5 (move 'c1 in')")),
                std::string::npos)
          << k + 1 << " in flight, gb_bytes " << gb << ": " << e;
    }
  }
}

// The mapper's reduced outputs (add_reduced_output) at L1: tile t reduces into the L1 buffer once tile
// t − k is released, moves its result up into the global buffer, requantises it there and stores it;
// at most k tiles' results are in the L1 buffer, and k results plus k outputs in the global buffer.
Program reduce_pipeline(int tiles, int in_flight, std::int64_t result, std::int64_t out) {
  Program p;
  std::vector<int> released;
  for (int t = 0; t < tiles; ++t) {
    const std::string n = "t" + std::to_string(t);
    const int c = p.compute({4, 5}, 100, 0, {}, n + " mac");
    std::vector<int> deps = {c};
    if (t >= in_flight) deps.push_back(released[static_cast<std::size_t>(t - in_flight)]);
    const int red = p.reduce({4, 5}, result / 2, ReduceLevel::L1, result, deps, n + " psum");
    const int up = p.move(Place::L1Buffer, Place::GlobalBuffer, result, {red}, n + " psum up", 1);
    const int red_free = p.free(red, {up}, n + " psum free");
    const int vec = p.vector(result, result, out, {up}, n + " requant");
    const int store = p.move(Place::GlobalBuffer, Place::Dram, out, {vec}, n + " out");
    const int up_free = p.free(up, {vec}, n + " up free");
    released.push_back(p.free(vec, {store, up_free, red_free}, n + " out free"));
  }
  return p;
}

TEST(Capacity, AcceptsAReductionPipelineWhoseTilesFitTheL1Buffer) {
  HardwareConfig hw = small_hw();
  const std::int64_t result = 8192, out = 2048;
  for (int k = 1; k <= 4; ++k) {
    // The L1 buffer: k results fit, k + 1 tiles in flight overflow it.
    hw.fixed.l1_buffer_bytes = k * result;
    hw.fixed.gb_bytes = 1 << 20;
    EXPECT_EQ(error_of(reduce_pipeline(3 * k + 1, k, result, out), hw), "") << k;
    const std::string e = error_of(reduce_pipeline(3 * k + 1, k + 1, result, out), hw);
    EXPECT_NE(e.find("capacity overflow in the buffer of L1 decoder 1 (l1_buffer_bytes " + std::to_string(k * result) +
                     "): in some order the dependencies allow, " + std::to_string((k + 1) * result) +
                     " bytes are allocated there at once; when op 1 (reduce 't0 psum') runs"),
              std::string::npos)
        << k << ": " << e;
    // The global buffer: k results and k outputs fit, one byte less does not.
    hw.fixed.l1_buffer_bytes = 1 << 20;
    hw.fixed.gb_bytes = k * (result + out);
    EXPECT_EQ(error_of(reduce_pipeline(3 * k + 1, k, result, out), hw), "") << k;
    hw.fixed.gb_bytes = k * (result + out) - 1;
    EXPECT_NE(error_of(reduce_pipeline(3 * k + 1, k, result, out), hw)
                  .find("capacity overflow in the global buffer (gb_bytes " + std::to_string(k * (result + out) - 1) +
                        "): in some order the dependencies allow, " + std::to_string(k * (result + out)) +
                        " bytes are allocated there at once; when op 4 (vector 't0 requant') runs"),
              std::string::npos)
        << k << ": " << error_of(reduce_pipeline(3 * k + 1, k, result, out), hw);
  }
}

}  // namespace
}  // namespace cimnet
