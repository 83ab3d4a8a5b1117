// The co-search space's area budget excludes every design larger than the budget, and only those.
#include <gtest/gtest.h>

#include "common/random.hpp"
#include "search/loop/co_space.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

TEST(CoSpace, AreaBudgetExcludesLargerDesigns) {
  const auto space = make_space("ofa-mbv3");
  const HardwareSpace hw = HardwareSpace::defaults();
  const loop::CoSpace co(*space, hw, loop::Mode::Joint, "max", 1.0);
  const loop::CoSpace free(*space, hw, loop::Mode::Joint, "max", 0.0);
  Rng rng(3);
  int feasible = 0, infeasible = 0;
  for (int i = 0; i < 500; ++i) {
    const loop::Candidate c = co.sample(rng);
    EXPECT_EQ(co.feasible(c), c.area <= 1.0 + 1e-12);
    EXPECT_TRUE(free.feasible(c));
    (co.feasible(c) ? feasible : infeasible)++;
  }
  EXPECT_GT(feasible, 0);
  EXPECT_GT(infeasible, 0);
  EXPECT_TRUE(co.feasible(co.reference()));
  EXPECT_FALSE(co.feasible(co.make(space->largest(), hw.largest())));
}

}  // namespace
}  // namespace cimnet
