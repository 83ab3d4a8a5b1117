// One writer per run folder, with two real processes of the cimnet executable: while a search runs, a
// second `search --resume` or `run --resume` on its folder exits 2 naming the first one's pid and
// writes nothing; the first finishes with each point recorded once, and the folder is free after it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "common/csv.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

#ifdef CIMNET_BINARY_PATH
const char* const kScenario = R"(name: lock-test
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

pid_t spawn(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
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

// (method, genome, hardware) -> how many rows record it.
std::map<std::string, int> recorded(const std::string& dir) {
  const cimnet::CsvTable t = cimnet::read_csv(dir + "/evaluations.csv", cimnet::CsvComments::leading);
  std::map<std::string, int> out;
  for (const auto& row : t.rows) {
    std::string key = row[t.column("method")] + " " + row[t.column("genome")];
    for (const char* n : {"DRAM_bw", "L2_bw", "L1_bw", "L1_num_child", "MA_bw", "MA_num_child", "MA_mem_size",
                          "MA_comp_per_core"}) {
      key += " " + row[t.column(n)];
    }
    ++out[key];
  }
  return out;
}

bool running(pid_t pid) { return waitpid(pid, nullptr, WNOHANG) == 0; }

TEST(SearchLock, ASecondProcessOnOneRunFolderIsRefusedNamingTheHolder) {
  const auto root = cimnet::test::scratch_dir("search-lock");
  const std::string scenario = (root / "s.yaml").string();
  std::ofstream(scenario) << kScenario;
  const std::string out = (root / "run").string();
  std::filesystem::remove_all(out);
  const std::string bin = cimnet::test::binary();

  const pid_t first = spawn({bin, "search", "--scenario", scenario, "--jobs", "1", "--out", out});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (data_lines(out + "/evaluations.csv") < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(running(first)) << "the first search ended before a second could start";
  const std::string holder = "(pid " + std::to_string(first) + ")";
  const std::string args = " --scenario " + scenario + " --jobs 1 --out " + out + " --resume";
  const cimnet::test::Result search = cimnet::test::run("search" + args);
  const cimnet::test::Result run = cimnet::test::run("run" + args);
  const std::size_t rows_then = data_lines(out + "/evaluations.csv");
  const bool overlapped = running(first);
  EXPECT_EQ(search.status, 2) << search.err;
  EXPECT_NE(search.err.find(out + " is being written by another process " + holder), std::string::npos) << search.err;
  EXPECT_EQ(std::count(search.err.begin(), search.err.end(), '\n'), 1) << search.err;
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_NE(run.err.find(holder), std::string::npos) << run.err;

  ASSERT_EQ(wait_for(first), 0);
  EXPECT_TRUE(overlapped) << "the first search ended while the second ones ran: the check was not concurrent";
  EXPECT_LT(rows_then, 1u + 2u * 16u);
  const auto rows = recorded(out);
  EXPECT_EQ(rows.size(), 1u + 2u * 16u);  // the reference + two budgets
  for (const auto& [key, n] : rows) EXPECT_EQ(n, 1) << key << " recorded " << n << " times";
  EXPECT_FALSE(std::filesystem::exists(out + "/.lock")) << "released at the end";

  // Free again: a resume of the finished search runs, evaluates nothing and records nothing more.
  const cimnet::test::Result again = cimnet::test::run("search" + args);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(data_lines(out + "/evaluations.csv"), 1u + 2u * 16u);
  std::filesystem::remove_all(root);
}
#else
TEST(SearchLock, ASecondProcessOnOneRunFolderIsRefusedNamingTheHolder) { GTEST_SKIP() << "cimnet not built"; }
#endif

}  // namespace
