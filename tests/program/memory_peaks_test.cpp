// memory_peaks(): the most each memory holds at the end of any cycle, from hand-set op spans. Closed
// forms: a release and an allocation in one cycle count as the net; an allocation nothing frees is held
// to the end; and every memory's peak is the maximum of memory_occupancy()'s matching level.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "program/memories.hpp"
#include "program/memory_occupancy.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;

TEST(MemoryPeaks, AReleaseAndAnAllocationInOneCycleCountAsTheirNet) {
  // Array 0: 40 KiB, freed at cycle 20, and 30 KiB loaded from cycle 20 (not 70 KiB); array 1: 8 KiB
  // loaded twice, nothing freed (16 KiB at the end).
  Program p;
  const int a = p.load({0}, 40 * 1024, {}, true, "first");
  const int c = p.compute({0}, 100, 0, {a});
  const int f = p.free(a, {c});
  const int b = p.load({0}, 30 * 1024, {f}, true, "second");
  const int k1 = p.load({1}, 8 * 1024, {}, true, "kept");
  const int k2 = p.load({1}, 8 * 1024, {k1}, true, "kept too");
  p.compute({0, 1}, 100, 0, {b, k2});
  ASSERT_EQ(error_of(p, small_hw()), "");
  std::vector<OpSpan> s(p.ops.size());
  s[0] = {3, 10};
  s[1] = {10, 20};
  s[2] = {20, 20};  // the free takes no time
  s[3] = {20, 30};
  s[4] = {0, 5};
  s[5] = {5, 9};
  s[6] = {30, 45};
  const Memories memories(small_hw());
  const std::vector<std::int64_t> peaks = memory_peaks(p, memories, s);
  ASSERT_EQ(peaks.size(), memories.count());
  EXPECT_EQ(peaks[0], 40 * 1024);
  EXPECT_EQ(peaks[1], 16 * 1024);
  for (std::size_t m = 2; m < memories.count(); ++m) EXPECT_EQ(peaks[m], 0) << memories.short_name(m);
  // The fullest array's timeline has the same maximum.
  EXPECT_EQ(memory_occupancy(p, small_hw(), s).level("ma_fullest").peak_bytes(), 40 * 1024);
  // Freed a cycle later, the two loads of array 0 overlap for one cycle.
  s[2] = {21, 21};
  s[3] = {20, 30};
  EXPECT_EQ(memory_peaks(p, memories, s)[0], 70 * 1024);
}

TEST(MemoryPeaks, SpansMustMatchTheProgram) {
  Program p;
  p.load({0}, 1024, {});
  EXPECT_THROW(memory_peaks(p, Memories(small_hw()), {}), std::invalid_argument);
}

}  // namespace
}  // namespace cimnet
