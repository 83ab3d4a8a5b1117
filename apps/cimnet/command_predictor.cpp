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
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/random.hpp"
#include "common/text.hpp"
#include "predict/cross_validation.hpp"
#include "predict/data_layout.hpp"
#include "predict/encoding.hpp"
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
  const Metrics m = evaluate(data.target, predicted);

  if (vm.count("scatter")) {
    const std::string path = vm["scatter"].as<std::string>();
    std::ofstream out(path, std::ios::binary);
    if (!out) throw InputError(path + ": cannot write the scatter file");
    Table scatter({"source", "arch", "actual", "predicted", "error_pct"});
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      const double actual = data.target[k];
      const double error = actual != 0 ? 100.0 * (predicted[k] - actual) / std::fabs(actual) : 0.0;
      scatter.add_row({data.origin[i], space->format(data.genomes[i]), format_number(actual),
                       format_number(predicted[k]), format_number(error)});
    }
    scatter.print_csv(out);
    if (!out) throw InputError(path + ": cannot write the scatter file");
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

std::vector<std::size_t> parse_sizes(const std::string& text) {
  std::vector<std::size_t> sizes;
  for (const auto& word : split(text, ',')) {
    const long long v = parse_integer(trim(word), "--sizes");
    if (v < 2) throw InputError("--sizes: every training size must be at least 2, got " + std::to_string(v));
    sizes.push_back(static_cast<std::size_t>(v));
  }
  if (sizes.empty()) throw InputError("--sizes: no sizes given");
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

Eigen::MatrixXd rows_of(const Eigen::MatrixXd& x, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(rows[i]));
  return out;
}

Eigen::VectorXd rows_of(const Eigen::VectorXd& y, const std::vector<std::size_t>& rows) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) out[static_cast<Eigen::Index>(i)] = y[static_cast<Eigen::Index>(rows[i])];
  return out;
}

// Mean and sample standard deviation (0 for a single value).
std::pair<double, double> mean_sd(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
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
  const auto sizes = parse_sizes(vm["sizes"].as<std::string>());
  const int repeats = vm["repeats"].as<int>();
  if (repeats < 1) throw InputError("--repeats must be at least 1, got " + std::to_string(repeats));
  const double fraction = vm["test-fraction"].as<double>();
  if (!(fraction > 0 && fraction < 1)) throw InputError("--test-fraction must lie strictly between 0 and 1");

  const auto files = read_data_files(vm["data"].as<std::vector<std::string>>());
  const Learning l = learning_from(vm, files.layouts.front());
  const Spaces spaces = resolve_spaces(vm, data_space_of(files));
  const TrainingData all = read_points(files, *spaces.space, spaces.hardware, l.encoding, l.target);
  // Distinct points only: a repeat in both training and test set would flatter the curve.
  const TrainingData unique = deduplicate(all);
  const std::size_t n = unique.size();
  const auto test_n = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))));
  const std::size_t pool_n = n > test_n ? n - test_n : 0;
  if (sizes.back() > pool_n) {
    throw InputError("--sizes: training size " + std::to_string(sizes.back()) + " needs more points than the " +
                     std::to_string(pool_n) + " left after holding out " + std::to_string(test_n) + " of the " +
                     std::to_string(n) + " distinct points (test fraction " + format_number(fraction) + ")");
  }
  std::cout << describe_read(l.paths, all) << "; " << n << " distinct, " << test_n << " held out per repeat\n";
  const Encoder encoder(*spaces.space, l.encoding, l.encoding.hardware ? &spaces.hardware : nullptr);
  const Eigen::MatrixXd x = encode(encoder, unique);

  // results[size][repeat]
  std::vector<std::vector<Metrics>> results(sizes.size());
  Rng rng(l.selection.seed);
  for (int r = 0; r < repeats; ++r) {
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.uniform_int(i)]);  // Fisher–Yates
    const std::vector<std::size_t> test(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(test_n));
    const Eigen::MatrixXd x_test = rows_of(x, test);
    const Eigen::VectorXd y_test = rows_of(unique.target, test);
    for (std::size_t s = 0; s < sizes.size(); ++s) {
      // Nested training sets (the first `size` of the pool): a larger size only adds points, so the
      // curve measures the value of more data, not of another draw.
      const std::vector<std::size_t> train_rows(perm.begin() + static_cast<std::ptrdiff_t>(test_n),
                                           perm.begin() + static_cast<std::ptrdiff_t>(test_n + sizes[s]));
      SelectionOptions selection = l.selection;
      selection.folds = std::min<int>(selection.folds, static_cast<int>(sizes[s]));
      const Eigen::MatrixXd x_train = rows_of(x, train_rows);
      const Eigen::VectorXd y_train = rows_of(unique.target, train_rows);
      ModelConfig best;
      select_model(x_train, y_train, selection, best);
      const Predictor p = train(x_train, y_train, best);
      results[s].push_back(evaluate(y_test, p.predict(x_test)));
      std::cerr << "size " << sizes[s] << ", repeat " << r + 1 << "/" << repeats << ": " << best.describe()
                << ", held-out tau " << fixed(results[s].back().kendall_tau, 4) << ", MAPE "
                << fixed(results[s].back().mape, 3) << " %\n";
    }
  }

  struct Summary {
    std::pair<double, double> tau, mape, rmse;  // mean, sd over the repeats
  };
  std::vector<Summary> summary;
  for (const auto& runs : results) {
    std::vector<double> tau, mape_v, rmse_v;
    for (const auto& m : runs) {
      tau.push_back(m.kendall_tau);
      mape_v.push_back(m.mape);
      rmse_v.push_back(m.rmse);
    }
    summary.push_back({mean_sd(tau), mean_sd(mape_v), mean_sd(rmse_v)});
  }
  Table table({">train", ">repeats", ">tau mean", ">tau sd", ">MAPE % mean", ">MAPE % sd", ">RMSE mean", ">RMSE sd"});
  for (std::size_t s = 0; s < sizes.size(); ++s) {
    const Summary& m = summary[s];
    table.add_row({std::to_string(sizes[s]), std::to_string(repeats), fixed(m.tau.first, 4), fixed(m.tau.second, 4),
                   fixed(m.mape.first, 3), fixed(m.mape.second, 3), significant(m.rmse.first),
                   significant(m.rmse.second)});
  }
  std::cout << "learning curve on " << test_n << " held-out points (" << repeats << " random splits, seed "
            << l.selection.seed << "):\n";
  table.print(std::cout);
  if (vm.count("out")) {
    const std::string path = vm["out"].as<std::string>();
    std::ofstream out(path, std::ios::binary);
    if (!out) throw InputError(path + ": cannot write the curve file");
    Table csv({"train_size", "repeats", "test_size", "tau_mean", "tau_sd", "mape_mean", "mape_sd", "rmse_mean",
               "rmse_sd"});
    for (std::size_t s = 0; s < sizes.size(); ++s) {
      const Summary& m = summary[s];
      csv.add_row({std::to_string(sizes[s]), std::to_string(repeats), std::to_string(test_n),
                   format_number(m.tau.first), format_number(m.tau.second), format_number(m.mape.first),
                   format_number(m.mape.second), format_number(m.rmse.first), format_number(m.rmse.second)});
    }
    csv.print_csv(out);
    if (!out) throw InputError(path + ": cannot write the curve file");
    std::cout << "wrote " << path << '\n';
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
  if (action == "--help" || action == "-h" || action == "help") throw HelpRequested{overview()};
  const Args rest(args.begin() + 1, args.end());
  if (action == "fit") return run_fit(rest);
  if (action == "eval") return run_eval(rest);
  if (action == "curve") return run_curve(rest);
  throw InputError("unknown action '" + action + "'" + did_you_mean(action, kActions) + "; actions: " +
                   join(kActions, ", "));
}

}  // namespace cimnet::cli
