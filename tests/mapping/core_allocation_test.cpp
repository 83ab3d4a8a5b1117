// Which core runs each MAC layer (core_allocation.hpp, issue 17): the per-layer choices for latency
// and energy, and the exact Pareto front behind the energy-delay choice, against every assignment of
// small problems enumerated.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "mapping/core_allocation.hpp"

namespace cimnet {
namespace {

// Two layers: the first faster on the digital core (option 1) but dearer, the second cheaper there.
AllocationProblem two_layers() {
  AllocationProblem p;
  p.options = {{{-1, 100, 50.0}, {0, 60, 90.0}}, {{-1, 80, 70.0}, {0, 80, 40.0}}};
  p.fixed_cycles = 20;
  p.fixed_pj = 5;
  return p;
}

TEST(CoreAllocation, LatencyTakesEachLayersFastestCoreTiesToTheFirst) {
  const Assignment a = allocate(two_layers(), CoreAllocation::Latency);
  EXPECT_EQ(a.choice, (std::vector<int>{1, 0}));  // layer 2: equal cycles, the arrays
  EXPECT_EQ(a.cycles, 20 + 60 + 80);
  EXPECT_DOUBLE_EQ(a.energy_pj, 5 + 90 + 70);
}

TEST(CoreAllocation, EnergyCountsStaticPowerOverEachLayersCycles) {
  AllocationProblem p = two_layers();
  const Assignment dynamic_only = allocate(p, CoreAllocation::Energy);
  EXPECT_EQ(dynamic_only.choice, (std::vector<int>{0, 1}));
  EXPECT_DOUBLE_EQ(dynamic_only.energy_pj, 5 + 50 + 40);
  // At 1.5 pJ per cycle of static power the first layer's 40 cycles saved (60 pJ) outweigh its 40 pJ more.
  p.static_pj_per_cycle = 1.5;
  const Assignment with_static = allocate(p, CoreAllocation::Energy);
  EXPECT_EQ(with_static.choice, (std::vector<int>{1, 1}));
  EXPECT_DOUBLE_EQ(with_static.energy_pj, 5 + 90 + 40 + 1.5 * (20 + 60 + 80));
}

// Every assignment of a problem, with its cycles and energy.
std::vector<Assignment> every_assignment(const AllocationProblem& p) {
  std::vector<Assignment> out;
  std::vector<int> choice(p.options.size(), 0);
  while (true) {
    Assignment a;
    double dynamic = 0;
    for (std::size_t i = 0; i < choice.size(); ++i) {
      a.cycles += p.options[i][static_cast<std::size_t>(choice[i])].cycles;
      dynamic += p.options[i][static_cast<std::size_t>(choice[i])].dynamic_pj;
    }
    a.energy_pj = p.energy(a.cycles, dynamic);
    a.cycles += p.fixed_cycles;
    a.choice = choice;
    out.push_back(a);
    std::size_t i = 0;
    while (i < choice.size() && ++choice[i] == static_cast<int>(p.options[i].size())) choice[i++] = 0;
    if (i == choice.size()) return out;
  }
}

AllocationProblem random_problem(std::mt19937_64& rng, std::size_t layers) {
  std::uniform_int_distribution<int> options(1, 3), cycles(1, 400), energy(1, 400);
  AllocationProblem p;
  for (std::size_t i = 0; i < layers; ++i) {
    std::vector<CoreOption> o;
    const int n = options(rng);
    for (int k = 0; k < n; ++k) o.push_back({k - 1, cycles(rng), static_cast<double>(energy(rng))});
    p.options.push_back(o);
  }
  p.fixed_cycles = cycles(rng);
  p.fixed_pj = energy(rng);
  p.static_pj_per_cycle = 0.25;
  return p;
}

TEST(CoreAllocation, TheFrontIsEveryNonDominatedAssignment) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 40; ++trial) {
    const AllocationProblem p = random_problem(rng, 9);
    const std::vector<Assignment> all = every_assignment(p);
    const std::vector<Assignment> front = allocation_front(p);
    // The brute-force front: (cycles, energy) pairs no other assignment dominates, distinct.
    std::vector<std::pair<std::int64_t, double>> expected;
    for (const Assignment& a : all) {
      const bool dominated = std::any_of(all.begin(), all.end(), [&](const Assignment& b) {
        return b.cycles <= a.cycles && b.energy_pj <= a.energy_pj + 1e-9 &&
               (b.cycles < a.cycles || b.energy_pj < a.energy_pj - 1e-9);
      });
      if (!dominated) expected.emplace_back(a.cycles, a.energy_pj);
    }
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end(),
                               [](const auto& a, const auto& b) {
                                 return a.first == b.first && std::abs(a.second - b.second) < 1e-9;
                               }),
                   expected.end());
    ASSERT_EQ(front.size(), expected.size()) << "trial " << trial;
    for (std::size_t k = 0; k < front.size(); ++k) {
      EXPECT_EQ(front[k].cycles, expected[k].first);
      EXPECT_NEAR(front[k].energy_pj, expected[k].second, 1e-9);
      if (k > 0) {
        EXPECT_LT(front[k].energy_pj, front[k - 1].energy_pj);
      }
    }
    // Each objective's choice is the brute-force best.
    double least_product = std::numeric_limits<double>::infinity(), least_energy = least_product;
    std::int64_t fewest = std::numeric_limits<std::int64_t>::max();
    for (const Assignment& a : all) {
      least_product = std::min(least_product, a.energy_pj * static_cast<double>(a.cycles));
      least_energy = std::min(least_energy, a.energy_pj);
      fewest = std::min(fewest, a.cycles);
    }
    const Assignment edp = allocate(p, CoreAllocation::EnergyDelay);
    EXPECT_NEAR(edp.energy_pj * static_cast<double>(edp.cycles), least_product, 1e-6 * least_product);
    EXPECT_NEAR(allocate(p, CoreAllocation::Energy).energy_pj, least_energy, 1e-9);
    EXPECT_EQ(allocate(p, CoreAllocation::Latency).cycles, fewest);
  }
}

TEST(CoreAllocation, NoChoiceLeavesTheFixedPart) {
  AllocationProblem p;
  p.fixed_cycles = 1000;
  p.fixed_pj = 10;
  p.static_pj_per_cycle = 0.5;
  for (CoreAllocation goal : {CoreAllocation::Latency, CoreAllocation::Energy, CoreAllocation::EnergyDelay}) {
    const Assignment a = allocate(p, goal);
    EXPECT_TRUE(a.choice.empty());
    EXPECT_EQ(a.cycles, 1000);
    EXPECT_DOUBLE_EQ(a.energy_pj, 510);
  }
}

}  // namespace
}  // namespace cimnet
