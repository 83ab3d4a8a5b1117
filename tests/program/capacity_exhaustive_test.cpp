// validate()'s capacity check against every schedule, on small random programs.
//
// The question validate() answers for a memory with capacity C: "is there an order its dependencies
// allow in which the allocations present at one moment exceed C?" An op may start once all its
// dependencies have completed and may run for any time, so the orders are exactly the interleavings
// of the ops' start and end events that respect the dependencies. On programs of at most 12 ops this
// test walks every such interleaving (states: per op not started / running / done; at most 3^12) and
// takes the largest sum of live allocations — an allocation is live from its op's start until its
// Free is done — and compares it with validate().
//
// What it establishes (printed counts below):
// - Soundness: validate() never accepts a program some schedule overflows (asserted).
// - The exact peak is the heaviest antichain of the "freed before" order (a < b when a's Free is an
//   ancestor of b): asserted against the walk, so that the counterexample below can be read on the
//   order alone.
// - The chain-cover bound is conservative: it rejects some programs no schedule overflows (counted,
//   not asserted away; about 8 % of the fitting random programs here). A small instance, asserted in
//   GreedyChainCoverIsConservative: allocations x1, y1, x2, y2 with x1 and y1 freed before x2 starts
//   and y1 freed before y2 starts (an "N" in the freed-before order), and one more, A, unrelated to
//   them. The greedy cover puts x2 behind x1 and y2 behind y1, so the bound at A's start is A +
//   max(x1, x2) + max(y1, y2); with x2 and y1 large, that counts x2 and y1 together, which no schedule
//   has live at once. With x1 = y2 = A = 100 and x2 = y1 = 1000 the exact peak is 1200 and the bound
//   2100; no partition into chains is exact there (the best, {y1, x2} {x1} {y2} {A}, gives 1300): the
//   exact peak is a heaviest antichain, which a chain cover only bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "program/capacity_groups.hpp"
#include "program/memories.hpp"
#include "program/program.hpp"

namespace cimnet {
namespace {

enum class Memory { GlobalBuffer, L1Buffer1, Array0 };

HardwareConfig hw_with(Memory memory, std::int64_t capacity) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 2);  // arrays 0, 1 under L1 decoder 0; 2, 3 under decoder 1
  hw.set(HwParam::MA_mem_size, memory == Memory::Array0 ? capacity : std::int64_t{1} << 30);
  hw.fixed.gb_bytes = memory == Memory::GlobalBuffer ? capacity : std::int64_t{1} << 30;
  hw.fixed.l1_buffer_bytes = memory == Memory::L1Buffer1 ? capacity : std::int64_t{1} << 30;
  return hw;
}

// Adds an op that allocates `bytes` in `memory` (one of the op kinds that do, at random).
int add_allocation(Program& p, Memory memory, std::int64_t bytes, std::vector<int> deps, Rng& rng) {
  switch (memory) {
    case Memory::GlobalBuffer:
      switch (rng.uniform_int(4)) {
        case 0: return p.move(Place::Dram, Place::GlobalBuffer, bytes, deps);
        case 1: return p.vector(64, 64, bytes, deps);
        case 2: return p.reduce({0, 3}, 64, ReduceLevel::L2, bytes, deps);
        default: {
          const int id = p.write_back({2}, bytes, deps);
          p.ops.back().dest = Place::GlobalBuffer;
          return id;
        }
      }
    case Memory::L1Buffer1:
      if (rng.uniform_int(2)) return p.move(Place::GlobalBuffer, Place::L1Buffer, bytes, deps, "", 1);
      return p.reduce({2, 3}, 64, ReduceLevel::L1, bytes, deps);
    case Memory::Array0:
      return p.load({0}, bytes, deps);
  }
  return -1;
}

// A program whose allocations are all in one memory.
struct Case {
  Program program;
  Memory memory = Memory::GlobalBuffer;
  std::vector<int> allocs;   // ops allocating (in `memory`)
  std::vector<int> free_of;  // per op: the Free releasing it, -1 if none
};

Case case_of(Program program, Memory memory) {
  Case c;
  c.program = std::move(program);
  c.memory = memory;
  c.free_of.assign(c.program.ops.size(), -1);
  for (std::size_t i = 0; i < c.program.ops.size(); ++i) {
    const Op& op = c.program.ops[i];
    if (allocates(op)) c.allocs.push_back(static_cast<int>(i));
    if (op.kind != OpKind::Free) continue;
    for (int f : op.frees) c.free_of[static_cast<std::size_t>(f)] = static_cast<int>(i);
  }
  return c;
}

// `barriers`: some ops are then two-sided barriers (capacity_groups.hpp) — a compute that depends on
// every op without a user so far, on which every later op depends (directly or not) — so that
// allocations are made, freed and carried across segments.
Case random_case(Rng& rng, bool barriers = false) {
  const auto memory = static_cast<Memory>(rng.uniform_int(3));
  Program p;
  const int n = 4 + static_cast<int>(rng.uniform_int(9));  // 4..12 ops
  std::vector<int> unfreed;
  int allocations = 0, last_barrier = -1;
  std::vector<char> used(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    std::vector<int> deps;
    for (int d = 0; d < i; ++d) {
      if (rng.uniform_int(4) == 0) deps.push_back(d);
    }
    if (barriers && i > 1 && rng.uniform_int(4) == 0) {
      deps.clear();
      for (int d = 0; d < i; ++d) {
        if (!used[static_cast<std::size_t>(d)]) deps.push_back(d);
      }
      for (int d : deps) used[static_cast<std::size_t>(d)] = 1;
      last_barrier = p.compute({0}, 10, 0, deps);
      continue;
    }
    if (last_barrier >= 0 && (deps.empty() || deps.back() < last_barrier)) deps.push_back(last_barrier);
    for (int d : deps) used[static_cast<std::size_t>(d)] = 1;
    const auto roll = rng.uniform_int(10);
    if (!unfreed.empty() && roll < 4) {
      const std::size_t k = rng.uniform_int(unfreed.size());
      const int freed = unfreed[k];
      if (std::find(deps.begin(), deps.end(), freed) == deps.end()) deps.push_back(freed);
      used[static_cast<std::size_t>(freed)] = 1;
      p.free(freed, deps);
      unfreed.erase(unfreed.begin() + static_cast<std::ptrdiff_t>(k));
    } else if (roll < 8 && allocations < 7) {
      const std::int64_t bytes = 100 * (1 + static_cast<std::int64_t>(rng.uniform_int(9)));
      unfreed.push_back(add_allocation(p, memory, bytes, deps, rng));
      ++allocations;
    } else {
      p.compute({static_cast<int>(rng.uniform_int(4))}, 10, 0, deps);  // allocates nothing
    }
  }
  return case_of(std::move(p), memory);
}

std::int64_t bytes_of(const Op& op) {
  if (op.kind == OpKind::Reduce || op.kind == OpKind::Vector) return op.bytes_out;
  return op.bytes;  // load, move, write-back from one array
}

// The largest sum of live allocations over every interleaving of start and end events.
std::int64_t exact_peak(const Case& c) {
  const Program& p = c.program;
  const std::size_t n = p.ops.size();
  std::vector<unsigned> deps_mask(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int d : p.ops[i].deps) deps_mask[i] |= 1U << d;
  }
  auto live = [&](unsigned started, unsigned done) {
    std::int64_t sum = 0;
    for (int a : c.allocs) {
      const int f = c.free_of[static_cast<std::size_t>(a)];
      if ((started >> a & 1U) && !(f >= 0 && (done >> f & 1U))) sum += bytes_of(p.ops[static_cast<std::size_t>(a)]);
    }
    return sum;
  };
  std::vector<bool> seen(std::size_t{1} << (2 * n));
  std::vector<unsigned> stack = {0};  // started | done << n
  seen[0] = true;
  std::int64_t peak = 0;
  while (!stack.empty()) {
    const unsigned s = stack.back();
    stack.pop_back();
    const unsigned started = s & ((1U << n) - 1), done = s >> n;
    peak = std::max(peak, live(started, done));
    for (std::size_t i = 0; i < n; ++i) {
      unsigned next;
      if (!(started >> i & 1U) && (deps_mask[i] & done) == deps_mask[i]) {
        next = s | 1U << i;  // start op i
      } else if ((started >> i & 1U) && !(done >> i & 1U)) {
        next = s | 1U << (i + n);  // op i completes
      } else {
        continue;
      }
      if (!seen[next]) {
        seen[next] = true;
        stack.push_back(next);
      }
    }
  }
  return peak;
}

// The heaviest antichain of "freed before": sets of allocations in which no member's Free is an
// ancestor of another member.
std::int64_t heaviest_antichain(const Case& c) {
  const Program& p = c.program;
  const std::size_t n = p.ops.size();
  std::vector<unsigned> anc(n, 0);  // ops are numbered after their dependencies
  for (std::size_t i = 0; i < n; ++i) {
    for (int d : p.ops[i].deps) anc[i] |= anc[static_cast<std::size_t>(d)] | 1U << d;
  }
  const std::size_t k = c.allocs.size();
  std::int64_t best = 0;
  for (unsigned set = 0; set < (1U << k); ++set) {
    bool ok = true;
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < k && ok; ++i) {
      if (!(set >> i & 1U)) continue;
      sum += bytes_of(p.ops[static_cast<std::size_t>(c.allocs[i])]);
      for (std::size_t j = 0; j < k && ok; ++j) {
        const int f = c.free_of[static_cast<std::size_t>(c.allocs[j])];
        if (j != i && (set >> j & 1U) && f >= 0 && (anc[static_cast<std::size_t>(c.allocs[i])] >> f & 1U)) ok = false;
      }
    }
    if (ok) best = std::max(best, sum);
  }
  return best;
}

std::string error_of(const Program& p, const HardwareConfig& hw) {
  try {
    validate(p, hw);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// validate()'s message for case `c` at `capacity` ("" when it accepts), with the quick bound's budget
// `pair_bits` (0: its own; 1: no bitmaps, the exact peak alone).
std::string error_at(const Case& c, std::int64_t capacity, std::size_t pair_bits) {
  try {
    detail::validate(c.program, hw_with(c.memory, capacity), 0, pair_bits);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(CapacityExhaustive, RejectsExactlyTheProgramsSomeScheduleOverflows) {
  Rng rng(20240613);
  int overflowing = 0, fitting = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const Case c = random_case(rng);
    if (c.allocs.size() < 2) continue;
    const std::int64_t peak = exact_peak(c);
    ASSERT_EQ(peak, heaviest_antichain(c)) << "trial " << trial;
    // Capacities at the exact peak and just below it (the boundary), and anywhere between.
    std::int64_t largest = 0;
    for (int a : c.allocs) largest = std::max(largest, bytes_of(c.program.ops[static_cast<std::size_t>(a)]));
    const std::int64_t spread = peak - largest + 1;
    const std::int64_t between = largest + static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(spread)));
    for (std::int64_t capacity : {peak, peak - 1, between}) {
      if (capacity < largest) continue;  // a single allocation too large: another check
      const std::string e = error_of(c.program, hw_with(c.memory, capacity));
      if (peak > capacity) {
        ++overflowing;
        EXPECT_NE(e.find("capacity overflow"), std::string::npos)
            << "trial " << trial << " capacity " << capacity << ": '" << e << "'";
        EXPECT_NE(e.find(" " + std::to_string(peak) + " bytes are allocated there at once"), std::string::npos)
            << "trial " << trial << ": the message names the exact peak " << peak << ": '" << e << "'";
      } else {
        ++fitting;
        EXPECT_EQ(e, "") << "trial " << trial << " capacity " << capacity << " (exact peak " << peak << ")";
      }
    }
  }
  std::printf("[capacity] %d overflowing, %d fitting\n", overflowing, fitting);
  EXPECT_GT(overflowing, 300);
  EXPECT_GT(fitting, 300);
}

// Capacities given to the check over time (what segment_validation.hpp passes: each memory's own less
// the bytes spanning a segment) decide as the hardware's own would: on the same cases, with every memory
// as large as can be and the case's memory's capacity given, the same verdicts — and a single
// allocation larger than the given capacity is refused too, which the per-op check (against the
// hardware's) lets through.
TEST(CapacityExhaustive, GivenCapacitiesDecideAsTheHardwaresOwn) {
  Rng rng(20261207);
  int overflowing = 0, single = 0;
  const HardwareConfig large = hw_with(Memory::GlobalBuffer, std::int64_t{1} << 30);
  const Memories memories(large);
  for (int trial = 0; trial < 400; ++trial) {
    const Case c = random_case(rng);
    if (c.allocs.empty()) continue;
    const std::int64_t peak = exact_peak(c);
    std::int64_t largest = 0;
    for (int a : c.allocs) largest = std::max(largest, bytes_of(c.program.ops[static_cast<std::size_t>(a)]));
    const std::size_t m = c.memory == Memory::Array0         ? std::size_t{0}
                          : c.memory == Memory::GlobalBuffer ? memories.global_buffer()
                                                             : memories.l1_buffer(1);
    for (std::int64_t capacity : {peak, peak - 1, largest - 1}) {
      std::vector<std::int64_t> capacities(memories.count());
      for (std::size_t k = 0; k < memories.count(); ++k) capacities[k] = memories.capacity(k);
      capacities[m] = capacity;
      std::string given;
      try {
        detail::validate(c.program, large, 0, 0, &capacities);
      } catch (const InputError& e) {
        given = e.what();
      }
      if (capacity >= largest) {
        EXPECT_EQ(given.empty(), error_of(c.program, hw_with(c.memory, capacity)).empty())
            << "trial " << trial << " capacity " << capacity;
      }
      if (peak > capacity) {
        EXPECT_NE(given, "") << "trial " << trial << " capacity " << capacity << " (exact peak " << peak << ")";
        ++overflowing;
        if (capacity < largest) ++single;
      } else {
        EXPECT_EQ(given, "") << "trial " << trial << " capacity " << capacity;
      }
    }
  }
  EXPECT_GT(overflowing, 300);
  EXPECT_GT(single, 100);
  std::vector<std::int64_t> too_few(2, 0);
  EXPECT_THROW(detail::validate(random_case(rng).program, large, 0, 0, &too_few), std::invalid_argument);
}

// Where the greedy chain cover is loose, the exact peak decides: x1 = 100, y1 = 1000, x2 = 1000 (after
// the Frees of x1 and y1), y2 = 100 (after the Free of y1) and an unrelated A = 100. At most 1200
// bytes are ever live (A with x1 and y1, or with x2 and y2); the greedy chains {x1, x2} and {y1, y2}
// would give A the bound 100 + 1000 + 1000, and no chain cover gets below 1300.
// Memories with too many allocations for the quick bound's bitmaps (a 7B model's prefill) are decided by
// the exact peak alone: forced here on every memory, the verdicts and the peak named are the same.
TEST(CapacityExhaustive, WithoutTheQuickBoundTheExactPeakGivesTheSameVerdicts) {
  Rng rng(20261206);
  int overflowing = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const Case c = random_case(rng);
    if (c.allocs.size() < 2) continue;
    const std::int64_t peak = exact_peak(c);
    std::int64_t largest = 0;
    for (int a : c.allocs) largest = std::max(largest, bytes_of(c.program.ops[static_cast<std::size_t>(a)]));
    for (std::int64_t capacity : {peak, peak - 1}) {
      if (capacity < largest) continue;
      const std::string e = error_at(c, capacity, /*pair_bits=*/1);
      if (peak > capacity) {
        ++overflowing;
        EXPECT_NE(e.find(" " + std::to_string(peak) + " bytes are allocated there at once"), std::string::npos)
            << "trial " << trial << ": '" << e << "'";
      } else {
        EXPECT_EQ(e, "") << "trial " << trial << " capacity " << capacity;
      }
    }
  }
  EXPECT_GT(overflowing, 100);
}

// Programs cut by two-sided barriers: the check runs per segment (capacity_groups.hpp), with the
// allocations carried into a segment and those live throughout it. Verdicts and the peak named are
// still those of the walk over every schedule, by the quick bound and by the exact peak alone.
TEST(CapacityExhaustive, ProgramsCutByBarriersAreJudgedPerSegmentExactly) {
  Rng rng(20261207);
  int overflowing = 0, fitting = 0, segmented = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const Case c = random_case(rng, /*barriers=*/true);
    if (c.allocs.size() < 2) continue;
    const std::vector<int> order = topological_order(c.program);
    std::vector<int> position(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
    const std::vector<char> barrier =
        two_sided_barriers(c.program, order, followed_by_descendants(c.program, order, position));
    // Some allocation is made before a barrier and freed after it (or never): carried or spanning.
    bool crosses = false;
    for (int a : c.allocs) {
      const int f = c.free_of[static_cast<std::size_t>(a)];
      const int end = f >= 0 ? position[static_cast<std::size_t>(f)] : static_cast<int>(order.size());
      for (int q = position[static_cast<std::size_t>(a)] + 1; q < end && !crosses; ++q) crosses = barrier[static_cast<std::size_t>(q)];
    }
    segmented += crosses ? 1 : 0;
    const std::int64_t peak = exact_peak(c);
    std::int64_t largest = 0;
    for (int a : c.allocs) largest = std::max(largest, bytes_of(c.program.ops[static_cast<std::size_t>(a)]));
    for (std::int64_t capacity : {peak, peak - 1}) {
      if (capacity < largest) continue;
      for (std::size_t pair_bits : {std::size_t{0}, std::size_t{1}}) {  // quick bound, or exact alone
        const std::string e = error_at(c, capacity, pair_bits);
        if (peak > capacity) {
          ++overflowing;
          EXPECT_NE(e.find(" " + std::to_string(peak) + " bytes are allocated there at once"), std::string::npos)
              << "trial " << trial << ": '" << e << "'";
        } else {
          ++fitting;
          EXPECT_EQ(e, "") << "trial " << trial << " capacity " << capacity;
        }
      }
    }
  }
  std::printf("[capacity, barriers] %d overflowing, %d fitting, %d programs with allocations across a barrier\n",
              overflowing, fitting, segmented);
  EXPECT_GT(overflowing, 300);
  EXPECT_GT(fitting, 300);
  EXPECT_GT(segmented, 300);
}

TEST(CapacityExhaustive, WhereTheChainBoundIsLooseTheExactPeakDecides) {
  Program p;
  const int x1 = p.move(Place::Dram, Place::GlobalBuffer, 100, {}, "x1");
  const int y1 = p.move(Place::Dram, Place::GlobalBuffer, 1000, {}, "y1");
  const int fx1 = p.free(x1, {x1});
  const int fy1 = p.free(y1, {y1});
  p.move(Place::Dram, Place::GlobalBuffer, 1000, {fx1, fy1}, "x2");
  p.move(Place::Dram, Place::GlobalBuffer, 100, {fy1}, "y2");
  p.move(Place::Dram, Place::GlobalBuffer, 100, {}, "A");
  const Case c = case_of(p, Memory::GlobalBuffer);
  EXPECT_EQ(exact_peak(c), 1200);
  EXPECT_EQ(heaviest_antichain(c), 1200);
  EXPECT_EQ(error_of(p, hw_with(Memory::GlobalBuffer, 1200)), "");
  const std::string e = error_of(p, hw_with(Memory::GlobalBuffer, 1199));
  EXPECT_EQ(e.rfind("capacity overflow in the global buffer (gb_bytes 1199): in some order the dependencies allow, "
                    "1200 bytes are allocated there at once; when op ",
                    0),
            0u)
      << e;
}

}  // namespace
}  // namespace cimnet
