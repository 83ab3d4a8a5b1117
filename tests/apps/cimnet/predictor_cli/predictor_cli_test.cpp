// `cimnet predictor fit|eval|curve` on a synthetic dataset (cycles a known function of sub-network and
// hardware) and on DyNAS-T's measured accuracies when the shared data is present.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <csignal>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cimnet/command.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "common/csv.hpp"
#include "common/output_lock.hpp"
#include "predict/predictor_io.hpp"
#include "tests/apps/cimnet/predictor_cli/synthetic_dataset.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::cli {
int run_predictor(const Args& args);  // apps/cimnet/command_predictor.cpp (declared in command.hpp once registered)
}

namespace cimnet {
namespace {

namespace fs = std::filesystem;

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

// Calls the command as main() would: help exits 0, InputError 2 with one line, anything else 1.
Result run_in_process(const std::vector<std::string>& args) {
  Result r;
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  try {
    r.status = cli::run_predictor(args);
  } catch (const cli::HelpRequested& help) {
    out << help.text;
    r.status = 0;
  } catch (const InputError& e) {
    err << "cimnet predictor: " << e.what() << '\n';
    r.status = 2;
  } catch (const std::exception& e) {
    err << "cimnet predictor: internal error: " << e.what() << '\n';
    r.status = 1;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

Result run_in_process(const std::string& args) { return run_in_process(split_any(args, " ")); }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

fs::path temp_dir() {
  return test::scratch_dir("cimnet_predictor_cli_test");
}

// Training and test files of the synthetic dataset, written once per process.
struct Files {
  std::string train = (temp_dir() / "train.csv").string();
  std::string test = (temp_dir() / "test.csv").string();
  Files() {
    const auto space = make_space("ofa-mbv3");
    const HardwareSpace hw = HardwareSpace::defaults();
    if (!fs::exists(train)) test::write_synthetic_dataset(train, *space, hw, 330, 1);
    if (!fs::exists(test)) test::write_synthetic_dataset(test, *space, hw, 110, 2);
  }
};
const Files& files() {
  static const Files f;
  return f;
}

TEST(PredictorCli, FitRecoversTheKnownCyclesFunction) {
  const std::string model = (temp_dir() / "cycles.json").string();
  const Result r = run_in_process("fit --data " + files().train + " --target cycles --model ridge --out " + model);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "read 297 points")) << r.out;
  EXPECT_TRUE(contains(r.out, "skipped 33 rows whose status is not ok")) << r.out;
  EXPECT_TRUE(contains(r.out, "transform=log")) << r.out;  // recommended for cycles
  const Predictor p = load_predictor(model);
  EXPECT_EQ(p.space, "ofa-mbv3");
  EXPECT_EQ(p.target, "cycles");
  EXPECT_TRUE(p.encoding.hardware);
  EXPECT_TRUE(p.encoding.log_macs);
  ASSERT_TRUE(p.cv.has_value());
  EXPECT_GT(p.cv->metrics.kendall_tau, 0.97);
  EXPECT_LT(p.cv->metrics.mape, 2.0);
  EXPECT_TRUE(contains(p.provenance, "cimnet predictor fit")) << p.provenance;

  // Held-out evaluation, with the scatter file.
  const std::string scatter = (temp_dir() / "scatter.csv").string();
  const Result e = run_in_process("eval --model " + model + " --data " + files().test + " --scatter " + scatter);
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_TRUE(contains(e.out, "held-out")) << e.out;
  EXPECT_TRUE(contains(e.out, "Kendall tau")) << e.out;
  const CsvTable s = read_csv(scatter);
  EXPECT_EQ(s.header, (std::vector<std::string>{"source", "arch", "actual", "predicted", "error_pct"}));
  EXPECT_EQ(s.rows.size(), 99u);
  const auto space = make_space("ofa-mbv3");
  EXPECT_EQ(space->format(space->parse(s.rows[0][1])), s.rows[0][1]);
  EXPECT_EQ(s.rows[0][0], files().test + ":4");  // after the two preamble lines and the header

  const Result j = run_in_process("eval --format json --model " + model + " --data " + files().test);
  ASSERT_EQ(j.status, 0) << j.err;
  const auto json = nlohmann::json::parse(j.out);
  EXPECT_EQ(json["samples"], 99);
  EXPECT_EQ(json["skipped"], 11);
  EXPECT_GT(json["kendall_tau"].get<double>(), 0.97);
  EXPECT_LT(json["mape"].get<double>(), 2.0);
}

TEST(PredictorCli, TheAnalyticalFeatureAndAutoModelSelection) {
  const std::string model = (temp_dir() / "analytical.json").string();
  const Result r = run_in_process("fit --data " + files().train +
                                  " --target cycles --features hardware,analytical --model auto --folds 3 --seed 4 "
                                  "--out " + model);
  ASSERT_EQ(r.status, 0) << r.err;
  const Predictor p = load_predictor(model);
  EXPECT_FALSE(p.encoding.log_macs);
  EXPECT_EQ(p.encoding.extra, (std::vector<std::string>{"ln(analytical_cycles)"}));
  EXPECT_EQ(p.feature_names.back(), "ln(analytical_cycles)");
  EXPECT_EQ(p.cv->folds, 3);
  EXPECT_EQ(p.cv->seed, 4u);
  bool ridge = false, svr = false;
  for (const auto& c : p.cv->candidates) (c.config.kind == ModelKind::ridge ? ridge : svr) = true;
  EXPECT_TRUE(ridge && svr);
  EXPECT_GT(p.cv->metrics.kendall_tau, 0.9);
  // The same command gives the same model (deterministic for a seed).
  const std::string again = (temp_dir() / "analytical2.json").string();
  ASSERT_EQ(run_in_process("fit --data " + files().train +
                           " --target cycles --features hardware,analytical --model auto --folds 3 --seed 4 --out " +
                           again)
                .status,
            0);
  // Identical but for the provenance, which quotes the command line with its --out.
  auto without_provenance = [](const Predictor& q) {
    auto j = nlohmann::json::parse(predictor_to_json(q));
    j.erase("provenance");
    return j;
  };
  EXPECT_EQ(without_provenance(load_predictor(again)), without_provenance(p));
}

TEST(PredictorCli, LearningCurveImprovesWithData) {
  const std::string out = (temp_dir() / "curve.csv").string();
  const Result r = run_in_process("curve --data " + files().train +
                                  " --target cycles --model ridge --sizes 20,200 --repeats 3 --test-fraction 0.25 --out " +
                                  out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "learning curve on 74 held-out points (3 random splits")) << r.out;
  const CsvTable t = read_csv(out);
  EXPECT_EQ(t.header, (std::vector<std::string>{"train_size", "repeats", "test_size", "tau_mean", "tau_sd",
                                                "mape_mean", "mape_sd", "rmse_mean", "rmse_sd"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][0], "20");
  EXPECT_EQ(t.rows[1][0], "200");
  const double tau_small = parse_number(t.rows[0][3], "tau"), tau_big = parse_number(t.rows[1][3], "tau");
  const double mape_small = parse_number(t.rows[0][5], "mape"), mape_big = parse_number(t.rows[1][5], "mape");
  EXPECT_GT(tau_big, tau_small);
  EXPECT_LT(mape_big, mape_small);
  EXPECT_GT(tau_big, 0.97);
  EXPECT_GE(parse_number(t.rows[0][4], "sd"), 0.0);

  const Result too_big = run_in_process("curve --data " + files().train + " --target cycles --sizes 290");
  EXPECT_EQ(too_big.status, 2);
  EXPECT_TRUE(contains(too_big.err, "training size 290 needs more points than the 238 left")) << too_big.err;
}

TEST(PredictorCli, ClearErrorsForBadUsageAndMismatchedData) {
  const Result none = run_in_process(std::vector<std::string>{});
  EXPECT_EQ(none.status, 2);
  const Result typo = run_in_process("fitt");
  EXPECT_EQ(typo.status, 2);
  EXPECT_TRUE(contains(typo.err, "unknown action 'fitt' (did you mean 'fit'?)")) << typo.err;
  const Result help = run_in_process("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(contains(help.out, "curve")) << help.out;
  const Result fit_help = run_in_process("fit --help");
  EXPECT_EQ(fit_help.status, 0);
  EXPECT_TRUE(contains(fit_help.out, "usage: cimnet predictor fit")) << fit_help.out;

  const std::string model = (temp_dir() / "unused.json").string();
  const Result target = run_in_process("fit --data " + files().train + " --target latency --out " + model);
  EXPECT_EQ(target.status, 2);
  EXPECT_TRUE(contains(target.err, "no column 'latency'")) << target.err;
  const Result space = run_in_process("fit --data " + files().train + " --target cycles --space vit-b16 --out " + model);
  EXPECT_EQ(space.status, 2);
  EXPECT_TRUE(contains(space.err, "the point is of space 'ofa-mbv3', not 'vit-b16'")) << space.err;
  const Result model_kind = run_in_process("fit --data " + files().train + " --target cycles --model lasso --out " + model);
  EXPECT_EQ(model_kind.status, 2);
  EXPECT_TRUE(contains(model_kind.err, "allowed: ridge, svr, auto")) << model_kind.err;
  const Result missing = run_in_process("fit --data /nonexistent/d.csv --target cycles --out " + model);
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "/nonexistent/d.csv")) << missing.err;
  for (const Result* r : {&target, &space, &model_kind, &missing}) {
    EXPECT_EQ(std::count(r->err.begin(), r->err.end(), '\n'), 1) << r->err;
  }

  // A hardware-feature model cannot be evaluated on a file without hardware columns.
  const std::string hw_model = (temp_dir() / "hw.json").string();
  ASSERT_EQ(run_in_process("fit --data " + files().train + " --target cycles --model ridge --out " + hw_model).status, 0);
  const std::string no_hw = (temp_dir() / "nohw.csv").string();
  std::ofstream(no_hw) << "genome,cycles\nmax,5\n";
  const Result e = run_in_process("eval --model " + hw_model + " --data " + no_hw);
  EXPECT_EQ(e.status, 2);
  EXPECT_TRUE(contains(e.err, "missing: DRAM_bw")) << e.err;
  const Result corrupt = run_in_process("eval --model " + no_hw + " --data " + no_hw);
  EXPECT_EQ(corrupt.status, 2);
  EXPECT_TRUE(contains(corrupt.err, no_hw)) << corrupt.err;
}

// Issue 12, defect 12: --sizes 10,10 was accepted (and folded into one row).
TEST(PredictorCli, ASizeGivenTwiceIsAnError) {
  const Result r = run_in_process("curve --data " + files().train + " --target cycles --sizes 10,20,10");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "cimnet predictor: --sizes: training size 10 is given twice\n");
}

// Issue 12, defect 14: an output that cannot be written was found only after every fit.
TEST(PredictorCli, AnUnwritableOutputIsFoundBeforeAnyFit) {
  // /proc refuses new files even to root, for whom a read-only folder is no obstacle.
  const Result r = run_in_process("curve --data " + files().train + " --target cycles --model ridge --sizes 20 "
                                  "--repeats 1 --out /proc/self/curve.csv");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("cimnet predictor: /proc/self/curve.csv: cannot write in the folder /proc/self (", 0),
            0u)
      << r.err;
  EXPECT_FALSE(contains(r.err, "repeat 1/1")) << r.err;  // no fit ran
  EXPECT_EQ(r.out, "");
  const Result missing = run_in_process("fit --data " + files().train + " --target cycles --model ridge --out "
                                        "/nonexistent/m.json");
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "cimnet predictor: /nonexistent/m.json: the folder /nonexistent does not exist\n");
  EXPECT_EQ(missing.out, "");  // not even the data were read
}

// Issue 12, defect 11: weights of 1e308 gave "tau 1.0000, MAPE nan" and exit 0.
TEST(PredictorCli, AModelThatPredictsNonFiniteValuesIsAnError) {
  const std::string model = (temp_dir() / "finite.json").string();
  ASSERT_EQ(run_in_process("fit --data " + files().train + " --target cycles --model ridge --out " + model).status, 0);
  auto j = nlohmann::json::parse(std::ifstream(model));
  for (auto& w : j["model"]["weights"]) w = 1e308;
  const std::string broken = (temp_dir() / "overflowing.json").string();
  std::ofstream(broken) << j.dump();
  const Result r = run_in_process("eval --model " + broken + " --data " + files().test);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("cimnet predictor: " + broken + ": the model predicts ", 0), 0u) << r.err;
  EXPECT_TRUE(contains(r.err, " for 99 of 99 points (the first is point 0): its numbers overflow; refit the model\n"))
      << r.err;
  EXPECT_FALSE(contains(r.out, "Kendall tau")) << r.out;
}

// Issue 12, defect 1: one writer per output, for the predictor's outputs too (a real second process).
TEST(PredictorBinary, AnOutputAnotherProcessWritesIsRefusedNamingIt) {
  const std::string out = (temp_dir() / "claimed.csv").string();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
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
  const std::string refusal = out + " is being written by another process (pid " + std::to_string(holder) +
                              "); wait for it to end or choose another output";
  const test::Result curve = test::run("predictor curve --data " + files().train +
                                       " --target cycles --model ridge --sizes 20 --repeats 1 --out " + out);
  const test::Result fit = test::run("predictor fit --data " + files().train + " --target cycles --model ridge --out " +
                                     out);
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  EXPECT_EQ(curve.status, 2);
  EXPECT_EQ(curve.err, "cimnet predictor: " + refusal + "\n");
  EXPECT_EQ(fit.status, 2);
  EXPECT_EQ(fit.err, "cimnet predictor: " + refusal + "\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST(PredictorCli, DynastAccuracyFiles) {
  const fs::path dir = test::shared_dir() / "data" / "ofa-mbv3-imagenet";
  const fs::path train = dir / "mbnv3w10_evonsga2_acc_macs.csv";
  const fs::path held = dir / "mbnv3w10_linasnsga2_acc_macs.csv";
  if (!fs::exists(train) || !fs::exists(held)) GTEST_SKIP() << "shared DyNAS-T data not found in " << dir;
  const std::string model = (temp_dir() / "top1.json").string();
  const Result r = run_in_process("fit --data " + train.string() + " --target accuracy --model ridge --out " + model);
  ASSERT_EQ(r.status, 0) << r.err;
  const Predictor p = load_predictor(model);
  EXPECT_EQ(p.target, "top1");
  EXPECT_FALSE(p.encoding.hardware);
  EXPECT_TRUE(p.encoding.log_macs);
  EXPECT_EQ(p.config.transform, TargetTransform::none);
  EXPECT_GE(p.cv->metrics.kendall_tau, 0.75);
  const Result e = run_in_process("eval --format json --model " + model + " --data " + held.string());
  ASSERT_EQ(e.status, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  EXPECT_GT(j["kendall_tau"].get<double>(), 0.7);
  EXPECT_LT(j["mape"].get<double>(), 1.0);
  // The shipped model evaluates on the measured files too.
  const Result shipped = run_in_process("eval --format json --model " + (test::source_dir() / "data" / "accuracy" /
                                                                         "ofa-mbv3-w10.json").string() +
                                        " --data " + held.string());
  ASSERT_EQ(shipped.status, 0) << shipped.err;
  EXPECT_GT(nlohmann::json::parse(shipped.out)["kendall_tau"].get<double>(), 0.9);
}

// ---- the cimnet executable

Result run_binary(const std::string& args) {
  const test::Result r = test::run(args);
  return {r.status, r.out, r.err};
}

TEST(PredictorBinary, FitAndEvalEndToEnd) {
  const std::string model = (temp_dir() / "binary.json").string();
  const Result fit = run_binary("predictor fit --data " + files().train + " --target cycles --model ridge --out " + model);
  ASSERT_EQ(fit.status, 0) << fit.err;
  const Result eval = run_binary("predictor eval --format json --model " + model + " --data " + files().test);
  ASSERT_EQ(eval.status, 0) << eval.err;
  EXPECT_GT(nlohmann::json::parse(eval.out)["kendall_tau"].get<double>(), 0.97);
  const Result bad = run_binary("predictor fit --data " + files().train + " --target nope --out " + model);
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  EXPECT_TRUE(contains(bad.err, "cimnet predictor: ")) << bad.err;
}

}  // namespace
}  // namespace cimnet
