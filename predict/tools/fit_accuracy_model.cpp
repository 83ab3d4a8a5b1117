// Fits the shipped OFA-MobileNetV3 accuracy model (data/accuracy/ofa-mbv3-w10.json) from DyNAS-T's
// measured sub-networks in the shared data directory, so that the file can be reproduced exactly.
//
//   fit_accuracy_model [--data DIR] [--out FILE] [--model ridge|svr|auto] [--no-log-macs] [--seed S]
//
// Default model: ridge. SVR cross-validates slightly better (see data/accuracy/README.md) but needs
// ~1300 support vectors: a 1.6 MB file and ~100x slower predictions, for a gain within the
// measurement noise.
// DIR holds the four mbnv3w10_*.csv files (default: ../shared/data/ofa-mbv3-imagenet beside the source
// tree). Rows are deduplicated by canonical genome (repeats averaged), the target is top-1 accuracy
// in percent, the features are the masked one-hot of the architecture (no hardware) plus ln MACs.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"
#include "predict/encoding.hpp"
#include "predict/model_selection.hpp"
#include "predict/predictor_io.hpp"
#include "predict/training_data.hpp"

namespace {

const char* const kFiles[] = {"mbnv3w10_evoga_acc.csv", "mbnv3w10_evonsga2_acc_macs.csv", "mbnv3w10_linasga_acc.csv",
                              "mbnv3w10_linasnsga2_acc_macs.csv"};

int run(int argc, char** argv) {
  namespace fs = std::filesystem;
  fs::path data = fs::path(CIMNET_SOURCE_DIR) / ".." / "shared" / "data" / "ofa-mbv3-imagenet";
  std::string out;
  std::string model = "ridge";
  bool log_macs = true;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw cimnet::InputError(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--data") {
      data = value();
    } else if (arg == "--out") {
      out = value();
    } else if (arg == "--model") {
      model = value();
    } else if (arg == "--no-log-macs") {
      log_macs = false;
    } else if (arg == "--seed") {
      seed = static_cast<std::uint64_t>(cimnet::parse_integer(value(), "--seed"));
    } else {
      throw cimnet::InputError("unknown argument '" + arg + "' (see the comment at the top of fit_accuracy_model.cpp)");
    }
  }

  const auto space = cimnet::make_space("ofa-mbv3");
  cimnet::TrainingColumns columns;
  columns.target = "Top-1 Acc (%)";
  cimnet::TrainingData all;
  std::vector<cimnet::TrainingData> runs;
  for (const char* file : kFiles) {
    runs.push_back(cimnet::deduplicate(cimnet::read_training_data((data / file).string(), *space, columns)));
    cimnet::append(all, cimnet::read_training_data((data / file).string(), *space, columns));
  }
  const cimnet::TrainingData unique = cimnet::deduplicate(all);
  std::cerr << "read " << all.size() << " rows, " << unique.size() << " unique sub-networks\n";

  cimnet::EncodingSpec spec;
  spec.log_macs = log_macs;
  const cimnet::Encoder encoder(*space, spec);
  const Eigen::MatrixXd x = cimnet::encode(encoder, unique);

  cimnet::SelectionOptions options;
  options.seed = seed;
  options.metric = cimnet::CvMetric::kendall_tau;
  // Top-1 is a percentage in a narrow band: a log target changes nothing but the cost.
  options.transforms = {cimnet::TargetTransform::none};
  if (model != "auto") options.kinds = {cimnet::model_kind_from_string(model)};

  std::string command = "fit_accuracy_model";
  if (model != "ridge") command += " --model " + model;
  if (!log_macs) command += " --no-log-macs";
  if (seed != 1) command += " --seed " + std::to_string(seed);
  const std::string provenance =
      "Top-1 ImageNet accuracy of OFA-MobileNetV3-w1.0 sub-networks at 224 px measured by Intel Labs' DyNAS-T "
      "(IntelLabs/DyNAS-T notebooks/data, commit b2fc0222b9e95acedbdef05cbd8c415d4cce6158, Apache-2.0): " +
      std::to_string(all.size()) + " rows of the four mbnv3w10_*.csv files, " + std::to_string(unique.size()) +
      " unique sub-networks (repeats averaged). Fitted by: " + command;
  const cimnet::Predictor p = cimnet::fit_predictor(encoder, x, unique.target, options, "top1", provenance);

  for (const auto& c : p.cv->candidates) {
    std::fprintf(stderr, "  %-60s tau %.4f  MAPE %.3f%%  RMSE %.3f\n", c.config.describe().c_str(),
                 c.metrics.kendall_tau, c.metrics.mape, c.metrics.rmse);
  }
  const auto& m = p.cv->metrics;
  std::printf("chosen: %s\n%d-fold CV (seed %llu) on %zu points: Kendall tau %.4f, Spearman rho %.4f, Pearson r %.4f, "
              "MAPE %.4f %%, RMSE %.4f\n",
              p.config.describe().c_str(), p.cv->folds, static_cast<unsigned long long>(p.cv->seed), m.samples,
              m.kendall_tau, m.spearman_rho, m.pearson_r, m.mape, m.rmse);
  // A harder check than random folds: each search run concentrates around its own trajectory, so
  // predict every run from a model of the other three (points also present there excluded).
  for (std::size_t r = 0; r < runs.size(); ++r) {
    cimnet::TrainingData train;
    for (std::size_t o = 0; o < runs.size(); ++o) {
      if (o != r) cimnet::append(train, runs[o]);
    }
    train = cimnet::deduplicate(train);
    std::set<cimnet::Genome> seen(train.genomes.begin(), train.genomes.end());
    std::vector<cimnet::Genome> test_genomes;
    std::vector<double> test_y;
    for (std::size_t i = 0; i < runs[r].size(); ++i) {
      if (seen.count(runs[r].genomes[i])) continue;
      test_genomes.push_back(runs[r].genomes[i]);
      test_y.push_back(runs[r].target[static_cast<Eigen::Index>(i)]);
    }
    const cimnet::Predictor held = cimnet::train(cimnet::encode(encoder, train), train.target, p.config);
    const Eigen::VectorXd truth = Eigen::Map<const Eigen::VectorXd>(test_y.data(), static_cast<Eigen::Index>(test_y.size()));
    const cimnet::Metrics h = cimnet::evaluate(truth, held.predict(encoder.encode(test_genomes)));
    std::printf("held-out run %s (%zu new points, trained on %zu): Kendall tau %.4f, MAPE %.4f %%, RMSE %.4f\n",
                kFiles[r], h.samples, train.size(), h.kendall_tau, h.mape, h.rmse);
  }
  if (!out.empty()) {
    cimnet::save_predictor(p, out);
    std::printf("wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const cimnet::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 1;
  }
}
