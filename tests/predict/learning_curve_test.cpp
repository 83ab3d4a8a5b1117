// The learning-curve experiment (predict/learning_curve.hpp): the same splits and fits as written out
// by hand, nested training sets, and the option checks that run before any fit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/random.hpp"
#include "predict/learning_curve.hpp"
#include "predict/predictor.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

// y = 3·x0 − 2·x1 + noise, 60 points.
struct Data {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

Data noisy_plane() {
  Rng rng(5);
  Data d{Eigen::MatrixXd(60, 2), Eigen::VectorXd(60)};
  for (Eigen::Index i = 0; i < 60; ++i) {
    d.x(i, 0) = rng.uniform01();
    d.x(i, 1) = rng.uniform01();
    d.y[i] = 3 * d.x(i, 0) - 2 * d.x(i, 1) + 0.1 * rng.uniform01();
  }
  return d;
}

LearningCurveOptions ridge_options() {
  LearningCurveOptions o;
  o.sizes = {30, 10};  // any order: the curve is by ascending size
  o.repeats = 3;
  o.test_fraction = 0.25;
  o.selection.kinds = {ModelKind::ridge};
  o.selection.transforms = {TargetTransform::none};
  o.selection.folds = 5;
  o.selection.seed = 9;
  return o;
}

// What `cimnet predictor curve` computed before the experiment moved into this library, written out:
// per repeat one Fisher–Yates order from one generator, the first 15 held out, the next s trained on.
TEST(LearningCurve, SameSplitsAndFitsAsWrittenOutByHand) {
  const Data d = noisy_plane();
  const LearningCurveOptions o = ridge_options();
  std::vector<std::pair<std::size_t, int>> fits;
  const LearningCurve curve = learning_curve(d.x, d.y, o, [&](const LearningCurveFit& f) {
    fits.emplace_back(f.train_size, f.repeat);
  });
  EXPECT_EQ(curve.distinct, 60u);
  EXPECT_EQ(curve.test_size, 15u);
  EXPECT_EQ(curve.repeats, 3);
  EXPECT_EQ(curve.seed, 9u);
  ASSERT_EQ(curve.points.size(), 2u);
  EXPECT_EQ(curve.points[0].train_size, 10u);
  EXPECT_EQ(curve.points[1].train_size, 30u);
  EXPECT_EQ(fits, (std::vector<std::pair<std::size_t, int>>{{10, 1}, {30, 1}, {10, 2}, {30, 2}, {10, 3}, {30, 3}}));

  Rng rng(9);
  for (int r = 0; r < 3; ++r) {
    std::vector<std::size_t> perm(60);
    for (std::size_t i = 0; i < 60; ++i) perm[i] = i;
    for (std::size_t i = 60; i > 1; --i) std::swap(perm[i - 1], perm[rng.uniform_int(i)]);
    Eigen::MatrixXd x_test(15, 2);
    Eigen::VectorXd y_test(15);
    for (Eigen::Index i = 0; i < 15; ++i) {
      x_test.row(i) = d.x.row(static_cast<Eigen::Index>(perm[static_cast<std::size_t>(i)]));
      y_test[i] = d.y[static_cast<Eigen::Index>(perm[static_cast<std::size_t>(i)])];
    }
    for (std::size_t p = 0; p < 2; ++p) {
      const std::size_t s = curve.points[p].train_size;
      Eigen::MatrixXd x_train(static_cast<Eigen::Index>(s), 2);
      Eigen::VectorXd y_train(static_cast<Eigen::Index>(s));
      for (std::size_t i = 0; i < s; ++i) {
        x_train.row(static_cast<Eigen::Index>(i)) = d.x.row(static_cast<Eigen::Index>(perm[15 + i]));
        y_train[static_cast<Eigen::Index>(i)] = d.y[static_cast<Eigen::Index>(perm[15 + i])];
      }
      ModelConfig best;
      select_model(x_train, y_train, o.selection, best);
      const Metrics m = evaluate(y_test, train(x_train, y_train, best).predict(x_test));
      const Metrics& got = curve.points[p].runs.at(static_cast<std::size_t>(r));
      EXPECT_EQ(got.kendall_tau, m.kendall_tau) << s << " " << r;
      EXPECT_EQ(got.mape, m.mape) << s << " " << r;
      EXPECT_EQ(got.rmse, m.rmse) << s << " " << r;
    }
  }
  // Mean and sample standard deviation over the repeats.
  for (const auto& point : curve.points) {
    double sum = 0;
    for (const auto& m : point.runs) sum += m.kendall_tau;
    const double mean = sum / 3;
    double ss = 0;
    for (const auto& m : point.runs) ss += (m.kendall_tau - mean) * (m.kendall_tau - mean);
    EXPECT_DOUBLE_EQ(point.tau.mean, mean);
    EXPECT_DOUBLE_EQ(point.tau.sd, std::sqrt(ss / 2));
  }
  EXPECT_GT(curve.points[1].tau.mean, 0.8);
}

// Issue 12, defect 12: --sizes 10,10 was accepted (and silently folded into one row).
TEST(LearningCurve, OptionsAreCheckedBeforeAnyFit) {
  LearningCurveOptions o = ridge_options();
  o.sizes = {10, 20, 10};
  EXPECT_EQ(test::input_error([&] { check_learning_curve(o); }), "--sizes: training size 10 is given twice");
  o.sizes = {1};
  EXPECT_EQ(test::input_error([&] { check_learning_curve(o); }),
            "--sizes: every training size must be at least 2, got 1");
  o.sizes = {10};
  o.repeats = 0;
  EXPECT_EQ(test::input_error([&] { check_learning_curve(o); }), "--repeats must be at least 1, got 0");
  o.repeats = 1;
  o.test_fraction = 1;
  EXPECT_EQ(test::input_error([&] { check_learning_curve(o); }), "--test-fraction must lie strictly between 0 and 1");
  o.test_fraction = 0.25;
  o.sizes = {46};
  EXPECT_EQ(test::input_error([&] { check_learning_curve(o, 60); }),
            "--sizes: training size 46 needs more points than the 45 left after holding out 15 of the 60 distinct "
            "points (test fraction 0.25)");
  o.sizes = {45};
  EXPECT_NO_THROW(check_learning_curve(o, 60));
  const Data d = noisy_plane();
  bool fitted = false;
  o.sizes = {10, 10};
  EXPECT_THROW(learning_curve(d.x, d.y, o, [&](const LearningCurveFit&) { fitted = true; }), InputError);
  EXPECT_FALSE(fitted);
}

TEST(LearningCurve, CurveTestSize) {
  EXPECT_EQ(curve_test_size(60, 0.25), 15u);
  EXPECT_EQ(curve_test_size(3, 0.1), 1u);  // at least one
  EXPECT_EQ(curve_test_size(330, 0.2), 66u);
}

}  // namespace
}  // namespace cimnet
