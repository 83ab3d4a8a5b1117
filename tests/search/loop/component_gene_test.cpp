// Issue 17: a digital core's size as a gene of the co-search (scenarios/experiments/
// ofa-mbv3-digital-grid.yaml: `pe.rows` and `pe.cols` over 8, 16, 32). The genome, the candidates' keys,
// evaluations.csv and front.csv, a resume, the MPI task lines and the predictors' features all carry the
// genes after the eight parameters; without genes every one of them is what it was before.
//
// The end-to-end search evaluates each candidate with the real analytical model (the mapper's estimate,
// SystemC-free) in this process: every row's cycles are those of the design its columns name, and a
// larger grid never costs cycles on the same network — the digital mapper's best tiling is at least as
// fast on more PEs (each tile's steps ⌈size ÷ unrolling⌉ shrink or stay; mapping/digital_mapper.hpp),
// and each layer goes to the faster core.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/csv.hpp"
#include "common/csv_line.hpp"
#include "common/yaml_reader.hpp"
#include "config/scenario.hpp"
#include "evaluation/schema.hpp"
#include "mapping/network_mapper.hpp"
#include "predict/encoding.hpp"
#include "search/loop/inner_search.hpp"
#include "search/loop/search.hpp"
#include "search/loop/task_line.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

const Scenario& grid_scenario() {
  static const Scenario s =
      load_scenario((test::source_dir() / "scenarios/experiments/ofa-mbv3-digital-grid.yaml").string());
  return s;
}

const SearchSpace& mbv3() {
  static const auto space = make_space(grid_scenario().space, grid_scenario().space_options);
  return *space;
}

// The scenario's space with the eight parameters held at the reference design: only the grid varies
// (9 designs), so that a small search evaluates several grids of one design.
const HardwareSpace& grid_only() {
  static const HardwareSpace hw = [] {
    HardwareSpace h = grid_scenario().hardware;
    for (std::size_t p = 0; p < kHwParamCount; ++p) {
      h.choices[p] = {h.choices[p][static_cast<std::size_t>(h.reference[p])]};
      h.reference[p] = 0;
    }
    return h;
  }();
  return hw;
}

// The mapper's analytical cycles (steady, layer by layer, each MAC layer on its fastest core), as the
// simulation evaluator's analytical_cycles column; counts its evaluations.
class AnalyticalEvaluator : public BatchEvaluator {
 public:
  explicit AnalyticalEvaluator(const CoSpace& space) : space_(space) {}
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string cycles = std::to_string(cycles_of(*networks[i], space_.hardware().config(batch[i].hw)));
      evaluation::TaskOutcome o;
      o.task = i;
      o.status = "ok";
      o.fields = {{"cycles", cycles}, {"analytical_cycles", cycles}};
      ++evaluated;
      done(o);
    }
    return true;
  }
  std::int64_t cycles_of(const Network& network, const HardwareConfig& hw) {
    return estimate_network(network, hw, &cache_, Execution::LayerByLayer, CyclesOf::Steady).analytical_steady_cycles;
  }
  std::size_t evaluated = 0;

 private:
  const CoSpace& space_;
  MapperCache cache_;
};

SearchOptions small(const std::string& dir, std::vector<std::string> methods) {
  SearchOptions o;
  o.methods = std::move(methods);
  o.seeds = {4};
  o.budget = 6;
  o.initial = 3;
  o.batch = 3;
  o.population = 8;
  o.generations = 3;
  o.out = dir;
  o.verbose = false;
  std::filesystem::remove_all(dir);
  return o;
}

TEST(ComponentGene, WithoutGenesEveryGenomeDerivedStringIsTheTemplates) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 1.0);
  const Candidate ref = co.reference();
  EXPECT_EQ(ref.key, mbv3().format(ref.arch) + " hw=2.2.2.2.2.2.2.2");
  EXPECT_EQ(co.cardinalities().size(), mbv3().gene_count() + kHwParamCount);
  EXPECT_EQ(task_line(co, 7, ref), "7 " + mbv3().format(ref.arch) + " 2,2,2,2,2,2,2,2 layer-by-layer latency\n");
  // The dataset and search columns: the eight parameters straight after the sub-network's genes.
  const auto names = evaluation::Schema(mbv3(), hw).names();
  EXPECT_EQ(names, evaluation::Schema(mbv3()).names());
  const auto first = std::find(names.begin(), names.end(), "DRAM_bw");
  ASSERT_NE(first, names.end());
  EXPECT_EQ(std::vector<std::string>(first, first + 9),
            (std::vector<std::string>{"DRAM_bw", "L2_bw", "L1_bw", "L1_num_child", "MA_bw", "MA_num_child",
                                      "MA_mem_size", "MA_comp_per_core", "macs"}));
  // The predictors' hardware features: four one-hot columns per parameter, nothing after.
  const Encoder encoder(mbv3(), linas_recipe(co).cycles_encoding, &hw);
  std::size_t hardware_features = 0;
  for (const auto& f : encoder.feature_names()) {
    const std::string name = f.substr(0, f.find('='));
    EXPECT_EQ(name.find('.'), std::string::npos) << f;
    for (const auto& p : hw_param_names()) hardware_features += name == p;
  }
  EXPECT_EQ(hardware_features, 32u);
}

TEST(ComponentGene, TheGenesFollowTheEightInGenomesKeysAndTaskLines) {
  const HardwareSpace& hw = grid_scenario().hardware;
  const CoSpace co(mbv3(), hw, Mode::Joint, "max", 0);
  const std::size_t arch = mbv3().gene_count();
  ASSERT_EQ(co.cardinalities().size(), arch + kHwParamCount + 2);
  EXPECT_EQ(co.cardinalities()[arch + 8], 3);
  EXPECT_EQ(co.cardinalities()[arch + 9], 3);
  EXPECT_EQ(co.reference().key, mbv3().format(co.reference().arch) + " hw=2.2.2.0.2.0.2.0.1.1");
  Rng rng(5);
  std::set<std::int64_t> pes;
  for (int i = 0; i < 60; ++i) {
    const Candidate c = co.sample(rng);
    ASSERT_EQ(c.hw.size(), kHwParamCount + 2);
    EXPECT_EQ(co.decode(co.encode(c)).key, c.key);
    const HardwareConfig config = hw.config(c.hw);
    pes.insert(config.digital_cores.at(0).pes());
    EXPECT_EQ(config.digital_cores[0].rows, hw.component_genes[0].choices[static_cast<std::size_t>(c.hw[8])]);
    // The MPI task line carries the whole genome (the server reads it without its newline).
    std::string line = task_line(co, 11, c);
    ASSERT_EQ(line.back(), '\n');
    line.pop_back();
    const auto [id, back] = parse_task(co, line);
    EXPECT_EQ(id, 11u);
    EXPECT_EQ(back.key, c.key);
    EXPECT_EQ(back.hw, c.hw);
  }
  EXPECT_GE(pes.size(), 5u) << "samples cover the grids";
  // The predictors see each gene's choices as one-hot columns after the eight's.
  const Encoder encoder(mbv3(), linas_recipe(co).cycles_encoding, &hw);
  const auto& names = encoder.feature_names();
  const auto at = std::find(names.begin(), names.end(), "pe.rows=16");
  ASSERT_NE(at, names.end());
  EXPECT_EQ(*(at - 2), "MA_comp_per_core=128");
  EXPECT_EQ(*(at + 4), "pe.cols=32");
  const Candidate c = co.sample(rng);
  const Eigen::RowVectorXd row = encoder.encode(c.arch, &c.hw, std::vector<double>(encoder.spec().extra.size(), 1.0));
  const auto rows_column = static_cast<Eigen::Index>(at - names.begin()) - 1;
  EXPECT_EQ(row.segment(rows_column, 3).sum(), 1.0);
  EXPECT_EQ(row[rows_column + c.hw[8]], 1.0);
}

// A small hardware search on the grid: each evaluated row is the design its columns name, several grids
// are evaluated, and a larger grid never has more analytical cycles on the same network.
TEST(ComponentGene, ASearchEvaluatesEachGridAndALargerGridIsNeverSlower) {
  const CoSpace co(mbv3(), grid_only(), Mode::Hw, "max", 0);
  AnalyticalEvaluator evaluator(co);
  const SearchOptions o = small(test::scratch_dir("component-gene-search").string(), {"random", "nsga2"});
  const SearchResult result = run_search(co, evaluator, fake_accuracy(mbv3()), o);
  ASSERT_EQ(result.exit_status, 0);
  const CsvTable t = read_csv(o.out + "/evaluations.csv", CsvComments::leading);
  const std::size_t rows_column = t.column("pe.rows");
  EXPECT_EQ(rows_column, t.column("MA_comp_per_core") + 1);
  EXPECT_EQ(t.column("pe.cols"), rows_column + 1);
  const Network network = mbv3().build(co.reference_network());
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> cycles;  // (rows, cols) -> cycles
  for (const auto& row : t.rows) {
    ASSERT_EQ(row[t.column("status")], "ok") << row[t.column("message")];
    std::vector<std::int64_t> values;
    for (const auto& n : grid_only().gene_names()) values.push_back(std::stoll(row[t.column(n)]));
    const HardwareConfig config = grid_only().config(grid_only().genome_of_values(values));
    const std::int64_t measured = std::stoll(row[t.column("cycles")]);
    EXPECT_EQ(measured, evaluator.cycles_of(network, config));
    cycles[{values[8], values[9]}] = measured;
  }
  EXPECT_GE(cycles.size(), 4u) << "the search evaluated designs of several grid sizes";
  // Every grid, evaluated or not, for the monotonicity over the whole gene.
  for (std::int64_t r : {8, 16, 32}) {
    for (std::int64_t c : {8, 16, 32}) {
      HardwareConfig config = grid_only().reference_config();
      config.digital_cores[0].rows = r;
      config.digital_cores[0].cols = c;
      const std::int64_t estimate = evaluator.cycles_of(network, config);
      const auto grid = std::make_pair(r, c);
      if (cycles.count(grid)) {
        EXPECT_EQ(cycles[grid], estimate);
      }
      cycles[grid] = estimate;
    }
  }
  for (const auto& [small_grid, small_cycles] : cycles) {
    for (const auto& [large_grid, large_cycles] : cycles) {
      if (large_grid.first < small_grid.first || large_grid.second < small_grid.second) continue;
      EXPECT_LE(large_cycles, small_cycles) << large_grid.first << "x" << large_grid.second << " vs "
                                            << small_grid.first << "x" << small_grid.second;
    }
  }
  const std::int64_t largest = cycles[std::make_pair(32, 32)], smallest = cycles[std::make_pair(8, 8)];
  EXPECT_LT(largest, smallest) << "the grid must matter for the check to mean anything";

  // The front names each design's grid; the printed fronts show it by value.
  const CsvTable front = read_csv(o.out + "/front.csv");
  ASSERT_FALSE(front.rows.empty());
  EXPECT_EQ(std::vector<std::string>(front.header.end() - 3, front.header.end()),
            (std::vector<std::string>{"MA_comp_per_core", "pe.rows", "pe.cols"}));
  std::ostringstream printed;
  print_result(printed, co, result);
  EXPECT_NE(printed.str().find("choices 00000000 pe.rows="), std::string::npos) << printed.str();
  EXPECT_NE(printed.str().find("then each digital core's searched size by value"), std::string::npos);
  std::filesystem::remove_all(o.out);
}

// A run cut short and resumed evaluates exactly the missing points, reading each grid back from the gene
// columns; a row whose grid is not among the choices is refused naming the file and line.
TEST(ComponentGene, AResumeReadsTheGeneColumns) {
  const CoSpace co(mbv3(), grid_scenario().hardware, Mode::Hw, "max", 0);
  SearchOptions o = small(test::scratch_dir("component-gene-resume").string(), {"random"});
  o.budget = 5;
  AnalyticalEvaluator first(co);
  run_search(co, first, fake_accuracy(mbv3()), o);
  const std::string path = o.out + "/evaluations.csv";
  const CsvTable whole = read_csv(path, CsvComments::leading);
  ASSERT_EQ(whole.rows.size(), 6u);
  const auto keys = [&](const CsvTable& t) {
    std::multiset<std::string> out;
    for (const auto& row : t.rows) {
      std::string key = row[t.column("method")];
      for (const auto& n : grid_scenario().hardware.gene_names()) key += " " + row[t.column(n)];
      out.insert(key);
    }
    return out;
  };
  // Keep the first line, the header, the reference and two rows.
  std::string text = read_text_file(path, "evaluations");
  std::size_t end = 0;
  for (int line = 0; line < 2 + 3; ++line) end = text.find('\n', end) + 1;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text.substr(0, end);
  SearchOptions again = o;
  again.resume = true;
  AnalyticalEvaluator second(co);
  run_search(co, second, fake_accuracy(mbv3()), again);
  EXPECT_EQ(second.evaluated, 3u);
  EXPECT_EQ(keys(read_csv(path, CsvComments::leading)), keys(whole));

  // A grid that is not a choice: the row's pe.rows (the reference row's, line 3) changed to 12.
  text = read_text_file(path, "evaluations");
  const CsvTable t = read_csv(path, CsvComments::leading);
  std::vector<std::string> header = t.header;
  std::vector<std::string> reference = t.rows[0];
  reference[t.column("pe.rows")] = "12";
  std::string garbled = text.substr(0, text.find('\n') + 1);
  garbled += format_csv_line(header) + format_csv_line(reference);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << garbled;
  AnalyticalEvaluator third(co);
  const std::string message = test::input_error([&] { run_search(co, third, fake_accuracy(mbv3()), again); });
  EXPECT_NE(message.find(path + ":3: pe.rows = 12 is not one of the choices 8, 16, 32; start a new --out"),
            std::string::npos)
      << message;
  EXPECT_EQ(third.evaluated, 0u);
  std::filesystem::remove_all(o.out);
}

}  // namespace
}  // namespace cimnet::loop
