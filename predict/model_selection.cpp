#include "predict/model_selection.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"
#include "predict/cross_validation.hpp"

namespace cimnet {

std::vector<double> SelectionOptions::default_ridge_alphas() {
  std::vector<double> alphas;
  for (int i = -6; i <= 8; ++i) alphas.push_back(std::pow(10.0, 0.5 * i));
  return alphas;
}

TargetTransform recommended_transform(const std::string& target) {
  const std::string t = to_lower(target);
  for (const char* word : {"cycle", "latency", "energy", "time"}) {
    if (t.find(word) != std::string::npos) return TargetTransform::log;
  }
  return TargetTransform::none;
}

namespace {

// Is `a` better than `b` under the metric (strictly)?
bool better(const Metrics& a, const Metrics& b, CvMetric metric) {
  if (metric == CvMetric::kendall_tau) {
    if (a.kendall_tau != b.kendall_tau) return a.kendall_tau > b.kendall_tau;
    return a.mape < b.mape;
  }
  if (a.mape != b.mape) return a.mape < b.mape;
  return a.kendall_tau > b.kendall_tau;
}

}  // namespace

CvReport select_model(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const SelectionOptions& options,
                      ModelConfig& best) {
  if (options.kinds.empty() || options.transforms.empty()) throw InputError("model selection: nothing to try");
  CvReport report;
  report.folds = options.folds;
  report.seed = options.seed;
  report.metric = options.metric;
  const auto folds = fold_assignment(static_cast<std::size_t>(x.rows()), options.folds, options.seed);
  std::vector<ModelConfig> grid;
  for (ModelKind kind : options.kinds) {
    for (TargetTransform transform : options.transforms) {
      ModelConfig c;
      c.kind = kind;
      c.transform = transform;
      if (kind == ModelKind::ridge) {
        c.scaling = ScalingMode::standard;
        for (double alpha : options.ridge_alphas) {
          c.alpha = alpha;
          grid.push_back(c);
        }
      } else {
        c.scaling = ScalingMode::minmax;
        const double base = 1.0 / static_cast<double>(std::max<Eigen::Index>(x.cols(), 1));
        for (double cost : options.svr_c) {
          for (double factor : options.svr_gamma_factors) {
            for (double epsilon : options.svr_epsilons) {
              c.svr = SvrParams{cost, factor * base, epsilon};
              grid.push_back(c);
            }
          }
        }
      }
    }
  }
  if (grid.empty()) throw InputError("model selection: empty hyper-parameter grid");
  std::size_t best_index = 0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const Metrics m = evaluate(y, out_of_fold_predictions(x, y, grid[i], folds));
    report.candidates.push_back(CandidateScore{grid[i], m});
    if (i == 0 || better(m, report.candidates[best_index].metrics, options.metric)) best_index = i;
  }
  best = grid[best_index];
  report.metrics = report.candidates[best_index].metrics;
  return report;
}

Predictor fit_predictor(const Encoder& encoder, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                        const SelectionOptions& options, const std::string& target, const std::string& provenance) {
  if (static_cast<std::size_t>(x.cols()) != encoder.feature_count()) {
    throw std::invalid_argument("fit_predictor: features do not match the encoder");
  }
  ModelConfig best;
  CvReport report = select_model(x, y, options, best);
  Predictor p = train(x, y, best);
  p.describe_features(encoder);
  p.target = target;
  p.provenance = provenance;
  p.cv = std::move(report);
  return p;
}

}  // namespace cimnet
