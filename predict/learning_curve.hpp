#pragma once
// The learning curve of a predictor: held-out quality (Kendall τ, MAPE, RMSE) against the size of its
// training set, over several random splits — how much data a predictor needs (`cimnet predictor curve`).
//
// Each repeat draws one random order of the distinct points (one generator seeded by
// selection.seed, drawn on across repeats); its first test_size points are held out, and the training
// set of size s is the next s points. Training sets are nested (a larger size only adds points), so the
// curve measures the value of more data, not of another draw. Every fit selects its model by
// cross-validation (selection options, with the folds capped at the training size).
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "predict/metrics.hpp"
#include "predict/model_config.hpp"
#include "predict/model_selection.hpp"

namespace cimnet {

struct LearningCurveOptions {
  std::vector<std::size_t> sizes;  // training sizes: each at least 2, no size twice (any order)
  int repeats = 5;                 // random splits per size
  double test_fraction = 0.2;      // share of the distinct points held out, strictly between 0 and 1
  SelectionOptions selection;
};

// Points held out of n distinct points: round(fraction · n), at least 1.
std::size_t curve_test_size(std::size_t n, double test_fraction);

// InputError (in the command line's terms: --sizes, --repeats, --test-fraction) for a size below 2 or
// given twice, fewer than one repeat, a fraction outside (0, 1); and, when `n` > 0 distinct points are
// known, a size larger than the points left after holding out. Cheap: call it before any work.
void check_learning_curve(const LearningCurveOptions& options, std::size_t n = 0);

// One fit of the curve, as it finishes (for progress reports).
struct LearningCurveFit {
  std::size_t train_size = 0;
  int repeat = 0;  // 1-based
  ModelConfig chosen;
  Metrics held_out;
};

struct MeanSd {
  double mean = 0;
  double sd = 0;  // sample standard deviation; 0 for a single value
};
MeanSd mean_sd(const std::vector<double>& values);

struct LearningCurvePoint {
  std::size_t train_size = 0;
  std::vector<Metrics> runs;  // one per repeat
  MeanSd tau, mape, rmse;
};

struct LearningCurve {
  std::size_t distinct = 0;   // points the curve was drawn from
  std::size_t test_size = 0;  // held out per repeat
  int repeats = 0;
  std::uint64_t seed = 0;
  std::vector<LearningCurvePoint> points;  // by ascending training size
};

// The curve on distinct points (rows of x, targets y). Checks the options first (check_learning_curve).
LearningCurve learning_curve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const LearningCurveOptions& options,
                             const std::function<void(const LearningCurveFit&)>& on_fit = {});

}  // namespace cimnet
