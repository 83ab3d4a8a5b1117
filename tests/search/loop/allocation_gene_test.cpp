// Issue 17: the allocation objective as one more gene of the co-search (`allocation: searched`), after
// the execution policy's when that is searched too. Each candidate is evaluated allocated by its own
// objective — through the real fork-per-point worker pool, which hands the evaluator the candidate's
// objective — its objective is recorded in evaluations.csv, front.csv, the checkpoint and the MPI task
// lines, and a resume rebuilds it. A stand-in evaluator whose cycles and energy depend on the objective
// (energy: 2 × the cycles, 0.8 × the energy; energy-delay: 1.2 ×, 0.9 ×) keeps this to seconds; the
// real allocations are tested in tests/mapping (core_allocation_test.cpp, fused_allocation_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/csv.hpp"
#include "common/yaml_reader.hpp"
#include "search/loop/inner_search.hpp"
#include "search/loop/search.hpp"
#include "search/loop/task_line.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

double cycles_factor(CoreAllocation a) {
  return a == CoreAllocation::Energy ? 2.0 : a == CoreAllocation::EnergyDelay ? 1.2 : 1.0;
}
double energy_factor(CoreAllocation a) {
  return a == CoreAllocation::Energy ? 0.8 : a == CoreAllocation::EnergyDelay ? 0.9 : 1.0;
}

// The evaluator a worker runs (in a forked process of the pool): it sees only the EvalPoint.
evaluation::Fields objective_evaluate(const evaluation::EvalPoint& p) {
  const std::string cycles =
      std::to_string(static_cast<long long>(cycles_factor(p.allocation) * formula_cycles(p.network, p.hardware)));
  const std::string energy = std::to_string(energy_factor(p.allocation) * formula_energy(p.network, p.hardware));
  return {{"cycles", cycles}, {"analytical_cycles", cycles}, {evaluation::col::kEnergy, energy},
          {evaluation::col::kAnalyticalEnergy, energy}};
}

const SearchSpace& mbv3() {
  static const auto space = make_space("ofa-mbv3");
  return *space;
}

AllocationSetting searched_allocation() {
  AllocationSetting s;
  s.searched = true;
  return s;
}

SearchOptions small(const std::string& dir, std::vector<std::string> methods) {
  SearchOptions o;
  o.methods = std::move(methods);
  o.seeds = {3};
  o.budget = 16;
  o.initial = 6;
  o.batch = 4;
  o.population = 8;
  o.generations = 4;
  o.out = dir;
  o.objectives = {Objective::accuracy, Objective::cycles, Objective::energy};
  o.config.add("allocation", "searched");
  o.verbose = false;
  std::filesystem::remove_all(dir);
  return o;
}

TEST(AllocationGene, EveryMethodEvaluatesEachCandidateAllocatedByItsOwnObjective) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0, ExecutionSetting{}, CyclesOf::Steady, searched_allocation());
  ASSERT_EQ(co.cardinalities().size(), mbv3().gene_count() + hw.gene_count() + 1);
  EXPECT_EQ(co.cardinalities().back(), 3);
  PoolEvaluator pool(co, objective_evaluate, 2, 60);
  const std::vector<std::string> methods = {"linas", "random", "nsga2"};
  SearchOptions o = small(test::scratch_dir("allocation-gene").string(), methods);
  const SearchResult result = run_search(co, pool, fake_accuracy(mbv3()), o);
  ASSERT_EQ(result.exit_status, 0);

  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  EXPECT_EQ(t.header.back(), "allocation");
  EXPECT_FALSE(t.has_column("execution"));
  std::map<std::string, std::set<std::string>> objectives;  // method -> the objectives it evaluated
  std::set<std::string> points;
  for (const auto& row : t.rows) {
    ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
    const std::string objective = row[t.column("allocation")];
    objectives[row[t.column("method")]].insert(objective);
    HardwareConfig config = hw.reference_config();
    for (std::size_t i = 0; i < kHwParamCount; ++i) config.values[i] = std::stoll(row[t.column(hw_param_names()[i])]);
    const Network network = mbv3().build(mbv3().parse(row[t.column("genome")]));
    const CoreAllocation a = parse_allocation(objective, "row");
    EXPECT_EQ(std::stoll(row[t.column("cycles")]), static_cast<long long>(cycles_factor(a) * formula_cycles(network, config)))
        << row[t.column("genome")] << " allocated for " << objective;
    std::string key = row[t.column("method")] + " " + row[t.column("genome")];
    for (const auto& n : hw_param_names()) key += " " + row[t.column(n)];
    EXPECT_TRUE(points.insert(key + " " + objective).second) << "evaluated twice: " << key << " " << objective;
  }
  EXPECT_EQ(objectives["reference"], (std::set<std::string>{"latency"}));
  std::set<std::string> tried;
  for (const auto& m : methods) tried.insert(objectives[m].begin(), objectives[m].end());
  EXPECT_EQ(tried, (std::set<std::string>{"latency", "energy", "energy-delay"}));

  // The front: each design with the objective it was allocated by, as evaluated.
  const CsvTable front = read_csv(o.out + "/front.csv");
  ASSERT_FALSE(front.rows.empty());
  EXPECT_EQ(front.header.back(), "allocation");
  std::ostringstream printed;
  print_result(printed, co, result);
  EXPECT_NE(printed.str().find("on the reference hardware, allocated for latency: top-1"), std::string::npos)
      << printed.str();
  EXPECT_NE(printed.str().find("allocation    hardware"), std::string::npos) << printed.str();
  // The checkpoint's plans carry each point's objective.
  const auto j = nlohmann::json::parse(read_text_file(o.out + "/checkpoint.json", "checkpoint"));
  std::size_t planned = 0;
  for (const auto& [key, plan] : j.at("plans").items()) {
    for (const auto& p : plan.at("points")) {
      ASSERT_EQ(p.size(), 3u) << key;
      parse_allocation(p.at(2).get<std::string>(), key);
      ++planned;
    }
  }
  EXPECT_GT(planned, 0u);

  // Resumed: nothing more to evaluate. A row whose objective cannot be read is refused naming the file,
  // line and column.
  SearchOptions again = o;
  again.resume = true;
  FormulaEvaluator none(co);
  run_search(co, none, fake_accuracy(mbv3()), again);
  EXPECT_EQ(none.evaluated, 0u);
  const std::string path = o.out + "/evaluations.csv";
  std::string text = read_text_file(path, "evaluations");
  const std::size_t at = text.find(",latency\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, ",speed\n");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  const std::string garbled = test::input_error([&] { run_search(co, none, fake_accuracy(mbv3()), again); });
  EXPECT_NE(garbled.find("column 'allocation'"), std::string::npos) << garbled;
  EXPECT_NE(garbled.find("not a searched allocation objective (latency, energy, energy-delay): 'speed'; start a new --out"),
            std::string::npos) << garbled;
  std::filesystem::remove_all(o.out);
}

// With both genes searched the policy comes first, then the objective: in the genome, the key, the
// files' columns and the task lines of an MPI run.
TEST(AllocationGene, WithTheExecutionGeneThePolicyComesFirst) {
  const HardwareSpace hw = HardwareSpace::defaults();
  ExecutionSetting policy;
  policy.searched = true;
  const CoSpace co(mbv3(), hw, Mode::Arch, "max", 1.0, policy, CyclesOf::Steady, searched_allocation());
  ASSERT_EQ(co.cardinalities().size(), mbv3().gene_count() + 2);
  EXPECT_EQ(co.choice_columns(), (std::vector<std::string>{"execution", "allocation"}));
  std::vector<int> flat = co.encode(co.reference());
  ASSERT_EQ(flat.size(), co.cardinalities().size());
  flat[flat.size() - 2] = 1;  // fused
  flat[flat.size() - 1] = 2;  // energy-delay
  const Candidate c = co.decode(flat);
  EXPECT_EQ(c.execution, Execution::Fused);
  EXPECT_EQ(c.allocation, CoreAllocation::EnergyDelay);
  EXPECT_EQ(co.encode(c), flat);
  EXPECT_NE(c.key.find(" execution=fused allocation=energy-delay"), std::string::npos) << c.key;
  EXPECT_EQ(co.choice_values(c), (std::vector<std::string>{"fused", "energy-delay"}));
  EXPECT_EQ(co.make(c.arch, c.hw, co.choice_values(c)).key, c.key);
  std::string line = task_line(co, 7, c);  // the server reads it without its newline
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  EXPECT_NE(line.find(" fused energy-delay"), std::string::npos) << line;
  const auto [id, back] = parse_task(co, line);
  EXPECT_EQ(id, 7u);
  EXPECT_EQ(back.key, c.key);
  // A fixed objective: no gene, and a candidate of another objective is a programming error.
  const CoSpace fixed(mbv3(), hw, Mode::Arch, "max", 1.0, ExecutionSetting{}, CyclesOf::Steady, CoreAllocation::Energy);
  EXPECT_EQ(fixed.cardinalities().size(), mbv3().gene_count());
  EXPECT_TRUE(fixed.choice_columns().empty());
  EXPECT_EQ(fixed.reference().allocation, CoreAllocation::Energy);
  EXPECT_EQ(fixed.reference().key.find("allocation="), std::string::npos);
  EXPECT_THROW(fixed.make(c.arch, c.hw, Execution::LayerByLayer, CoreAllocation::Latency), std::logic_error);
}

// The predictors of linas and dynast see the gene as two columns (energy, energy-delay) only when searched.
TEST(AllocationGene, ThePredictorsSeeTheGeneOnlyWhenSearched) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace gene(mbv3(), hw, Mode::Arch, "max", 1.0, ExecutionSetting{}, CyclesOf::Steady, searched_allocation());
  const CoSpace fixed(mbv3(), hw, Mode::Arch, "max", 1.0, ExecutionSetting{}, CyclesOf::Steady, CoreAllocation::Energy);
  for (const auto& recipe : {linas_recipe(gene), dynast_recipe(gene)}) {
    EXPECT_TRUE(recipe.allocation_feature) << recipe.method;
    EXPECT_FALSE(recipe.execution_feature) << recipe.method;
    const auto& extra = recipe.cycles_encoding.extra;
    ASSERT_GE(extra.size(), 2u);
    EXPECT_EQ(std::vector<std::string>(extra.end() - 2, extra.end()),
              (std::vector<std::string>{"allocation=energy", "allocation=energy-delay"}))
        << recipe.method;
  }
  EXPECT_FALSE(linas_recipe(fixed).allocation_feature);
  EXPECT_EQ(linas_recipe(fixed).cycles_encoding.extra, RooflineFeatures::names());
}

}  // namespace
}  // namespace cimnet::loop
