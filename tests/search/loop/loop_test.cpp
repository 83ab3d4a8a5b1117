// The loop's invariants on a fast, deterministic stand-in for the real evaluation (a roofline formula
// of MACs, weights and the hardware): the test is about the loop's logic, not about SystemC.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/yaml_reader.hpp"
#include "search/loop/search.hpp"
#include "common/csv.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

struct LoopRun {
  std::vector<std::vector<std::string>> rows;  // evaluations.csv
  std::vector<std::string> header;
  SearchResult result;
  std::size_t evaluated = 0;
  std::string dir;
};

SearchOptions small(const std::string& dir, long long seed, std::vector<std::string> methods = {"linas"}) {
  SearchOptions o;
  o.methods = std::move(methods);
  o.seeds = {seed};
  o.budget = 36;
  o.initial = 12;
  o.batch = 8;
  o.population = 16;
  o.generations = 8;
  o.out = dir;
  o.config.add("test", "1");
  o.verbose = false;
  return o;
}

LoopRun run_once(const SearchOptions& o, Mode mode = Mode::Joint) {
  static const auto space = make_space("ofa-mbv3");
  static const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(*space, hw, mode, "max", 1.0);
  FormulaEvaluator ev(co);
  const auto acc = fake_accuracy(*space);
  std::filesystem::remove_all(o.out);
  LoopRun r;
  r.result = run_search(co, ev, acc, o);
  r.evaluated = ev.evaluated;
  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  r.rows = t.rows;
  r.header = t.header;
  r.dir = o.out;
  return r;
}

std::size_t col(const LoopRun& r, const std::string& name) {
  for (std::size_t i = 0; i < r.header.size(); ++i) {
    if (r.header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// genome + hardware of each row of a method, as a multiset.
std::multiset<std::string> evaluated_set(const LoopRun& r, const std::string& method) {
  std::multiset<std::string> out;
  const auto g = col(r, "genome"), m = col(r, "method");
  for (const auto& row : r.rows) {
    if (row[m] != method) continue;
    std::string key = row[g];
    for (const auto& n : hw_param_names()) key += " " + row[col(r, n)];
    out.insert(key);
  }
  return out;
}

// The hypervolume frame spans the accuracies of the smallest, largest and reference sub-network
// whatever order a source gives them; a source that gives all three the same value gets a 1-point
// range rather than a division by (almost) zero.
TEST(SearchLoop, AccuracyFrameSurvivesSourcesThatDoNotOrderTheEndpoints) {
  static const auto space = make_space("ofa-mbv3");
  static const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(*space, hw, Mode::Joint, "max", 1.0);
  const double small_macs = static_cast<double>(space->build(space->smallest()).total_macs());
  const auto run = [&](const std::string& name, std::function<double(double macs)> top1) {
    FormulaEvaluator ev(co);
    AccuracyFunction acc;
    acc.top1 = [&](const std::vector<Genome>& gs) {
      std::vector<double> out;
      for (const auto& g : gs) out.push_back(top1(static_cast<double>(space->build(g).total_macs())));
      return out;
    };
    acc.label = name;
    auto o = small(test::scratch_dir("frame-" + name).string(), 3);
    std::filesystem::remove_all(o.out);
    return run_search(co, ev, acc, o);
  };
  // Decreasing in MACs: the smallest sub-network is the most accurate.
  const auto inverted = run("inverted", [&](double macs) { return 80.0 - 2.0 * std::log(macs / small_macs); });
  EXPECT_DOUBLE_EQ(inverted.accuracy_high, 80.0);
  const double large_macs = static_cast<double>(space->build(space->largest()).total_macs());
  EXPECT_NEAR(inverted.accuracy_low, 80.0 - 2.0 * std::log(large_macs / small_macs), 1e-9);
  EXPECT_LT(inverted.accuracy_low, 79.0);
  EXPECT_DOUBLE_EQ(inverted.accuracy_low, inverted.reference.m.accuracy);  // the reference is the largest
  // Constant: every point at the frame's low edge, so no hypervolume from accuracy at all.
  const auto flat = run("flat", [](double) { return 70.0; });
  EXPECT_DOUBLE_EQ(flat.accuracy_low, 70.0);
  EXPECT_DOUBLE_EQ(flat.accuracy_high, 71.0);
  for (const auto& m : flat.methods) EXPECT_DOUBLE_EQ(m.hypervolume, 0.0);
}

TEST(SearchLoop, NeverReevaluatesAndSpendsExactlyTheBudget) {
  const auto dir = test::scratch_dir("loop-budget").string();
  const LoopRun r = run_once(small(dir, 1, {"linas", "random", "nsga2"}));
  for (const char* m : {"linas", "random", "nsga2"}) {
    const auto set = evaluated_set(r, m);
    EXPECT_EQ(set.size(), 36u) << m;
    for (const auto& k : set) EXPECT_EQ(set.count(k), 1u) << m << ": " << k;
  }
  EXPECT_EQ(r.evaluated, 3u * 36u + 1u);  // + the reference point, once
  // Every real evaluation is within the area budget (infeasible points are never evaluated).
  const auto area = col(r, "area"), method = col(r, "method");
  for (const auto& row : r.rows) {
    if (row[method] != "reference") {
      EXPECT_LE(std::stod(row[area]), 1.0 + 1e-9);
    }
  }
}

TEST(SearchLoop, TheFrontHoldsOnlyRealEvaluations) {
  const auto dir = test::scratch_dir("loop-front").string();
  const LoopRun r = run_once(small(dir, 2, {"linas", "nsga2"}));
  const CsvTable front = read_csv(dir + "/front.csv");
  ASSERT_FALSE(front.rows.empty());
  const auto cyc = col(r, "cycles"), acc = col(r, "accuracy"), g = col(r, "genome"), m = col(r, "method");
  for (const auto& f : front.rows) {
    bool found = false;
    for (const auto& row : r.rows) {
      if (row[m] == f[front.column("method")] && row[g] == f[front.column("genome")] &&
          std::abs(std::stod(row[cyc]) - std::stod(f[front.column("cycles")])) < 0.5 &&
          std::abs(std::stod(row[acc]) - std::stod(f[front.column("accuracy")])) < 1e-4) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << f[front.column("genome")];
  }
  for (const auto& mr : r.result.methods) {
    for (const auto& rec : mr.front) EXPECT_TRUE(rec.m.ok());
  }
}

TEST(SearchLoop, NewInnerSeedEveryIteration) {
  const auto dir = test::scratch_dir("loop-seeds").string();
  run_once(small(dir, 3));
  const auto j = nlohmann::json::parse(read_text_file(dir + "/checkpoint.json", "checkpoint"));
  std::set<std::uint64_t> seeds;
  std::size_t plans = 0;
  for (const auto& [key, plan] : j.at("plans").items()) {
    seeds.insert(plan.at("inner_seed").get<std::uint64_t>());
    ++plans;
  }
  EXPECT_GE(plans, 3u);
  EXPECT_EQ(seeds.size(), plans);
  EXPECT_NE(linas_inner_seed(3, 1), linas_inner_seed(3, 2));
  EXPECT_NE(linas_inner_seed(3, 1), linas_inner_seed(4, 1));
}

// The dynast baseline keeps DyNAS-T's loop: budget / population loops of a whole population each, one
// inner seed for all of them, the next population taken from the inner search's final one (so
// points measured before come back and spend budget without adding an evaluation).
TEST(SearchLoop, DynastBaselineKeepsDyNasTsLoop) {
  const auto dir = test::scratch_dir("loop-dynast").string();
  auto o = small(dir, 4, {"dynast"});
  o.population = 8;  // 36 / 8 = 4 loops of 8
  const LoopRun r = run_once(o);
  const auto j = nlohmann::json::parse(read_text_file(dir + "/checkpoint.json", "checkpoint"));
  std::set<std::uint64_t> seeds;
  std::size_t plans = 0;
  for (const auto& [key, plan] : j.at("plans").items()) {
    EXPECT_EQ(key.rfind("dynast/4/", 0), 0u) << key;
    EXPECT_LE(plan.at("points").size(), 8u);
    seeds.insert(plan.at("inner_seed").get<std::uint64_t>());
    ++plans;
  }
  EXPECT_EQ(plans, 3u);  // loops 1-3; loop 0 is the uniform sample
  EXPECT_EQ(seeds.size(), 1u) << "DyNAS-T reuses its NSGA-II seed in every loop";
  std::set<int> iterations;
  for (const auto& row : r.rows) {
    if (row[col(r, "method")] == "dynast") iterations.insert(std::stoi(row[col(r, "iteration")]));
  }
  EXPECT_EQ(iterations, (std::set<int>{0, 1, 2, 3}));
  const auto set = evaluated_set(r, "dynast");
  EXPECT_EQ(std::set<std::string>(set.begin(), set.end()).size(), set.size()) << "a point recorded twice";
  EXPECT_GE(set.size(), 8u);
  EXPECT_LE(set.size(), 32u);  // 4 loops × 8, fewer where a loop re-measured earlier points
  EXPECT_EQ(r.evaluated, set.size() + 1);  // + the reference; a re-measurement is never re-simulated
  ASSERT_EQ(r.result.methods.size(), 1u);
  EXPECT_EQ(r.result.methods[0].evaluations, set.size());
}

TEST(SearchLoop, DeterministicForASeed) {
  const auto a = run_once(small(test::scratch_dir("loop-det-a").string(), 5, {"linas", "nsga2", "random"}));
  const auto b = run_once(small(test::scratch_dir("loop-det-b").string(), 5, {"linas", "nsga2", "random"}));
  const auto c = run_once(small(test::scratch_dir("loop-det-c").string(), 6, {"linas"}));
  for (const char* m : {"linas", "nsga2", "random"}) {
    EXPECT_EQ(evaluated_set(a, m), evaluated_set(b, m)) << m;
  }
  EXPECT_NE(evaluated_set(a, "linas"), evaluated_set(c, "linas"));
}

TEST(SearchLoop, ResumeInProcessRepeatsNothing) {
  // A finished run resumed evaluates nothing more and reports the same front.
  auto o = small(test::scratch_dir("loop-resume").string(), 7);
  const LoopRun first = run_once(o);
  static const auto space = make_space("ofa-mbv3");
  static const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(*space, hw, Mode::Joint, "max", 1.0);
  FormulaEvaluator ev(co);
  o.resume = true;
  const auto again = run_search(co, ev, fake_accuracy(*space), o);
  EXPECT_EQ(ev.evaluated, 0u);
  ASSERT_EQ(again.methods.size(), 1u);
  EXPECT_DOUBLE_EQ(again.methods[0].hypervolume, first.result.methods[0].hypervolume);
  // Without --resume the folder is refused.
  o.resume = false;
  EXPECT_THROW(run_search(co, ev, fake_accuracy(*space), o), InputError);
}

// The reference point is measured once, as method `reference`; no method spends budget on it again.
// A 9-design hardware space (DRAM_bw × MA_bw, 3 choices each, no area budget) in mode hw: with a
// budget of 8, each method must evaluate exactly the 8 designs other than the reference.
TEST(SearchLoop, NoMethodSpendsBudgetOnTheReferencePoint) {
  static const auto space = make_space("ofa-mbv3");
  HardwareSpace hw = HardwareSpace::defaults();
  for (std::size_t p = 0; p < kHwParamCount; ++p) {
    hw.choices[p] = {hw.choices[p][static_cast<std::size_t>(hw.reference[p])]};
    hw.reference[p] = 0;
  }
  hw.choices[static_cast<std::size_t>(HwParam::DRAM_bw)] = {32, 64, 128};
  hw.choices[static_cast<std::size_t>(HwParam::MA_bw)] = {32, 64, 128};
  hw.reference[static_cast<std::size_t>(HwParam::DRAM_bw)] = 1;
  hw.reference[static_cast<std::size_t>(HwParam::MA_bw)] = 1;
  const CoSpace co(*space, hw, Mode::Hw, "max", 0.0);
  FormulaEvaluator ev(co);
  auto o = small(test::scratch_dir("loop-reference").string(), 1, {"linas", "random", "nsga2"});
  o.budget = 8;
  o.initial = 4;
  o.batch = 2;
  std::filesystem::remove_all(o.out);
  const SearchResult result = run_search(co, ev, fake_accuracy(*space), o);
  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  const auto column = [&](const char* name) { return t.column(name); };
  std::map<std::string, std::set<std::string>> designs;  // method -> DRAM_bw/MA_bw pairs
  for (const auto& row : t.rows) {
    designs[row[column("method")]].insert(row[column("DRAM_bw")] + "/" + row[column("MA_bw")]);
  }
  EXPECT_EQ(designs["reference"], (std::set<std::string>{"64/64"}));
  for (const char* m : {"linas", "random", "nsga2"}) {
    EXPECT_EQ(designs[m].size(), 8u) << m;
    EXPECT_EQ(designs[m].count("64/64"), 0u) << m << " spent budget on the reference point";
  }
  EXPECT_EQ(ev.evaluated, 1u + 3u * 8u);
  for (const auto& m : result.methods) EXPECT_EQ(m.evaluations, 8u) << m.method;
}

TEST(SearchLoop, ArchAndHwModesFixTheOtherHalf) {
  const LoopRun arch = run_once(small(test::scratch_dir("loop-arch").string(), 1), Mode::Arch);
  const LoopRun hwr = run_once(small(test::scratch_dir("loop-hw").string(), 1), Mode::Hw);
  const HardwareSpace hw = HardwareSpace::defaults();
  const auto ref = hw.reference_config();
  for (const auto& row : arch.rows) EXPECT_EQ(row[col(arch, "DRAM_bw")], std::to_string(ref.get(HwParam::DRAM_bw)));
  const std::string largest = hwr.rows.front()[col(hwr, "genome")];
  for (const auto& row : hwr.rows) EXPECT_EQ(row[col(hwr, "genome")], largest);
  EXPECT_GT(evaluated_set(hwr, "linas").size(), 10u);
}

// A method variant (linas:rerank=0) runs beside its method in one run folder with the same seeds: the
// same initial sample, its own budget and name in every output, and exactly the points a run of the
// method with that setting for the whole run evaluates. Only LINAS with rerank asks for analytical
// estimates beyond the budget, and the summary reports them per method and seed.
TEST(SearchLoop, AMethodVariantRunsBesideItsMethodWithTheSameSeeds) {
  static const auto space = make_space("ofa-mbv3");
  static const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(*space, hw, Mode::Joint, "max", 1.0);
  std::size_t estimated = 0;
  auto o = small(test::scratch_dir("loop-variant").string(), 8, {"linas", "linas:rerank=0", "random"});
  o.rerank = 2;
  o.analytical = formula_estimate(co, &estimated);
  std::filesystem::remove_all(o.out);
  FormulaEvaluator ev(co);
  const SearchResult both = run_search(co, ev, fake_accuracy(*space), o);
  LoopRun r;
  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  r.rows = t.rows;
  r.header = t.header;
  EXPECT_EQ(evaluated_set(r, "linas").size(), 36u);
  EXPECT_EQ(evaluated_set(r, "linas:rerank=0").size(), 36u);
  EXPECT_EQ(ev.evaluated, 1u + 3u * 36u);  // each its own budget, the reference once

  const auto initial = [&](const std::string& method) {
    std::multiset<std::string> out;
    for (const auto& row : r.rows) {
      if (row[col(r, "method")] != method || row[col(r, "iteration")] != "0") continue;
      std::string key = row[col(r, "genome")];
      for (const auto& n : hw_param_names()) key += " " + row[col(r, n)];
      out.insert(key);
    }
    return out;
  };
  EXPECT_EQ(initial("linas").size(), 12u);
  EXPECT_EQ(initial("linas"), initial("linas:rerank=0")) << "a variant draws from its method's seed stream";
  EXPECT_NE(evaluated_set(r, "linas"), evaluated_set(r, "linas:rerank=0")) << "the re-rank changes the batches";

  // The variant is exactly LINAS run with rerank 0.
  auto alone = small(test::scratch_dir("loop-variant-alone").string(), 8, {"linas"});
  alone.rerank = 0;
  alone.analytical = formula_estimate(co, nullptr);
  const LoopRun plain = run_once(alone);
  EXPECT_EQ(evaluated_set(plain, "linas"), evaluated_set(r, "linas:rerank=0"));

  // Analytical estimates: LINAS's shortlists of rerank × batch = 16 in each of its 3 later iterations.
  ASSERT_EQ(both.methods.size(), 3u);
  EXPECT_EQ(both.methods[0].method, "linas");
  EXPECT_EQ(both.methods[0].analytical_estimates, 48u);
  EXPECT_EQ(estimated, 48u);
  EXPECT_EQ(both.methods[1].method, "linas:rerank=0");
  EXPECT_EQ(both.methods[1].analytical_estimates, 0u);
  EXPECT_EQ(both.methods[1].analytical_seconds, 0.0);
  EXPECT_EQ(both.methods[2].analytical_estimates, 0u);
  std::ostringstream printed;
  print_result(printed, co, both);
  const std::string text = printed.str();
  EXPECT_NE(text.find("analytical estimates beyond the budget"), std::string::npos) << text;
  EXPECT_NE(text.find("48 candidates, "), std::string::npos) << text;
  EXPECT_NE(text.find("linas:rerank=0"), std::string::npos) << text;

  // Its name in front.csv and iterations.csv.
  std::set<std::string> front_methods, iteration_methods;
  const CsvTable front = read_csv(o.out + "/front.csv");
  for (const auto& row : front.rows) front_methods.insert(row[front.column("method")]);
  const CsvTable iterations = read_csv(o.out + "/iterations.csv");
  for (const auto& row : iterations.rows) iteration_methods.insert(row[iterations.column("method")]);
  EXPECT_EQ(front_methods, (std::set<std::string>{"linas", "linas:rerank=0", "random"}));
  EXPECT_EQ(iteration_methods, (std::set<std::string>{"linas", "linas:rerank=0", "random"}));
}

}  // namespace
}  // namespace cimnet::loop
