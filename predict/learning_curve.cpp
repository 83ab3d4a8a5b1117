#include "predict/learning_curve.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "common/error.hpp"
#include "common/random.hpp"
#include "common/text.hpp"
#include "predict/predictor.hpp"

namespace cimnet {

namespace {

Eigen::MatrixXd rows_of(const Eigen::MatrixXd& x, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(rows[i]));
  }
  return out;
}

Eigen::VectorXd rows_of(const Eigen::VectorXd& y, const std::vector<std::size_t>& rows) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) out[static_cast<Eigen::Index>(i)] = y[static_cast<Eigen::Index>(rows[i])];
  return out;
}

}  // namespace

std::size_t curve_test_size(std::size_t n, double test_fraction) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(n))));
}

void check_learning_curve(const LearningCurveOptions& options, std::size_t n) {
  if (options.sizes.empty()) throw InputError("--sizes: no sizes given");
  std::vector<std::size_t> sorted = options.sizes;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] < 2) {
      throw InputError("--sizes: every training size must be at least 2, got " + std::to_string(sorted[i]));
    }
    // Silently dropping the repeat would print fewer rows than were asked for.
    if (i > 0 && sorted[i] == sorted[i - 1]) {
      throw InputError("--sizes: training size " + std::to_string(sorted[i]) + " is given twice");
    }
  }
  if (options.repeats < 1) throw InputError("--repeats must be at least 1, got " + std::to_string(options.repeats));
  if (!(options.test_fraction > 0 && options.test_fraction < 1)) {
    throw InputError("--test-fraction must lie strictly between 0 and 1");
  }
  if (n == 0) return;
  const std::size_t test_n = curve_test_size(n, options.test_fraction);
  const std::size_t pool_n = n > test_n ? n - test_n : 0;
  if (sorted.back() > pool_n) {
    throw InputError("--sizes: training size " + std::to_string(sorted.back()) + " needs more points than the " +
                     std::to_string(pool_n) + " left after holding out " + std::to_string(test_n) + " of the " +
                     std::to_string(n) + " distinct points (test fraction " + format_number(options.test_fraction) +
                     ")");
  }
}

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd m;
  if (values.empty()) return m;
  m.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - m.mean) * (v - m.mean);
  m.sd = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
  return m;
}

LearningCurve learning_curve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const LearningCurveOptions& options,
                             const std::function<void(const LearningCurveFit&)>& on_fit) {
  const auto n = static_cast<std::size_t>(x.rows());
  check_learning_curve(options, std::max<std::size_t>(n, 1));
  std::vector<std::size_t> sizes = options.sizes;
  std::sort(sizes.begin(), sizes.end());

  LearningCurve curve;
  curve.distinct = n;
  curve.test_size = curve_test_size(n, options.test_fraction);
  curve.repeats = options.repeats;
  curve.seed = options.selection.seed;
  for (std::size_t s : sizes) curve.points.push_back(LearningCurvePoint{s, {}, {}, {}, {}});

  Rng rng(options.selection.seed);
  const auto test_end = static_cast<std::ptrdiff_t>(curve.test_size);
  for (int r = 0; r < options.repeats; ++r) {
    const std::vector<std::size_t> perm = random_permutation(n, rng);
    const std::vector<std::size_t> test(perm.begin(), perm.begin() + test_end);
    const Eigen::MatrixXd x_test = rows_of(x, test);
    const Eigen::VectorXd y_test = rows_of(y, test);
    for (auto& point : curve.points) {
      const std::vector<std::size_t> train_rows(perm.begin() + test_end,
                                                perm.begin() + test_end + static_cast<std::ptrdiff_t>(point.train_size));
      SelectionOptions selection = options.selection;
      selection.folds = std::min<int>(selection.folds, static_cast<int>(point.train_size));
      const Eigen::MatrixXd x_train = rows_of(x, train_rows);
      const Eigen::VectorXd y_train = rows_of(y, train_rows);
      LearningCurveFit fit;
      fit.train_size = point.train_size;
      fit.repeat = r + 1;
      select_model(x_train, y_train, selection, fit.chosen);
      const Predictor p = train(x_train, y_train, fit.chosen);
      fit.held_out = evaluate(y_test, p.predict(x_test));
      point.runs.push_back(fit.held_out);
      if (on_fit) on_fit(fit);
    }
  }
  for (auto& point : curve.points) {
    std::vector<double> tau, mape_values, rmse_values;
    for (const auto& m : point.runs) {
      tau.push_back(m.kendall_tau);
      mape_values.push_back(m.mape);
      rmse_values.push_back(m.rmse);
    }
    point.tau = mean_sd(tau);
    point.mape = mean_sd(mape_values);
    point.rmse = mean_sd(rmse_values);
  }
  return curve;
}

}  // namespace cimnet
