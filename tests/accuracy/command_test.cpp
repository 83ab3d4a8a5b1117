// The external-command protocol, with small scripts written by the test: a good evaluator, and ones
// that crash, hang, print garbage, report an error or answer out of order.
#include "accuracy/command_source.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
  return test::scratch_dir("cimnet_accuracy_command_test");
}

// Writes an executable script and returns the command that runs it.
std::string script(const std::string& name, const std::string& text) {
  const fs::path path = temp_dir() / name;
  std::ofstream(path, std::ios::binary) << text;
  ::chmod(path.c_str(), 0755);
  return path.string();
}

bool have_python() { return std::system("python3 -c pass >/dev/null 2>&1") == 0; }

// A real evaluator in miniature: reads JSON requests, answers 70 + (sum of the depths) / 10 and the
// number of requests it has seen, so a test can tell whether the process was kept.
const char* const kGoodPython = R"(#!/usr/bin/env python3
import json, sys
seen = 0
for line in sys.stdin:
    request = json.loads(line)
    seen += 1
    depth = sum(request["dynast"]["d"])
    print(json.dumps({"id": request["id"], "accuracy": 70 + depth / 10, "seen": seen}), flush=True)
)";

struct Fixture {
  std::unique_ptr<SearchSpace> space = make_space("ofa-mbv3");
};

TEST(AccuracyCommand, RequestsCarrySpaceArchAndDynastDict) {
  Fixture f;
  CommandAccuracySource source(*f.space, "cat", 5);
  const auto j = nlohmann::json::parse(source.request(f.space->largest(), 7));
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["space"], "ofa-mbv3");
  EXPECT_EQ(j["arch"], f.space->format(f.space->largest()));
  ASSERT_TRUE(j["dynast"].is_object());
  EXPECT_EQ(j["dynast"]["d"], nlohmann::json({4, 4, 4, 4, 4}));
  EXPECT_TRUE(j["dynast"]["wid"].is_null());
  EXPECT_EQ(j["dynast"]["r"], nlohmann::json({224}));
}

TEST(AccuracyCommand, AGoodCommandAnswersBatchesInOneProcess) {
  if (!have_python()) GTEST_SKIP() << "python3 not available";
  Fixture f;
  CommandAccuracySource source(*f.space, script("good.py", kGoodPython), 30);
  EXPECT_FALSE(source.is_proxy());
  EXPECT_NE(source.label().find("good.py"), std::string::npos);
  const auto first = source.top1({f.space->smallest(), f.space->largest()});
  EXPECT_DOUBLE_EQ(first[0], 71.0);  // depths 2+2+2+2+2
  EXPECT_DOUBLE_EQ(first[1], 72.0);  // depths 4*5
  // Many requests at once: more bytes than a pipe buffer holds in both directions.
  Rng rng(9);
  std::vector<Genome> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(f.space->sample(rng));
  const auto values = source.top1(batch);
  ASSERT_EQ(values.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    double depth = 0;
    for (double d : f.space->group_values(batch[i], "d")) depth += d;
    ASSERT_DOUBLE_EQ(values[i], 70 + depth / 10) << i;
  }
}

TEST(AccuracyCommand, AShellCommandWithoutIdsWorksToo) {
  Fixture f;
  CommandAccuracySource source(*f.space, "while IFS= read -r line; do echo '{\"accuracy\": 75.5}'; done", 10);
  EXPECT_EQ(source.top1({f.space->smallest(), f.space->largest(), f.space->smallest()}),
            (std::vector<double>{75.5, 75.5, 75.5}));
}

TEST(AccuracyCommand, ACrashNamesTheRequestAndTheExitStatus) {
  Fixture f;
  CommandAccuracySource source(*f.space, script("crash.sh", "#!/bin/sh\nread -r line\necho '{\"accuracy\": 70}'\nread -r line\nexit 3\n"), 10);
  const std::string e = test::input_error([&] { source.top1({f.space->smallest(), f.space->largest()}); });
  EXPECT_NE(e.find("request 1 (ofa-mbv3 " + f.space->format(f.space->largest()) + ")"), std::string::npos) << e;
  EXPECT_NE(e.find("exited with status 3 before answering"), std::string::npos) << e;
}

TEST(AccuracyCommand, AKilledCommandNamesTheSignal) {
  Fixture f;
  CommandAccuracySource source(*f.space, "read -r line; kill -SEGV $$", 10);
  const std::string e = test::input_error([&] { source.top1(f.space->smallest()); });
  EXPECT_NE(e.find("killed by signal 11"), std::string::npos) << e;
  EXPECT_NE(e.find("request 0"), std::string::npos) << e;
}

TEST(AccuracyCommand, AMissingCommandIsStatus127) {
  Fixture f;
  CommandAccuracySource source(*f.space, "/nonexistent/evaluate-accuracy", 10);
  const std::string e = test::input_error([&] { source.top1(f.space->smallest()); });
  EXPECT_NE(e.find("exited with status 127 (command not found?)"), std::string::npos) << e;
}

TEST(AccuracyCommand, AHangingCommandTimesOutAndIsStopped) {
  Fixture f;
  CommandAccuracySource source(*f.space, script("hang.sh", "#!/bin/sh\nread -r line\nsleep 60\n"), 0.5);
  const auto start = std::chrono::steady_clock::now();
  const std::string e = test::input_error([&] { source.top1(f.space->largest()); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(e.find("no answer within the time-out of 0.5 s; the command was stopped"), std::string::npos) << e;
  EXPECT_LT(seconds, 5.0);  // the sleeping grandchild was killed with its group, not waited for
}

TEST(AccuracyCommand, GarbageAndBadAnswersAreQuoted) {
  Fixture f;
  // Each script answers its first request and then waits for more (or, for the cut-off answer, exits).
  const std::pair<std::string, const char*> cases[] = {
      {"echo 'hello world'; read -r line", "the answer 'hello world' is not JSON"},
      {"echo '[1, 2]'; read -r line", "is not a JSON object"},
      {"echo '{\"acc\": 70}'; read -r line", "has no \"accuracy\""},
      {"echo '{\"accuracy\": \"high\"}'; read -r line", "\"accuracy\" is not a number"},
      {"echo '{\"accuracy\": 150}'; read -r line", "accuracy 150 is not a top-1 percentage between 0 and 100"},
      {"echo '{\"id\": 5, \"accuracy\": 70}'; read -r line", "has id 5 (answers must come in request order)"},
      {"echo '{\"error\": \"CUDA out of memory\"}'; read -r line", "the command reported an error: CUDA out of memory"},
      {"printf '{\"accuracy\": 7'", "exited with status 0 before answering (it left the incomplete line '{\"accuracy\": 7')"},
  };
  for (const auto& [answer, expected] : cases) {
    CommandAccuracySource source(*f.space, "read -r line; " + answer, 10);
    const std::string e = test::input_error([&] { source.top1(f.space->smallest()); });
    EXPECT_NE(e.find(expected), std::string::npos) << answer << " -> " << e;
    EXPECT_NE(e.find("request 0"), std::string::npos) << e;
  }
}

TEST(AccuracyCommand, AfterAFailureTheNextBatchStartsAFreshProcess) {
  Fixture f;
  const fs::path marker = temp_dir() / "crashed_once";
  fs::remove(marker);
  // Crashes on its first run, answers on later runs.
  const std::string command = script(
      "flaky.sh", "#!/bin/sh\nif [ ! -e '" + marker.string() + "' ]; then touch '" + marker.string() +
                      "'; exit 1; fi\nwhile IFS= read -r line; do echo '{\"accuracy\": 66}'; done\n");
  CommandAccuracySource source(*f.space, command, 10);
  EXPECT_NE(test::input_error([&] { source.top1(f.space->smallest()); }).find("exited with status 1"),
            std::string::npos);
  EXPECT_EQ(source.top1(f.space->smallest()), 66.0);
}

TEST(AccuracyCommand, BadSettingsAreRefused) {
  Fixture f;
  EXPECT_NE(test::input_error([&] { CommandAccuracySource s(*f.space, "  ", 1); }).find("no command"),
            std::string::npos);
  EXPECT_NE(test::input_error([&] { CommandAccuracySource s(*f.space, "cat", 0); }).find("time-out must be positive"),
            std::string::npos);
}

}  // namespace
}  // namespace cimnet
