// cimnet search under mpirun: the real evaluations of each batch spread over the ranks, and the run
// records exactly what a one-process run with the same seed records (same points, same SystemC cycles);
// a SIGTERM to mpirun stops every rank with every finished evaluation kept, and --resume completes the
// same set; a run folder another process holds is refused by rank 0. Real executable, real SystemC
// evaluations in forked workers; small budgets keep it short.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "common/csv.hpp"
#include "common/output_lock.hpp"
#include "tests/support/test_support.hpp"

namespace {

#if defined(CIMNET_BINARY_PATH) && defined(CIMNET_HAVE_MPI)
const char* const kScenario = R"(name: mpi-search-test
space:
  name: ofa-mbv3
search:
  mode: joint
  methods: [linas, random, nsga2]
  budget: 16
  initial: 8
  batch: 4
  population: 16
  generations: 10
  seeds: [11]
  rerank: 2
)";

constexpr std::size_t kRows = 1 + 3 * 16;  // the reference + three methods' budgets

// Runs `args` with stderr to `err_path` (stdout discarded); returns the pid.
pid_t spawn(const std::vector<std::string>& args, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!freopen("/dev/null", "w", stdout) || !freopen(err_path.c_str(), "w", stderr)) _exit(126);
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

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t data_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) n += !line.empty() && line[0] != '#';
  return n > 0 ? n - 1 : 0;  // minus the header
}

// Every row of evaluations.csv without the columns that depend on completion order or the machine
// (index, wall time), counted: equal maps mean the same evaluations with the same measurements.
std::map<std::string, int> rows(const std::string& dir) {
  const cimnet::CsvTable t = cimnet::read_csv(dir + "/evaluations.csv", cimnet::CsvComments::leading);
  std::map<std::string, int> out;
  for (const auto& row : t.rows) {
    std::string key;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      if (t.header[c] != "index" && t.header[c] != "wall_s") key += row[c] + "|";
    }
    ++out[key];
  }
  return out;
}

class MpiSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = cimnet::test::scratch_dir("mpi-search");
    scenario_ = (root_ / "s.yaml").string();
    std::ofstream(scenario_) << kScenario;
    // OpenMPI refuses to run as root (CI containers) unless told; SystemC's banner is noise.
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::vector<std::string> search(const std::string& out, bool mpi, const std::string& jobs) const {
    std::vector<std::string> args;
    if (mpi) args = {CIMNET_MPIEXEC, "--oversubscribe", "-np", "2"};
    for (const std::string& a : {std::string(CIMNET_BINARY_PATH), std::string("search"), std::string("--scenario"),
                                scenario_, std::string("--jobs"), jobs, std::string("--out"), out}) {
      args.push_back(a);
    }
    return args;
  }
  std::string path(const std::string& name) const { return (root_ / name).string(); }

  std::filesystem::path root_;
  std::string scenario_;
};

TEST_F(MpiSearch, TwoRanksRecordWhatOneProcessRecords) {
  ASSERT_EQ(wait_for(spawn(search(path("local"), false, "2"), path("local.err"))), 0) << read_all(path("local.err"));
  ASSERT_EQ(wait_for(spawn(search(path("mpi"), true, "1"), path("mpi.err"))), 0) << read_all(path("mpi.err"));
  const std::string err = read_all(path("mpi.err"));
  EXPECT_NE(err.find("2 workers over 2 MPI ranks"), std::string::npos) << err;
  EXPECT_EQ(err.find("fork"), std::string::npos) << "no fork warning from OpenMPI: " << err;
  // Both ranks evaluated: the dealing puts about half of every batch on each.
  const auto at = err.find("real evaluations per MPI rank (this run): ");
  ASSERT_NE(at, std::string::npos) << err;
  std::istringstream counts(err.substr(at + 42));
  std::size_t rank0 = 0, rank1 = 0;
  counts >> rank0 >> rank1;
  EXPECT_EQ(rank0 + rank1, kRows);
  EXPECT_GE(rank1, kRows / 3) << err;
  EXPECT_GE(rank0, kRows / 3) << err;

  const auto local = rows(path("local")), mpi = rows(path("mpi"));
  EXPECT_EQ(data_lines(path("mpi") + "/evaluations.csv"), kRows);
  EXPECT_EQ(mpi, local);
  EXPECT_EQ(read_all(path("mpi") + "/front.csv"), read_all(path("local") + "/front.csv"));
}

TEST_F(MpiSearch, SigtermStopsEveryRankAndResumeCompletesTheSameSet) {
  ASSERT_EQ(wait_for(spawn(search(path("whole"), false, "2"), path("whole.err"))), 0) << read_all(path("whole.err"));

  const std::string stopped = path("stopped");
  const pid_t pid = spawn(search(stopped, true, "1"), path("stopped.err"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (data_lines(stopped + "/evaluations.csv") < 12 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGTERM);  // mpirun forwards it to both ranks
  EXPECT_NE(wait_for(pid), 0);
  const std::size_t at_stop = data_lines(stopped + "/evaluations.csv");
  EXPECT_GE(at_stop, 12u);
  EXPECT_LT(at_stop, kRows) << "the run finished before it could be stopped";
  EXPECT_NE(read_all(path("stopped.err")).find("continue with --resume"), std::string::npos)
      << read_all(path("stopped.err"));

  auto resume = search(stopped, true, "1");
  resume.push_back("--resume");
  ASSERT_EQ(wait_for(spawn(resume, path("resumed.err"))), 0) << read_all(path("resumed.err"));
  EXPECT_EQ(rows(stopped), rows(path("whole")));
}
// Issue 14, the policy as a gene: the task lines rank 0 deals carry each candidate's policy, so the
// ranks evaluate every candidate under its own and record what one process records.
TEST_F(MpiSearch, TwoRanksEvaluateEachCandidateUnderItsOwnPolicy) {
  std::ofstream(scenario_) << "name: mpi-gene-test\nspace:\n  name: ofa-mbv3\nexecution: searched\nsearch:\n"
                              "  methods: [random]\n  budget: 6\n  initial: 3\n  batch: 3\n  seeds: [3]\n";
  ASSERT_EQ(wait_for(spawn(search(path("local"), false, "2"), path("local.err"))), 0) << read_all(path("local.err"));
  ASSERT_EQ(wait_for(spawn(search(path("mpi"), true, "1"), path("mpi.err"))), 0) << read_all(path("mpi.err"));
  const auto mpi = rows(path("mpi"));
  EXPECT_EQ(mpi, rows(path("local")));
  EXPECT_EQ(data_lines(path("mpi") + "/evaluations.csv"), 7u);
  std::size_t fused = 0, layer_by_layer = 0;
  for (const auto& [row, count] : mpi) {
    fused += row.find("|fused|") != std::string::npos ? 1 : 0;
    layer_by_layer += row.find("|layer-by-layer|") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(fused, 0u);
  EXPECT_GT(layer_by_layer, 1u);  // the reference and at least one candidate
  EXPECT_EQ(read_all(path("mpi") + "/front.csv"), read_all(path("local") + "/front.csv"));
}

// Only rank 0 writes the run folder, so only rank 0 claims it: a folder held by another process is
// refused by rank 0 with the holder's pid, the other rank is released, and nothing is written.
TEST_F(MpiSearch, AHeldRunFolderIsRefusedByRankZero) {
  const std::string held = path("held");
  std::filesystem::create_directories(held);
  const cimnet::OutputLock lock = cimnet::OutputLock::for_folder(held);
  EXPECT_EQ(wait_for(spawn(search(held, true, "1"), path("held.err"))), 2) << read_all(path("held.err"));
  const std::string err = read_all(path("held.err"));
  EXPECT_NE(err.find(held + " is being written by another process (pid " + std::to_string(getpid()) + ")"),
            std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(held + "/evaluations.csv"));
  EXPECT_FALSE(std::filesystem::exists(held + "/scenario.yaml"));
}

// The process of MPI rank `rank` of a job whose command line contains `marker`: the one with
// OMPI_COMM_WORLD_RANK=rank in its environment whose parent has none (the launcher's daemon). Its
// evaluation server is its child. -1 when not (yet) there.
pid_t parent_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}
std::string environ_rank(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ");
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry.rfind("OMPI_COMM_WORLD_RANK=", 0) == 0) return entry.substr(21);
  }
  return "";
}
bool command_has(pid_t pid, const std::string& marker) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return all.find(marker) != std::string::npos;
}
pid_t server_of_rank(const std::string& rank, const std::string& marker) {
  std::vector<pid_t> pids;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) pids.push_back(std::stoi(name));
  }
  for (pid_t p : pids) {
    if (!command_has(p, marker) || environ_rank(p) != rank) continue;
    const pid_t rank_pid = parent_of(p);
    if (environ_rank(rank_pid) == rank && environ_rank(parent_of(rank_pid)).empty()) return p;
  }
  return -1;
}

// Rank 1's evaluation server dies mid-search (SIGKILL, as if its machine failed): rank 0 deals the
// candidates it held to the ranks left (here itself), and the search ends with exactly the rows of
// a one-process run.
TEST_F(MpiSearch, ALostRanksEvaluationsGoToTheOthers) {
  ASSERT_EQ(wait_for(spawn(search(path("whole"), false, "2"), path("whole.err"))), 0) << read_all(path("whole.err"));
  const std::string run = path("lost");
  const pid_t pid = spawn(search(run, true, "1"), path("lost.err"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (data_lines(run + "/evaluations.csv") < 12 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const pid_t server = server_of_rank("1", run);
  ASSERT_GT(server, 0) << "rank 1's evaluation server not found";
  kill(server, SIGKILL);
  ASSERT_EQ(wait_for(pid), 0) << read_all(path("lost.err"));
  const std::string err = read_all(path("lost.err"));
  EXPECT_NE(err.find("search: rank 1: its evaluation server exited unexpectedly"), std::string::npos) << err;
  EXPECT_EQ(data_lines(run + "/evaluations.csv"), kRows);
  EXPECT_EQ(rows(run), rows(path("whole")));
}
#else
TEST(MpiSearch, TwoRanksRecordWhatOneProcessRecords) {
  GTEST_SKIP() << "cimnet was built without MPI (CIMNET_WITH_MPI=OFF) or without the cimnet binary: skipped";
}
#endif

}  // namespace
