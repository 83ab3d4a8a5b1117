// Datasets of a scenario that searches its digital core's grid (issue 17;
// scenarios/experiments/ofa-mbv3-digital-grid.yaml): sampled points vary the grid, rows carry the
// columns pe.rows and pe.cols after the eight parameters, a resume and a merge key on them, and points
// files may name them (a missing one is the reference's).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "config/scenario.hpp"
#include "dataset/point_list.hpp"
#include "tests/dataset/driver_runner.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::dataset {
namespace {

std::string grid_path() { return (test::source_dir() / "scenarios/experiments/ofa-mbv3-digital-grid.yaml").string(); }

struct Fixture {
  Scenario scenario = load_scenario(grid_path());
  std::unique_ptr<SearchSpace> space = make_space(scenario.space, scenario.space_options);
};

TEST(DatasetComponentGenes, SampledPointsVaryTheGridAndKeyOnIt) {
  Fixture f;
  const HardwareSpace& hw = f.scenario.hardware;
  const auto list = sample_points(*f.space, hw, Mode::Hw, 60, 2);
  std::set<std::pair<std::int64_t, std::int64_t>> grids;
  for (const auto& p : list.points) {
    ASSERT_EQ(p.hw.size(), kHwParamCount + 2);
    const auto& core = hw.config(p.hw).digital_cores.at(0);
    grids.insert({core.rows, core.cols});
  }
  EXPECT_EQ(grids.size(), 9u);
  // Two points that differ only in the grid are two points.
  Point a{f.space->canonical(f.space->largest()), hw.reference};
  Point b = a;
  b.hw[9] = 2;
  EXPECT_NE(point_key(*f.space, hw, a), point_key(*f.space, hw, b));
  EXPECT_EQ(point_key(*f.space, hw, a).substr(point_key(*f.space, hw, a).size() - 6), " 16 16");
}

TEST(DatasetComponentGenes, APointsFileMayNameTheGenes) {
  Fixture f;
  const HardwareSpace& hw = f.scenario.hardware;
  const auto dir = test::temp_dir("points_genes");
  const std::string path = dir / "points.csv";
  std::ofstream(path) << "genome,pe.rows,DRAM_bw\nmax,32,16\nmax,8,16\nmin,16,64\n";
  const auto list = read_points_file(path, *f.space, hw);
  ASSERT_EQ(list.points.size(), 3u);
  const HardwareConfig first = hw.config(list.points[0].hw);
  EXPECT_EQ(first.digital_cores[0].rows, 32);
  EXPECT_EQ(first.digital_cores[0].cols, 16) << "a missing gene column is the reference's";
  EXPECT_EQ(first.get(HwParam::DRAM_bw), 16);
  EXPECT_EQ(hw.config(list.points[1].hw).digital_cores[0].rows, 8);
  const auto check = [&](const std::string& text, const std::string& expected) {
    std::ofstream(path) << text;
    const std::string e = test::input_error([&] { read_points_file(path, *f.space, hw); });
    EXPECT_NE(e.find(expected), std::string::npos) << e;
  };
  check("genome,pe.rows\nmax,12\n", "points.csv:2: pe.rows = 12 is not one of the choices 8, 16, 32");
  check("genome,pe.pipeline\nmax,4\n", "unknown column 'pe.pipeline'");
  check("genome,pe.pipeline\nmax,4\n", "MA_comp_per_core, pe.rows, pe.cols");
  check("genome,pe.rows\nmax,16\nmax,16\n", "duplicate point");
}

std::vector<std::string> args(const std::string& out) {
  return {"--scenario", grid_path(), "--samples", "12", "--mode", "hw", "--out", out, "-j", "2", "--seed", "3"};
}

TEST(DatasetComponentGenes, RowsCarryTheGenesThroughAResumeAndAMerge) {
  const auto dir = test::temp_dir("genes_run");
  const std::string all = dir / "all.csv";
  const auto r = test::run_driver(args(all));
  ASSERT_EQ(r.status, 0) << r.err;
  const DatasetFile f = read_dataset(all);
  ASSERT_EQ(f.rows.size(), 12u);
  EXPECT_EQ(f.column("pe.rows"), f.column("MA_comp_per_core") + 1);
  EXPECT_EQ(f.column("pe.cols"), f.column("pe.rows") + 1);
  std::set<std::string> grids;
  for (const auto& row : f.rows) {
    EXPECT_EQ(row[f.column("status")], "ok") << row[f.column("message")];
    grids.insert(row[f.column("pe.rows")] + "x" + row[f.column("pe.cols")]);
  }
  EXPECT_GE(grids.size(), 4u);

  // Cut after five rows and resumed: the rows of the uninterrupted run.
  const std::string cut = dir / "cut.csv";
  {
    const std::string text = test::read_all(all);
    std::size_t end = 0, rows = 0;
    bool header = false;
    while (end < text.size()) {
      const std::size_t next = text.find('\n', end) + 1;
      if (text[end] != '#') {
        if (header && ++rows > 5) break;
        header = true;
      }
      end = next;
    }
    std::ofstream(cut, std::ios::binary) << text.substr(0, end);
  }
  ASSERT_EQ(test::data_lines(cut), 5u);
  auto resume = args(cut);
  resume.push_back("--resume");
  const auto resumed = test::run_driver(resume);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  EXPECT_EQ(test::rows_by_index(cut), test::rows_by_index(all));

  // Two shards merged: the same rows.
  for (const char* s : {"0/2", "1/2"}) {
    auto shard = args(dir / (std::string("s") + s[0] + ".csv"));
    shard.insert(shard.end(), {"--shard", s});
    ASSERT_EQ(test::run_driver(shard).status, 0);
  }
  const auto m = test::run_driver({"merge", dir / "merged.csv", dir / "s0.csv", dir / "s1.csv"});
  ASSERT_EQ(m.status, 0) << m.err;
  EXPECT_EQ(test::rows_by_index(dir / "merged.csv"), test::rows_by_index(all));
}

}  // namespace
}  // namespace cimnet::dataset
