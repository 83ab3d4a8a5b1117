// Issue 12: one writer per output (two `dataset --resume` at once wrote 115 rows for 60 points and left
// a file that never resumed), and the inputs and outputs a dataset run or a merge must refuse before
// any work: a seed the file cannot record, a merge into a missing folder, a file of other columns.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "common/output_lock.hpp"
#include "dataset/dataset_file.hpp"
#include "tests/dataset/driver_runner.hpp"

namespace cimnet::dataset {
namespace {

using test::run_driver;

// The pid written into `lock_path` once a process holds the claim; empty when none within ~30 s.
std::string wait_for_holder(const std::string& lock_path) {
  for (int i = 0; i < 3000; ++i) {
    const std::string text = test::read_all(lock_path);
    if (!text.empty() && text.back() == '\n') return text.substr(0, text.size() - 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "";
}

// A child process that holds the claim on `path` until killed.
pid_t hold_claim(const std::string& path) {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    std::optional<OutputLock> lock;
    try {
      lock.emplace(OutputLock::for_file(path));
    } catch (...) {
      _exit(3);
    }
    if (::write(ready[1], "x", 1) != 1) _exit(4);
    for (;;) ::pause();
  }
  char c = 0;
  if (::read(ready[0], &c, 1) != 1) return -1;
  ::close(ready[0]);
  ::close(ready[1]);
  return child;
}

void end(pid_t child) {
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
}

TEST(DatasetOneWriter, ASecondRunOnTheSameOutputIsRefusedNamingTheFirst) {
  const auto dir = test::temp_dir("one_writer");
  const std::string out = dir / "c.csv";
  const std::vector<std::string> args = {test::driver_path(), "--samples", "60", "--mode", "joint", "--seed", "7",
                                         "--out", out, "--resume", "-j", "2"};
  // The first run is slowed down so that it is surely still running when the second starts.
  const auto first = test::start_program(args, {{"CIMNET_TEST_DELAY_MS", "40"}}, dir / "first.txt");
  const std::string holder = wait_for_holder(out + ".lock");
  ASSERT_EQ(holder, std::to_string(first.pid));
  const auto second = run_driver(std::vector<std::string>(args.begin() + 1, args.end()));
  EXPECT_EQ(second.status, 2) << second.err;
  EXPECT_EQ(second.err, "cimnet dataset: " + out + " is being written by another process (pid " + holder +
                            "); wait for it to end or choose another output\n");
  EXPECT_EQ(test::wait_child(first), 0) << test::read_all(dir / "first.txt");
  const DatasetFile f = read_dataset(out);
  EXPECT_EQ(f.rows.size(), 60u);
  EXPECT_FALSE(std::filesystem::exists(out + ".lock"));  // released at the end
  // And the file resumes: nothing left to do.
  const auto again = run_driver(std::vector<std::string>(args.begin() + 1, args.end()));
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(read_dataset(out).rows.size(), 60u);
}

TEST(DatasetOneWriter, AMergeIntoAClaimedOutputIsRefused) {
  const auto dir = test::temp_dir("merge_claimed");
  for (const char* shard : {"0/2", "1/2"}) {
    const std::string name = std::string("s") + shard[0] + ".csv";
    ASSERT_EQ(run_driver({"--samples", "6", "--mode", "arch", "--out", dir / name, "--shard", shard}).status, 0);
  }
  const std::string out = dir / "m.csv";
  const pid_t holder = hold_claim(out);
  ASSERT_GT(holder, 0);
  const auto r = run_driver({"merge", out, dir / "s0.csv", dir / "s1.csv"});
  end(holder);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(out + " is being written by another process (pid " + std::to_string(holder) + ")"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(run_driver({"merge", out, dir / "s0.csv", dir / "s1.csv"}).status, 0);
  EXPECT_EQ(read_dataset(out).rows.size(), 6u);
}

// Issue 12, defect 6: "internal error ... .tmp" after reading every input.
TEST(DatasetOneWriter, AMergeIntoAMissingFolderIsBadInput) {
  const auto dir = test::temp_dir("merge_missing");
  ASSERT_EQ(run_driver({"--samples", "4", "--mode", "arch", "--out", dir / "s.csv"}).status, 0);
  const std::string out = dir / "absent" / "m.csv";
  const auto r = run_driver({"merge", out, dir / "s.csv"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "cimnet dataset: " + out + ": the folder " + (dir / "absent").string() + " does not exist\n");
}

// Issue 12, defect 2: -1 wrapped to 2^64 - 1; every point was evaluated, then the file's own
// preamble could not be read back.
TEST(DatasetOneWriter, ASeedTheFileCannotRecordIsRefusedBeforeAnyWork) {
  const auto dir = test::temp_dir("seed");
  for (const std::string seed : {"-1", "9223372036854775808", "18446744073709551615", "x"}) {
    const std::string out = dir / "d.csv";
    const auto r = run_driver({"--samples", "3", "--mode", "arch", "--out", out, "--seed", seed},
                              {{"CIMNET_TEST_CRASH_GENOME", "*"}});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err, "cimnet dataset: --seed must be a whole number from 0 to 9223372036854775807, got '" + seed +
                         "'\n");
    EXPECT_FALSE(std::filesystem::exists(out)) << seed;
  }
  const std::string top = dir / "top.csv";
  const auto r = run_driver({"--samples", "3", "--mode", "arch", "--out", top, "--seed", "9223372036854775807"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_dataset(top).meta.seed, 9223372036854775807ULL);
  auto resume = run_driver({"--samples", "3", "--mode", "arch", "--out", top, "--seed", "9223372036854775807",
                            "--resume"});
  EXPECT_EQ(resume.status, 0) << resume.err;
}

// Issue 12, defect 13: "its columns differ (75 vs 75)" did not say which column.
TEST(DatasetOneWriter, AResumeOfOtherColumnsNamesTheFirstThatDiffers) {
  const auto dir = test::temp_dir("columns");
  const std::string out = dir / "d.csv";
  const std::vector<std::string> args = {"--samples", "3", "--mode", "arch", "--out", out};
  ASSERT_EQ(run_driver(args).status, 0);
  std::string text = test::read_all(out);
  const std::size_t header = text.find("\nindex,space,genome,");
  ASSERT_NE(header, std::string::npos);
  const std::size_t status = text.find(",status,", header);
  text.replace(status, 8, ",state,");
  std::ofstream(out, std::ios::binary | std::ios::trunc) << text;
  const DatasetFile f = read_dataset(out);
  std::size_t column = 0;
  while (f.header[column] != "state") ++column;
  auto resume = args;
  resume.push_back("--resume");
  const auto r = run_driver(resume);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "cimnet dataset: " + out + ": its columns differ from this run's: column " +
                       std::to_string(column + 1) + " is 'state' in the file but 'status' in this run (" +
                       std::to_string(f.header.size()) + " vs " + std::to_string(f.header.size()) +
                       " columns); start a new file\n");
}

}  // namespace
}  // namespace cimnet::dataset
