#include "predict/cross_validation.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "common/error.hpp"
#include "common/random.hpp"
#include "predict/predictor.hpp"

namespace cimnet {

std::vector<int> fold_assignment(std::size_t n, int folds, std::uint64_t seed) {
  if (folds < 2) throw InputError("cross-validation needs at least 2 folds, got " + std::to_string(folds));
  if (static_cast<std::size_t>(folds) > n) {
    throw InputError("cross-validation with " + std::to_string(folds) + " folds needs at least as many points, got " +
                     std::to_string(n));
  }
  Rng rng(seed);
  const std::vector<std::size_t> perm = random_permutation(n, rng);
  std::vector<int> fold(n);
  for (std::size_t j = 0; j < n; ++j) fold[perm[j]] = static_cast<int>(j % static_cast<std::size_t>(folds));
  return fold;
}

namespace {

Eigen::MatrixXd select_rows(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = x.row(rows[i]);
  return out;
}

}  // namespace

Eigen::VectorXd out_of_fold_predictions(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config,
                                        const std::vector<int>& folds) {
  if (static_cast<std::size_t>(x.rows()) != folds.size() || x.rows() != y.size()) {
    throw std::invalid_argument("out_of_fold_predictions: sizes differ");
  }
  const int k = folds.empty() ? 0 : *std::max_element(folds.begin(), folds.end()) + 1;
  Eigen::VectorXd out(y.size());
  for (int f = 0; f < k; ++f) {
    std::vector<Eigen::Index> train_rows, test_rows;
    for (std::size_t i = 0; i < folds.size(); ++i) {
      (folds[i] == f ? test_rows : train_rows).push_back(static_cast<Eigen::Index>(i));
    }
    if (test_rows.empty()) continue;
    Eigen::VectorXd train_y(static_cast<Eigen::Index>(train_rows.size()));
    for (std::size_t i = 0; i < train_rows.size(); ++i) train_y[static_cast<Eigen::Index>(i)] = y[train_rows[i]];
    const Predictor model = train(select_rows(x, train_rows), train_y, config);
    const Eigen::VectorXd predicted = model.predict(select_rows(x, test_rows));
    for (std::size_t i = 0; i < test_rows.size(); ++i) out[test_rows[i]] = predicted[static_cast<Eigen::Index>(i)];
  }
  return out;
}

Metrics cross_validate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config, int folds,
                       std::uint64_t seed) {
  const auto assignment = fold_assignment(static_cast<std::size_t>(x.rows()), folds, seed);
  return evaluate(y, out_of_fold_predictions(x, y, config, assignment));
}

}  // namespace cimnet
