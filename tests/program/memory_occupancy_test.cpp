// memory_occupancy(): the bytes each memory level holds over a run as an exact step function. Hand-built
// programs with hand-set op spans whose step functions are written out in closed form; a never-freed
// allocation held to the end; and, on random valid programs under random schedules their dependencies
// allow, agreement with a cycle-by-cycle count and never more than a level's capacity.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "common/random.hpp"
#include "program/memories.hpp"
#include "program/memory_occupancy.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet {
namespace {

using test::error_of;
using test::small_hw;
using Steps = std::vector<OccupancyStep>;

// Spans for a program, all at [0, 0] until set.
std::vector<OpSpan> spans_for(const Program& p) { return std::vector<OpSpan>(p.ops.size()); }

TEST(MemoryOccupancy, TwoLoadsOnOneArrayWithAFreeBetween) {
  // 40 KiB of weights, computed on, freed; then 20 KiB more that nothing frees.
  Program p;
  const int a = p.load({0}, 40 * 1024, {}, true, "first");
  const int c = p.compute({0}, 100, 0, {a});
  const int f = p.free(a, {c});
  const int b = p.load({0}, 20 * 1024, {f}, true, "second");
  p.compute({0}, 100, 0, {b});
  ASSERT_EQ(error_of(p, small_hw()), "");
  std::vector<OpSpan> s = spans_for(p);
  s[0] = {3, 10};   // first load
  s[1] = {10, 20};  // compute
  s[2] = {20, 20};  // free: takes no time
  s[3] = {20, 30};  // second load, starting the cycle the free ends
  s[4] = {30, 45};
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), s);
  EXPECT_EQ(occ.end_cycle, 45);
  // The release and the new allocation meet at cycle 20: the net, 20 KiB, from then on; the second
  // load is never freed, so it is held to the end of the run.
  const Steps weights = {{0, 0}, {3, 40 * 1024}, {20, 20 * 1024}};
  EXPECT_EQ(occ.level("ma_fullest").steps, weights);
  EXPECT_EQ(occ.level("ma_total").steps, weights);
  EXPECT_EQ(occ.level("ma_fullest").capacity, 64 * 1024);
  EXPECT_EQ(occ.level("ma_total").capacity, 8 * 64 * 1024);  // 2 L1 decoders x 4 arrays
  EXPECT_EQ(occ.level("ma_fullest").peak_bytes(), 40 * 1024);
  EXPECT_EQ(occ.level("ma_fullest").bytes_at(45), 20 * 1024);
  EXPECT_EQ(occ.level("ma_fullest").bytes_at(19), 40 * 1024);
  EXPECT_EQ(occ.level("ma_fullest").bytes_at(2), 0);
  for (const char* buffer : {"gb", "l1_total", "l1_fullest"}) {
    EXPECT_EQ(occ.level(buffer).steps, (Steps{{0, 0}})) << buffer;
  }
}

TEST(MemoryOccupancy, LevelsInTheirOrderWithTheirCapacities) {
  Program p;
  p.compute({0}, 1, 0);
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), {{0, 4}});
  ASSERT_EQ(occ.levels.size(), 5U);
  const std::vector<std::pair<std::string, std::int64_t>> expected = {
      {"gb", 1 << 20}, {"l1_total", 2 * 65536}, {"l1_fullest", 65536}, {"ma_total", 8 * 65536}, {"ma_fullest", 65536}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(occ.levels[i].level, expected[i].first);
    EXPECT_EQ(occ.levels[i].capacity, expected[i].second) << expected[i].first;
    EXPECT_EQ(occ.levels[i].steps, (Steps{{0, 0}})) << expected[i].first;
  }
  EXPECT_EQ(occupancy_levels(), (std::vector<std::string>{"gb", "l1_total", "l1_fullest", "ma_total", "ma_fullest"}));
  EXPECT_THROW(occ.level("dram"), std::out_of_range);
}

TEST(MemoryOccupancy, OverlappingAllocationsOfTheGlobalBufferAddUp) {
  // Every kind that allocates in the global buffer, with the amount program.hpp gives it: a write-back
  // of 1000 bytes from each of 3 arrays (3000), a vector op's output (500), a move into it (300) and a
  // reduce at L2 (its result, 700).
  Program p;
  const int wb = p.write_back({0, 1, 2}, 1000);
  p.ops[static_cast<std::size_t>(wb)].dest = Place::GlobalBuffer;
  const int v = p.vector(3000, 10, 500, {wb});
  const int mv = p.move(Place::Dram, Place::GlobalBuffer, 300);
  const int rd = p.reduce({0, 5}, 64, ReduceLevel::L2, 700);
  const int f_wb = p.free(wb, {v});
  const int f_mv = p.free(mv, {mv});
  const int f_v = p.free(v, {v});
  ASSERT_EQ(error_of(p, small_hw()), "");
  std::vector<OpSpan> s = spans_for(p);
  s[static_cast<std::size_t>(wb)] = {0, 10};
  s[static_cast<std::size_t>(v)] = {10, 14};
  s[static_cast<std::size_t>(mv)] = {5, 12};
  s[static_cast<std::size_t>(rd)] = {12, 20};  // never freed
  s[static_cast<std::size_t>(f_wb)] = {14, 14};
  s[static_cast<std::size_t>(f_mv)] = {12, 12};
  s[static_cast<std::size_t>(f_v)] = {30, 30};
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), s);
  EXPECT_EQ(occ.end_cycle, 30);
  // 0: write-back 3000; 5: + move 300; 10: + vector 500; 12: − move 300 + reduce 700 (net +400);
  // 14: − write-back 3000; 30: − vector 500, leaving the reduce's 700 to the end.
  const Steps gb = {{0, 3000}, {5, 3300}, {10, 3800}, {12, 4200}, {14, 1200}, {30, 700}};
  EXPECT_EQ(occ.level("gb").steps, gb);
  EXPECT_EQ(occ.level("gb").peak_bytes(), 4200);
  EXPECT_EQ(occ.level("l1_total").steps, (Steps{{0, 0}}));
  EXPECT_EQ(occ.level("ma_total").steps, (Steps{{0, 0}}));  // write-backs read arrays, allocate nothing there
}

TEST(MemoryOccupancy, L1BuffersTotalAndFullest) {
  // A reduce at L1 under decoder 1 (arrays 4, 5: its result in L1 buffer 1) and two moves into L1
  // buffer 0.
  Program p;
  const int r1 = p.reduce({4, 5}, 64, ReduceLevel::L1, 4000);
  const int m0 = p.move(Place::Dram, Place::L1Buffer, 1500, {}, "", 0);
  const int m1 = p.move(Place::GlobalBuffer, Place::L1Buffer, 3000, {}, "", 0);
  const int f1 = p.free(r1, {r1});
  const int f0 = p.free(m0, {m0});
  ASSERT_EQ(error_of(p, small_hw()), "");
  std::vector<OpSpan> s = spans_for(p);
  s[static_cast<std::size_t>(r1)] = {2, 6};
  s[static_cast<std::size_t>(m0)] = {0, 3};
  s[static_cast<std::size_t>(m1)] = {4, 8};  // never freed
  s[static_cast<std::size_t>(f1)] = {9, 9};
  s[static_cast<std::size_t>(f0)] = {7, 7};
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), s);
  // Buffer 0: 1500 from 0, 4500 from 4, 3000 from 7. Buffer 1: 4000 from 2 to 9.
  EXPECT_EQ(occ.level("l1_total").steps, (Steps{{0, 1500}, {2, 5500}, {4, 8500}, {7, 7000}, {9, 3000}}));
  EXPECT_EQ(occ.level("l1_fullest").steps, (Steps{{0, 1500}, {2, 4000}, {4, 4500}, {7, 4000}, {9, 3000}}));
  EXPECT_EQ(occ.level("gb").steps, (Steps{{0, 0}}));
}

TEST(MemoryOccupancy, ArraysTotalAndFullestWithAMulticastLoad) {
  // A multicast load allocates its bytes in each of its arrays.
  Program p;
  const int all = p.load({0, 1, 2}, 10000);
  const int one = p.load({1}, 5000);
  const int f = p.free(one, {one});
  const int fa = p.free(all, {all, f});
  ASSERT_EQ(error_of(p, small_hw()), "");
  std::vector<OpSpan> s = spans_for(p);
  s[static_cast<std::size_t>(all)] = {0, 5};
  s[static_cast<std::size_t>(one)] = {3, 8};
  s[static_cast<std::size_t>(f)] = {12, 12};
  s[static_cast<std::size_t>(fa)] = {15, 15};
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), s);
  EXPECT_EQ(occ.level("ma_total").steps, (Steps{{0, 30000}, {3, 35000}, {12, 30000}, {15, 0}}));
  EXPECT_EQ(occ.level("ma_fullest").steps, (Steps{{0, 10000}, {3, 15000}, {12, 10000}, {15, 0}}));
  EXPECT_EQ(occ.end_cycle, 15);
}

TEST(MemoryOccupancy, ANeverFreedAllocationIsHeldToTheEndOfTheRun) {
  // Resident weights: loaded once, never freed, while a later op runs long after.
  Program p;
  const int w = p.load({3}, 50000, {}, true, "resident");
  const int c = p.compute({3}, 1000, 0, {w});
  p.compute({3}, 1000, 0, {c});
  ASSERT_EQ(error_of(p, small_hw()), "");
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), {{7, 20}, {20, 500}, {500, 100000}});
  EXPECT_EQ(occ.end_cycle, 100000);
  EXPECT_EQ(occ.level("ma_fullest").steps, (Steps{{0, 0}, {7, 50000}}));
  EXPECT_EQ(occ.level("ma_fullest").bytes_at(occ.end_cycle), 50000);
}

TEST(MemoryOccupancy, AllocationAtCycleZeroReplacesTheEmptyStart) {
  Program p;
  p.load({0}, 100);
  const MemoryOccupancy occ = memory_occupancy(p, small_hw(), {{0, 3}});
  EXPECT_EQ(occ.level("ma_total").steps, (Steps{{0, 100}}));
}

TEST(MemoryOccupancy, SpansMustMatchTheProgram) {
  Program p;
  p.load({0}, 100);
  p.compute({0}, 1, 0, {0});
  try {
    memory_occupancy(p, small_hw(), {{0, 3}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "memory_occupancy: 1 op spans for a program of 2 ops");
  }
}

// --- Random valid programs under random schedules ---------------------------------------------------

// 2 L1 decoders x 2 arrays with small capacities, so that random programs often come close to them.
HardwareConfig tight_hw() {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 2);
  hw.set(HwParam::MA_mem_size, 2048);
  hw.fixed.gb_bytes = 2500;
  hw.fixed.l1_buffer_bytes = 1800;
  return hw;
}

Program random_program(Rng& rng) {
  Program p;
  const int n = 6 + static_cast<int>(rng.uniform_int(20));
  std::vector<int> unfreed;
  for (int i = 0; i < n; ++i) {
    std::vector<int> deps;
    for (int d = 0; d < i; ++d) {
      if (rng.uniform_int(5) == 0) deps.push_back(d);
    }
    const std::int64_t bytes = 100 * (1 + static_cast<std::int64_t>(rng.uniform_int(9)));
    const auto roll = rng.uniform_int(12);
    if (!unfreed.empty() && roll < 4) {
      const std::size_t k = rng.uniform_int(unfreed.size());
      if (std::find(deps.begin(), deps.end(), unfreed[k]) == deps.end()) deps.push_back(unfreed[k]);
      p.free(unfreed[k], deps);
      unfreed.erase(unfreed.begin() + static_cast<std::ptrdiff_t>(k));
      continue;
    }
    int id = -1;
    switch (roll) {
      case 4: id = p.load({static_cast<int>(rng.uniform_int(4))}, bytes, deps); break;
      case 5: id = p.load({0, 1, 2, 3}, bytes, deps); break;
      case 6: id = p.move(Place::Dram, Place::GlobalBuffer, bytes, deps); break;
      case 7: id = p.vector(64, 8, bytes, deps); break;
      case 8: id = p.reduce({2, 3}, 64, ReduceLevel::L1, bytes, deps); break;
      case 9: id = p.move(Place::GlobalBuffer, Place::L1Buffer, bytes, deps, "", 0); break;
      case 10:
        id = p.write_back({0, 1}, bytes / 2, deps);
        p.ops.back().dest = Place::GlobalBuffer;
        break;
      default: p.compute({static_cast<int>(rng.uniform_int(4))}, 10, 0, deps); break;
    }
    if (id >= 0) unfreed.push_back(id);
  }
  return p;
}

// A schedule the dependencies allow: each op starts some cycles after its last dependency ends and
// lasts some cycles (a Free, like the model's, none).
std::vector<OpSpan> random_schedule(const Program& p, Rng& rng) {
  std::vector<OpSpan> s(p.ops.size());
  for (std::size_t i = 0; i < p.ops.size(); ++i) {  // ops follow their dependencies
    std::int64_t ready = 0;
    for (int d : p.ops[i].deps) ready = std::max(ready, s[static_cast<std::size_t>(d)].end);
    s[i].start = ready + static_cast<std::int64_t>(rng.uniform_int(4));
    s[i].end = s[i].start + (p.ops[i].kind == OpKind::Free ? 0 : static_cast<std::int64_t>(rng.uniform_int(6)));
  }
  return s;
}

TEST(MemoryOccupancy, RandomValidProgramsMatchACycleByCycleCountAndNeverExceedCapacity) {
  const HardwareConfig hw = tight_hw();
  const Memories mem(hw);
  Rng rng(14);
  int valid = 0, near_capacity = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const Program p = random_program(rng);
    if (!error_of(p, hw).empty()) continue;
    ++valid;
    const std::vector<OpSpan> s = random_schedule(p, rng);
    const MemoryOccupancy occ = memory_occupancy(p, hw, s);
    // The count, cycle by cycle: allocation a is held at t when start(a) ≤ t < end(its Free).
    std::vector<int> freed_by(p.ops.size(), -1);
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      if (p.ops[i].kind != OpKind::Free) continue;
      for (int f : p.ops[i].frees) freed_by[static_cast<std::size_t>(f)] = static_cast<int>(i);
    }
    for (std::int64_t t = 0; t <= occ.end_cycle; ++t) {
      std::vector<std::int64_t> held(mem.count(), 0);
      for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const std::int64_t until = freed_by[i] >= 0 ? s[static_cast<std::size_t>(freed_by[i])].end : occ.end_cycle + 1;
        if (s[i].start > t || t >= until) continue;
        for (const auto& a : allocations_of(p.ops[i], mem)) held[a.memory] += a.bytes;
      }
      std::int64_t l1_total = 0, l1_max = 0, ma_total = 0, ma_max = 0;
      for (std::int64_t a = 0; a < mem.arrays; ++a) {
        ma_total += held[static_cast<std::size_t>(a)];
        ma_max = std::max(ma_max, held[static_cast<std::size_t>(a)]);
      }
      for (std::int64_t l = 0; l < mem.l1s; ++l) {
        l1_total += held[mem.l1_buffer(l)];
        l1_max = std::max(l1_max, held[mem.l1_buffer(l)]);
      }
      const std::int64_t expected[] = {held[mem.global_buffer()], l1_total, l1_max, ma_total, ma_max};
      for (std::size_t l = 0; l < 5; ++l) {
        ASSERT_EQ(occ.levels[l].bytes_at(t), expected[l]) << "trial " << trial << " cycle " << t << " " << occ.levels[l].level;
      }
    }
    for (const auto& level : occ.levels) {
      ASSERT_FALSE(level.steps.empty());
      EXPECT_EQ(level.steps.front().cycle, 0);
      for (std::size_t k = 1; k < level.steps.size(); ++k) {
        EXPECT_LT(level.steps[k - 1].cycle, level.steps[k].cycle) << "trial " << trial;
        EXPECT_NE(level.steps[k - 1].bytes, level.steps[k].bytes) << "trial " << trial << ": not a change point";
      }
      EXPECT_LE(level.peak_bytes(), level.capacity) << "trial " << trial << " " << level.level;
      if (2 * level.peak_bytes() > level.capacity && level.level.find("fullest") != std::string::npos) ++near_capacity;
    }
  }
  // The trials say something: many valid programs, many coming above half a memory's capacity.
  EXPECT_GT(valid, 1000);
  EXPECT_GT(near_capacity, 300);
}

}  // namespace
}  // namespace cimnet
