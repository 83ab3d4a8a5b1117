// Resume of the real executable: a search SIGKILLed in the middle of an iteration and resumed ends
// with the same evaluated set as an uninterrupted run with the same seed (real SystemC evaluations in
// forked workers; a small budget keeps it to seconds) — also when the execution policy is a gene.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>

#include "common/csv.hpp"
#include "tests/support/test_support.hpp"

namespace {

#ifdef CIMNET_BINARY_PATH
const char* const kScenario = R"(name: resume-test
space:
  name: ofa-mbv3
search:
  mode: joint
  methods: [linas, nsga2]
  budget: 16
  initial: 8
  batch: 4
  population: 16
  generations: 10
  seeds: [11]
  rerank: 2
)";

// stderr goes to `errors` (a failed resume's message is then in the test's output).
pid_t spawn(const std::vector<std::string>& args, const std::string& errors = "/dev/null") {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    freopen(errors.c_str(), "w", stderr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

std::string text_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::size_t data_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) n += !line.empty() && line[0] != '#';
  return n > 0 ? n - 1 : 0;  // minus the header
}

std::set<std::string> evaluated(const std::string& dir) {
  const cimnet::CsvTable t = cimnet::read_csv(dir + "/evaluations.csv", cimnet::CsvComments::leading);
  std::set<std::string> out;
  std::multiset<std::string> all;
  for (const auto& row : t.rows) {
    std::string key = row[t.column("method")] + " " + row[t.column("genome")];
    for (const char* n : {"DRAM_bw", "L2_bw", "L1_bw", "L1_num_child", "MA_bw", "MA_num_child", "MA_mem_size",
                          "MA_comp_per_core"}) {
      key += " " + row[t.column(n)];
    }
    // A searched policy: the point's policy and what was measured under it.
    if (t.has_column("execution")) key += " " + row[t.column("execution")] + " " + row[t.column("cycles")];
    out.insert(key);
    all.insert(key);
  }
  EXPECT_EQ(all.size(), out.size()) << dir << ": a point was evaluated twice";
  return out;
}

TEST(SearchResume, KilledMidIterationAndResumedEqualsUninterrupted) {
  const auto root = cimnet::test::scratch_dir("search-resume");
  const std::string scenario = (root / "s.yaml").string();
  std::ofstream(scenario) << kScenario;
  const std::string whole = (root / "whole").string(), killed = (root / "killed").string();
  std::filesystem::remove_all(whole);
  std::filesystem::remove_all(killed);
  const std::string bin = CIMNET_BINARY_PATH;

  ASSERT_EQ(wait_for(spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", whole})), 0);

  // Kill in the middle of LINAS iteration 1 (rows 1 + 8 + some of its 4), with SIGKILL: no handler runs.
  const pid_t pid = spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", killed});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (data_lines(killed + "/evaluations.csv") < 12 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  wait_for(pid);
  const std::size_t at_kill = data_lines(killed + "/evaluations.csv");
  EXPECT_GE(at_kill, 12u);
  EXPECT_LT(at_kill, 1u + 2u * 16u) << "the run finished before it could be killed";

  const std::string errors = (root / "resume.err").string();
  ASSERT_EQ(wait_for(spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", killed, "--resume"}, errors)), 0)
      << text_of(errors);
  EXPECT_EQ(evaluated(killed), evaluated(whole));
  EXPECT_EQ(evaluated(whole).size(), 1u + 2u * 16u);  // reference + two methods' budgets
  std::filesystem::remove_all(root);
}
// Issue 14, the policy as a gene: LINAS's plans (in the checkpoint) and the evaluations (in
// evaluations.csv) carry each point's policy, so a run killed inside iteration 1 resumes to exactly the
// uninterrupted run's points, policies and cycles.
TEST(SearchResume, KilledWithThePolicyGeneAndResumedEqualsUninterrupted) {
  const auto root = cimnet::test::scratch_dir("search-resume-gene");
  const std::string scenario = (root / "s.yaml").string();
  std::ofstream(scenario) << "name: resume-gene-test\nspace:\n  name: ofa-mbv3\nexecution: searched\nsearch:\n"
                             "  mode: joint\n  methods: [linas]\n  budget: 10\n  initial: 6\n  batch: 4\n"
                             "  population: 16\n  generations: 10\n  seeds: [11]\n  rerank: 2\n";
  const std::string whole = (root / "whole").string(), killed = (root / "killed").string();
  const std::string bin = CIMNET_BINARY_PATH;
  ASSERT_EQ(wait_for(spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", whole})), 0);

  // Rows: the reference, 6 initial, then iteration 1's 4: killed after the first of those.
  const pid_t pid = spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", killed});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (data_lines(killed + "/evaluations.csv") < 8 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  wait_for(pid);
  const std::size_t at_kill = data_lines(killed + "/evaluations.csv");
  EXPECT_GE(at_kill, 8u);
  EXPECT_LT(at_kill, 1u + 10u) << "the run finished before it could be killed";

  const std::string errors = (root / "resume.err").string();
  ASSERT_EQ(wait_for(spawn({bin, "search", "--scenario", scenario, "--jobs", "2", "--out", killed, "--resume"}, errors)), 0)
      << text_of(errors);
  const auto all = evaluated(whole);
  EXPECT_EQ(evaluated(killed), all);
  EXPECT_EQ(all.size(), 1u + 10u);
  std::set<std::string> policies;
  for (const auto& key : all) {
    for (const char* p : {" layer-by-layer ", " fused ", " pipelined "}) {
      if (key.find(p) != std::string::npos) policies.insert(p);
    }
  }
  EXPECT_GE(policies.size(), 2u) << "more than one policy evaluated";
  std::filesystem::remove_all(root);
}
#else
TEST(SearchResume, KilledMidIterationAndResumedEqualsUninterrupted) { GTEST_SKIP() << "cimnet not built"; }
#endif

}  // namespace
