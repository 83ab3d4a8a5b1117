// A reduce at L1 with forward_to_gb is the reduces and the Moves of their results up into the global
// buffer as one op, per decoder or over several: the same cycles, traffic and action counts as the
// pairs, op for op, under contention.
#include <gtest/gtest.h>

#include <algorithm>
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

// How a piece's partial sums under two decoders reach the global buffer: a reduce and a Move per
// decoder; a forwarding reduce per decoder; one forwarding reduce over both.
enum class Form { Moved, PerDecoder, Spanning };

// The ops of one program that stand for the same things in another: every op but the reductions and
// moves, and per piece the ops whose ends are its results' arrivals in the global buffer.
struct Marks {
  std::vector<int> common;
  std::vector<std::vector<int>> arrivals;  // per piece
};

// Pieces of partial sums, each reduced under both L1 decoders and requantised at L2, while loads come
// down to arrays 3 and 7 and arrays 6 and 2 write back up to DRAM, crossing the links the results go up
// in the same cycles often enough that ties between them are decided by their keys. Sizes and the
// other traffic's timing drawn from `seed`.
Program pieces(Form form, std::uint64_t seed, Marks& marks) {
  Rng rng(seed);
  Program p;
  const int load = p.load({3}, 4096 * (1 + static_cast<std::int64_t>(rng.uniform_int(16))), {}, true, "w");
  marks.common.push_back(load);
  int after = -1;
  const int count = 2 + static_cast<int>(rng.uniform_int(4));
  for (int piece = 0; piece < count; ++piece) {
    std::vector<int> deps = {load};
    if (after >= 0) deps.push_back(after);
    const std::int64_t bytes = 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(128)));
    const std::int64_t out = 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(96)));
    // Half the pieces have as many arrays under each decoder: their reductions end together, and the
    // results' moves tie at the L2 link but for the decoder's rank.
    const std::vector<int> second = rng.uniform_int(2) == 0 ? std::vector<int>{4, 5} : std::vector<int>{4, 5, 6};
    std::vector<int> in_gb, freed;
    if (form == Form::Spanning) {
      std::vector<int> all = {0, 1, 2};
      all.insert(all.end(), second.begin(), second.end());
      in_gb.push_back(p.reduce(all, bytes, ReduceLevel::L1, out, deps, "psum"));
      p.ops.back().forward_to_gb = true;
      freed = in_gb;
    } else {
      for (int l1 = 0; l1 < 2; ++l1) {
        const std::vector<int> arrays = l1 == 0 ? std::vector<int>{0, 1, 2} : second;
        const int red = p.reduce(arrays, bytes, ReduceLevel::L1, out, deps, "psum");
        freed.push_back(red);
        if (form == Form::PerDecoder) {
          p.ops.back().forward_to_gb = true;
          in_gb.push_back(red);
        } else {
          in_gb.push_back(p.move(Place::L1Buffer, Place::GlobalBuffer, out, {red}, "psum up", l1));
          freed.push_back(in_gb.back());
        }
      }
    }
    marks.arrivals.push_back(in_gb);
    // Another result going up the L2 link from decoder 1's buffer (an activation, as the forwarded
    // ones), after a compute of about the reduction's length: often it reaches the link in the cycle
    // a forwarded result does, and the two go by their keys.
    const std::int64_t delta = static_cast<std::int64_t>(rng.uniform_int(17)) - 8;
    const int beside_compute = p.compute({7}, std::max<std::int64_t>(64, 3 * bytes + 64 * delta), 0, deps, "mac");
    marks.common.push_back(beside_compute);
    // Or partial sums from arrays 3 and 7 reduced at L2: up the same link from further away, so that
    // they can reach it with a forwarded result that became ready in another cycle.
    const std::int64_t other = 64 * (1 + static_cast<std::int64_t>(rng.uniform_int(4)));
    marks.common.push_back(rng.uniform_int(2) == 0
                               ? p.move(Place::L1Buffer, Place::GlobalBuffer, other, {beside_compute}, "other up", 1)
                               : p.reduce({3, 7}, other, ReduceLevel::L2, other, {beside_compute}, "other psum"));
    // Traffic beside the piece: with it, or with the load before it.
    std::vector<int> beside = after >= 0 ? std::vector<int>{after} : std::vector<int>{};
    if (rng.uniform_int(2) == 0) beside = {load};
    marks.common.push_back(p.write_back({rng.uniform_int(2) == 0 ? 6 : 2},
                                        64 * (1 + static_cast<std::int64_t>(rng.uniform_int(64))), beside, "out"));
    marks.common.push_back(p.load({rng.uniform_int(2) == 0 ? 7 : 3},
                                  64 * (1 + static_cast<std::int64_t>(rng.uniform_int(64))), beside, true, "w"));
    std::vector<int> vdeps = in_gb;
    vdeps.push_back(marks.common.back());
    const int vec = p.vector(4096, 2048, 2048, vdeps, "requant");
    freed.push_back(marks.common.back());
    after = p.free(freed, {vec}, "psum free");
    marks.common.insert(marks.common.end(), {vec, after, p.free(vec, {after}, "out free")});
  }
  return p;
}

std::int64_t last_end(const SimResult& r, const std::vector<int>& ops) {
  std::int64_t end = 0;
  for (int op : ops) end = std::max(end, r.ops[static_cast<std::size_t>(op)].end);
  return end;
}

// The forwarded results' bursts must rank as the Moves' would (ready when their reduction ended, their
// bytes, one decoder after the other): with the reduce's ready instead, 22 of the 200 forwarded
// programs differ somewhere; with the reduce's bytes, 2. (The decoders' order among themselves shows
// only in what follows them, which these programs do not reach.)
TEST(ForwardedReduce, TimesAsTheReducesAndTheMovesItStandsFor) {
  const HardwareConfig hw = make_hw(Bw{});
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Marks moved_marks;
    const Program moved = pieces(Form::Moved, seed, moved_marks);
    const SimResult m = simulate(moved, hw);
    ASSERT_TRUE(m.ok()) << m.message;
    for (Form form : {Form::PerDecoder, Form::Spanning}) {
      const char* what = form == Form::PerDecoder ? "per decoder" : "spanning";
      Marks marks;
      const Program forwarded = pieces(form, seed, marks);
      const SimResult f = simulate(forwarded, hw);
      ASSERT_TRUE(f.ok()) << f.message;
      EXPECT_EQ(f.total_cycles, m.total_cycles) << what << ", seed " << seed;
      EXPECT_EQ(f.bytes, m.bytes) << what << ", seed " << seed;
      ASSERT_EQ(f.modules.size(), m.modules.size());
      for (std::size_t i = 0; i < f.modules.size(); ++i) {
        EXPECT_EQ(f.modules[i].busy_cycles, m.modules[i].busy_cycles) << f.modules[i].name << ", " << what << ", seed " << seed;
        EXPECT_EQ(f.modules[i].transactions, m.modules[i].transactions) << f.modules[i].name << ", " << what << ", seed " << seed;
      }
      // Each piece's results are in the global buffer when the Moves would have brought them there.
      ASSERT_EQ(marks.arrivals.size(), moved_marks.arrivals.size());
      for (std::size_t k = 0; k < marks.arrivals.size(); ++k) {
        EXPECT_EQ(last_end(f, marks.arrivals[k]), last_end(m, moved_marks.arrivals[k]))
            << "piece " << k << ", " << what << ", seed " << seed;
      }
      if (form == Form::PerDecoder) {
        for (std::size_t k = 0; k < marks.arrivals.size(); ++k) {
          for (std::size_t d = 0; d < 2; ++d) {
            EXPECT_EQ(f.ops[static_cast<std::size_t>(marks.arrivals[k][d])].end,
                      m.ops[static_cast<std::size_t>(moved_marks.arrivals[k][d])].end)
                << "piece " << k << ", decoder " << d << ", seed " << seed;
          }
        }
      }
      // Every other op starts and ends alike.
      ASSERT_EQ(marks.common.size(), moved_marks.common.size());
      for (std::size_t i = 0; i < marks.common.size(); ++i) {
        const auto a = static_cast<std::size_t>(marks.common[i]), b = static_cast<std::size_t>(moved_marks.common[i]);
        EXPECT_EQ(f.ops[a].start, m.ops[b].start) << describe(forwarded, marks.common[i]) << ", " << what << ", seed " << seed;
        EXPECT_EQ(f.ops[a].end, m.ops[b].end) << describe(forwarded, marks.common[i]) << ", " << what << ", seed " << seed;
      }
      // What they spend: the same actions, so the same energy.
      EXPECT_EQ(count_actions(forwarded, hw), count_actions(moved, hw)) << what << ", seed " << seed;
    }
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
  // Over two decoders: each decoder's result in its buffer, and both in the global buffer.
  Program both;
  both.reduce({0, 1, 4, 5}, 8192, ReduceLevel::L1, 2048);
  both.ops.back().forward_to_gb = true;
  const auto held_both = allocations_of(both.ops.back(), mem);
  ASSERT_EQ(held_both.size(), 3U);
  EXPECT_EQ(held_both[0].memory, mem.l1_buffer(0));
  EXPECT_EQ(held_both[1].memory, mem.l1_buffer(1));
  EXPECT_EQ(held_both[2].memory, mem.global_buffer());
  EXPECT_EQ(held_both[2].bytes, 2 * 2048);
  // Without forwarding, a reduce at L1 stays under one decoder.
  both.ops.back().forward_to_gb = false;
  EXPECT_THROW(validate(both, hw), InputError);
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
