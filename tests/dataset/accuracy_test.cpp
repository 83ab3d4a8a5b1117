// The accuracy column of dataset rows: present when the scenario has an accuracy source, computed by
// the coordinator from that source (the same numbers as the source answers), labelled PROXY in the
// column's description line when the source is a proxy, and absent from the plain schema.
#include <gtest/gtest.h>

#include <fstream>

#include "config/scenario.hpp"
#include "dataset/dataset_file.hpp"
#include "evaluation/schema.hpp"
#include "accuracy/accuracy_config.hpp"
#include "dataset/point_list.hpp"
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

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// Issue 12, defect 10: a hung accuracy command cost a full time-out per point (each retried alone),
// about 11 h per 64-point batch with the defaults, and the run then exited 0 with an empty column. Now
// the first time-out ends the asking (one time-out lost in all) and the run says so, with status 1.
TEST(DatasetAccuracy, AHungCommandCostsOneTimeOutAndTheRunSaysSo) {
  const auto dir = test::temp_dir("accuracy_hung");
  const std::string scenario_path = dir / "hung.yaml";
  std::ofstream(scenario_path) << "space:\n  name: ofa-mbv3\naccuracy:\n  source: command\n  command: sleep 600\n"
                                  "  timeout: 1\n";
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--scenario", scenario_path, "--samples", "10", "--mode", "arch", "--out", out, "-j", "2",
                             "--no-progress"});
  EXPECT_EQ(r.status, 1) << r.err;
  // Said twice: in the warning when the asking stops, and in the last line.
  EXPECT_EQ(count(r.err, "no answer within the time-out of 1 s"), 2u) << r.err;
  EXPECT_NE(r.err.find("warning: dataset: stopped asking the accuracy source for the rest of this run: accuracy "
                       "command 'sleep 600', request 0 (ofa-mbv3 "),
            std::string::npos)
      << r.err;
  const std::string last = last_line(r.err);
  EXPECT_EQ(last.rfind("dataset: " + out + " holds every point, but 10 of 10 have no accuracy: accuracy command "
                                           "'sleep 600', request 0 (",
                       0),
            0u)
      << last;
  EXPECT_NE(last.find("no answer within the time-out of 1 s; the command was stopped (exit status 1)"),
            std::string::npos)
      << last;
  // The cycles are all there: only the accuracy is missing.
  const DatasetFile f = read_dataset(out);
  ASSERT_EQ(f.rows.size(), 10u);
  for (const auto& row : f.rows) {
    EXPECT_EQ(row[f.column("status")], "ok");
    EXPECT_TRUE(row[f.column("accuracy")].empty());
  }
}

// A point the command refuses ({"error": ...}) costs that point only: the others are asked again.
TEST(DatasetAccuracy, ACommandsErrorForOnePointCostsThatPointOnly) {
  const auto dir = test::temp_dir("accuracy_one_error");
  const std::string script = dir / "answer.py";
  std::ofstream(script) << "import json, os, sys\n"
                           "for line in sys.stdin:\n"
                           "    request = json.loads(line)\n"
                           "    if request['arch'] == os.environ['BAD_ARCH']:\n"
                           "        print(json.dumps({'error': 'cannot evaluate this one'}), flush=True)\n"
                           "    else:\n"
                           "        print(json.dumps({'accuracy': 70.5}), flush=True)\n";
  const std::string scenario_path = dir / "command.yaml";
  std::ofstream(scenario_path) << "space:\n  name: ofa-mbv3\naccuracy:\n  source: command\n  command: /usr/bin/python3 "
                               << script << "\n  timeout: 60\n";
  const Scenario scenario = load_scenario(scenario_path);
  const auto space = make_space(scenario.space, scenario.space_options);
  const PointList list = sample_points(*space, scenario.hardware, Mode::Arch, 10, 1);
  const std::string bad = space->format(list.points[3].genome);
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--scenario", scenario_path, "--samples", "10", "--mode", "arch", "--out", out, "-j", "2",
                             "--no-progress"},
                            {{"BAD_ARCH", bad}});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("warning: dataset: no accuracy for point 3: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("stopped asking"), std::string::npos) << r.err;
  EXPECT_EQ(last_line(r.err), "dataset: " + out + " holds every point, but 1 of 10 have no accuracy: the source could "
                                                  "not answer for them (the warnings of this or an earlier run say "
                                                  "why) (exit status 1)");
  const DatasetFile f = read_dataset(out);
  ASSERT_EQ(f.rows.size(), 10u);
  for (const auto& row : f.rows) {
    EXPECT_EQ(row[f.column("accuracy")], row[f.column("index")] == "3" ? "" : "70.5") << row[f.column("index")];
  }
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
