// Validation of the controller program: every rejected input gives a clear InputError. Capacity over
// time: capacity_test.cpp and capacity_exhaustive_test.cpp.
#include <gtest/gtest.h>

#include "program/program.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

TEST(Program, AcceptsAValidProgram) {
  Program p;
  const int l = p.load({0, 1, 2}, 32 * 1024);
  const int s = p.stream({0, 1, 2}, 4096);
  const int c = p.compute({0, 1, 2}, 1000, 4096, {l, s});
  const int r = p.reduce({0, 1, 2}, 1024, ReduceLevel::L1, 1024, {c});
  p.vector(1024, 256, 1024, {r});
  p.write_back({0}, 1024, {c});
  p.free(l, {c});
  EXPECT_NO_THROW(validate(p, small_hw()));
  EXPECT_EQ(topological_order(p).size(), p.ops.size());
}

TEST(Program, RejectsAnEmptyProgram) {
  EXPECT_NE(error_of(Program{}, small_hw()).find("no operations"), std::string::npos);
}

TEST(Program, RejectsAMissingArray) {
  Program p;
  p.load({3, 8}, 1024, {}, true, "w");
  const std::string e = error_of(p, small_hw());
  EXPECT_NE(e.find("op 0 (load 'w'): array 8 does not exist"), std::string::npos) << e;
  EXPECT_NE(e.find("8 arrays"), std::string::npos) << e;
  Program q;
  q.compute({-1}, 10, 0);
  EXPECT_NE(error_of(q, small_hw()).find("array -1 does not exist"), std::string::npos);
}

TEST(Program, RejectsZeroSizes) {
  Program p;
  p.load({0}, 0);
  EXPECT_NE(error_of(p, small_hw()).find("op 0 (load): bytes must be positive, got 0"), std::string::npos);
  Program q;
  q.compute({0}, 0, 10);
  EXPECT_NE(error_of(q, small_hw()).find("op 0 (compute): macs must be positive, got 0"), std::string::npos);
  Program v;
  v.vector(1, 10, 0);
  EXPECT_NE(error_of(v, small_hw()).find("op 0 (vector): bytes_out (written into the global buffer) must be positive, got 0"),
            std::string::npos)
      << error_of(v, small_hw());
  Program ops;
  ops.vector(1, 0, 1);
  EXPECT_NE(error_of(ops, small_hw()).find("op 0 (vector): vector_ops must be positive, got 0"), std::string::npos);
  Program r;
  r.reduce({0, 1}, 64, ReduceLevel::L1, 0);
  EXPECT_NE(error_of(r, small_hw()).find("op 0 (reduce): bytes_out (the result kept in the decoder's buffer) must be "
                                         "positive, got 0"),
            std::string::npos)
      << error_of(r, small_hw());
  Program m;
  m.move(Place::Dram, Place::GlobalBuffer, -5);
  EXPECT_NE(error_of(m, small_hw()).find("op 0 (move): bytes must be positive, got -5"), std::string::npos);
  Program n;
  n.compute({}, 10, 0);
  EXPECT_NE(error_of(n, small_hw()).find("op 0 (compute): names no array"), std::string::npos);
}

TEST(Program, RejectsZeroBandwidth) {
  Program p;
  p.load({0}, 1024);
  HardwareConfig hw = small_hw();
  hw.set(HwParam::L1_bw, 0);
  EXPECT_NE(error_of(p, hw).find("L1_bw must be positive"), std::string::npos) << error_of(p, hw);
}

TEST(Program, RejectsDependencyCycles) {
  Program p;
  p.compute({0}, 10, 0, {2}, "a");
  p.compute({0}, 10, 0, {0}, "b");
  p.compute({0}, 10, 0, {1}, "c");
  const std::string e = error_of(p, small_hw());
  EXPECT_NE(e.find("dependency cycle"), std::string::npos) << e;
  EXPECT_NE(e.find("'a'"), std::string::npos) << e;
  Program self;
  self.compute({0}, 10, 0, {0});
  EXPECT_NE(error_of(self, small_hw()).find("depends on itself"), std::string::npos);
  Program missing;
  missing.compute({0}, 10, 0, {7});
  EXPECT_NE(error_of(missing, small_hw()).find("depends on op 7, which does not exist"), std::string::npos);
}

TEST(Program, RejectsBadFreesStreamsAndReduces) {
  // A Free of an op that allocates nothing: a compute, a move into DRAM, another Free, a missing op.
  Program f;
  f.compute({0}, 10, 0);
  f.free(0, {0});
  EXPECT_NE(error_of(f, small_hw()).find("op 1 (free): frees op 0 (compute), which allocates nothing"),
            std::string::npos)
      << error_of(f, small_hw());
  Program to_dram;
  to_dram.move(Place::GlobalBuffer, Place::Dram, 64, {}, "out");
  to_dram.free(0, {0});
  EXPECT_NE(error_of(to_dram, small_hw()).find("op 1 (free): frees op 0 (move 'out'), which allocates nothing"),
            std::string::npos);
  Program of_free;
  of_free.load({0}, 10);
  of_free.free(0, {0});
  of_free.free(1, {1});
  EXPECT_NE(error_of(of_free, small_hw()).find("op 2 (free): frees op 1 (free), which allocates nothing"),
            std::string::npos);
  Program missing;
  missing.free(3);
  EXPECT_NE(error_of(missing, small_hw()).find("op 0 (free): frees op 3, which does not exist (the program has 1 ops)"),
            std::string::npos)
      << error_of(missing, small_hw());
  // Not after its op: the Free must depend on it, directly or not.
  Program unordered;
  unordered.load({0}, 10, {}, true, "w");
  unordered.free(0);  // no dependency on the load
  EXPECT_NE(error_of(unordered, small_hw()).find("op 1 (free) must depend (directly or not) on the op it frees, op 0 "
                                                 "(load 'w')"),
            std::string::npos)
      << error_of(unordered, small_hw());
  Program before;
  before.free(1);
  before.load({0}, 10, {0});  // the load depends on its own Free
  EXPECT_NE(error_of(before, small_hw()).find("op 0 (free) must depend (directly or not) on the op it frees, op 1"),
            std::string::npos);
  // One Free for several allocations: each must follow, none twice, none freed elsewhere, and at least one.
  Program several;
  several.load({0}, 10, {}, true, "w0");
  several.load({1}, 10, {}, true, "w1");
  several.free(std::vector<int>{0, 1}, {0});  // after w0 only
  EXPECT_NE(error_of(several, small_hw()).find("op 2 (free) must depend (directly or not) on the op it frees, op 1 "
                                               "(load 'w1')"),
            std::string::npos)
      << error_of(several, small_hw());
  several.ops.back().deps = {0, 1};
  EXPECT_EQ(error_of(several, small_hw()), "");
  several.ops.back().frees = {0, 1, 0};
  EXPECT_NE(error_of(several, small_hw()).find("op 2 (free) frees op 0 (load 'w0') twice"), std::string::npos)
      << error_of(several, small_hw());
  several.ops.back().frees = {1};
  several.free(std::vector<int>{0, 1}, {2});
  EXPECT_NE(error_of(several, small_hw()).find("op 3 (free): op 1 (load 'w1') is already freed by op 2 (free)"),
            std::string::npos)
      << error_of(several, small_hw());
  Program nothing;
  nothing.load({0}, 10);
  nothing.free(std::vector<int>{}, {0});
  EXPECT_NE(error_of(nothing, small_hw()).find("op 1 (free): frees no op"), std::string::npos)
      << error_of(nothing, small_hw());
  Program indirect;  // through a compute: fine
  indirect.load({0}, 10);
  indirect.compute({0}, 10, 0, {0});
  indirect.free(0, {1});
  EXPECT_EQ(error_of(indirect, small_hw()), "");
  // Twice.
  Program twice;
  const int g = twice.move(Place::Dram, Place::GlobalBuffer, 64, {}, "in");
  const int f1 = twice.free(g, {g});
  twice.free(g, {f1});
  EXPECT_NE(error_of(twice, small_hw()).find("op 2 (free): op 0 (move 'in') is already freed by op 1 (free)"),
            std::string::npos)
      << error_of(twice, small_hw());
  // A Free names the op, not arrays.
  Program arrays;
  arrays.load({0}, 10);
  arrays.free(0, {0});
  arrays.ops.back().arrays = {0};
  EXPECT_NE(error_of(arrays, small_hw()).find("op 1 (free): a free names no arrays (it names the op it frees)"),
            std::string::npos)
      << error_of(arrays, small_hw());

  Program s;
  s.stream({0}, small_hw().fixed.input_buffer_bytes + 1);
  EXPECT_NE(error_of(s, small_hw()).find("input_buffer_bytes"), std::string::npos);
  Program r;
  r.reduce({0, 4}, 64, ReduceLevel::L1, 64);  // arrays 0 and 4 are under different L1 decoders
  EXPECT_NE(error_of(r, small_hw()).find("op 0 (reduce): a reduce at L1 needs all its arrays under one L1 decoder, "
                                         "but arrays 0 and 4 are under different ones"),
            std::string::npos);
  Program dup;
  dup.load({2, 2}, 64);
  EXPECT_NE(error_of(dup, small_hw()).find("listed twice"), std::string::npos);
}

// Where each op kind may read and write (program.hpp): every other place is named in the error.
TEST(Program, RejectsPlacesAnOpCannotUse) {
  Program load_l1;
  load_l1.load({0}, 64);
  load_l1.ops.back().source = Place::L1Buffer;
  load_l1.ops.back().l1 = 0;
  EXPECT_NE(error_of(load_l1, small_hw()).find("op 0 (load): a load cannot have an L1 buffer as its source; allowed: "
                                               "DRAM, the global buffer"),
            std::string::npos)
      << error_of(load_l1, small_hw());
  Program wb_l1;
  wb_l1.write_back({0}, 64);
  wb_l1.ops.back().dest = Place::L1Buffer;
  EXPECT_NE(error_of(wb_l1, small_hw()).find("op 0 (write_back): a write_back cannot have an L1 buffer as its "
                                             "destination; allowed: DRAM, the global buffer"),
            std::string::npos)
      << error_of(wb_l1, small_hw());
  for (Place p : {Place::Dram, Place::GlobalBuffer}) {
    Program self;
    self.move(p, p, 64);
    EXPECT_NE(error_of(self, small_hw()).find(std::string("op 0 (move): moves from ") + to_string(p) + " to itself"),
              std::string::npos)
        << error_of(self, small_hw());
  }
  Program l1_self;
  l1_self.move(Place::L1Buffer, Place::L1Buffer, 64, {}, "", 1);
  EXPECT_NE(error_of(l1_self, small_hw()).find("op 0 (move): a move names one L1 buffer (l1); from one L1 buffer to "
                                               "another is two moves through the global buffer"),
            std::string::npos)
      << error_of(l1_self, small_hw());
  Program no_l1;
  no_l1.move(Place::GlobalBuffer, Place::L1Buffer, 64);  // l1 left at -1
  EXPECT_NE(error_of(no_l1, small_hw()).find("op 0 (move): L1 buffer -1 does not exist (L1 decoders 0..1)"),
            std::string::npos);
  Program far_l1;
  far_l1.move(Place::L1Buffer, Place::Dram, 64, {}, "", 2);
  EXPECT_NE(error_of(far_l1, small_hw()).find("op 0 (move): L1 buffer 2 does not exist (L1 decoders 0..1)"),
            std::string::npos);
  // A stream from L1 buffer 0 reaches only the arrays under decoder 0 (0..3).
  Program stream_ok;
  stream_ok.stream({0, 3}, 1024);
  stream_ok.ops.back().source = Place::L1Buffer;
  stream_ok.ops.back().l1 = 0;
  EXPECT_EQ(error_of(stream_ok, small_hw()), "");
  Program stream_far = stream_ok;
  stream_far.ops.back().arrays = {3, 4};
  EXPECT_NE(error_of(stream_far, small_hw()).find("op 0 (stream): streams from the buffer of L1 decoder 0 to array 4, "
                                                  "which is under L1 decoder 1"),
            std::string::npos)
      << error_of(stream_far, small_hw());
  // Ops that name no arrays: a vector op works on the global buffer, a move between places.
  Program vec;
  vec.vector(64, 64, 64);
  vec.ops.back().arrays = {0, 1};
  EXPECT_NE(error_of(vec, small_hw()).find("op 0 (vector): a vector names no arrays (it reads and writes the global "
                                           "buffer)"),
            std::string::npos)
      << error_of(vec, small_hw());
  Program mv;
  mv.move(Place::Dram, Place::GlobalBuffer, 64);
  mv.ops.back().arrays = {0};
  EXPECT_NE(error_of(mv, small_hw()).find("op 0 (move): a move names no arrays"), std::string::npos);
  // Every place each kind may use is accepted.
  Program all;
  const int in = all.move(Place::Dram, Place::GlobalBuffer, 4096);
  const int down = all.move(Place::GlobalBuffer, Place::L1Buffer, 1024, {in}, "", 1);
  const int w = all.load({4}, 1024, {in});
  all.ops.back().source = Place::GlobalBuffer;
  const int s = all.stream({5}, 1024, {down});
  all.ops.back().source = Place::L1Buffer;
  all.ops.back().l1 = 1;
  const int gs = all.stream({0}, 1024, {in});
  all.ops.back().source = Place::GlobalBuffer;
  const int c = all.compute({4, 5, 0}, 100, 0, {w, s, gs});
  const int wb = all.write_back({4}, 512, {c});
  all.ops.back().dest = Place::GlobalBuffer;
  all.move(Place::L1Buffer, Place::Dram, 1024, {s}, "", 1);
  all.move(Place::GlobalBuffer, Place::Dram, 512, {wb});
  EXPECT_EQ(error_of(all, small_hw()), "");
}

}  // namespace
}  // namespace cimnet
