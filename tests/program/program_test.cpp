// Validation of the controller program: every rejected input gives a clear InputError.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "program/program.hpp"

namespace cimnet {
namespace {

HardwareConfig small_hw() {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 4);
  hw.set(HwParam::MA_mem_size, 64 * 1024);
  return hw;
}

std::string error_of(const Program& p, const HardwareConfig& hw) {
  try {
    validate(p, hw);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

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
  EXPECT_NE(error_of(p, small_hw()).find("bytes must be positive"), std::string::npos);
  Program q;
  q.compute({0}, 0, 10);
  EXPECT_NE(error_of(q, small_hw()).find("macs must be positive"), std::string::npos);
  Program v;
  v.vector(1, 10, 0);
  EXPECT_NE(error_of(v, small_hw()).find("bytes_out must be positive"), std::string::npos);
  Program n;
  n.compute({}, 10, 0);
  EXPECT_NE(error_of(n, small_hw()).find("names no array"), std::string::npos);
}

TEST(Program, RejectsZeroBandwidth) {
  Program p;
  p.load({0}, 1024);
  HardwareConfig hw = small_hw();
  hw.set(HwParam::L1_bw, 0);
  EXPECT_NE(error_of(p, hw).find("L1_bw must be positive"), std::string::npos) << error_of(p, hw);
}

TEST(Program, RejectsASingleLoadLargerThanAnArray) {
  Program p;
  p.load({1}, 64 * 1024 + 1);
  EXPECT_NE(error_of(p, small_hw()).find("capacity overflow"), std::string::npos);
}

TEST(Program, RejectsCapacityOverflowOverTime) {
  // Two 40 KiB loads into a 64 KiB array: fine when the first is freed before the second...
  Program ok;
  const int a = ok.load({0}, 40 * 1024);
  const int c = ok.compute({0}, 100, 0, {a});
  const int f = ok.free(a, {c});
  ok.load({0}, 40 * 1024, {f});
  EXPECT_NO_THROW(validate(ok, small_hw()));
  // ...an overflow when nothing orders a free before it...
  Program bad;
  const int b = bad.load({0}, 40 * 1024, {}, true, "first");
  const int d = bad.compute({0}, 100, 0, {b});
  bad.free(b, {d});
  bad.load({0}, 40 * 1024, {d}, true, "second");  // depends on the compute, not on the free
  const std::string e = error_of(bad, small_hw());
  EXPECT_NE(e.find("capacity overflow in array 0"), std::string::npos) << e;
  EXPECT_NE(e.find("'first'"), std::string::npos) << e;
  // ...and when the loads are unordered, whichever runs second overflows.
  Program par;
  par.load({0, 1}, 40 * 1024);
  par.load({1}, 40 * 1024);
  EXPECT_NE(error_of(par, small_hw()).find("capacity overflow in array 1"), std::string::npos);
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
  Program f;
  f.compute({0}, 10, 0);
  f.free(0);
  EXPECT_NE(error_of(f, small_hw()).find("which is not a load"), std::string::npos);
  Program unordered;
  unordered.load({0}, 10);
  unordered.free(0);  // no dependency on the load
  EXPECT_NE(error_of(unordered, small_hw()).find("must depend"), std::string::npos);
  Program s;
  s.stream({0}, small_hw().fixed.input_buffer_bytes + 1);
  EXPECT_NE(error_of(s, small_hw()).find("input_buffer_bytes"), std::string::npos);
  Program r;
  r.reduce({0, 4}, 64, ReduceLevel::L1, 64);  // arrays 0 and 4 are under different L1 decoders
  EXPECT_NE(error_of(r, small_hw()).find("under one L1 decoder"), std::string::npos);
  Program dup;
  dup.load({2, 2}, 64);
  EXPECT_NE(error_of(dup, small_hw()).find("listed twice"), std::string::npos);
}

}  // namespace
}  // namespace cimnet
