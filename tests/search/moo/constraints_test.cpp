// Constraint handling (Deb's constrained dominance): selection never prefers an infeasible point to a
// feasible one; a categorical knapsack whose constrained front is known by brute force; SRN.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "common/random.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/nsga2.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/real_variation.hpp"
#include "search/moo/selection.hpp"

namespace {

using namespace cimnet::moo;
using Genome = std::vector<int>;

TEST(ConstraintHandling, SurvivalTakesFeasiblePointsFirstThenLeastViolation) {
  // Infeasible points with excellent objectives against feasible ones with poor objectives.
  const std::vector<Objectives> points = {{0, 0}, {9, 9}, {-5, -5}, {8, 10}, {10, 8}, {1, 1}};
  const std::vector<double> violations = {0.3, 0.0, 0.1, 0.0, 0.0, 0.2};
  EXPECT_EQ(select_survivors(points, violations, 3), (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_EQ(select_survivors(points, violations, 5), (std::vector<std::size_t>{1, 3, 4, 2, 5}));
}

TEST(ConstraintHandling, TournamentNeverPicksInfeasibleOverFeasible) {
  const std::vector<Objectives> points = {{0, 0}, {5, 5}};
  const Ranking ranking = rank_and_crowd(points, {1.0, 0.0});
  EXPECT_EQ(tournament_winner(ranking, 0, 1), 1u);
  EXPECT_EQ(tournament_winner(ranking, 1, 0), 1u);
  TournamentPool pool;
  cimnet::Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(pool.select(ranking, rng), 1u);
}

// Bi-objective knapsack over item quantities 0–2: maximise value (minimise −value), minimise volume,
// subject to weight ≤ capacity (constraint value weight − capacity).
class Knapsack : public Problem<Genome> {
 public:
  explicit Knapsack(double capacity) : capacity_(capacity) {
    cimnet::Rng rng(77);
    for (int i = 0; i < 9; ++i) {
      value_.push_back(1.0 + static_cast<double>(rng.uniform_int(9)));
      weight_.push_back(1.0 + static_cast<double>(rng.uniform_int(9)));
      volume_.push_back(1.0 + static_cast<double>(rng.uniform_int(5)));
    }
  }
  Evaluation evaluate(const Genome& g) const override {
    double value = 0, weight = 0, volume = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      value += g[i] * value_[i];
      weight += g[i] * weight_[i];
      volume += g[i] * volume_[i];
    }
    return Evaluation{{-value, volume}, {weight - capacity_}};
  }

 private:
  double capacity_;
  std::vector<double> value_, weight_, volume_;
};

TEST(ConstraintHandling, KnapsackFindsTheExactConstrainedFront) {
  const Knapsack problem(30.0);
  const std::vector<int> cards(9, 3);  // 3⁹ = 19683 genomes
  // Brute force over the feasible genomes.
  std::vector<Objectives> feasible;
  std::size_t infeasible = 0;
  Genome g(9, 0);
  for (int code = 0; code < 19683; ++code) {
    int rest = code;
    for (auto& x : g) {
      x = rest % 3;
      rest /= 3;
    }
    const auto e = problem.evaluate(g);
    if (e.constraints[0] <= 0)
      feasible.push_back(e.objectives);
    else
      ++infeasible;
  }
  ASSERT_GT(infeasible, 10000u);  // the constraint binds: most of the space is infeasible
  const auto truth_vector = pareto_front(feasible);
  const std::set<Objectives> truth(truth_vector.begin(), truth_vector.end());
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Nsga2Options options;
    options.population_size = 60;
    options.seed = seed;
    Nsga2<CategoricalVariation> optimizer(CategoricalVariation(cards), options);
    optimizer.run(problem, 80);
    std::set<Objectives> found;
    for (const auto& m : optimizer.front()) {
      EXPECT_LE(m.evaluation.constraints[0], 0.0);
      found.insert(m.evaluation.objectives);
    }
    EXPECT_EQ(found, truth) << "seed " << seed << ": " << found.size() << " of " << truth.size();
    // With more feasible genomes than the population holds, no infeasible one survives.
    for (const auto& m : optimizer.population()) EXPECT_EQ(m.violation, 0.0);
  }
}

TEST(ConstraintHandling, StartsInfeasibleAndStillReachesFeasibility) {
  // Capacity so small that random genomes (mean weight ≈ 45) are almost all infeasible.
  const Knapsack problem(4.0);
  Nsga2Options options;
  options.population_size = 20;
  Nsga2<CategoricalVariation> optimizer(CategoricalVariation(std::vector<int>(9, 3)), options);
  const auto initial = optimizer.ask();
  std::vector<Objectives> objectives;
  std::vector<std::vector<double>> constraints;
  std::size_t initially_feasible = 0;
  for (const auto& genome : initial) {
    const auto e = problem.evaluate(genome);
    objectives.push_back(e.objectives);
    constraints.push_back(e.constraints);
    initially_feasible += e.constraints[0] <= 0;
  }
  EXPECT_EQ(initially_feasible, 0u);
  optimizer.tell(initial, objectives, constraints);
  EXPECT_TRUE(optimizer.front().empty());  // nothing feasible yet
  optimizer.run(problem, 30);
  EXPECT_FALSE(optimizer.front().empty());
  for (const auto& m : optimizer.front()) EXPECT_LE(m.evaluation.constraints[0], 0.0);
}

// SRN (Srinivas & Deb 1994). Where the constraints allow, its Pareto set is x1 = −2.5 (there
// f1 + f2 = −0.25 + (x1 + 2.5)²); at the low-f1 end the front follows the linear constraint, whose
// closest point to f1's unconstrained minimum (2, 1) gives f1 = 2 + 9²/10 = 10.1 (unconstrained: 2).
class Srn : public Problem<std::vector<double>> {
 public:
  Evaluation evaluate(const std::vector<double>& x) const override {
    const double f1 = 2 + (x[0] - 2) * (x[0] - 2) + (x[1] - 1) * (x[1] - 1);
    const double f2 = 9 * x[0] - (x[1] - 1) * (x[1] - 1);
    return Evaluation{{f1, f2}, {x[0] * x[0] + x[1] * x[1] - 225, x[0] - 3 * x[1] + 10}};
  }
};

TEST(ConstraintHandling, SrnFollowsItsConstrainedFront) {
  const Srn problem;
  Nsga2Options options;
  options.population_size = 100;
  options.seed = 4;
  Nsga2<RealVariation> optimizer(RealVariation({-20, -20}, {20, 20}), options);
  optimizer.run(problem, 200);
  const auto front = optimizer.front();
  ASSERT_EQ(front.size(), 100u);
  double min_f1 = 1e300;
  std::vector<double> gaps;
  for (const auto& m : front) {
    EXPECT_EQ(m.violation, 0.0);
    const auto& f = m.evaluation.objectives;
    min_f1 = std::min(min_f1, f[0]);
    if (f[0] > 30 && f[0] < 150) gaps.push_back(f[0] + f[1] + 0.25);
  }
  EXPECT_NEAR(min_f1, 10.1, 0.3);
  ASSERT_GT(gaps.size(), 30u);
  std::sort(gaps.begin(), gaps.end());
  EXPECT_LT(gaps[gaps.size() / 2], 0.3);  // median |x1 + 2.5| below 0.55
}

}  // namespace
