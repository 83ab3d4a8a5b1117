// A reduce at L1 with forward_to_gb is the reduce and the Move of its result up into the global
// buffer as one op: the same cycles, traffic and action counts as the pair, op for op, under contention.
#include <gtest/gtest.h>

#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "models/simulate.hpp"
#include "program/action_counts.hpp"
#include "program/memories.hpp"
#include "tests/models/model_hw.hpp"

namespace cimnet {
namespace {

using test::Bw;
using test::make_hw;

// Pieces of partial sums, each reduced under both L1 decoders and requantised at L2, while loads come
// down to arrays 3 and 7 and arrays 6 and 2 write back up to DRAM, crossing the links the results go up
// in the same cycles often enough that ties between them are decided by their keys. Sizes and the
// other traffic's timing drawn from `seed`. `forward`: each decoder's result goes up with its reduce;
// otherwise a Move per decoder. `ends_of_result`: per result, the op whose end is its arrival in the
// global buffer.
Program pieces(bool forward, std::uint64_t seed, std::vector<int>& ends_of_result) {
  Rng rng(seed);
  Program p;
  const int load = p.load({3}, 4096 * (1 + static_cast<std::int64_t>(rng.uniform_int(16))), {}, true, "w");
  int after = -1;
  const int count = 2 + static_cast<int>(rng.uniform_int(4));
  for (int piece = 0; piece < count; ++piece) {
    std::vector<int> in_gb, reduces;
    for (int l1 = 0; l1 < 2; ++l1) {
      std::vector<int> deps = {load};
      if (after >= 0) deps.push_back(after);
      const std::vector<int> arrays = l1 == 0 ? std::vector<int>{0, 1, 2} : std::vector<int>{4, 5};
      const std::int64_t bytes = 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(128)));
      const std::int64_t out = 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(96)));
      const int red = p.reduce(arrays, bytes, ReduceLevel::L1, out, deps, "psum");
      reduces.push_back(red);
      if (forward) {
        p.ops.back().forward_to_gb = true;
        in_gb.push_back(red);
      } else {
        in_gb.push_back(p.move(Place::L1Buffer, Place::GlobalBuffer, out, {red}, "psum up", l1));
      }
      ends_of_result.push_back(in_gb.back());
    }
    // Traffic beside the piece: with it, or with the load before it.
    std::vector<int> beside = after >= 0 ? std::vector<int>{after} : std::vector<int>{};
    if (rng.uniform_int(2) == 0) beside = {load};
    p.write_back({rng.uniform_int(2) == 0 ? 6 : 2}, 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(64))), beside,
                 "out");
    p.load({rng.uniform_int(2) == 0 ? 7 : 3}, 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(64))), beside, true,
           "w");
    const int vec = p.vector(4096, 2048, 2048, in_gb, "requant");
    std::vector<int> freed = reduces;
    if (!forward) freed.insert(freed.end(), in_gb.begin(), in_gb.end());
    after = p.free(freed, {vec}, "psum free");
    p.free(vec, {after}, "out free");
  }
  return p;
}

// The forwarded result's bursts must rank as the Move's would (ready when the reduction ended, its
// bytes): ranked as the reduce instead, seed 35's results cross the L2 link in another order.
TEST(ForwardedReduce, TimesAsTheReduceAndTheMoveItStandsFor) {
  const HardwareConfig hw = make_hw(Bw{});
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    std::vector<int> forwarded_ends, moved_ends;
    const Program forwarded = pieces(true, seed, forwarded_ends);
    const Program moved = pieces(false, seed, moved_ends);
    ASSERT_EQ(moved.ops.size(), forwarded.ops.size() + forwarded_ends.size());
    const SimResult f = simulate(forwarded, hw);
    const SimResult m = simulate(moved, hw);
    ASSERT_TRUE(f.ok()) << f.message;
    ASSERT_TRUE(m.ok()) << m.message;
    EXPECT_EQ(f.total_cycles, m.total_cycles) << "seed " << seed;
    EXPECT_EQ(f.bytes, m.bytes) << "seed " << seed;
    ASSERT_EQ(f.modules.size(), m.modules.size());
    for (std::size_t i = 0; i < f.modules.size(); ++i) {
      EXPECT_EQ(f.modules[i].busy_cycles, m.modules[i].busy_cycles) << f.modules[i].name << ", seed " << seed;
      EXPECT_EQ(f.modules[i].transactions, m.modules[i].transactions) << f.modules[i].name << ", seed " << seed;
    }
    // Each result reaches the global buffer when the Move would have brought it there.
    for (std::size_t k = 0; k < forwarded_ends.size(); ++k) {
      EXPECT_EQ(f.ops[static_cast<std::size_t>(forwarded_ends[k])].end,
                m.ops[static_cast<std::size_t>(moved_ends[k])].end)
          << "result " << k << ", seed " << seed;
    }
    // The ops both programs have (all but the moves) start and end alike.
    std::size_t j = 0;
    for (std::size_t i = 0; i < forwarded.ops.size(); ++i, ++j) {
      if (forwarded.ops[i].kind == OpKind::Reduce) {
        ++j;  // the move after it; its end is its result's arrival, above
        continue;
      }
      EXPECT_EQ(f.ops[i].start, m.ops[j].start) << describe(forwarded, static_cast<int>(i)) << ", seed " << seed;
      EXPECT_EQ(f.ops[i].end, m.ops[j].end) << describe(forwarded, static_cast<int>(i)) << ", seed " << seed;
    }
    // What the two spend: the same actions, so the same energy.
    EXPECT_EQ(count_actions(forwarded, hw), count_actions(moved, hw)) << "seed " << seed;
  }
}

TEST(ForwardedReduce, HoldsItsResultInBothBuffersUntilItsFree) {
  const HardwareConfig hw = make_hw(Bw{});
  const Memories mem(hw);
  Program p;
  p.reduce({4, 5}, 8192, ReduceLevel::L1, 4096);
  p.ops.back().forward_to_gb = true;
  const auto held = allocations_of(p.ops.back(), mem);
  ASSERT_EQ(held.size(), 2U);
  EXPECT_EQ(held[0].memory, mem.l1_buffer(1));
  EXPECT_EQ(held[1].memory, mem.global_buffer());
  EXPECT_EQ(held[0].bytes, 4096);
  EXPECT_EQ(held[1].bytes, 4096);
  // At L2 the result is in the global buffer already: forwarding it names nothing to do.
  Program at_l2;
  at_l2.reduce({0, 4}, 8192, ReduceLevel::L2, 4096);
  at_l2.ops.back().forward_to_gb = true;
  try {
    validate(at_l2, hw);
    FAIL() << "a forwarded reduce at L2 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("forward_to_gb is for a reduce at L1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cimnet
