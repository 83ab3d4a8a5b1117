// Each model recovers a known function; cross-validation is deterministic for a seed.
#include <gtest/gtest.h>

#include <cmath>

#include "common/random.hpp"
#include "predict/cross_validation.hpp"
#include "predict/model_selection.hpp"
#include "predict/predictor.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

Eigen::MatrixXd uniform_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double lo = -1, double hi = 1) {
  Eigen::MatrixXd x(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = lo + (hi - lo) * rng.uniform01();
  }
  return x;
}

TEST(Ridge, RecoversExactLinearCoefficients) {
  Rng rng(1);
  const Eigen::MatrixXd x = uniform_matrix(200, 6, rng, 0, 10);
  Eigen::VectorXd w(6);
  w << 1.5, -2.0, 0.25, 0.0, 3.0, -0.5;
  const Eigen::VectorXd y = (x * w).array() + 7.0;
  for (ScalingMode scaling : {ScalingMode::none, ScalingMode::standard}) {
    ModelConfig config;
    config.alpha = 1e-10;
    config.scaling = scaling;
    const Predictor p = train(x, y, config);
    // Coefficients in the original units: weights × scaling factor.
    const Eigen::VectorXd original = p.ridge.weights.cwiseProduct(p.scaling.factor.transpose());
    EXPECT_LT((original - w).cwiseAbs().maxCoeff(), 1e-8) << to_string(scaling);
    const Eigen::MatrixXd fresh = uniform_matrix(50, 6, rng, 0, 10);
    EXPECT_LT((p.predict(fresh) - ((fresh * w).array() + 7.0).matrix()).cwiseAbs().maxCoeff(), 1e-7);
  }
  // The intercept is not penalised: a huge alpha shrinks the weights, but the mean stays right.
  ModelConfig heavy;
  heavy.alpha = 1e12;
  EXPECT_NEAR(train(x, y, heavy).predict(x).mean(), y.mean(), 1e-6);
}

TEST(Ridge, SelectionPicksASmallAlphaOnNoiselessData) {
  Rng rng(2);
  const Eigen::MatrixXd x = uniform_matrix(100, 4, rng);
  const Eigen::VectorXd y = x * Eigen::Vector4d(1, 2, 3, 4);
  SelectionOptions options;
  options.kinds = {ModelKind::ridge};
  options.transforms = {TargetTransform::none};
  options.metric = CvMetric::mape;
  ModelConfig best;
  const CvReport report = select_model(x, y, options, best);
  EXPECT_EQ(best.alpha, options.ridge_alphas.front());
  EXPECT_EQ(report.candidates.size(), options.ridge_alphas.size());
  EXPECT_GT(report.metrics.kendall_tau, 0.99);
}

TEST(Ridge, LogTransformFitsAMultiplicativeTarget) {
  Rng rng(3);
  const Eigen::MatrixXd x = uniform_matrix(150, 3, rng);
  const Eigen::VectorXd y = (x * Eigen::Vector3d(0.5, -1.0, 2.0)).array().exp() * 1e6;
  ModelConfig config;
  config.alpha = 1e-10;
  config.transform = TargetTransform::log;
  const Predictor p = train(x, y, config);
  EXPECT_LT(mape(y, p.predict(x)), 1e-6);
  Eigen::VectorXd bad = y;
  bad[4] = 0;
  EXPECT_EQ(test::input_error([&] { train(x, bad, config); }), "the log target transform needs targets > 0");
}

TEST(Svr, RecoversASmoothNonlinearFunction) {
  Rng rng(4);
  const auto f = [](const Eigen::MatrixXd& x) {
    return Eigen::VectorXd((x.col(0).array() * 2.0).sin() + x.col(1).array().square());
  };
  const Eigen::MatrixXd x = uniform_matrix(400, 2, rng);
  const Eigen::VectorXd y = f(x);
  ModelConfig config;
  config.kind = ModelKind::svr;
  config.scaling = ScalingMode::minmax;
  config.svr = SvrParams{100.0, 2.0, 0.01};
  const Predictor p = train(x, y, config);
  const Eigen::MatrixXd fresh = uniform_matrix(300, 2, rng, -0.9, 0.9);
  const Metrics m = evaluate(f(fresh), p.predict(fresh));
  EXPECT_LT(m.rmse, 0.03) << "RMSE on a function of spread ~0.8";
  EXPECT_GT(m.kendall_tau, 0.97);
  EXPECT_GT(p.svr.support_vectors.rows(), 0);
}

TEST(Selection, AutoPrefersSvrOnANonlinearTarget) {
  Rng rng(5);
  const Eigen::MatrixXd x = uniform_matrix(150, 2, rng);
  const Eigen::VectorXd y = (3.0 * x.col(0).array()).cos() + x.col(1).array();
  SelectionOptions options;
  options.transforms = {TargetTransform::none};
  options.svr_gamma_factors = {4.0};
  ModelConfig best;
  const CvReport report = select_model(x, y, options, best);
  EXPECT_EQ(best.kind, ModelKind::svr);
  EXPECT_GT(report.metrics.kendall_tau, 0.85);
}

TEST(CrossValidation, FoldsAreBalancedAndDeterministic) {
  const auto a = fold_assignment(103, 5, 42);
  EXPECT_EQ(a, fold_assignment(103, 5, 42));
  EXPECT_NE(a, fold_assignment(103, 5, 43));
  std::vector<int> sizes(5, 0);
  for (int f : a) ++sizes[static_cast<std::size_t>(f)];
  for (int s : sizes) EXPECT_TRUE(s == 20 || s == 21);
  EXPECT_NE(test::input_error([] { fold_assignment(3, 5, 1); }).find("at least as many points"), std::string::npos);
  EXPECT_NE(test::input_error([] { fold_assignment(10, 1, 1); }).find("at least 2 folds"), std::string::npos);
}

TEST(CrossValidation, SameSeedSameScores) {
  Rng rng(6);
  const Eigen::MatrixXd x = uniform_matrix(80, 3, rng);
  Eigen::VectorXd y = (x.col(0).array() * 2.0).sin() + x.col(2).array();
  for (Eigen::Index i = 0; i < y.size(); ++i) y[i] += 0.1 * rng.uniform01();
  SelectionOptions options;
  options.svr_c = {10.0};
  options.transforms = {TargetTransform::none};
  options.seed = 9;
  ModelConfig best1, best2;
  const CvReport r1 = select_model(x, y, options, best1);
  const CvReport r2 = select_model(x, y, options, best2);
  ASSERT_EQ(r1.candidates.size(), r2.candidates.size());
  for (std::size_t i = 0; i < r1.candidates.size(); ++i) {
    EXPECT_EQ(r1.candidates[i].metrics.rmse, r2.candidates[i].metrics.rmse);
    EXPECT_EQ(r1.candidates[i].metrics.kendall_tau, r2.candidates[i].metrics.kendall_tau);
  }
  EXPECT_EQ(best1.describe(), best2.describe());
  // Another seed moves points between folds, hence the scores.
  options.seed = 10;
  ModelConfig best3;
  EXPECT_NE(select_model(x, y, options, best3).candidates[0].metrics.rmse, r1.candidates[0].metrics.rmse);
}

}  // namespace
}  // namespace cimnet
