// The bounded memo (common/memo_table.hpp): a value is computed once per key, a hit returns it exactly,
// and a full table forgets everything rather than grow.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "common/memo_table.hpp"

namespace cimnet {
namespace {

TEST(MemoTable, ComputesEachKeyOnceAndReturnsWhatItComputed) {
  MemoTable<std::vector<std::int64_t>, std::int64_t> memo(8);
  int computed = 0;
  const auto square = [&](std::int64_t x) {
    return memo.get({x, 7}, [&] {
      ++computed;
      return x * x;
    });
  };
  EXPECT_EQ(square(3), 9);
  EXPECT_EQ(square(3), 9);
  EXPECT_EQ(square(4), 16);
  EXPECT_EQ(computed, 2);
  EXPECT_EQ(memo.size(), 2u);
  // Keys that differ in any word, or in length, are different questions.
  EXPECT_EQ(memo.find({3, 8}), nullptr);
  EXPECT_EQ(memo.find({3}), nullptr);
  ASSERT_NE(memo.find({4, 7}), nullptr);
  EXPECT_EQ(*memo.find({4, 7}), 16);
}

TEST(MemoTable, AFullTableStartsAgainInsteadOfGrowing) {
  MemoTable<std::array<std::int64_t, 2>, int> memo(3);
  for (int i = 0; i < 3; ++i) memo.put({i, 0}, i);
  EXPECT_EQ(memo.size(), 3u);
  memo.put({9, 9}, 99);  // the fourth: the table forgets the three first
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.find({0, 0}), nullptr);
  ASSERT_NE(memo.find({9, 9}), nullptr);
  EXPECT_EQ(*memo.find({9, 9}), 99);
}

}  // namespace
}  // namespace cimnet
