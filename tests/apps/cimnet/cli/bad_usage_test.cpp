// Issue 12's bad usage through the cimnet executable: stray words, repeated or out-of-range --hw,
// garbled choice messages and network files whose counts overflow. Each is exit 2 with one line.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

namespace {

void expect_one_line(const Result& r, int status, const std::string& err) {
  EXPECT_EQ(r.status, status) << r.err;
  EXPECT_EQ(r.err, err + "\n");
}

}  // namespace

// Issue 12, defect 7: `cimnet hardware extra` ran as if `extra` were not there. The other options make
// each command fail early on the code before the fix (a missing file), so that none of them runs.
TEST(CliBadUsage, StrayWordsAreErrorsForEveryCommand) {
  const std::pair<std::string, std::string> commands[] = {
      {"hardware", ""},
      {"network", ""},
      {"map", "--layer 0"},
      {"simulate", "--space nospace"},
      {"run", "--scenario /nonexistent/s.yaml"},
      {"search", "--scenario /nonexistent/s.yaml"},
      {"dataset", "--samples 3 --mode arch"},
      {"predictor fit", "--data /nonexistent/d.csv --target cycles --out /nonexistent/m.json"},
      {"predictor eval", "--model /nonexistent/m.json --data /nonexistent/d.csv"},
      {"predictor curve", "--data /nonexistent/d.csv --target cycles --sizes 10"},
  };
  for (const auto& [command, options] : commands) {
    const std::string prefix = command.substr(0, command.find(' '));
    expect_one_line(run(command + " " + options + " extra"), 2,
                    "cimnet " + prefix + ": unexpected argument 'extra': 'cimnet " + command +
                        "' takes only options (see 'cimnet " + command + " --help')");
  }
  // Between options too.
  expect_one_line(run("hardware extra --format json"), 2,
                  "cimnet hardware: unexpected argument 'extra': 'cimnet hardware' takes only options (see 'cimnet "
                  "hardware --help')");
  expect_one_line(run("--version extra"), 2, "cimnet: unexpected argument 'extra' after --version");
  expect_one_line(run("--help extra"), 2, "cimnet: unexpected argument 'extra' after --help");
  expect_one_line(run("predictor --help extra"), 2, "cimnet predictor: unexpected argument 'extra' after --help");
  // What does take words still does.
  EXPECT_EQ(run("hardware --format json").status, 0);
}

// Issue 12, defects 4 and 8.
TEST(CliBadUsage, HwOverridesAreBoundedAndGivenOnce) {
  expect_one_line(run("hardware --hw DRAM_bw=32 --hw DRAM_bw=128"), 2,
                  "cimnet hardware: --hw DRAM_bw is given twice ('DRAM_bw=32' and 'DRAM_bw=128'); give each "
                  "parameter once");
  expect_one_line(run("hardware --hw MA_num_child=4294967296"), 2,
                  "cimnet hardware: --hw MA_num_child = 4294967296 is out of range; allowed 1 to 65536 (count)");
  expect_one_line(run("simulate --engine analytical --hw MA_mem_size=2GiB"), 2,
                  "cimnet simulate: --hw MA_mem_size = 2147483648 is out of range; allowed 1 to 1024 MiB (bytes)");
  expect_one_line(run("hardware --hw L1_num_child=16384"), 2,
                  "cimnet hardware: --hw: L1_num_child x MA_num_child = 16384 x 8 = 131072 memory arrays; at most "
                  "65536 are allowed");
  const Result most = run("hardware --format json --hw L1_num_child=8192");
  EXPECT_EQ(most.status, 0) << most.err;
  EXPECT_TRUE(contains(most.out, "\"arrays\": 65536")) << most.out;
}

// Issue 12, defect 13: "----mode 'bogus' is not allowed".
TEST(CliBadUsage, ChoiceMessagesNameTheOptionOnce) {
  const Result mode = run("search --mode bogus --scenario /nonexistent/s.yaml");
  EXPECT_EQ(mode.status, 2);
  EXPECT_TRUE(contains(mode.err, "cimnet search: --mode 'bogus' is not allowed; allowed: arch, hw, joint")) << mode.err;
  const Result method = run("search --method linass --scenario /nonexistent/s.yaml");
  EXPECT_EQ(method.status, 2);
  EXPECT_TRUE(contains(method.err, "cimnet search: --method: unknown method 'linass' (did you mean 'linas'?)"))
      << method.err;
  EXPECT_FALSE(contains(method.err, "----")) << method.err;
}

// Issue 12, defect 5: negative weight bytes and "MACs 0.000 M".
TEST(CliBadUsage, ANetworkFileWhoseCountsOverflowNamesTheLayer) {
  const std::string path = ::testing::TempDir() + "cimnet-huge-" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(path) << "input: {channels: 1048576, height: 1048576, width: 1048576}\n"
                         "layers:\n"
                         "  - {name: fc, type: linear, out_features: 16, flatten: true}\n";
  expect_one_line(run("network --network " + path), 2,
                  "cimnet network: " + path + ":3: network.layers[0](fc): its reduction length (about 1.15e+18) "
                  "exceeds 2^53 = 9007199254740992, the largest count cimnet keeps exactly");
  std::filesystem::remove(path);
}

// The accuracy-command protocol sends DyNAS-T dicts as JSON; --arch takes them as they come.
TEST(CliBadUsage, ArchTakesAJsonDictWithNull) {
  const Result python = run("network --format json --space ofa-mbv3 --arch min");
  ASSERT_EQ(python.status, 0) << python.err;
  std::string dict = nlohmann::json::parse(python.out)["dynast"].get<std::string>();
  std::replace(dict.begin(), dict.end(), '\'', '"');
  const std::size_t none = dict.find("None");
  ASSERT_NE(none, std::string::npos) << dict;
  dict.replace(none, 4, "null");
  const Result json = run("network --format json --space ofa-mbv3 --arch '" + dict + "'");
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["arch"], nlohmann::json::parse(python.out)["arch"]);
}

// Issue 12, defects 4, 8 and 13 through the executable: scenario choices beyond the bounds or listed
// twice, a gene group or dict key given twice, an ignored key with a value.
TEST(CliBadUsage, ScenarioChoicesAndSpecsAreCheckedStrictly) {
  const std::string dir = ::testing::TempDir() + "cimnet-choices-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const auto scenario = [&](const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    std::ofstream(path) << "space:\n  name: ofa-mbv3\n" << text;
    return run("hardware --scenario " + path);
  };
  const Result resolutions = scenario("r.yaml", "  resolutions: [192, 224, 224]\n");
  EXPECT_EQ(resolutions.status, 2);
  EXPECT_TRUE(contains(resolutions.err, "r.yaml:3: scenario.space.resolutions[2]: 224 is listed twice")) << resolutions.err;
  const Result count = scenario("c.yaml", "hardware:\n  choices:\n    L1_num_child: [2, 4, 4294967297]\n");
  EXPECT_EQ(count.status, 2);
  EXPECT_TRUE(contains(count.err, "L1_num_child = 4294967297 is out of range; allowed 1 to 65536 (count)")) << count.err;
  const Result size = scenario("s.yaml", "hardware:\n  choices:\n    MA_mem_size: [64KiB, 1000000GiB]\n");
  EXPECT_EQ(size.status, 2);
  EXPECT_TRUE(contains(size.err, "MA_mem_size = 1073741824000000 is out of range; allowed 1 to 1024 MiB")) << size.err;

  const Result min = run("network --format json --space ofa-mbv3 --arch min");
  ASSERT_EQ(min.status, 0) << min.err;
  const auto header = nlohmann::json::parse(min.out);
  const std::string arch = header["arch"].get<std::string>();
  const Result group = run("network --space ofa-mbv3 --arch '" + arch + ":d=4-4-4-4-4'");
  EXPECT_EQ(group.status, 2);
  EXPECT_TRUE(contains(group.err, "ofa-mbv3: gene group 'd' is given twice in the architecture spec")) << group.err;
  std::string dict = header["dynast"].get<std::string>();
  const std::string twice = dict.substr(0, dict.size() - 1) + ", 'd': [4, 4, 4, 4, 4]}";
  const Result key = run("network --space ofa-mbv3 --arch \"" + twice + "\"");
  EXPECT_EQ(key.status, 2);
  EXPECT_TRUE(contains(key.err, "ofa-mbv3: key 'd' appears twice in the DyNAS-T dict")) << key.err;
  dict.replace(dict.find("None"), 4, "1");
  const Result wid = run("network --space ofa-mbv3 --arch \"" + dict + "\"");
  EXPECT_EQ(wid.status, 2);
  EXPECT_TRUE(contains(wid.err, "key 'wid' of the DyNAS-T dict must be None (or null)")) << wid.err;
  EXPECT_FALSE(contains(wid.err, "did you mean")) << wid.err;
  std::filesystem::remove_all(dir);
}

// Issue 14: an unknown execution policy is refused before any work, by every command that computes
// cycles, naming the option and the values allowed there — `searched` too for the searches (the
// missing scenario file is never reached).
TEST(CliBadUsage, AnUnknownExecutionPolicyNamesTheAllowedValues) {
  for (const std::string command : {"simulate", "search --out /nonexistent/run", "run --out /nonexistent/run",
                                    "dataset --samples 1 --mode arch --out /nonexistent/d.csv"}) {
    const Result r = run(command + " --execution fusion --scenario /nonexistent/s.yaml");
    const std::string name = command.substr(0, command.find(' '));
    const bool search = name == "search" || name == "run";
    expect_one_line(r, 2,
                    "cimnet " + name + ": --execution: unknown execution policy 'fusion' (allowed: layer-by-layer, fused, pipelined" +
                        (search ? ", searched)" : ")"));
  }
}

// `searched` is a search's choice of a policy per candidate: simulate and dataset, which run one, refuse
// it before any work — from the option, naming it and the policies allowed there, or from the scenario,
// naming its file and key — and run when --execution names a policy over the scenario's `searched`.
TEST(CliBadUsage, SearchedIsRefusedWhereOnePolicyRuns) {
  const auto dir = cimnet::test::scratch_dir("cli-searched");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nexecution: searched\n";
  const std::string out = (dir / "d.csv").string();
  for (const std::string& command : {std::string("simulate"), "dataset --samples 1 --mode arch --out " + out}) {
    const std::string name = command.substr(0, command.find(' '));
    expect_one_line(run(command + " --execution searched --scenario /nonexistent/s.yaml"), 2,
                    "cimnet " + name + ": --execution: 'searched' is a search's choice of a policy per candidate "
                    "(cimnet search, cimnet run); this command runs one (allowed: layer-by-layer, fused, pipelined)");
    expect_one_line(run(command + " --scenario " + scenario), 2,
                    "cimnet " + name + ": " + scenario + ": execution: 'searched' is a search's choice of a policy per "
                    "candidate (cimnet search, cimnet run); this command runs one: give --execution layer-by-layer or "
                    "fused or pipelined");
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  const Result fused = run("simulate --scenario " + scenario + " --execution fused --engine analytical --arch min");
  EXPECT_EQ(fused.status, 0) << fused.err;
  EXPECT_TRUE(contains(fused.out, "execution: fused")) << fused.out;
  std::filesystem::remove_all(dir);
}

// Issue 17: `allocation: searched` is a search's choice of an objective per candidate, like the policy's:
// simulate and dataset refuse it, from the option or from the scenario's key, and run when --allocation
// names one over the scenario's `searched`.
TEST(CliBadUsage, ASearchedAllocationIsRefusedWhereOneNetworkRuns) {
  const auto dir = cimnet::test::scratch_dir("cli-searched-allocation");
  const std::string scenario = (dir / "s.yaml").string();
  {
    std::ifstream shipped(cimnet::test::source_dir() / "scenarios" / "experiments" / "ofa-mbv3-heterogeneous.yaml");
    std::ofstream(scenario) << shipped.rdbuf() << "allocation: searched\n";
  }
  const std::string out = (dir / "d.csv").string();
  for (const std::string& command : {std::string("simulate"), "dataset --samples 1 --mode arch --out " + out}) {
    const std::string name = command.substr(0, command.find(' '));
    expect_one_line(run(command + " --allocation searched --scenario " + scenario), 2,
                    "cimnet " + name + ": --allocation: 'searched' is a search's choice of an objective per candidate "
                    "(cimnet search, cimnet run); this command runs one (allowed: latency, energy, energy-delay)");
    expect_one_line(run(command + " --scenario " + scenario), 2,
                    "cimnet " + name + ": " + scenario + ": allocation: 'searched' is a search's choice of an objective "
                    "per candidate (cimnet search, cimnet run); this command runs one: give --allocation latency, "
                    "energy or energy-delay");
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  const Result energy =
      run("simulate --scenario " + scenario + " --allocation energy --engine analytical --arch min");
  EXPECT_EQ(energy.status, 0) << energy.err;
  EXPECT_TRUE(contains(energy.out, "allocation: energy")) << energy.out;
  std::filesystem::remove_all(dir);
}

// Likewise an unknown choice of cycles (cold or steady), by every command that has --execution.
TEST(CliBadUsage, AnUnknownChoiceOfCyclesNamesTheAllowedValues) {
  for (const std::string command : {"simulate", "search --out /nonexistent/run", "run --out /nonexistent/run",
                                    "dataset --samples 1 --mode arch --out /nonexistent/d.csv"}) {
    const Result r = run(command + " --cycles warm --scenario /nonexistent/s.yaml");
    const std::string name = command.substr(0, command.find(' '));
    expect_one_line(r, 2, "cimnet " + name + ": --cycles: unknown choice of cycles 'warm' (allowed: cold, steady, stream)");
  }
}

// A latency bound (the pipelined scheduler's least-memory objective): malformed, or under another policy,
// refused before the scenario is read; in a scenario, at its key, against the scenario's policy.
TEST(CliBadUsage, ALatencyBoundIsAFactorOrCyclesAndOnlyUnderPipelined) {
  for (const std::string command : {"simulate", "dataset --samples 1 --mode arch --out /nonexistent/d.csv"}) {
    const std::string name = command.substr(0, command.find(' '));
    Result r = run(command + " --execution pipelined --latency-bound 0.8x --scenario /nonexistent/s.yaml");
    expect_one_line(r, 2, "cimnet " + name + ": --latency-bound: latency bound '0.8x' is neither a factor >= 1 of the "
                          "fastest latency such as 1.1x nor a positive number of cycles such as 450000");
    r = run(command + " --execution fused --latency-bound 1.2x --scenario /nonexistent/s.yaml");
    expect_one_line(r, 2, "cimnet " + name + ": --latency-bound: applies only under --execution pipelined (this run: fused)");
  }
  const std::filesystem::path dir = cimnet::test::scratch_dir("latency-bound");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space: {name: ofa-mbv3}\nexecution: fused\nlatency_bound: 1.2x\n";
  const Result r = run("simulate --scenario " + scenario + " --arch min");
  expect_one_line(r, 2, "cimnet simulate: " + scenario + ":3: scenario.latency_bound: applies only under execution: "
                        "pipelined (this scenario's execution is fused); it asks the pipelined scheduler for the least "
                        "global buffer within the bound");
  // The search's objective is cycles: it refuses the key rather than mix the two.
  const std::string pipelined = (dir / "p.yaml").string();
  std::ofstream(pipelined) << "space: {name: ofa-mbv3}\nexecution: pipelined\nlatency_bound: 1.2x\n";
  for (const std::string command : {"search", "run"}) {
    expect_one_line(run(command + " --scenario " + pipelined + " --out " + (dir / "run").string()), 2,
                    "cimnet " + command + ": " + pipelined + ": latency_bound: the search does not take the "
                    "least-memory objective (simulate and dataset do); remove the key to search for cycles");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "run"));
  std::filesystem::remove_all(dir);
}
