// cimnet predictor: fit a cycles or accuracy predictor on a dataset, evaluate a model file on held-out
// data, and draw the learning curve (held-out τ and MAPE against training size).
//
// Data files are `cimnet dataset` CSVs or DyNAS-T measurement CSVs, told apart by their header
// (predict/data_layout.hpp); users name a target and features, never the sub-network or hardware
// columns. Everything random (folds, curve splits) follows --seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/output_lock.hpp"
#include "common/row_writer.hpp"
#include "common/text.hpp"
#include "predict/cross_validation.hpp"
#include "predict/data_layout.hpp"
#include "predict/encoding.hpp"
#include "predict/learning_curve.hpp"
#include "predict/model_selection.hpp"
#include "predict/predictor_io.hpp"
#include "predict/training_data.hpp"

namespace cimnet::cli {
namespace {

const std::vector<std::string> kActions = {"fit", "eval", "curve"};

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// Four significant digits: RMSE is in the target's unit, which may be cycles or percent.
std::string significant(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// The data files of one command, read and checked to be of one format.
struct DataFiles {
  std::vector<CsvTable> tables;
  std::vector<DataLayout> layouts;
};

DataFiles read_data_files(const std::vector<std::string>& paths) {
  DataFiles files;
  for (const auto& path : paths) {
    files.tables.push_back(read_csv(path, CsvComments::leading));
    files.layouts.push_back(detect_layout(files.tables.back()));
    if (files.layouts.back().format != files.layouts.front().format) {
      throw InputError(path + ": is a " + to_string(files.layouts.back().format) + " file, " + paths.front() +
                       " a " + to_string(files.layouts.front().format) + " file; give files of one kind");
    }
  }
  return files;
}

// The search space and hardware space a command works in.
struct Spaces {
  std::unique_ptr<SearchSpace> space;
  HardwareSpace hardware;
};

// Space: --space, else the one the data names, else the scenario's. Space options (resolutions) and
// the hardware space come from the scenario (--scenario or the embedded default).
Spaces resolve_spaces(const po::variables_map& vm, const std::string& data_space) {
  const Scenario scenario = scenario_from(vm);
  std::string name = scenario.space;
  if (vm.count("space")) {
    name = vm["space"].as<std::string>();
  } else if (!data_space.empty()) {
    name = data_space;
  }
  Spaces s;
  s.space = make_space(name, name == scenario.space ? scenario.space_options : SpaceOptions{});
  s.hardware = scenario.hardware;
  return s;
}

std::string data_space_of(const DataFiles& files) {
  for (const auto& l : files.layouts) {
    if (!l.space_name.empty()) return l.space_name;
  }
  return "";
}

// Reads every file's points with the columns an encoding and target need.
TrainingData read_points(const DataFiles& files, const SearchSpace& space, const HardwareSpace& hardware,
                         const EncodingSpec& encoding, const std::string& target) {
  TrainingData all;
  for (std::size_t f = 0; f < files.tables.size(); ++f) {
    const TrainingColumns columns = training_columns(files.tables[f], files.layouts[f], encoding, target);
    append(all, read_training_table(files.tables[f], space, columns, encoding.hardware ? &hardware : nullptr));
  }
  return all;
}

std::string describe_read(const std::vector<std::string>& paths, const TrainingData& data) {
  std::string s = "read " + std::to_string(data.size()) + " points from " + join(paths, ", ");
  if (data.skipped) s += " (skipped " + std::to_string(data.skipped) + " rows whose status is not ok)";
  return s;
}

// Options shared by fit and curve: what to learn and how to select the model.
void add_learning_options(po::options_description& options) {
  options.add_options()
      ("data", po::value<std::vector<std::string>>()->required()->composing(),
       "training CSV: a cimnet dataset or a DyNAS-T measurement file (repeat for several files)")
      ("target", po::value<std::string>()->required(), "cycles, accuracy, or any numeric column")
      ("model", po::value<std::string>()->default_value("auto"), "ridge, svr, or auto (the better by cross-validation)")
      ("transform", po::value<std::string>(),
       "target transform: none, log, or auto (both; default: log for cycles/latency/energy, none otherwise)")
      ("features", po::value<std::string>(),
       "extra features, comma-separated: hardware, log_macs, analytical, COLUMN, ln(COLUMN), or none "
       "(default: hardware when the file has hardware columns, and log_macs)")
      ("metric", po::value<std::string>()->default_value("tau"), "model selection metric: tau or mape")
      ("folds", po::value<int>()->default_value(5), "cross-validation folds")
      ("seed", po::value<long long>()->default_value(1), "seed of the folds (and of the curve's splits)")
      ("space", po::value<std::string>(), "search space (default: the data's, else the scenario's)")
      ("scenario", po::value<std::string>(), "scenario file: space options and hardware choices (default: embedded)");
}

struct Learning {
  std::vector<std::string> paths;
  std::string target;  // as given
  EncodingSpec encoding;
  SelectionOptions selection;
};

Learning learning_from(const po::variables_map& vm, const DataLayout& layout) {
  Learning l;
  l.paths = vm["data"].as<std::vector<std::string>>();
  l.target = vm["target"].as<std::string>();
  l.encoding = vm.count("features") ? parse_feature_list(vm["features"].as<std::string>()) : default_features(layout);
  const std::string model = checked_choice("model", vm["model"].as<std::string>(), {"ridge", "svr", "auto"});
  if (model != "auto") l.selection.kinds = {model_kind_from_string(model)};
  const std::string transform =
      vm.count("transform") ? checked_choice("transform", vm["transform"].as<std::string>(), {"none", "log", "auto"})
                            : to_string(recommended_transform(canonical_target(l.target)));
  if (transform != "auto") l.selection.transforms = {target_transform_from_string(transform)};
  l.selection.metric = cv_metric_from_string(checked_choice("metric", vm["metric"].as<std::string>(), {"tau", "mape"}));
  l.selection.folds = vm["folds"].as<int>();
  if (l.selection.folds < 2) throw InputError("--folds must be at least 2, got " + std::to_string(l.selection.folds));
  const long long seed = vm["seed"].as<long long>();
  if (seed < 0) throw InputError("--seed must not be negative, got " + std::to_string(seed));
  l.selection.seed = static_cast<std::uint64_t>(seed);
  return l;
}

void print_metrics_table(const std::vector<std::pair<std::string, Metrics>>& rows, std::ostream& out) {
  Table table({"", ">points", ">Kendall tau", ">Spearman rho", ">Pearson r", ">MAPE %", ">RMSE"});
  for (const auto& [name, m] : rows) {
    table.add_row({name, std::to_string(m.samples), fixed(m.kendall_tau, 4), fixed(m.spearman_rho, 4),
                   fixed(m.pearson_r, 4), fixed(m.mape, 3), significant(m.rmse)});
  }
  table.print(out);
}

// ---------------------------------------------------------------------------------------------- fit

int run_fit(const Args& args) {
  po::options_description options("options");
  add_learning_options(options);
  options.add_options()
      ("out,o", po::value<std::string>()->required(), "model file to write (JSON)")
      ("provenance", po::value<std::string>(), "text stored in the model: where the data came from, licence");
  const auto vm = parse_options("predictor fit",
                                "--data FILE --target cycles|accuracy|COLUMN [--model ridge|svr|auto] "
                                "[--features LIST] [--space S | --scenario F] [--seed S] [--folds K] --out MODEL",
                                options, args);
  // Claimed before any work: a second writer, a missing or read-only folder show here.
  const OutputLock lock = OutputLock::for_file(vm["out"].as<std::string>());
  const auto files = read_data_files(vm["data"].as<std::vector<std::string>>());
  const Learning l = learning_from(vm, files.layouts.front());
  const Spaces spaces = resolve_spaces(vm, data_space_of(files));
  const TrainingData all = read_points(files, *spaces.space, spaces.hardware, l.encoding, l.target);
  const TrainingData unique = deduplicate(all);
  std::cout << describe_read(l.paths, all) << "; " << unique.size() << " distinct (repeats averaged)\n";

  const Encoder encoder(*spaces.space, l.encoding, l.encoding.hardware ? &spaces.hardware : nullptr);
  const Eigen::MatrixXd x = encode(encoder, unique);
  std::string provenance = vm.count("provenance") ? vm["provenance"].as<std::string>() + ". " : "";
  provenance += "Fitted by: cimnet predictor fit " + join(args, " ") + " (" + std::to_string(all.size()) + " points, " +
                std::to_string(unique.size()) + " distinct, from " + join(l.paths, ", ") + ")";
  const Predictor p = fit_predictor(encoder, x, unique.target, l.selection, canonical_target(l.target), provenance);
  save_predictor(p, vm["out"].as<std::string>());

  std::cout << "space " << p.space << ", target " << p.target << ", " << p.feature_count() << " features\n"
            << "chosen: " << p.config.describe() << " (best of " << p.cv->candidates.size() << " candidates by "
            << (p.cv->metric == CvMetric::kendall_tau ? "Kendall tau" : "MAPE") << ")\n"
            << p.cv->folds << "-fold cross-validation, seed " << p.cv->seed << ", out-of-fold:\n";
  print_metrics_table({{"cv", p.cv->metrics}}, std::cout);
  std::cout << "wrote " << vm["out"].as<std::string>() << '\n';
  return 0;
}

// --------------------------------------------------------------------------------------------- eval

int run_eval(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("model,m", po::value<std::string>()->required(), "model file written by 'cimnet predictor fit'")
      ("data", po::value<std::vector<std::string>>()->required()->composing(),
       "held-out CSV (a cimnet dataset or a DyNAS-T file; repeat for several)")
      ("scatter", po::value<std::string>(), "write actual and predicted values per point to this CSV")
      ("scenario", po::value<std::string>(), "scenario file: space options and hardware choices (default: embedded)")
      ("format", po::value<std::string>()->default_value("table"), "output: table or json");
  const auto vm = parse_options("predictor eval", "--model MODEL --data FILE [--scatter OUT.csv] [--format F]",
                                options, args);
  const std::string format = checked_choice("format", vm["format"].as<std::string>(), {"table", "json"});
  std::optional<OutputLock> scatter_lock;
  if (vm.count("scatter")) scatter_lock.emplace(OutputLock::for_file(vm["scatter"].as<std::string>()));
  const std::string model_path = vm["model"].as<std::string>();
  const Predictor p = load_predictor(model_path);
  const auto paths = vm["data"].as<std::vector<std::string>>();
  const auto files = read_data_files(paths);
  const Scenario scenario = scenario_from(vm);
  const auto space = make_space(p.space, p.space == scenario.space ? scenario.space_options : SpaceOptions{});
  const Encoder encoder(*space, p.encoding, p.encoding.hardware ? &scenario.hardware : nullptr);
  p.check_compatible(encoder, model_path);
  const TrainingData data = read_points(files, *space, scenario.hardware, p.encoding, p.target);
  if (data.size() == 0) throw InputError(join(paths, ", ") + ": no points to evaluate");
  const Eigen::VectorXd predicted = p.predict(encode(encoder, data));
  check_finite_predictions(predicted, model_path);
  const Metrics m = evaluate(data.target, predicted);

  if (vm.count("scatter")) {
    const std::string path = vm["scatter"].as<std::string>();
    Table scatter({"source", "arch", "actual", "predicted", "error_pct"});
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      const double actual = data.target[k];
      const double error = actual != 0 ? 100.0 * (predicted[k] - actual) / std::fabs(actual) : 0.0;
      scatter.add_row({data.origin[i], space->format(data.genomes[i]), format_number(actual),
                       format_number(predicted[k]), format_number(error)});
    }
    std::ostringstream out;
    scatter.print_csv(out);
    replace_file_atomically(path, out.str());
  }

  if (format == "json") {
    nlohmann::json j = {{"model", model_path},          {"space", p.space},
                        {"target", p.target},           {"data", paths},
                        {"skipped", data.skipped},      {"samples", m.samples},
                        {"kendall_tau", m.kendall_tau}, {"spearman_rho", m.spearman_rho},
                        {"pearson_r", m.pearson_r},     {"mape", m.mape},
                        {"rmse", m.rmse}};
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  std::cout << "model " << model_path << ": space " << p.space << ", target " << p.target << ", "
            << p.config.describe() << '\n'
            << describe_read(paths, data) << '\n';
  std::vector<std::pair<std::string, Metrics>> rows = {{"held-out", m}};
  if (p.cv) rows.emplace_back("model cv", p.cv->metrics);
  print_metrics_table(rows, std::cout);
  if (vm.count("scatter")) std::cout << "wrote " << vm["scatter"].as<std::string>() << '\n';
  return 0;
}

// -------------------------------------------------------------------------------------------- curve

// The sizes as given (in any order); check_learning_curve rejects a size below 2 or given twice.
std::vector<std::size_t> parse_sizes(const std::string& text) {
  std::vector<std::size_t> sizes;
  for (const auto& word : split(text, ',')) {
    const long long v = parse_integer(trim(word), "--sizes");
    if (v < 2) throw InputError("--sizes: every training size must be at least 2, got " + std::to_string(v));
    sizes.push_back(static_cast<std::size_t>(v));
  }
  return sizes;
}

void write_curve_csv(const LearningCurve& curve, const std::string& path) {
  Table csv({"train_size", "repeats", "test_size", "tau_mean", "tau_sd", "mape_mean", "mape_sd", "rmse_mean",
             "rmse_sd"});
  for (const auto& point : curve.points) {
    csv.add_row({std::to_string(point.train_size), std::to_string(curve.repeats), std::to_string(curve.test_size),
                 format_number(point.tau.mean), format_number(point.tau.sd), format_number(point.mape.mean),
                 format_number(point.mape.sd), format_number(point.rmse.mean), format_number(point.rmse.sd)});
  }
  std::ostringstream text;
  csv.print_csv(text);
  replace_file_atomically(path, text.str());
}

int run_curve(const Args& args) {
  po::options_description options("options");
  add_learning_options(options);
  options.add_options()
      ("sizes", po::value<std::string>()->required(), "training sizes, comma-separated (e.g. 50,100,200,500,1000)")
      ("repeats", po::value<int>()->default_value(5), "random splits per size; the curve shows mean and sd")
      ("test-fraction", po::value<double>()->default_value(0.2), "share of the distinct points held out for testing")
      ("out,o", po::value<std::string>(), "also write the curve as CSV");
  const auto vm = parse_options("predictor curve",
                                "--data FILE --target T --sizes N1,N2,... [--repeats R] [--test-fraction F] "
                                "[--model M] [--features LIST] [--out CURVE.csv]",
                                options, args);
  LearningCurveOptions curve_options;
  curve_options.sizes = parse_sizes(vm["sizes"].as<std::string>());
  curve_options.repeats = vm["repeats"].as<int>();
  curve_options.test_fraction = vm["test-fraction"].as<double>();
  check_learning_curve(curve_options);
  // Claimed before any fit: a second writer, a missing or read-only folder show here, not after the work.
  std::optional<OutputLock> lock;
  if (vm.count("out")) lock.emplace(OutputLock::for_file(vm["out"].as<std::string>()));

  const auto files = read_data_files(vm["data"].as<std::vector<std::string>>());
  const Learning l = learning_from(vm, files.layouts.front());
  curve_options.selection = l.selection;
  const Spaces spaces = resolve_spaces(vm, data_space_of(files));
  const TrainingData all = read_points(files, *spaces.space, spaces.hardware, l.encoding, l.target);
  // Distinct points only: a repeat in both training and test set would flatter the curve.
  const TrainingData unique = deduplicate(all);
  check_learning_curve(curve_options, unique.size());
  std::cout << describe_read(l.paths, all) << "; " << unique.size() << " distinct, "
            << curve_test_size(unique.size(), curve_options.test_fraction) << " held out per repeat\n";
  const Encoder encoder(*spaces.space, l.encoding, l.encoding.hardware ? &spaces.hardware : nullptr);

  const LearningCurve curve =
      learning_curve(encode(encoder, unique), unique.target, curve_options, [&](const LearningCurveFit& fit) {
        std::cerr << "size " << fit.train_size << ", repeat " << fit.repeat << "/" << curve_options.repeats << ": "
                  << fit.chosen.describe() << ", held-out tau " << fixed(fit.held_out.kendall_tau, 4) << ", MAPE "
                  << fixed(fit.held_out.mape, 3) << " %\n";
      });

  Table table({">train", ">repeats", ">tau mean", ">tau sd", ">MAPE % mean", ">MAPE % sd", ">RMSE mean", ">RMSE sd"});
  for (const auto& point : curve.points) {
    table.add_row({std::to_string(point.train_size), std::to_string(curve.repeats), fixed(point.tau.mean, 4),
                   fixed(point.tau.sd, 4), fixed(point.mape.mean, 3), fixed(point.mape.sd, 3),
                   significant(point.rmse.mean), significant(point.rmse.sd)});
  }
  std::cout << "learning curve on " << curve.test_size << " held-out points (" << curve.repeats
            << " random splits, seed " << curve.seed << "):\n";
  table.print(std::cout);
  if (vm.count("out")) {
    write_curve_csv(curve, vm["out"].as<std::string>());
    std::cout << "wrote " << vm["out"].as<std::string>() << '\n';
  }
  return 0;
}

std::string overview() {
  return "usage: cimnet predictor <action> [options]   (cimnet predictor <action> --help for its options)\n\n"
         "Predictors of cycles and accuracy (docs/predictors.md).\n\n"
         "actions:\n"
         "  fit     select a model by cross-validation on a dataset and write it to a model file\n"
         "  eval    score a model file on held-out data (Kendall tau, Spearman rho, Pearson r, MAPE, RMSE)\n"
         "  curve   learning curve: held-out tau and MAPE against training size\n";
}

}  // namespace

int run_predictor(const Args& args) {
  if (args.empty()) throw InputError("no action given; actions: " + join(kActions, ", ") + " (see 'cimnet predictor --help')");
  const std::string& action = args.front();
  if (action == "--help" || action == "-h" || action == "help") {
    if (args.size() > 1) throw InputError("unexpected argument '" + args[1] + "' after " + action);
    throw HelpRequested{overview()};
  }
  const Args rest(args.begin() + 1, args.end());
  if (action == "fit") return run_fit(rest);
  if (action == "eval") return run_eval(rest);
  if (action == "curve") return run_curve(rest);
  throw InputError("unknown action '" + action + "'" + did_you_mean(action, kActions) + "; actions: " +
                   join(kActions, ", "));
}

}  // namespace cimnet::cli
