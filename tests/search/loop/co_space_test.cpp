// The co-search space: the area budget excludes every design larger than the budget, and only those;
// a searched execution policy is one more gene of the flat genome and part of a point's identity.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

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

// Issue 14: with `execution: searched` every mode's genome ends with one 2-choice gene, the policy;
// decode and encode are inverse over it (up to canonicalisation), uniform samples take all three values,
// and a fixed policy adds nothing (the genome of before the gene).
TEST(CoSpace, ThePolicyGeneRoundTripsInEveryMode) {
  const auto space = make_space("ofa-mbv3");
  const HardwareSpace hw = HardwareSpace::defaults();
  for (loop::Mode mode : {loop::Mode::Arch, loop::Mode::Hw, loop::Mode::Joint}) {
    ExecutionSetting searched;
    searched.searched = true;
    const loop::CoSpace fixed(*space, hw, mode, "max", 0.0);
    const loop::CoSpace fused(*space, hw, mode, "max", 0.0, ExecutionSetting{false, Execution::Fused});
    const loop::CoSpace gene(*space, hw, mode, "max", 0.0, searched);
    std::vector<int> with_gene = fixed.cardinalities();
    with_gene.push_back(3);
    EXPECT_EQ(gene.cardinalities(), with_gene) << to_string(mode);
    EXPECT_EQ(fused.cardinalities(), fixed.cardinalities()) << to_string(mode);
    Rng rng(5);
    std::set<Execution> seen;
    for (int i = 0; i < 200; ++i) {
      const loop::Candidate c = gene.sample(rng);
      seen.insert(c.execution);
      const std::vector<int> flat = gene.encode(c);
      ASSERT_EQ(flat.size(), with_gene.size());
      EXPECT_EQ(flat.back(), c.execution == Execution::LayerByLayer ? 0 : c.execution == Execution::Fused ? 1 : 2);
      const loop::Candidate back = gene.decode(flat);
      EXPECT_EQ(back.key, c.key);
      EXPECT_EQ(back.execution, c.execution);
      EXPECT_EQ(back.arch, c.arch);
      EXPECT_EQ(back.hw, c.hw);
      EXPECT_EQ(gene.encode(back), flat);
      // The same point with a fixed policy: the genome without the gene, the key of before it.
      const loop::Candidate plain = fixed.make(c.arch, c.hw);
      EXPECT_EQ(fixed.encode(plain), std::vector<int>(flat.begin(), flat.end() - 1));
      EXPECT_EQ(plain.key, loop::point_key(*space, c.arch, c.hw));
      EXPECT_EQ(fused.make(c.arch, c.hw).key, plain.key);
      EXPECT_EQ(fused.make(c.arch, c.hw).execution, Execution::Fused);
    }
    EXPECT_EQ(seen, (std::set<Execution>{Execution::LayerByLayer, Execution::Fused, Execution::Pipelined}))
        << to_string(mode);
  }
}

// The same sub-network on the same hardware under two policies is two points (dedup, checkpoints and
// resume go by the key); the reference point of a searched policy runs layer by layer, the baseline;
// a fixed policy admits no candidate of another.
TEST(CoSpace, TheKeyOfASearchedPolicyNamesIt) {
  const auto space = make_space("ofa-mbv3");
  const HardwareSpace hw = HardwareSpace::defaults();
  ExecutionSetting searched;
  searched.searched = true;
  const loop::CoSpace gene(*space, hw, loop::Mode::Joint, "max", 1.0, searched);
  const loop::Candidate lbl = gene.make(space->largest(), hw.reference, Execution::LayerByLayer);
  const loop::Candidate fused = gene.make(space->largest(), hw.reference, Execution::Fused);
  EXPECT_NE(lbl.key, fused.key);
  EXPECT_EQ(fused.key, loop::point_key(*space, fused.arch, fused.hw) + " execution=fused");
  EXPECT_EQ(lbl.key, loop::point_key(*space, lbl.arch, lbl.hw) + " execution=layer-by-layer");
  EXPECT_EQ(lbl.area, fused.area);
  EXPECT_EQ(gene.reference().key, lbl.key);
  EXPECT_EQ(gene.reference().execution, Execution::LayerByLayer);
  const loop::CoSpace fixed(*space, hw, loop::Mode::Joint, "max", 1.0);
  EXPECT_THROW(fixed.make(space->largest(), hw.reference, Execution::Fused), std::logic_error);
  EXPECT_EQ(fixed.make(space->largest(), hw.reference, Execution::LayerByLayer).key, fixed.reference().key);
}

}  // namespace
}  // namespace cimnet
