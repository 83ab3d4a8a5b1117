// One writer per output: a second claim on a held output is refused with the holder's pid, a claim
// held by a process that died (SIGKILL) is taken over, and a released claim can be taken again.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

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

// A forked worker that outlives its SIGKILLed coordinator (PR_SET_PDEATHSIG is delivered, not
// instantaneous) must not keep the claim: an immediate `search --resume` was refused as "being written
// by another process" (issue 14, a fresh-clone failure of SearchResume.KilledWithThePolicyGene...).
TEST(OutputLock, AForkedChildDoesNotKeepItsParentsClaim) {
  const auto dir = test::scratch_dir("lock_forked");
  const std::string out = (dir / "run").string();
  std::filesystem::create_directories(out);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t coordinator = ::fork();
  ASSERT_GE(coordinator, 0);
  if (coordinator == 0) {
    std::optional<OutputLock> lock;
    try {
      lock.emplace(OutputLock::for_folder(out));
    } catch (...) {
      _exit(3);
    }
    const pid_t worker = ::fork();  // lives on after the coordinator, like a worker mid-simulation
    if (worker == 0) {
      // The worker says it is ready itself: fork() has returned in it, so its fork handler has closed
      // its copy of the claim. (Told by the coordinator instead, the test could run before the worker
      // was first scheduled, and find the claim still held: it failed so under a loaded ctest -j2.)
      const pid_t self = ::getpid();
      if (::write(ready[1], &self, sizeof self) != sizeof self) _exit(4);
      for (;;) ::pause();
    }
    for (;;) ::pause();
  }
  pid_t worker = 0;
  ASSERT_EQ(::read(ready[0], &worker, sizeof worker), static_cast<ssize_t>(sizeof worker));
  ::kill(coordinator, SIGKILL);
  int status = 0;
  ::waitpid(coordinator, &status, 0);
  std::string refused;
  try {
    OutputLock taken = OutputLock::for_folder(out);
  } catch (const InputError& e) {
    refused = e.what();
  }
  ::kill(worker, SIGKILL);  // not our child: reaped by init
  EXPECT_EQ(refused, "") << "the orphaned worker still holds the claim";
}

// A child's copy of a claim is not the claim: releasing it (a destructor run in a worker) neither
// removes the lock file nor lets another claimant in while the parent holds it.
TEST(OutputLock, AChildsReleaseLeavesTheParentsClaimInPlace) {
  const auto dir = test::scratch_dir("lock_child_release");
  const std::string out = (dir / "c.csv").string();
  OutputLock held = OutputLock::for_file(out);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    held.release();
    _exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(std::filesystem::exists(out + ".lock"));
  EXPECT_THROW(OutputLock::for_file(out), InputError);
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
