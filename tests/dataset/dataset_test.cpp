// The run as a whole, through dataset_driver (the command with a test evaluator) in a child process:
// kill and resume, signals, crashes and hangs, J independence, shards and merge, MPI, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "config/scenario.hpp"
#include "dataset/job.hpp"
#include "dataset/point_list.hpp"
#include "tests/dataset/driver_runner.hpp"

namespace cimnet::dataset {
namespace {

using test::Env;
using test::run_driver;

std::vector<std::string> base_args(const std::string& out, const std::string& n, const std::string& jobs) {
  return {"--samples", n, "--mode", "joint", "--out", out, "-j", jobs, "--seed", "5"};
}

void expect_complete(const std::string& path, std::size_t n) {
  const DatasetFile f = read_dataset(path);
  EXPECT_TRUE(f.warning.empty());
  ASSERT_EQ(f.rows.size(), n);
  std::set<std::string> indices;
  std::set<std::string> points;
  for (const auto& row : f.rows) {
    indices.insert(row[f.column("index")]);
    std::string key = row[f.column("genome")];
    for (const auto& name : hw_param_names()) key += " " + row[f.column(name)];
    points.insert(key);
    EXPECT_EQ(row[f.column("status")], "ok") << row[f.column("message")];
    EXPECT_FALSE(row[f.column("cycles")].empty());
  }
  EXPECT_EQ(indices.size(), n);
  EXPECT_EQ(points.size(), n);
}

// Waits until the file holds at least `rows` whole rows (or the child ends).
void wait_for_rows(const std::string& path, std::size_t rows) {
  for (int i = 0; i < 3000 && test::data_lines(path) < rows; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

TEST(DatasetRun, SigkillThenResumeGivesEveryPointOnce) {
  const auto dir = test::temp_dir("sigkill");
  const std::string out = dir / "d.csv";
  auto args = base_args(out, "40", "2");
  args.insert(args.begin(), test::driver_path());
  const auto child = test::start_program(args, {{"CIMNET_TEST_DELAY_MS", "50"}}, dir / "err1.txt");
  wait_for_rows(out, 8);
  ASSERT_EQ(kill(child.pid, SIGKILL), 0);
  EXPECT_EQ(test::wait_child(child), 128 + SIGKILL);
  const std::size_t before = test::data_lines(out);
  EXPECT_GE(before, 8u);
  EXPECT_LT(before, 40u) << "killed too late to test anything";
  // The workers die with their coordinator: none is left writing or computing.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(test::data_lines(out), before);

  auto resume = base_args(out, "40", "2");
  resume.push_back("--resume");
  const auto r = run_driver(resume);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("resuming"), std::string::npos) << r.err;
  expect_complete(out, 40);
  // Same rows as an uninterrupted run.
  const std::string clean = dir / "clean.csv";
  ASSERT_EQ(run_driver(base_args(clean, "40", "2")).status, 0);
  EXPECT_EQ(test::rows_by_index(out), test::rows_by_index(clean));
}

TEST(DatasetRun, SigintLeavesAValidFileAndResumeFinishesIt) {
  for (int sig : {SIGINT, SIGTERM}) {
    const auto dir = test::temp_dir("sigint");
    const std::string out = dir / "d.csv";
    auto args = base_args(out, "30", "2");
    args.insert(args.begin(), test::driver_path());
    const auto child = test::start_program(args, {{"CIMNET_TEST_DELAY_MS", "50"}}, dir / "err.txt");
    wait_for_rows(out, 5);
    kill(child.pid, sig);
    EXPECT_EQ(test::wait_child(child), 128 + sig);
    EXPECT_NE(test::read_all(dir / "err.txt").find("--resume"), std::string::npos);
    const DatasetFile f = read_dataset(out);  // parses strictly: every row whole
    EXPECT_TRUE(f.warning.empty());
    EXPECT_GE(f.rows.size(), 5u);
    EXPECT_LT(f.rows.size(), 30u);
    auto resume = base_args(out, "30", "2");
    resume.push_back("--resume");
    ASSERT_EQ(run_driver(resume).status, 0);
    expect_complete(out, 30);
  }
}

TEST(DatasetRun, CrashAndHangBecomeRowsAndTheRunGoesOn) {
  const Scenario scenario = default_scenario();
  const auto space = make_space(scenario.space, scenario.space_options);
  const auto list = sample_points(*space, scenario.hardware, Mode::Arch, 8, 5);
  const std::string crash = space->format(list.points[2].genome);
  const std::string hang = space->format(list.points[5].genome);
  const std::string thrower = space->format(list.points[6].genome);
  const auto dir = test::temp_dir("crash");
  const std::string out = dir / "d.csv";
  const auto r = run_driver({"--samples", "8", "--mode", "arch", "--seed", "5", "--out", out, "-j", "2",
                             "--timeout-per-sample", "1"},
                            {{"CIMNET_TEST_CRASH_GENOME", crash},
                             {"CIMNET_TEST_HANG_GENOME", hang},
                             {"CIMNET_TEST_THROW_GENOME", thrower}});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto rows = test::rows_by_index(out);
  ASSERT_EQ(rows.size(), 8u);
  const DatasetFile f = read_dataset(out);
  const auto status = f.column("status");
  const auto message = f.column("message");
  const auto cycles = f.column("cycles");
  EXPECT_EQ(rows.at("2")[status], "error");
  EXPECT_NE(rows.at("2")[message].find("signal 11"), std::string::npos) << rows.at("2")[message];
  EXPECT_EQ(rows.at("5")[status], "timeout");
  EXPECT_NE(rows.at("5")[message].find("--timeout-per-sample 1 s"), std::string::npos);
  EXPECT_EQ(rows.at("6")[status], "error");
  EXPECT_NE(rows.at("6")[message].find("threw on purpose"), std::string::npos);
  for (const auto& i : {"0", "1", "3", "4", "7"}) {
    EXPECT_EQ(rows.at(i)[status], "ok") << i;
    EXPECT_FALSE(rows.at(i)[cycles].empty());
  }
  for (const auto& i : {"2", "5", "6"}) EXPECT_TRUE(rows.at(i)[cycles].empty()) << "no made-up cycles";
  EXPECT_NE(r.err.find("errors 2  timeouts 1"), std::string::npos) << r.err;
}

TEST(DatasetRun, OneAndTwoWorkersGiveIdenticalRows) {
  const auto dir = test::temp_dir("jobs");
  ASSERT_EQ(run_driver(base_args(dir / "j1.csv", "25", "1")).status, 0);
  ASSERT_EQ(run_driver(base_args(dir / "j2.csv", "25", "2"), {{"CIMNET_TEST_DELAY_MS", "3"}}).status, 0);
  expect_complete(dir / "j1.csv", 25);
  EXPECT_EQ(test::rows_by_index(dir / "j1.csv"), test::rows_by_index(dir / "j2.csv"));
}

TEST(DatasetRun, ShardsMergedEqualTheUnshardedRun) {
  const auto dir = test::temp_dir("shards");
  ASSERT_EQ(run_driver(base_args(dir / "all.csv", "21", "2")).status, 0);
  for (const char* s : {"0/2", "1/2"}) {
    auto args = base_args(dir / (std::string("s") + s[0] + ".csv"), "21", "2");
    args.insert(args.end(), {"--shard", s});
    ASSERT_EQ(run_driver(args).status, 0);
  }
  EXPECT_EQ(read_dataset(dir / "s0.csv").rows.size(), 11u);
  EXPECT_EQ(read_dataset(dir / "s1.csv").rows.size(), 10u);
  const auto r = run_driver({"merge", dir / "merged.csv", dir / "s1.csv", dir / "s0.csv"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(test::rows_by_index(dir / "merged.csv"), test::rows_by_index(dir / "all.csv"));
  // Row for row, in the same order, with the same header.
  const DatasetFile a = read_dataset(dir / "all.csv");
  const DatasetFile m = read_dataset(dir / "merged.csv");
  EXPECT_TRUE(a.meta.same_run(m.meta));
  ASSERT_EQ(a.rows.size(), m.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) EXPECT_EQ(a.rows[i][0], m.rows[i][0]);
}

TEST(DatasetRun, MpiWithTwoRanksGivesTheSameRows) {
  if (!mpi_available()) GTEST_SKIP() << "cimnet was built without MPI (CIMNET_WITH_MPI=OFF): skipped";
  const std::string mpiexec = CIMNET_MPIEXEC;
  ASSERT_FALSE(mpiexec.empty());
  const auto dir = test::temp_dir("mpi");
  ASSERT_EQ(run_driver(base_args(dir / "local.csv", "24", "1")).status, 0);
  std::vector<std::string> args{mpiexec, "--oversubscribe", "-np", "2", test::driver_path()};
  for (const auto& a : base_args(dir / "mpi.csv", "24", "2")) args.push_back(a);
  const Env env{{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}};
  const auto child = test::start_program(args, env, dir / "err.txt");
  const int status = test::wait_child(child);
  const std::string err = test::read_all(dir / "err.txt");
  ASSERT_EQ(status, 0) << err;
  EXPECT_NE(err.find("complete (2 ranks)"), std::string::npos) << err;
  EXPECT_EQ(err.find("fork"), std::string::npos) << "no fork warning from OpenMPI: " << err;
  expect_complete(dir / "mpi.csv", 24);
  EXPECT_EQ(test::rows_by_index(dir / "mpi.csv"), test::rows_by_index(dir / "local.csv"));
}

// Two ranks of which rank 1 is slow (200 ms per point) and rank 0 fast: rank 0 deals the points as
// they finish, so the fast rank takes most of them (a round-robin deal would split them 12 / 12).
// MPMD launch: the same driver, the delay in rank 1's environment only.
std::vector<std::string> two_rank_launch(const std::string& out, const std::vector<std::string>& rank1_env) {
  std::vector<std::string> args{CIMNET_MPIEXEC, "--oversubscribe", "-np", "1", test::driver_path()};
  for (const auto& a : base_args(out, "24", "1")) args.push_back(a);
  for (const std::string a : {":", "-np", "1", "/usr/bin/env"}) args.push_back(a);
  for (const auto& e : rank1_env) args.push_back(e);
  args.push_back(test::driver_path());
  for (const auto& a : base_args(out, "24", "1")) args.push_back(a);
  return args;
}

std::pair<std::size_t, std::size_t> points_per_rank(const std::string& err) {
  const auto at = err.find("points per rank (this run): ");
  if (at == std::string::npos) return {0, 0};
  std::istringstream s(err.substr(at + 28));
  std::size_t a = 0, b = 0;
  s >> a >> b;
  return {a, b};
}

TEST(DatasetRun, MpiDealsPointsToTheRankThatFinishesThem) {
  if (!mpi_available()) GTEST_SKIP() << "cimnet was built without MPI (CIMNET_WITH_MPI=OFF): skipped";
  const auto dir = test::temp_dir("mpi-balance");
  ASSERT_EQ(run_driver(base_args(dir / "local.csv", "24", "1")).status, 0);
  const Env env{{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}};
  const auto child = test::start_program(two_rank_launch(dir / "mpi.csv", {"CIMNET_TEST_DELAY_MS=200"}), env,
                                         dir / "err.txt");
  const std::string err = (test::wait_child(child), test::read_all(dir / "err.txt"));
  ASSERT_NE(err.find("complete (2 ranks)"), std::string::npos) << err;
  const auto [fast, slow] = points_per_rank(err);
  EXPECT_EQ(fast + slow, 24u) << err;
  EXPECT_GE(fast, 16u) << err;
  EXPECT_GE(slow, 1u) << err;
  expect_complete(dir / "mpi.csv", 24);
  EXPECT_EQ(test::rows_by_index(dir / "mpi.csv"), test::rows_by_index(dir / "local.csv"));
}

// Rank 1's server is killed by its first worker (as if its machine failed): the points it held go to
// rank 0, and the file is complete and identical to a one-process run.
TEST(DatasetRun, MpiDealsALostRanksPointsToTheOthers) {
  if (!mpi_available()) GTEST_SKIP() << "cimnet was built without MPI (CIMNET_WITH_MPI=OFF): skipped";
  const auto dir = test::temp_dir("mpi-lost");
  ASSERT_EQ(run_driver(base_args(dir / "local.csv", "24", "1")).status, 0);
  const Env env{{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}};
  const auto child = test::start_program(two_rank_launch(dir / "mpi.csv", {"CIMNET_TEST_KILL_PARENT=1"}), env,
                                         dir / "err.txt");
  const int status = test::wait_child(child);
  const std::string err = test::read_all(dir / "err.txt");
  ASSERT_EQ(status, 0) << err;
  EXPECT_NE(err.find("rank 1 stopped with 2 points unfinished"), std::string::npos) << err;
  EXPECT_EQ(points_per_rank(err), (std::pair<std::size_t, std::size_t>{24, 0})) << err;
  expect_complete(dir / "mpi.csv", 24);
  EXPECT_EQ(test::rows_by_index(dir / "mpi.csv"), test::rows_by_index(dir / "local.csv"));
}

// Issue 14: every row has cold and steady cycles (simulated and estimated); `cycles` and
// `analytical_cycles` are those of the run's choice (--cycles, default steady), which the metadata
// line records.
TEST(DatasetRun, CyclesAreTheChosenInferencesAndRowsHaveBoth) {
  const auto dir = test::temp_dir("cycles_of");
  for (const std::string choice : {"", "steady", "cold"}) {
    const std::string out = dir / ("d" + choice + ".csv");
    auto args = base_args(out, "6", "2");
    if (!choice.empty()) args.insert(args.end(), {"--cycles", choice});
    const auto r = run_driver(args);
    ASSERT_EQ(r.status, 0) << r.err;
    const DatasetFile f = read_dataset(out);
    EXPECT_EQ(f.meta.cycles_of, choice.empty() ? "steady" : choice);
    const std::string chosen = choice == "cold" ? "cold" : "steady";
    ASSERT_EQ(f.rows.size(), 6u);
    for (const auto& row : f.rows) {
      const auto value = [&](const std::string& column) { return std::stoll(row[f.column(column)]); };
      EXPECT_EQ(value("cycles"), value(chosen + "_cycles"));
      EXPECT_EQ(value("analytical_cycles"), value("analytical_" + chosen + "_cycles"));
      EXPECT_GT(value("cold_cycles"), value("steady_cycles"));  // the test evaluator's first inference loads
    }
  }
}

// Every bad input is reported in one line with exit status 2 before any point is evaluated: the
// test evaluator would crash on every point, so any work done would show as error rows.
TEST(DatasetRun, BadInputFailsBeforeAnyWork) {
  const auto dir = test::temp_dir("bad");
  const Env crash_everything{{"CIMNET_TEST_CRASH_GENOME", "*"}};
  const auto expect_error = [&](std::vector<std::string> args, const std::string& expected) {
    const auto r = run_driver(args, crash_everything);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  expect_error(base_args("/nonexistent-dir/d.csv", "5", "1"), "d.csv: the folder /nonexistent-dir does not exist");
  expect_error(base_args(dir / "n0.csv", "0", "1"), "--samples must be positive");
  expect_error(base_args(dir / "n0.csv", "-4", "1"), "--samples must be positive");
  auto shard = base_args(dir / "s.csv", "5", "1");
  shard.insert(shard.end(), {"--shard", "2/2"});
  expect_error(shard, "--shard '2/2'");
  EXPECT_FALSE(std::filesystem::exists(dir / "n0.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "s.csv"));

  const std::string points = dir / "points.csv";
  std::ofstream(points) << "genome\nmax\nks=3\n";
  expect_error({"--points", points, "--out", dir / "p.csv"}, "points.csv:3");
  EXPECT_FALSE(std::filesystem::exists(dir / "p.csv"));

  // An existing file without --resume, and resumes of another run.
  const std::string done = dir / "done.csv";
  ASSERT_EQ(run_driver(base_args(done, "5", "1")).status, 0);
  const std::string before = test::read_all(done);
  expect_error(base_args(done, "5", "1"), "pass --resume");
  expect_error({"--samples", "5", "--mode", "joint", "--out", done, "-j", "1", "--seed", "6", "--resume"},
               "seed=5 vs seed=6");
  auto other_n = base_args(done, "6", "1");
  other_n.push_back("--resume");
  expect_error(other_n, "n=5 vs n=6");
  const std::string scenario = dir / "other.yaml";
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\n  resolutions: [192, 224]\n";
  auto other_scenario = base_args(done, "5", "1");
  other_scenario.insert(other_scenario.end(), {"--resume", "--scenario", scenario});
  expect_error(other_scenario, "scenario=");
  // Issue 14: the execution policy is part of the run (recorded in the preamble, default
  // layer-by-layer): rows measured under another policy are never mixed in.
  EXPECT_NE(before.find(" execution=layer-by-layer "), std::string::npos) << before.substr(0, 200);
  auto other_execution = base_args(done, "5", "1");
  other_execution.insert(other_execution.end(), {"--resume", "--execution", "fused"});
  expect_error(other_execution, "execution=layer-by-layer vs execution=fused");
  // So is the choice of cycles (default steady): a run counting cold cycles does not resume it.
  EXPECT_NE(before.find(" cycles_of=steady\n"), std::string::npos) << before.substr(0, 200);
  auto other_cycles = base_args(done, "5", "1");
  other_cycles.insert(other_cycles.end(), {"--resume", "--cycles", "cold"});
  expect_error(other_cycles, "cycles_of=steady vs cycles_of=cold");
  auto unknown_cycles = base_args(dir / "c.csv", "5", "1");
  unknown_cycles.insert(unknown_cycles.end(), {"--cycles", "warm"});
  expect_error(unknown_cycles, "--cycles: unknown choice of cycles 'warm' (allowed: cold, steady, stream)");
  EXPECT_FALSE(std::filesystem::exists(dir / "c.csv"));
  EXPECT_EQ(test::read_all(done), before);
}

}  // namespace
}  // namespace cimnet::dataset

namespace cimnet::dataset {
namespace {

// The real evaluator (mapping + SystemC in each forked worker): every row ok with cycles, and the
// same rows whatever J.
TEST(DatasetRealEvaluator, SimulatedRowsAreOkAndIndependentOfJobs) {
  const auto dir = test::temp_dir("real");
  const Env real{{"CIMNET_DATASET_EVALUATOR", "real"}, {"SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1"}};
  auto r1 = run_driver({"--samples", "6", "--mode", "joint", "--out", dir / "j1.csv", "-j", "1"}, real);
  ASSERT_EQ(r1.status, 0) << r1.err;
  auto r2 = run_driver({"--samples", "6", "--mode", "joint", "--out", dir / "j2.csv", "-j", "2"}, real);
  ASSERT_EQ(r2.status, 0) << r2.err;
  expect_complete(dir / "j1.csv", 6);
  const DatasetFile f = read_dataset(dir / "j1.csv");
  for (const auto& row : f.rows) {
    EXPECT_GT(std::stoll(row[f.column("cycles")]), 0);
    EXPECT_GT(std::stoll(row[f.column("analytical_cycles")]), 0);
    EXPECT_FALSE(row[f.column("bound")].empty());
    // Layer by layer nothing stays in the arrays: cold and steady are the one inference simulated.
    for (const char* c : {"cold_cycles", "steady_cycles"}) EXPECT_EQ(row[f.column(c)], row[f.column("cycles")]) << c;
    for (const char* c : {"analytical_cold_cycles", "analytical_steady_cycles"}) {
      EXPECT_EQ(row[f.column(c)], row[f.column("analytical_cycles")]) << c;
    }
  }
  EXPECT_EQ(test::rows_by_index(dir / "j1.csv"), test::rows_by_index(dir / "j2.csv"));
}

}  // namespace
}  // namespace cimnet::dataset
