// The accuracy column of dataset rows: present when the scenario has an accuracy source, computed by
// the coordinator from that source (the same numbers as the source answers), labelled PROXY in the
// column's description line when the source is a proxy, and absent from the plain schema.
#include <gtest/gtest.h>

#include <fstream>

#include "config/scenario.hpp"
#include "dataset/dataset_file.hpp"
#include "evaluation/schema.hpp"
#include "accuracy/accuracy_config.hpp"
#include "tests/dataset/driver_runner.hpp"

namespace cimnet::dataset {
namespace {

using test::run_driver;

// The "# column accuracy [%]: ..." line of a dataset file; empty when there is none.
std::string accuracy_description(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line) && !line.empty() && line[0] == '#') {
    if (line.rfind("# column accuracy [%]: ", 0) == 0) return line;
  }
  return {};
}

// Every row has the accuracy the scenario's source gives its genome, bit for bit.
void expect_accuracies_from_source(const std::string& path, const Scenario& scenario) {
  const DatasetFile f = read_dataset(path);
  ASSERT_FALSE(f.rows.empty());
  const auto space = make_space(scenario.space, scenario.space_options);
  auto source = make_accuracy_source(*space, AccuracyConfig{});
  for (const auto& row : f.rows) {
    const std::string text = row[f.column("accuracy")];
    ASSERT_FALSE(text.empty()) << row[f.column("genome")];
    const double expected = source->top1(space->parse(row[f.column("genome")]));
    EXPECT_EQ(std::stod(text), expected) << row[f.column("genome")];
  }
}

TEST(DatasetAccuracy, ShippedModelFillsTheColumn) {
  const auto dir = test::temp_dir("accuracy_model");
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--samples", "12", "--mode", "joint", "--out", out, "-j", "2", "--seed", "3"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string line = accuracy_description(out);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find("PROXY"), std::string::npos) << line;
  expect_accuracies_from_source(out, default_scenario());
  // The column sits after params: a point column, filled by the coordinator.
  const DatasetFile f = read_dataset(out);
  EXPECT_EQ(f.column("accuracy"), f.column("params") + 1);
}

TEST(DatasetAccuracy, ProxyIsLabelledInTheHeader) {
  const auto dir = test::temp_dir("accuracy_proxy");
  const std::string scenario_path = dir / "vit.yaml";
  std::ofstream(scenario_path) << "space:\n  name: vit-b16\n";
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--scenario", scenario_path, "--samples", "5", "--mode", "arch", "--out", out, "-j", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string line = accuracy_description(out);
  EXPECT_NE(line.find("PROXY"), std::string::npos) << line;
  expect_accuracies_from_source(out, load_scenario(scenario_path));
}

TEST(DatasetAccuracy, OneAndTwoWorkersGiveTheSameAccuracies) {
  const auto dir = test::temp_dir("accuracy_resume");
  const std::string a = dir / "a.csv";
  const std::string b = dir / "b.csv";
  ASSERT_EQ(run_driver({"--samples", "9", "--mode", "arch", "--out", a, "-j", "1", "--seed", "2"}).status, 0);
  ASSERT_EQ(run_driver({"--samples", "9", "--mode", "arch", "--out", b, "-j", "2", "--seed", "2"}).status, 0);
  EXPECT_EQ(test::rows_by_index(a), test::rows_by_index(b));
}

// `auto` is the default, not a choice: when it cannot serve the space (the shipped model knows 224 px
// only) the run goes on without the column and says why once.
TEST(DatasetAccuracy, AutoThatCannotServeTheSpaceLeavesTheColumnOutWithANote) {
  const auto dir = test::temp_dir("accuracy_note");
  const std::string scenario_path = dir / "two.yaml";
  std::ofstream(scenario_path) << "space:\n  name: ofa-mbv3\n  resolutions: [192, 224]\n";
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--scenario", scenario_path, "--samples", "4", "--mode", "arch", "--out", out, "-j", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("note: dataset: no accuracy column"), std::string::npos) << r.err;
  EXPECT_TRUE(accuracy_description(out).empty());
  EXPECT_THROW(read_dataset(out).column("accuracy"), std::exception);
}

TEST(DatasetAccuracy, PlainSchemaHasNoAccuracyColumn) {
  const auto space = make_space("ofa-mbv3");
  EXPECT_FALSE(evaluation::Schema(*space).has("accuracy"));
  const evaluation::Schema labelled(*space, "PROXY something");
  ASSERT_TRUE(labelled.has("accuracy"));
  EXPECT_EQ(labelled.columns()[labelled.index_of("accuracy")].description.rfind("PROXY", 0), 0u);
  EXPECT_EQ(labelled.index_of("accuracy"), labelled.index_of("params") + 1);
}

}  // namespace
}  // namespace cimnet::dataset
