// The cimnet executable end to end: exit codes, error lines and outputs of each subcommand.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.hpp"

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

TEST(Cli, VersionAndHelp) {
  const Result v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_TRUE(contains(v.out, "cimnet 0.")) << v.out;
  for (const char* command : {"run", "network", "hardware"}) {
    const Result h = run(std::string(command) + " --help");
    EXPECT_EQ(h.status, 0) << command;
    EXPECT_TRUE(contains(h.out, std::string("usage: cimnet ") + command)) << h.out;
  }
}

TEST(Cli, BadUsageExitsTwoWithOneClearLine) {
  const Result none = run("");
  EXPECT_EQ(none.status, 2);
  const Result unknown = run("netwrk");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(contains(unknown.err, "unknown command 'netwrk' (did you mean 'network'?)")) << unknown.err;
  const Result option = run("hardware --bogus");
  EXPECT_EQ(option.status, 2);
  EXPECT_TRUE(contains(option.err, "--bogus")) << option.err;
  const Result format = run("network --space ofa-mbv3 --format xml");
  EXPECT_EQ(format.status, 2);
  EXPECT_TRUE(contains(format.err, "allowed: table, json, csv")) << format.err;
  const Result method = run("search --method dynst --out /nonexistent/never-created");
  EXPECT_EQ(method.status, 2);
  EXPECT_TRUE(contains(method.err, "--method")) << method.err;
  EXPECT_TRUE(contains(method.err, "dynast")) << method.err;
  EXPECT_EQ(std::count(method.err.begin(), method.err.end(), '\n'), 1) << method.err;
}

TEST(Cli, UnknownSpaceNamesTheAllowedOnes) {
  const Result r = run("network --space ofa-mbv4 --arch max");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "unknown search space 'ofa-mbv4'")) << r.err;
  EXPECT_TRUE(contains(r.err, "ofa-resnet50")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Cli, MissingFilesAreInputErrors) {
  const Result net = run("network --network /nonexistent/net.yaml");
  EXPECT_EQ(net.status, 2);
  EXPECT_TRUE(contains(net.err, "/nonexistent/net.yaml")) << net.err;
  const Result scen = run("hardware --scenario /nonexistent/s.yaml");
  EXPECT_EQ(scen.status, 2);
  EXPECT_TRUE(contains(scen.err, "/nonexistent/s.yaml")) << scen.err;
}

TEST(Cli, HardwareShowsTheReferenceDesignAndDerivedTotals) {
  const Result r = run("hardware --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // Reference design: the third of the paper's four choices of each parameter.
  EXPECT_EQ(j["parameters"]["DRAM_bw"]["value"], 64);
  EXPECT_EQ(j["parameters"]["MA_mem_size"]["value"], 256 * 1024);
  EXPECT_EQ(j["derived"]["arrays"], 8 * 8);
  EXPECT_EQ(j["derived"]["peak_macs_per_cycle"], 8 * 8 * 64);
  EXPECT_EQ(j["derived"]["total_capacity_bytes"], 8LL * 8 * 256 * 1024);
  EXPECT_EQ(j["derived"]["hardware_space_size"], 65536.0);
}

TEST(Cli, HardwareOverridesAndTheirErrors) {
  const Result r = run("hardware --format json --hw L1_num_child=16 --hw MA_num_child=16 --hw MA_mem_size=1MiB");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["derived"]["arrays"], 256);
  EXPECT_EQ(j["derived"]["total_capacity_bytes"], 256LL * 1024 * 1024);

  const Result zero = run("hardware --hw DRAM_bw=0");
  EXPECT_EQ(zero.status, 2);
  EXPECT_TRUE(contains(zero.err, "DRAM_bw")) << zero.err;
  EXPECT_TRUE(contains(zero.err, "positive")) << zero.err;
  const Result unknown = run("hardware --hw DRAM_bandwidth=64");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(contains(unknown.err, "did you mean 'DRAM_bw'")) << unknown.err;
  const Result malformed = run("hardware --hw DRAM_bw");
  EXPECT_EQ(malformed.status, 2);
  EXPECT_TRUE(contains(malformed.err, "KEY=VALUE")) << malformed.err;
}

TEST(Cli, NetworkJsonTotalsAreTheSumOfItsLayers) {
  for (const char* space : {"ofa-mbv3", "ofa-mbv3-w12", "ofa-resnet50", "vit-b16"}) {
    const Result r = run(std::string("network --format json --arch random:4 --space ") + space);
    ASSERT_EQ(r.status, 0) << space << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out);
    long long macs = 0, params = 0;
    for (const auto& l : j["layers"]) {
      macs += l["macs"].get<long long>();
      params += l["params"].get<long long>();
    }
    EXPECT_GT(macs, 0) << space;
    EXPECT_EQ(j["totals"]["macs"].get<long long>(), macs) << space;
    EXPECT_EQ(j["totals"]["params"].get<long long>(), params) << space;
    EXPECT_EQ(j["space"], space);
    // The printed canonical spec reads back as the same sub-network.
    const Result again = run(std::string("network --format json --space ") + space + " --arch " +
                             j["arch"].get<std::string>());
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(nlohmann::json::parse(again.out)["totals"], j["totals"]) << space;
  }
}

TEST(Cli, NetworkCsvHasOneRowPerLayer) {
  const Result json = run("network --format json --space ofa-mbv3 --arch min");
  const Result csv = run("network --format csv --space ofa-mbv3 --arch min");
  ASSERT_EQ(csv.status, 0) << csv.err;
  const auto layers = nlohmann::json::parse(json.out)["layers"].size();
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.out.begin(), csv.out.end(), '\n')), layers + 1);
  EXPECT_EQ(csv.out.rfind("#,name,type,operation,inputs,in,out,MACs,params", 0), 0u) << csv.out.substr(0, 80);
}

TEST(Cli, NetworkRejectsConflictingOptionsAndBadSpecs) {
  const Result both = run("network --network x.yaml --space ofa-mbv3");
  EXPECT_EQ(both.status, 2);
  EXPECT_TRUE(contains(both.err, "cannot be combined")) << both.err;
  const Result spec = run("network --space ofa-mbv3 --arch 'ks=3'");
  EXPECT_EQ(spec.status, 2);
  EXPECT_TRUE(contains(spec.err, "ks")) << spec.err;
  const Result resolution = run("network --space ofa-mbv3 --resolution 100");
  EXPECT_EQ(resolution.status, 2);
  EXPECT_TRUE(contains(resolution.err, "224")) << resolution.err;
}

TEST(Cli, MainJobRunsOnTheEmbeddedDefaultScenario) {
  // The main job is a small joint co-search; a tiny budget keeps the test short.
  const std::string dir = ::testing::TempDir() + "cimnet-main-job-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  const Result r = run("run --budget 8 --jobs 2 --out " + dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "<embedded default scenario>")) << r.out;
  EXPECT_TRUE(contains(r.out, "Pareto front of linas")) << r.out;
  EXPECT_TRUE(contains(r.out, "ks=")) << r.out;  // front rows name their sub-networks
  for (const char* file : {"evaluations.csv", "front.csv", "iterations.csv", "checkpoint.json", "scenario.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + file)) << file;
  }
  // The same folder again without --resume is refused: a finished search is never overwritten.
  EXPECT_EQ(run("run --budget 8 --out " + dir).status, 2);
  EXPECT_EQ(run("run --budget 0 --out " + dir + "-x").status, 2);
  std::filesystem::remove_all(dir);
}
