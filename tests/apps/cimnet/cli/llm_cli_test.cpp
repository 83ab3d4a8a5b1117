// --llm end to end: a model's phases as networks, and a generation's time to first token and cycles per
// decoded token (docs/llm.md).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.hpp"

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

namespace {

nlohmann::json report_of(const std::string& args, const std::string& tag) {
  const std::string path = ::testing::TempDir() + "cimnet-llm-" + tag + "-" + std::to_string(::getpid()) + ".json";
  const Result r = run(args + " --report " + path);
  EXPECT_EQ(r.status, 0) << r.err;
  std::ifstream in(path);
  nlohmann::json j = nlohmann::json::parse(in);
  std::filesystem::remove(path);
  return j;
}

}  // namespace

TEST(LlmCli, NetworkListsAPhaseWithThePublishedLayerParameters) {
  const Result r = run("network --llm gpt2 --decode-at 10 --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // The layers' parameters; the 786 432 of the position table are a lookup's (docs/llm.md).
  EXPECT_EQ(j["totals"]["params"].get<long long>(), 124'439'808LL - 786'432LL);
  EXPECT_EQ(j["llm"].get<std::string>(), "gpt2");
}

TEST(LlmCli, AGenerationIsItsPrefillThenItsDecodeSteps) {
  const auto g = report_of("simulate --llm gpt2 --prefill 8 --decode 3 --engine analytical", "g");
  ASSERT_EQ(g["phases"].size(), 4u);  // the prefill and all three decode steps (three: every one sampled)
  const auto prefill = report_of("simulate --llm gpt2 --prefill 8 --engine analytical", "p");
  EXPECT_EQ(g["time_to_first_token_cycles"].get<double>(), prefill["totals"]["analytical_steady_cycles"].get<double>());
  double sum = 0;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(g["phases"][i]["position"].get<long long>(), 7 + i);
    sum += g["phases"][i]["analytical_cycles"].get<double>();
  }
  EXPECT_DOUBLE_EQ(g["decode_cycles_per_token"].get<double>(), sum / 3);
  EXPECT_EQ(g["phases"][1]["bound"].get<std::string>(), "DRAM bandwidth");  // 124 M weights per token
}

TEST(LlmCli, LongGenerationsSampleFivePositionsAndInterpolateBetween) {
  const auto g = report_of("simulate --llm gpt2 --prefill 8 --decode 9 --engine analytical", "i");
  ASSERT_EQ(g["phases"].size(), 6u);
  double low = 1e300, high = 0;
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(g["phases"][i]["position"].get<long long>(), 8 + 2 * (i - 1));
    low = std::min(low, g["phases"][i]["analytical_cycles"].get<double>());
    high = std::max(high, g["phases"][i]["analytical_cycles"].get<double>());
  }
  EXPECT_GE(g["decode_cycles_per_token"].get<double>(), low);
  EXPECT_LE(g["decode_cycles_per_token"].get<double>(), high);
}

TEST(LlmCli, BadModelsAndPhasesExitTwoInOneLine) {
  const Result name = run("network --llm gpt3 --prefill 8");
  EXPECT_EQ(name.status, 2);
  EXPECT_TRUE(contains(name.err, "unknown language model 'gpt3'")) << name.err;
  const Result phase = run("network --llm gpt2");
  EXPECT_EQ(phase.status, 2);
  EXPECT_TRUE(contains(phase.err, "--llm needs one phase")) << phase.err;
  const Result context = run("simulate --llm gpt2 --prefill 1000 --decode 100");
  EXPECT_EQ(context.status, 2);
  EXPECT_TRUE(contains(context.err, "at most 1024 tokens")) << context.err;
  const Result orphan = run("simulate --space ofa-mbv3 --decode 3");
  EXPECT_EQ(orphan.status, 2);
  EXPECT_TRUE(contains(orphan.err, "--decode D needs --llm")) << orphan.err;
}

TEST(LlmCli, TheReportSaysWhereTheKvCacheLivesUnderEachPolicy) {
  // Every step reads 2 · 12 layers · 768 · (t + 1) bytes of cache; under layer-by-layer all from DRAM.
  const auto lbl = report_of("simulate --llm gpt2 --prefill 8 --decode 2 --engine analytical", "kl");
  EXPECT_NE(lbl["kv_cache_placement"].get<std::string>().find("lives in DRAM"), std::string::npos);
  for (int i = 1; i <= 2; ++i) {
    EXPECT_EQ(lbl["phases"][i]["kv_cache_bytes"].get<long long>(), 2LL * 12 * 768 * (7 + i + 1));
    EXPECT_EQ(lbl["phases"][i]["kv_cache_bytes_in_arrays"].get<long long>(), 0);
  }
  // Under fused, what the residency choice keeps in the arrays, never more than the step reads.
  const auto fused = report_of("simulate --llm gpt2 --prefill 8 --decode 2 --engine analytical --execution fused", "kf");
  long long kept = 0;
  for (int i = 1; i <= 2; ++i) {
    const long long in_arrays = fused["phases"][i]["kv_cache_bytes_in_arrays"].get<long long>();
    EXPECT_LE(in_arrays, fused["phases"][i]["kv_cache_bytes"].get<long long>());
    kept += in_arrays;
  }
  EXPECT_GT(kept, 0);
  EXPECT_NE(fused["kv_cache_placement"].get<std::string>().find("stay in the arrays"), std::string::npos);
}

// Under fused a generation counts steady cycles, and each phase's program starts warm (its resident
// weights programmed, one inference; docs/mapping.md, "Resident weights"): the decode step's simulated
// cycles and energy are those of the same step's two-inference program once warm.
TEST(LlmCli, AFusedGenerationsStepIsTheTwoInferenceProgramsWarmOne) {
  const auto g = report_of("simulate --llm gpt2 --prefill 8 --decode 1 --execution fused", "fw");
  const auto one = report_of("simulate --llm gpt2 --decode-at 8 --execution fused", "fo");
  ASSERT_EQ(g["phases"].size(), 2u);
  EXPECT_TRUE(g["phases"][1]["started_warm"].get<bool>());
  ASSERT_GT(one["totals"]["simulated_cold_cycles"].get<long long>(), one["totals"]["simulated_steady_cycles"].get<long long>())
      << "nothing resident: the step would not start warm";
  EXPECT_EQ(g["phases"][1]["simulated_cycles"].get<long long>(), one["totals"]["simulated_steady_cycles"].get<long long>());
  EXPECT_EQ(g["phases"][1]["analytical_cycles"].get<long long>(), one["totals"]["analytical_steady_cycles"].get<long long>());
  EXPECT_DOUBLE_EQ(g["phases"][1]["energy_pj"].get<double>(), one["energy"]["total_pj"].get<double>());
}
