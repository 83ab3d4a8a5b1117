// One writer per output: a second claim on a held output is refused with the holder's pid, a claim
// held by a process that died (SIGKILL) is taken over, and a released claim can be taken again.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>

#include "common/error.hpp"
#include "common/output_lock.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

TEST(OutputLock, SecondClaimIsRefusedNamingTheHolder) {
  const auto dir = test::scratch_dir("lock_second");
  const std::string out = (dir / "c.csv").string();
  OutputLock held = OutputLock::for_file(out);
  // flock() locks belong to an open file description: a second claim from this same process is a
  // second description and is refused like another process's.
  const std::string message = test::input_error([&] { OutputLock::for_file(out); });
  EXPECT_NE(message.find(out), std::string::npos) << message;
  EXPECT_NE(message.find("pid " + std::to_string(::getpid())), std::string::npos) << message;
}

TEST(OutputLock, ReleasedClaimCanBeTakenAgainAndLeavesNoFile) {
  const auto dir = test::scratch_dir("lock_release");
  const std::string out = (dir / "run").string();
  std::filesystem::create_directories(out);
  {
    OutputLock a = OutputLock::for_folder(out);
    EXPECT_TRUE(std::filesystem::exists(a.lock_path()));
  }
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(out) / ".lock"));
  OutputLock b = OutputLock::for_folder(out);
  EXPECT_TRUE(std::filesystem::exists(b.lock_path()));
}

TEST(OutputLock, AClaimOfAKilledProcessIsTakenOver) {
  const auto dir = test::scratch_dir("lock_killed");
  const std::string out = (dir / "c.csv").string();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::optional<OutputLock> lock;
    try {
      lock.emplace(OutputLock::for_file(out));
    } catch (...) {
      _exit(3);
    }
    if (::write(ready[1], "x", 1) != 1) _exit(4);
    for (;;) ::pause();
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_THROW(OutputLock::for_file(out), InputError);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(std::filesystem::exists(out + ".lock"));  // left behind by SIGKILL ...
  OutputLock taken = OutputLock::for_file(out);        // ... and no obstacle
  std::ifstream in(out + ".lock");
  long pid = 0;
  in >> pid;
  EXPECT_EQ(pid, ::getpid());
}

TEST(OutputLock, AnUnwritableFolderIsAnInputError) {
  EXPECT_THROW(OutputLock::for_file("/nonexistent-folder/c.csv"), InputError);
}

// Issue 12, defect 6: `dataset merge` into a missing folder ended in "internal error ... .tmp".
TEST(OutputLock, AFileClaimSaysWhatIsWrongWithThePath) {
  EXPECT_EQ(test::input_error([] { OutputLock::for_file("/nonexistent-folder/c.csv"); }),
            "/nonexistent-folder/c.csv: the folder /nonexistent-folder does not exist");
  const auto dir = test::scratch_dir("lock_paths");
  EXPECT_EQ(test::input_error([&] { OutputLock::for_file(dir.string()); }),
            dir.string() + " is a folder; name a file to write");
  const std::string file = (dir / "f").string();
  std::ofstream(file) << "x";
  EXPECT_EQ(test::input_error([&] { OutputLock::for_file(file + "/c.csv"); }),
            file + "/c.csv: " + file + " is not a folder");
  // /proc refuses new files even to root, for whom a read-only mode is no obstacle.
  const std::string message = test::input_error([] { OutputLock::for_file("/proc/self/c.csv"); });
  EXPECT_EQ(message.rfind("/proc/self/c.csv: cannot write in the folder /proc/self (", 0), 0u) << message;
}

}  // namespace
}  // namespace cimnet
