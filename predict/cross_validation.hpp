#pragma once
// k-fold cross-validation of one model configuration.
//
// Folds: a permutation of the points drawn with cimnet's Rng from the seed (data files are often
// sorted — by search generation, by MACs — so unshuffled folds as in DyNAS-T would extrapolate), then
// point perm[j] goes to fold j mod k: sizes differ by at most one, the same seed gives the same folds.
// Scores are computed on the pooled out-of-fold predictions of all n points, on the original target
// scale: every point is predicted by a model that never saw it, and τ over n points is far less noisy
// than an average of k small per-fold τ.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "predict/metrics.hpp"
#include "predict/model_config.hpp"

namespace cimnet {

// Fold index (0..folds−1) of each of n points. InputError when folds < 2 or folds > n.
std::vector<int> fold_assignment(std::size_t n, int folds, std::uint64_t seed);

// Prediction of every point by the model trained on the other folds.
Eigen::VectorXd out_of_fold_predictions(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config,
                                        const std::vector<int>& folds);

Metrics cross_validate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ModelConfig& config, int folds,
                       std::uint64_t seed);

}  // namespace cimnet
