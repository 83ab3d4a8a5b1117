// Issue 14: the execution policy as one more gene of the co-search (`execution: searched`). Every
// method evaluates each candidate under its own policy — through the real fork-per-point worker pool,
// which hands the evaluator the candidate's policy — records it in evaluations.csv and front.csv, and a
// resume rebuilds it from the run folder. A stand-in evaluator whose cycles depend on the policy (a
// roofline formula, fused at 3/5 of layer by layer) keeps this to seconds: SystemC is covered by the
// command-line tests (tests/apps/cimnet/cli/search_cli_test.cpp, resume_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/csv.hpp"
#include "common/yaml_reader.hpp"
#include "search/loop/inner_search.hpp"
#include "search/loop/search.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

// The stand-in's cycles of a network on a hardware under a policy.
long long policy_cycles(const Network& network, const HardwareConfig& hw, Execution execution) {
  const double cycles = formula_cycles(network, hw);
  return static_cast<long long>(execution == Execution::Fused       ? 0.6 * cycles
                                : execution == Execution::Pipelined ? 0.7 * cycles
                                                                    : cycles);
}

// The evaluator a worker runs (in a forked process of the pool): it sees only the EvalPoint.
evaluation::Fields policy_evaluate(const evaluation::EvalPoint& p) {
  const std::string cycles = std::to_string(policy_cycles(p.network, p.hardware, p.execution));
  return {{"cycles", cycles}, {"analytical_cycles", cycles}};
}

// The same in this process (no fork), counting its evaluations: for resumes.
class PolicyFormulaEvaluator : public BatchEvaluator {
 public:
  explicit PolicyFormulaEvaluator(const CoSpace& space) : space_(space) {}
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      evaluation::TaskOutcome o;
      o.task = i;
      o.status = "ok";
      o.fields = policy_evaluate(evaluation::EvalPoint{space_.space(), batch[i].arch, space_.hardware().config(batch[i].hw),
                                                       *networks[i], batch[i].execution, space_.cycles_of(), LatencyBound{}});
      ++evaluated;
      done(o);
    }
    return true;
  }
  std::size_t evaluated = 0;

 private:
  const CoSpace& space_;
};

const SearchSpace& mbv3() {
  static const auto space = make_space("ofa-mbv3");
  return *space;
}

ExecutionSetting searched() {
  ExecutionSetting s;
  s.searched = true;
  return s;
}

SearchOptions small(const std::string& dir, std::vector<std::string> methods) {
  SearchOptions o;
  o.methods = std::move(methods);
  o.seeds = {2};
  o.budget = 16;
  o.initial = 6;
  o.batch = 4;
  o.population = 8;
  o.generations = 4;
  o.out = dir;
  o.config.add("execution", "searched");
  o.verbose = false;
  std::filesystem::remove_all(dir);
  return o;
}

// Each row's point (method genome hardware policy) of evaluations.csv.
std::multiset<std::string> points(const CsvTable& t) {
  std::multiset<std::string> out;
  for (const auto& row : t.rows) {
    std::string key = row[t.column("method")] + " " + row[t.column("genome")];
    for (const auto& n : hw_param_names()) key += " " + row[t.column(n)];
    out.insert(key + " " + row[t.column("execution")]);
  }
  return out;
}

TEST(ExecutionGene, EveryMethodEvaluatesEachCandidateUnderItsOwnPolicy) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0, searched());
  PoolEvaluator pool(co, policy_evaluate, 2, 60);
  const std::vector<std::string> methods = {"linas", "random", "nsga2", "dynast"};
  SearchOptions o = small(test::scratch_dir("gene-methods").string(), methods);
  o.rerank = 2;
  std::set<Execution> reranked;
  o.analytical = [&](const std::vector<Candidate>& cs) {
    std::vector<AnalyticalEstimate> out;
    for (const auto& c : cs) {
      reranked.insert(c.execution);
      out.push_back({static_cast<double>(policy_cycles(mbv3().build(c.arch), hw.config(c.hw), c.execution)), 0.0});
    }
    return out;
  };
  const SearchResult result = run_search(co, pool, fake_accuracy(mbv3()), o);
  ASSERT_EQ(result.exit_status, 0);
  EXPECT_FALSE(reranked.empty()) << "LINAS re-ranked nothing";

  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  EXPECT_EQ(t.header.back(), "execution");
  std::map<std::string, std::set<std::string>> policies;  // method -> the policies it evaluated
  for (const auto& row : t.rows) {
    ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
    const std::string policy = row[t.column("execution")];
    policies[row[t.column("method")]].insert(policy);
    HardwareConfig config = hw.reference_config();
    for (std::size_t i = 0; i < kHwParamCount; ++i) config.values[i] = std::stoll(row[t.column(hw_param_names()[i])]);
    const Network network = mbv3().build(mbv3().parse(row[t.column("genome")]));
    EXPECT_EQ(std::stoll(row[t.column("cycles")]), policy_cycles(network, config, parse_execution(policy, "row")))
        << row[t.column("genome")] << " under " << policy;
  }
  EXPECT_EQ(policies["reference"], (std::set<std::string>{"layer-by-layer"}));
  // Every method explores the gene (a method that homes in on the cheapest policy may not try all three);
  // together they try every policy.
  std::set<std::string> tried;
  for (const auto& m : methods) {
    EXPECT_GE(policies[m].size(), 2u) << m;
    tried.insert(policies[m].begin(), policies[m].end());
  }
  EXPECT_EQ(tried, (std::set<std::string>{"layer-by-layer", "fused", "pipelined"}));
  const auto all = points(t);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "a point evaluated twice";

  // The front: each point with its policy, as evaluated.
  const CsvTable front = read_csv(o.out + "/front.csv");
  ASSERT_FALSE(front.rows.empty());
  EXPECT_EQ(front.header.back(), "execution");
  for (const auto& f : front.rows) {
    std::string key = f[front.column("method")] + " " + f[front.column("genome")];
    for (const auto& n : hw_param_names()) key += " " + f[front.column(n)];
    EXPECT_EQ(all.count(key + " " + f[front.column("execution")]), 1u) << key;
  }
  std::ostringstream printed;
  print_result(printed, co, result);
  EXPECT_NE(printed.str().find("on the reference hardware, layer-by-layer: top-1"), std::string::npos) << printed.str();
  EXPECT_NE(printed.str().find("area   execution       hardware"), std::string::npos) << printed.str();
  // The checkpoint's plans carry each point's policy.
  const auto j = nlohmann::json::parse(read_text_file(o.out + "/checkpoint.json", "checkpoint"));
  std::size_t planned = 0;
  for (const auto& [key, plan] : j.at("plans").items()) {
    for (const auto& p : plan.at("points")) {
      ASSERT_EQ(p.size(), 3u) << key;
      parse_execution(p.at(2).get<std::string>(), key);
      ++planned;
    }
  }
  EXPECT_GT(planned, 0u);
  std::filesystem::remove_all(o.out);
}

// A run cut short (its last rows lost, as by a kill) and resumed evaluates exactly the missing points,
// each under its recorded policy, and ends with the uninterrupted run's evaluations.
TEST(ExecutionGene, AResumeRebuildsEachPointsPolicyFromTheRunFolder) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0, searched());
  const SearchOptions o = small(test::scratch_dir("gene-resume").string(), {"linas", "nsga2"});
  PolicyFormulaEvaluator first(co);
  run_search(co, first, fake_accuracy(mbv3()), o);
  const std::string path = o.out + "/evaluations.csv";
  const CsvTable whole = read_csv(path, CsvComments::leading);
  ASSERT_EQ(whole.rows.size(), 1u + 2u * 16u);

  // Keep the first line, the header and the reference + 12 rows: linas stopped inside its iteration 2.
  std::string text = read_text_file(path, "evaluations");
  std::size_t end = 0;
  for (int line = 0; line < 2 + 13; ++line) end = text.find('\n', end) + 1;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text.substr(0, end);
  SearchOptions again = o;
  again.resume = true;
  PolicyFormulaEvaluator second(co);
  run_search(co, second, fake_accuracy(mbv3()), again);
  EXPECT_EQ(second.evaluated, whole.rows.size() - 13u);
  const CsvTable resumed = read_csv(path, CsvComments::leading);
  EXPECT_EQ(points(resumed), points(whole));

  // Finished: resumed once more, nothing is evaluated.
  PolicyFormulaEvaluator third(co);
  run_search(co, third, fake_accuracy(mbv3()), again);
  EXPECT_EQ(third.evaluated, 0u);

  // A row whose policy cannot be read, or a point recorded twice under one policy, is refused in one
  // line naming the file and line.
  text = read_text_file(path, "evaluations");
  const std::size_t row3 = [&] {  // the start of line 3: the reference row
    std::size_t p = 0;
    for (int i = 0; i < 2; ++i) p = text.find('\n', p) + 1;
    return p;
  }();
  const std::string reference_row = text.substr(row3, text.find('\n', row3) + 1 - row3);
  ASSERT_EQ(reference_row.substr(reference_row.size() - 16), ",layer-by-layer\n");
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << text.substr(0, row3) << reference_row.substr(0, reference_row.size() - 15) << "fusion\n"
      << text.substr(row3 + reference_row.size());
  const std::string garbled = test::input_error([&] { run_search(co, third, fake_accuracy(mbv3()), again); });
  EXPECT_NE(garbled.find(path + ":3: column 'execution'"), std::string::npos) << garbled;
  EXPECT_NE(garbled.find("not a searched execution policy (layer-by-layer, fused, pipelined): 'fusion'; start a new --out"),
            std::string::npos) << garbled;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text << reference_row;
  const std::string twice = test::input_error([&] { run_search(co, third, fake_accuracy(mbv3()), again); });
  EXPECT_NE(twice.find("under layer-by-layer appears twice for method 'reference' seed 0 (first at line 3)"),
            std::string::npos) << twice;
  EXPECT_EQ(third.evaluated, 0u);
  std::filesystem::remove_all(o.out);
}

// The predictors of linas and dynast see the gene (two columns, fused and pipelined) only when searched:
// with a fixed policy their encodings are those of before.
TEST(ExecutionGene, ThePredictorsSeeTheGeneOnlyWhenSearched) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace gene(mbv3(), hw, Mode::Arch, "max", 1.0, searched());
  const CoSpace fixed(mbv3(), hw, Mode::Arch, "max", 1.0, ExecutionSetting{false, Execution::Fused});
  for (const auto& recipe : {linas_recipe(gene), dynast_recipe(gene)}) {
    EXPECT_TRUE(recipe.execution_feature) << recipe.method;
    ASSERT_GE(recipe.cycles_encoding.extra.size(), 2u);
    const auto& extra = recipe.cycles_encoding.extra;
    EXPECT_EQ(std::vector<std::string>(extra.end() - 2, extra.end()),
              (std::vector<std::string>{"execution=fused", "execution=pipelined"}))
        << recipe.method;
  }
  EXPECT_EQ(linas_recipe(fixed).cycles_encoding.extra, RooflineFeatures::names());
  EXPECT_TRUE(dynast_recipe(fixed).cycles_encoding.extra.empty());
  EXPECT_FALSE(linas_recipe(fixed).execution_feature);
  EXPECT_FALSE(dynast_recipe(fixed).execution_feature);
}

// A fixed policy writes the files of before the gene: no execution column, plan points of two elements.
TEST(ExecutionGene, AFixedPolicyAddsNoColumn) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0, ExecutionSetting{false, Execution::Fused});
  SearchOptions o = small(test::scratch_dir("gene-fixed").string(), {"linas"});
  o.config = RunSettings();
  o.config.add("execution", "fused");
  PolicyFormulaEvaluator ev(co);
  run_search(co, ev, fake_accuracy(mbv3()), o);
  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  EXPECT_EQ(t.header.back(), "iteration");
  EXPECT_FALSE(t.has_column("execution"));
  const CsvTable front = read_csv(o.out + "/front.csv");
  EXPECT_EQ(front.header.back(), "MA_comp_per_core");
  const auto j = nlohmann::json::parse(read_text_file(o.out + "/checkpoint.json", "checkpoint"));
  for (const auto& [key, plan] : j.at("plans").items()) {
    for (const auto& p : plan.at("points")) EXPECT_EQ(p.size(), 2u) << key;
  }
  std::filesystem::remove_all(o.out);
}

}  // namespace
}  // namespace cimnet::loop
