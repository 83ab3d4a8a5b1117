// `cimnet simulate` under `pipelined` end to end (issue 15; docs/pipelined.md): the least-memory
// objective and a stream of inferences, as the report and the printed lines show them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

// A report file of this test process.
std::string report_path(const std::string& name) {
  return (cimnet::test::scratch_dir("cimnet_pipelined_cli") / name).string();
}

// Issue 15's third objective: under a latency bound the pipelined schedule claims no more of the global
// buffer than the fastest one, its latency is within the bound, and the SystemC run holds no more than
// the claim; a bound no segmentation meets exits 2 naming both figures.
TEST(PipelinedCli, ALatencyBoundTradesCyclesForTheGlobalBuffer) {
  const std::string tiny = "--network " + (cimnet::test::source_dir() / "examples/networks/tiny-cnn.yaml").string();
  auto totals = [&](const std::string& extra, long long* gb_peak) {
    const std::string report = report_path("latency-bound.json");
    const Result r = run("simulate " + tiny + " --execution pipelined --cycles cold --engine both " + extra +
                         " --report " + report);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "schedule: ")) << r.out;
    const nlohmann::json j = nlohmann::json::parse(std::ifstream(report));
    for (const auto& m : j["levels"]["memories"]) {
      if (m["name"] == "gb") *gb_peak = m["peak_bytes"].get<long long>();
    }
    std::filesystem::remove(report);
    return j["totals"];
  };
  long long fast_peak = -1, lean_peak = -1;
  const nlohmann::json fast = totals("", &fast_peak);
  const nlohmann::json lean = totals("--latency-bound 1.5x", &lean_peak);
  EXPECT_FALSE(fast.contains("latency_bound_cycles"));
  const long long bound = lean["latency_bound_cycles"].get<long long>();
  EXPECT_EQ(bound, fast["analytical_cold_cycles"].get<long long>() * 3 / 2);
  EXPECT_LE(lean["analytical_cold_cycles"].get<long long>(), bound);
  EXPECT_LE(lean["analytical_gb_claim_bytes"].get<long long>(), fast["analytical_gb_claim_bytes"].get<long long>());
  EXPECT_LE(fast_peak, fast["analytical_gb_claim_bytes"].get<long long>());
  EXPECT_LE(lean_peak, lean["analytical_gb_claim_bytes"].get<long long>());
  const Result r = run("simulate " + tiny + " --execution pipelined --engine analytical --latency-bound 100");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "cimnet simulate: no segmentation meets the latency bound of 100 cycles: the fastest takes " +
                            std::to_string(fast["analytical_cold_cycles"].get<long long>()) +
                            " (give at least that, or a factor of it such as 1.2x)\n");
}

// Issue 15's throughput mode: under --cycles stream the smallest MobileNetV3 runs as stages on
// disjoint decoders, printed and reported; the totals are the cycles between inferences, below the
// steady schedule's, and the global buffer holds no more than the stages claim together.
TEST(PipelinedCli, AStreamRunsStagesOnDisjointDecoders) {
  auto report_of = [&](const std::string& cycles, std::string* out) {
    const std::string report = report_path("stream-" + cycles + ".json");
    const Result r = run("simulate --space ofa-mbv3 --arch min --execution pipelined --cycles " + cycles + " --engine both --report " + report);
    EXPECT_EQ(r.status, 0) << r.err;
    *out = r.out;
    nlohmann::json j = nlohmann::json::parse(std::ifstream(report));
    std::filesystem::remove(report);
    return j;
  };
  std::string printed, steady_printed;
  const nlohmann::json stream = report_of("stream", &printed);
  const nlohmann::json steady = report_of("steady", &steady_printed);
  EXPECT_TRUE(contains(printed, "cycles between inferences in a stream")) << printed;
  ASSERT_GE(stream["stream_stages"].size(), 2u);
  long long next = 0;
  for (const auto& st : stream["stream_stages"]) {
    EXPECT_TRUE(contains(printed, "stage:    layers " + st["first_layer"].get<std::string>() + " .. ")) << printed;
    EXPECT_EQ(st["first_decoder"].get<long long>(), next);
    next += st["decoders"].get<long long>();
    EXPECT_LE(st["analytical_cycles"].get<long long>(), stream["totals"]["analytical_cycles"].get<long long>());
  }
  EXPECT_LE(next, 8);  // the reference design's L1 decoders
  EXPECT_FALSE(steady.contains("stream_stages"));
  EXPECT_EQ(stream["totals"]["cycles_of"], "stream");
  EXPECT_LT(stream["totals"]["analytical_cycles"].get<long long>(), steady["totals"]["analytical_cycles"].get<long long>());
  EXPECT_LT(stream["totals"]["simulated_cycles"].get<long long>(), steady["totals"]["simulated_cycles"].get<long long>());
  for (const auto& m : stream["levels"]["memories"]) {
    if (m["name"] == "gb") {
      EXPECT_LE(m["peak_bytes"].get<long long>(), stream["totals"]["analytical_gb_claim_bytes"].get<long long>());
    }
  }
}

}  // namespace
