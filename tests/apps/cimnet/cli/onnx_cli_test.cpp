// --onnx end to end: each command that takes a network reads an ONNX file, and refuses bad ones in one
// line with exit status 2 before any work (fixtures: scripts/onnx_fixtures.py, written at build time).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/run_cli.hpp"

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

namespace {

std::string fixture(const std::string& name) { return std::string(CIMNET_ONNX_FIXTURES) + "/" + name + ".onnx"; }

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST(OnnxCli, NetworkListsAnOnnxModelWithItsPublishedCounts) {
  const Result r = run("network --onnx " + fixture("net-resnet50") + " --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["totals"]["macs"].get<long long>(), 4'089'184'256LL);
  EXPECT_EQ(j["totals"]["params"].get<long long>(), 25'557'032LL);
  EXPECT_EQ(j["onnx_file"].get<std::string>(), fixture("net-resnet50"));
  const Result batch = run("network --onnx " + fixture("net-resnet50") + " --batch 2 --format json");
  ASSERT_EQ(batch.status, 0) << batch.err;
  EXPECT_EQ(nlohmann::json::parse(batch.out)["totals"]["macs"].get<long long>(), 2 * 4'089'184'256LL);
}

TEST(OnnxCli, BadAndUnsupportedFilesExitTwoInOneLineNamingTheNode) {
  const Result op = run("simulate --onnx " + fixture("bad-unsupported-op"));
  EXPECT_EQ(op.status, 2);
  EXPECT_TRUE(contains(op.err, "node 'norm' (LpNormalization): operator not supported")) << op.err;
  EXPECT_EQ(lines(op.err), 1) << op.err;
  for (const char* bad : {"bad-truncated", "bad-not-a-model", "bad-dilated-conv", "bad-symbolic-dim"}) {
    const Result r = run("map --onnx " + fixture(bad) + " --layer 0");
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_TRUE(contains(r.err, fixture(bad))) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
  }
  const Result sized = run("map --onnx " + fixture("bad-symbolic-dim") + " --onnx-dim sequence=4 --layer 0");
  EXPECT_EQ(sized.status, 0) << sized.err;
}

TEST(OnnxCli, OnnxOptionsAreCheckedAgainstEachOther) {
  const Result batch = run("network --batch 2");
  EXPECT_EQ(batch.status, 2);
  EXPECT_TRUE(contains(batch.err, "--batch applies only with --onnx")) << batch.err;
  const Result both = run("simulate --onnx " + fixture("op-relu") + " --space ofa-mbv3");
  EXPECT_EQ(both.status, 2);
  EXPECT_TRUE(contains(both.err, "--onnx cannot be combined with --space")) << both.err;
  const Result dim = run("network --onnx " + fixture("op-relu") + " --onnx-dim x=0");
  EXPECT_EQ(dim.status, 2);
  EXPECT_TRUE(contains(dim.err, "expected NAME=N")) << dim.err;
}

TEST(OnnxCli, SimulateRunsAnOnnxModelUnderEveryPolicy) {
  for (const char* policy : {"layer-by-layer", "fused", "pipelined"}) {
    const Result r = run("simulate --onnx " + fixture("op-concat") + " --execution " + policy);
    EXPECT_EQ(r.status, 0) << policy << ": " << r.err;
    EXPECT_TRUE(contains(r.out, "merge")) << r.out;
  }
}

TEST(OnnxCli, DatasetAndSearchTakeAnOnnxModelForItsHardwareOnly) {
  const std::string dir = ::testing::TempDir() + "cimnet-onnx-cli-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const Result joint = run("dataset --onnx " + fixture("op-conv") + " --mode joint --samples 2 --out " + dir + "/j.csv");
  EXPECT_EQ(joint.status, 2);
  EXPECT_TRUE(contains(joint.err, "use --mode hw")) << joint.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/j.csv"));
  const Result hw = run("dataset --onnx " + fixture("op-conv") + " --mode hw --samples 2 --jobs 1 --no-progress --out " +
                        dir + "/hw.csv");
  ASSERT_EQ(hw.status, 0) << hw.err;
  std::ifstream in(dir + "/hw.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(contains(text.str(), "space=file:op-conv@")) << text.str();
  EXPECT_TRUE(contains(text.str(), ",577536,")) << text.str();  // the file's MACs on every row
  const Result accuracy = run("search --onnx " + fixture("op-conv") + " --mode hw --out " + dir + "/s");
  EXPECT_EQ(accuracy.status, 2);
  EXPECT_TRUE(contains(accuracy.err, "choose objectives without accuracy")) << accuracy.err;
  const Result arch = run("search --onnx " + fixture("op-conv") + " --mode arch --objectives cycles,area --out " + dir + "/s");
  EXPECT_EQ(arch.status, 2);
  EXPECT_TRUE(contains(arch.err, "only --mode hw")) << arch.err;
  std::filesystem::remove_all(dir);
}
