// Rank 0's dealing of tasks to MPI ranks, without MPI.
#include "evaluation/dealer.hpp"

#include <gtest/gtest.h>

namespace cimnet::evaluation {
namespace {

using Tasks = std::vector<std::size_t>;

TEST(Dealer, KeepsEachRankAtMostLookaheadTimesItsJobsAhead) {
  Dealer d({2, 1});  // lookahead 2: rank 0 holds up to 4, rank 1 up to 2
  d.add({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(d.deal(0), (Tasks{0, 1, 2, 3}));
  EXPECT_EQ(d.deal(1), (Tasks{4, 5}));
  EXPECT_EQ(d.deal(1), Tasks{});  // full
  EXPECT_TRUE(d.finished(1, 4));
  EXPECT_EQ(d.deal(1), (Tasks{6}));  // one back, one out: the fast rank takes the next
  EXPECT_FALSE(d.finished(1, 0)) << "rank 1 never held task 0";
  EXPECT_EQ(d.queued(), 3u);
  EXPECT_FALSE(d.idle());
}

TEST(Dealer, ALostRanksTasksGoFirstToTheOthers) {
  Dealer d({2, 1});
  d.add({0, 1, 2, 3, 4, 5, 6, 7});
  d.deal(0);  // 0-3
  d.deal(1);  // 4, 5
  EXPECT_TRUE(d.finished(0, 1));
  EXPECT_EQ(d.lost(0), (Tasks{0, 2, 3}));
  EXPECT_FALSE(d.alive(0));
  EXPECT_TRUE(d.any_alive());
  EXPECT_EQ(d.deal(0), Tasks{}) << "a lost rank gets nothing";
  EXPECT_TRUE(d.finished(1, 4));
  EXPECT_EQ(d.deal(1), (Tasks{0})) << "the lost tasks come before the rest of the queue";
  for (std::size_t t : {5, 0}) EXPECT_TRUE(d.finished(1, t));
  while (!d.idle()) {
    for (std::size_t t : d.deal(1)) EXPECT_TRUE(d.finished(1, t));
  }
  EXPECT_EQ(d.finished_by(0), 1u);
  EXPECT_EQ(d.finished_by(1), 7u);
  EXPECT_EQ(d.lost(1), Tasks{});
  EXPECT_FALSE(d.any_alive());
}

}  // namespace
}  // namespace cimnet::evaluation
