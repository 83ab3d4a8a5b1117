// `cimnet simulate`'s outputs (--report, --trace) are checked and claimed before any work: a path
// that cannot be written exits 2 with one line naming the option, with nothing simulated or printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/output_lock.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

// A network that does not exist: if an output error comes out instead of the network's, the output
// was checked first — before the network was read, mapped or simulated.
const std::string kMissingNet = "--network /nonexistent/net.yaml";
const std::string kNet = "--space ofa-mbv3 --arch min";

void expect_refused(const std::string& args, const std::vector<std::string>& needles) {
  const Result r = run("simulate " + args);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
  for (const auto& n : needles) EXPECT_TRUE(contains(r.err, n)) << args << ": '" << n << "' not in " << r.err;
  EXPECT_EQ(r.out, "") << args << ": nothing is printed before the refusal";
}

TEST(SimulateOutputs, AnUnwritableTraceOrReportIsRefusedBeforeAnyWork) {
  expect_refused(kMissingNet + " --trace /nonexistent/dir/t.json",
                 {"--trace /nonexistent/dir/t.json", "the folder /nonexistent/dir does not exist"});
  expect_refused(kMissingNet + " --report /nonexistent/dir/r.json",
                 {"--report /nonexistent/dir/r.json", "the folder /nonexistent/dir does not exist"});
  const auto dir = cimnet::test::scratch_dir("cimnet_sim_outputs");
  expect_refused(kMissingNet + " --report " + dir.string(), {"--report " + dir.string(), "is a folder"});
  const std::string file = (dir / "plain").string();
  std::ofstream(file) << "x";
  expect_refused(kMissingNet + " --trace " + file + "/t.json", {"--trace " + file + "/t.json", "is not a folder"});
  expect_refused(kNet + " --trace " + (dir / "same.json").string() + " --report " + (dir / "same.json").string(),
                 {"--trace and --report name the same file"});
}

TEST(SimulateOutputs, AReportAnotherProcessIsWritingIsRefused) {
  const auto dir = cimnet::test::scratch_dir("cimnet_sim_outputs_locked");
  const std::string report = (dir / "r.json").string();
  const cimnet::OutputLock held = cimnet::OutputLock::for_file(report);
  expect_refused(kMissingNet + " --report " + report,
                 {"--report " + report, "another process (pid " + std::to_string(getpid()) + ")"});
}

// The claim is released at the end: the lock file is gone and the outputs are written.
TEST(SimulateOutputs, TheOutputsAreWrittenAndTheirLocksReleased) {
  const auto dir = cimnet::test::scratch_dir("cimnet_sim_outputs_ok");
  const std::string report = (dir / "r.json").string(), trace = (dir / "t.json").string();
  const Result r = run("simulate " + kNet + " --report " + report + " --trace " + trace);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(std::filesystem::exists(report));
  EXPECT_TRUE(std::filesystem::exists(trace));
  EXPECT_FALSE(std::filesystem::exists(report + ".lock"));
  EXPECT_FALSE(std::filesystem::exists(trace + ".lock"));
}

}  // namespace
