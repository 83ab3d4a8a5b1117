// NSGA-II's ask/tell machinery: determinism, duplicate elimination, exhaustion, input checks, and the
// exact Pareto front of a small categorical problem found by brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/nsga2.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/real_variation.hpp"
#include "search/moo/rounded_real_variation.hpp"
#include "search/moo/test_problems.hpp"

namespace {

using namespace cimnet::moo;
using Genome = std::vector<int>;

// A bi-objective categorical problem: per-gene tables of (cost, error) with an interaction term, so
// the front is neither trivial nor separable. Records every genome it evaluates.
class TableProblem : public Problem<Genome> {
 public:
  TableProblem(std::size_t genes, int choices, std::uint64_t seed) : choices_(choices) {
    cimnet::Rng rng(seed);
    for (std::size_t i = 0; i < genes; ++i) {
      std::vector<double> a, b;
      for (int c = 0; c < choices; ++c) {
        a.push_back(static_cast<double>(c) + static_cast<double>(rng.uniform_int(3)));
        b.push_back(static_cast<double>((choices - c) * (choices - c)) +
                    static_cast<double>(rng.uniform_int(4)));
      }
      cost_.push_back(a);
      error_.push_back(b);
    }
  }
  Evaluation evaluate(const Genome& g) const override {
    ++calls_;
    evaluated_.push_back(g);
    double f1 = 0, f2 = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      f1 += cost_[i][static_cast<std::size_t>(g[i])];
      f2 += error_[i][static_cast<std::size_t>(g[i])];
    }
    f2 += g[0] == g[1] ? 2.0 : 0.0;  // interaction
    return Evaluation{{f1, f2}, {}};
  }
  std::vector<int> cardinalities() const { return std::vector<int>(cost_.size(), choices_); }
  const std::vector<Genome>& evaluated() const { return evaluated_; }

 private:
  int choices_;
  std::vector<std::vector<double>> cost_, error_;
  mutable std::size_t calls_ = 0;
  mutable std::vector<Genome> evaluated_;
};

// Every genome of the space, in odometer order.
std::vector<Genome> enumerate(const std::vector<int>& cards) {
  std::vector<Genome> all;
  Genome g(cards.size(), 0);
  while (true) {
    all.push_back(g);
    std::size_t k = 0;
    while (k < g.size() && ++g[k] == cards[k]) g[k++] = 0;
    if (k == g.size()) return all;
  }
}

template <class V>
std::vector<std::pair<typename V::Genome, Objectives>> snapshot(const Nsga2<V>& optimizer) {
  std::vector<std::pair<typename V::Genome, Objectives>> s;
  for (const auto& m : optimizer.population()) s.emplace_back(m.genome, m.evaluation.objectives);
  return s;
}

TEST(Nsga2, SameSeedIsBitIdenticalDifferentSeedDiffers) {
  const TableProblem problem(12, 4, 7);
  auto run = [&](std::uint64_t seed) {
    Nsga2Options options;
    options.population_size = 30;
    options.seed = seed;
    Nsga2<CategoricalVariation> optimizer(CategoricalVariation(problem.cardinalities()), options);
    optimizer.run(problem, 40);
    return snapshot(optimizer);
  };
  EXPECT_EQ(run(5), run(5));
  EXPECT_NE(run(5), run(6));

  const auto zdt1 = make_test_problem("zdt1");
  auto run_real = [&](std::uint64_t seed) {
    Nsga2Options options;
    options.population_size = 40;
    options.seed = seed;
    Nsga2<RealVariation> optimizer(RealVariation(zdt1->lower(), zdt1->upper()), options);
    optimizer.run(*zdt1, 30);
    return snapshot(optimizer);
  };
  EXPECT_EQ(run_real(9), run_real(9));  // operator== on doubles: bit-identical values
  EXPECT_NE(run_real(9), run_real(10));
}

TEST(Nsga2, AskTellByHandEqualsRun) {
  const TableProblem problem(10, 3, 8);
  Nsga2Options options;
  options.population_size = 20;
  options.seed = 3;
  Nsga2<CategoricalVariation> a(CategoricalVariation(problem.cardinalities()), options);
  Nsga2<CategoricalVariation> b(CategoricalVariation(problem.cardinalities()), options);
  EXPECT_EQ(a.run(problem, 15), 15u);
  for (int generation = 0; generation <= 15; ++generation) {
    const auto genomes = b.ask();
    EXPECT_EQ(genomes.size(), 20u);
    std::vector<Objectives> objectives;
    for (const auto& g : genomes) objectives.push_back(problem.evaluate(g).objectives);
    b.tell(genomes, objectives);
  }
  EXPECT_EQ(snapshot(a), snapshot(b));
  EXPECT_EQ(b.tells(), 16u);
  EXPECT_EQ(b.evaluations(), 16u * 20);
  for (const auto& m : b.front()) EXPECT_EQ(m.rank, 0u);
  // The population is ordered best first.
  const auto& population = b.population();
  for (std::size_t i = 1; i < population.size(); ++i) {
    const auto &prev = population[i - 1], &cur = population[i];
    EXPECT_TRUE(prev.rank < cur.rank || (prev.rank == cur.rank && prev.crowding >= cur.crowding));
  }
}

TEST(Nsga2, OffspringAreNewAndNoGenomeIsEvaluatedTwice) {
  const TableProblem problem(6, 4, 9);  // 4096 genomes
  Nsga2Options options;
  options.population_size = 40;
  options.seed = 11;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation(problem.cardinalities()), options);
  optimizer.run(problem, 60);
  std::set<Genome> seen;
  for (const auto& g : problem.evaluated()) EXPECT_TRUE(seen.insert(g).second) << "re-evaluated";
  EXPECT_EQ(seen.size(), optimizer.evaluations());
  // A fresh batch avoids the population, itself and the archive.
  const auto batch = optimizer.ask();
  std::set<Genome> in_batch;
  for (const auto& g : batch) {
    EXPECT_EQ(seen.count(g), 0u);
    EXPECT_TRUE(in_batch.insert(g).second);
  }
}

TEST(Nsga2, WithoutTheArchiveOnlyPopulationAndBatchDuplicatesAreAvoided) {
  const TableProblem problem(4, 3, 10);  // 81 genomes: re-proposals are certain without the archive
  Nsga2Options options;
  options.population_size = 10;
  options.use_archive = false;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation(problem.cardinalities()), options);
  optimizer.run(problem, 30);
  std::set<Genome> seen(problem.evaluated().begin(), problem.evaluated().end());
  EXPECT_LT(seen.size(), problem.evaluated().size());
  std::set<Genome> population;
  for (const auto& m : optimizer.population()) EXPECT_TRUE(population.insert(m.genome).second);
}

// A population that differs in one gene only, bred without mutation: every child is a copy of a member.
// pymoo's behaviour (refill off) is an empty generation; cimnet's default draws random genomes instead.
TEST(Nsga2, WithoutRefillAGenerationThatBreedsNothingNewIsEmpty) {
  RoundedRealOptions no_mutation;
  no_mutation.offspring_mutation_probability = 0.0;
  const std::vector<Genome> members = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 2}, {0, 0, 0, 0, 3}};
  const std::vector<Objectives> objectives = {{0, 3}, {1, 2}, {2, 1}, {3, 0}};
  for (bool refill : {false, true}) {
    Nsga2Options options;
    options.population_size = 4;
    options.use_archive = false;
    options.refill_with_samples = refill;
    Nsga2<RoundedRealVariation> optimizer(RoundedRealVariation(std::vector<int>(5, 4), no_mutation), options);
    optimizer.tell(members, objectives);
    const auto batch = optimizer.ask();
    if (!refill) {
      EXPECT_TRUE(batch.empty());
      continue;
    }
    EXPECT_EQ(batch.size(), 4u);
    for (const auto& g : batch) EXPECT_EQ(std::count(members.begin(), members.end(), g), 0);
  }
}

TEST(Nsga2, ATinySpaceIsExhaustedGracefully) {
  const TableProblem problem(3, 2, 12);  // 8 genomes
  Nsga2Options options;
  options.population_size = 4;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation({2, 2, 2}), options);
  const std::size_t generations = optimizer.run(problem, 100);
  EXPECT_LT(generations, 100u);
  std::set<Genome> seen(problem.evaluated().begin(), problem.evaluated().end());
  EXPECT_EQ(seen.size(), problem.evaluated().size());
  EXPECT_EQ(seen.size(), 8u);  // every genome once
  EXPECT_TRUE(optimizer.exhausted());
  EXPECT_TRUE(optimizer.ask().empty());
  EXPECT_EQ(optimizer.population().size(), 4u);
  // A one-genome space: the initial population is that genome alone.
  Nsga2<CategoricalVariation> single(CategoricalVariation({1, 1}), options);
  const auto first = single.ask();
  EXPECT_EQ(first, (std::vector<Genome>{{0, 0}}));
  single.tell(first, {{1.0, 1.0}});
  EXPECT_TRUE(single.ask().empty());
}

TEST(Nsga2, FindsTheExactParetoFrontOfASmallCategoricalProblem) {
  const TableProblem problem(8, 4, 13);  // 65536 genomes
  // Brute force: the distinct objective vectors of the true front.
  std::vector<Objectives> all;
  for (const auto& g : enumerate(problem.cardinalities())) all.push_back(problem.evaluate(g).objectives);
  const auto truth_vector = pareto_front(all);
  const std::set<Objectives> truth(truth_vector.begin(), truth_vector.end());
  ASSERT_GT(truth.size(), 8u);
  ASSERT_LT(truth.size(), 40u);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Nsga2Options options;
    options.population_size = 60;
    options.seed = seed;
    Nsga2<CategoricalVariation> optimizer(CategoricalVariation(problem.cardinalities()), options);
    optimizer.run(problem, 100);
    std::set<Objectives> found;
    for (const auto& m : optimizer.front()) found.insert(m.evaluation.objectives);
    EXPECT_EQ(found, truth) << "seed " << seed << ": " << found.size() << " of " << truth.size();
  }
}

TEST(Nsga2, TellRejectsMalformedInputAndKeepsItsState) {
  Nsga2Options options;
  options.population_size = 4;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation({3, 3}), options);
  const auto genomes = optimizer.ask();
  ASSERT_EQ(genomes.size(), 4u);
  std::vector<Objectives> objectives(4, Objectives{1.0, 2.0});
  optimizer.tell(genomes, objectives);
  const auto before = snapshot(optimizer);
  using cimnet::InputError;
  EXPECT_THROW(optimizer.tell(genomes, {{1.0, 2.0}}), InputError);                    // count
  EXPECT_THROW(optimizer.tell({{0, 3}}, {{1.0, 2.0}}), InputError);                   // gene range
  EXPECT_THROW(optimizer.tell({{0, 0}}, {{1.0, 2.0, 3.0}}), InputError);              // objectives
  EXPECT_THROW(optimizer.tell({{0, 0}}, {{NAN, 2.0}}), InputError);                   // NaN
  EXPECT_THROW(optimizer.tell({{0, 0}}, {{1.0, 2.0}}, {{NAN}}), InputError);          // NaN constraint
  EXPECT_THROW(optimizer.tell({{0, 0}, {1, 1}}, {{1.0, 2.0}, {1, 2}}, {{0.0}}), InputError);
  EXPECT_EQ(snapshot(optimizer), before);
  EXPECT_THROW(Nsga2<CategoricalVariation>(CategoricalVariation({2}), Nsga2Options{0, 0, 1, true, true, 100}),
               InputError);
}

TEST(Nsga2, TellingAGenomeAgainDoesNotDuplicateItInThePopulation) {
  Nsga2Options options;
  options.population_size = 6;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation({4, 4}), options);
  optimizer.tell({{0, 0}, {0, 0}, {1, 1}}, {{1, 1}, {1, 1}, {2, 0}});
  optimizer.tell({{1, 1}}, {{2, 0}});
  EXPECT_EQ(optimizer.population().size(), 2u);
  EXPECT_EQ(optimizer.evaluations(), 4u);
}

}  // namespace
