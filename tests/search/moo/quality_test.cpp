// Quality regression on test functions with known fronts: hypervolume of the final population's
// front over the true front's, reference point 1.1, mean over 3 fixed seeds. The thresholds are the
// acceptance criteria of issue 7; pagmo2 2.18 reaches 0.992 / 0.987 / 0.991 / 0.988 / 0.977 / 0.865
// (ZDT1, 2, 3, 4, 6, DTLZ2) with the same operators (nsga2-validation.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "search/moo/hypervolume.hpp"
#include "search/moo/igd.hpp"
#include "search/moo/nsga2.hpp"
#include "search/moo/real_variation.hpp"
#include "search/moo/test_problems.hpp"

namespace {

using namespace cimnet::moo;

struct Quality {
  double ratio = 0.0;
  double igd = 0.0;
};

Quality run_once(const std::string& name, std::size_t population, std::size_t generations,
                 std::uint64_t seed) {
  const auto problem = make_test_problem(name);
  Nsga2Options options;
  options.population_size = population;
  options.seed = seed;
  Nsga2<RealVariation> optimizer(RealVariation(problem->lower(), problem->upper()), options);
  EXPECT_EQ(optimizer.run(*problem, generations), generations);
  std::vector<Objectives> front;
  for (const auto& m : optimizer.front()) front.push_back(m.evaluation.objectives);
  Quality q;
  q.ratio = hypervolume(front, problem->reference_point()) / problem->true_hypervolume();
  q.igd = igd(front, problem->true_front(problem->objectives() == 2 ? 1000 : 990));
  return q;
}

double mean_ratio(const std::string& name, std::size_t population, std::size_t generations) {
  double sum = 0.0, igd_sum = 0.0;
  const std::vector<std::uint64_t> seeds = {1, 2, 3};
  for (std::uint64_t seed : seeds) {
    const Quality q = run_once(name, population, generations, seed);
    std::printf("%s seed %llu: HV ratio %.4f, IGD %.4f\n", name.c_str(),
                static_cast<unsigned long long>(seed), q.ratio, q.igd);
    sum += q.ratio;
    igd_sum += q.igd;
  }
  const double mean = sum / static_cast<double>(seeds.size());
  std::printf("%s mean HV ratio %.4f, mean IGD %.4f\n", name.c_str(), mean,
              igd_sum / static_cast<double>(seeds.size()));
  return mean;
}

TEST(Nsga2Quality, Zdt1) { EXPECT_GE(mean_ratio("zdt1", 100, 250), 0.98); }
TEST(Nsga2Quality, Zdt2) { EXPECT_GE(mean_ratio("zdt2", 100, 250), 0.98); }
TEST(Nsga2Quality, Zdt3) { EXPECT_GE(mean_ratio("zdt3", 100, 250), 0.98); }
TEST(Nsga2Quality, Zdt4) { EXPECT_GE(mean_ratio("zdt4", 100, 250), 0.98); }
TEST(Nsga2Quality, Zdt6) { EXPECT_GE(mean_ratio("zdt6", 100, 250), 0.97); }
TEST(Nsga2Quality, Dtlz1) { EXPECT_GE(mean_ratio("dtlz1", 92, 400), 0.98); }
TEST(Nsga2Quality, Dtlz2ThreeObjectives) { EXPECT_GE(mean_ratio("dtlz2", 92, 250), 0.85); }

}  // namespace
