// Generic search objectives (issue 16): any two or more of accuracy, cycles, energy, edp and area,
// normalised by the reference design, with the fronts and hypervolume in as many dimensions as chosen.
// On the formula stand-in of formula_evaluator.hpp: these tests are about the loop, not SystemC.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "common/csv.hpp"
#include "common/error.hpp"
#include "search/loop/hypervolume_frame.hpp"
#include "search/loop/search.hpp"
#include "search/moo/hypervolume.hpp"
#include "search/moo/pareto.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

const SearchSpace& mbv3() {
  static const auto space = make_space("ofa-mbv3");
  return *space;
}

const CoSpace& co_space() {
  static const HardwareSpace hw = HardwareSpace::defaults();
  static const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0);
  return co;
}

SearchOptions three_objectives(const std::string& dir, std::vector<std::string> methods) {
  SearchOptions o;
  o.methods = std::move(methods);
  o.seeds = {3};
  o.objectives = {Objective::energy, Objective::accuracy, Objective::cycles};  // any order: the frame sorts them
  o.budget = 30;
  o.initial = 10;
  o.batch = 10;
  o.population = 16;
  o.generations = 6;
  o.out = dir;
  o.config.add("test", "objectives");
  o.verbose = false;
  return o;
}

TEST(Objectives, FrameNormalisesEachChosenObjectiveByTheReferenceDesign) {
  Record reference;
  reference.point = co_space().reference();
  reference.m.accuracy = 75;
  reference.m.cycles = 1000;
  reference.m.energy_pj = 4000;
  // Listed out of order and with area: the frame's order is accuracy, cycles, energy, edp, area.
  const HypervolumeFrame frame(co_space(), {Objective::area, Objective::edp, Objective::accuracy}, reference, 70, 80);
  EXPECT_EQ(frame.chosen(), (std::vector<Objective>{Objective::accuracy, Objective::edp, Objective::area}));
  const ObjectiveValues v{77.5, 500, 2000, 1.25};
  const moo::Objectives o = frame.objectives(v);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_DOUBLE_EQ(o[0], -0.75);         // −(77.5 − 70) / (80 − 70)
  EXPECT_DOUBLE_EQ(o[1], 0.5 * 0.5);     // (500 / 1000) × (2000 / 4000)
  EXPECT_DOUBLE_EQ(o[2], 1.25);
  const moo::Objectives raw = frame.raw_objectives(v);
  EXPECT_EQ(raw, (moo::Objectives{-77.5, 500.0 * 2000.0, 1.25}));
  const moo::Objectives r = frame.hypervolume_reference();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], 0.0);
  EXPECT_EQ(r[1], 1.0);
  EXPECT_DOUBLE_EQ(r[2], 1.1);  // 1.1 × the area budget (1)
  // The reference design itself sits on the reference point's energy-delay corner: it adds nothing.
  EXPECT_EQ(frame.objectives(values_of(reference))[1], 1.0);
  const ObjectiveValues w = frame.worst(2.0);
  EXPECT_EQ(w.accuracy, 70.0);
  EXPECT_EQ(w.cycles, 1000.0);
  EXPECT_EQ(w.energy_pj, 4000.0);
  EXPECT_EQ(w.area, 2.0);
}

TEST(Objectives, EveryMethodsFrontAndHypervolumeAreThreeDimensional) {
  const std::string dir = test::scratch_dir("objectives-three").string();
  std::filesystem::remove_all(dir);
  SearchOptions o = three_objectives(dir, {"linas", "nsga2", "random", "dynast"});
  o.rerank = 2;
  std::size_t estimated = 0;
  o.analytical = formula_estimate(co_space(), &estimated);
  FormulaEvaluator ev(co_space());
  const SearchResult result = run_search(co_space(), ev, fake_accuracy(mbv3()), o);
  ASSERT_EQ(result.exit_status, 0);
  EXPECT_EQ(result.objectives, (std::vector<Objective>{Objective::accuracy, Objective::cycles, Objective::energy}));
  EXPECT_GT(estimated, 0u);

  // The truth, from evaluations.csv alone: every method's ok rows in (−accuracy, cycles, energy).
  const CsvTable t = read_csv(dir + "/evaluations.csv", CsvComments::leading);
  const auto c = [&](const char* n) { return t.column(n); };
  double ref_cycles = 0, ref_energy = 0;
  std::map<std::string, std::vector<moo::Objectives>> raw;
  for (const auto& row : t.rows) {
    if (row[c("status")] != "ok") continue;
    const double acc = std::stod(row[c("accuracy")]), cyc = std::stod(row[c("cycles")]),
                 en = std::stod(row[c("energy_pj")]);
    if (row[c("method")] == "reference") {
      ref_cycles = cyc;
      ref_energy = en;
      continue;
    }
    raw[row[c("method")]].push_back({-acc, cyc, en});
  }
  ASSERT_GT(ref_energy, 0);
  EXPECT_EQ(result.reference.m.energy_pj, ref_energy);
  ASSERT_EQ(result.methods.size(), 4u);
  const double low = result.accuracy_low, high = result.accuracy_high;
  for (const auto& m : result.methods) {
    const auto& pts = raw.at(m.method);
    std::set<std::vector<double>> expected;
    for (std::size_t i : moo::non_dominated_indices(pts)) expected.insert(pts[i]);
    std::set<std::vector<double>> front;
    for (const auto& r : m.front) front.insert({-r.m.accuracy, r.m.cycles, r.m.energy_pj});
    EXPECT_EQ(front, expected) << m.method;
    std::vector<moo::Objectives> normalised;
    for (const auto& p : pts) normalised.push_back({(p[0] + low) / (high - low), p[1] / ref_cycles, p[2] / ref_energy});
    EXPECT_NEAR(m.hypervolume, moo::hypervolume(normalised, {0.0, 1.0, 1.0}), 1e-12) << m.method;
  }

  // front.csv carries each design's energy; the energy predictor was scored on LINAS's batches.
  const CsvTable front = read_csv(dir + "/front.csv", CsvComments::leading);
  ASSERT_FALSE(front.rows.empty());
  for (const auto& row : front.rows) EXPECT_GT(std::stod(row[front.column("energy_pj")]), 0);
  const CsvTable its = read_csv(dir + "/iterations.csv", CsvComments::leading);
  bool scored = false;
  for (const auto& row : its.rows) {
    if (row[its.column("method")] == "linas" && !row[its.column("tau_energy")].empty()) scored = true;
  }
  EXPECT_TRUE(scored) << "no LINAS iteration scored its energy predictor";
}

TEST(Objectives, AnEvaluatorThatMeasuresNoEnergyIsRefusedWhenAnObjectiveNeedsIt) {
  const std::string dir = test::scratch_dir("objectives-no-energy").string();
  std::filesystem::remove_all(dir);
  SearchOptions o = three_objectives(dir, {"random"});
  o.objectives = {Objective::accuracy, Objective::edp};
  FormulaEvaluator ev(co_space());
  ev.report_energy = false;
  EXPECT_THROW(run_search(co_space(), ev, fake_accuracy(mbv3()), o), InputError);
  EXPECT_EQ(ev.evaluated, 1u);  // the reference only: nothing more was spent
}

}  // namespace
}  // namespace cimnet::loop
