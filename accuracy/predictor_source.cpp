#include "accuracy/predictor_source.hpp"

#include <cstdio>

#include "common/error.hpp"
#include "predict/predictor_io.hpp"

namespace cimnet {

namespace {

// Loads and vets the file before the encoder is built from it.
Predictor load_accuracy_model(const SearchSpace& space, const std::string& path) {
  Predictor p = load_predictor(path);
  if (p.space != space.name()) {
    throw InputError(path + ": the accuracy model was trained on space '" + p.space + "', not '" + space.name() + "'");
  }
  if (p.target != "top1") {
    throw InputError(path + ": the model predicts '" + p.target + "', not top-1 accuracy (fit it with --target accuracy)");
  }
  if (p.encoding.hardware || !p.encoding.extra.empty()) {
    throw InputError(path + ": an accuracy model may use only the sub-network (and log_macs), not hardware or column "
                            "features");
  }
  return p;
}

}  // namespace

PredictorAccuracySource::PredictorAccuracySource(const SearchSpace& space, const std::string& model_path)
    : AccuracySource(space),
      path_(model_path),
      predictor_(load_accuracy_model(space, model_path)),
      encoder_(space, predictor_.encoding) {
  predictor_.check_compatible(encoder_, path_);
}

std::string PredictorAccuracySource::label() const {
  std::string s = "predictor " + path_ + " (" + to_string(predictor_.config.kind);
  if (predictor_.cv) {
    char buf[96];
    std::snprintf(buf, sizeof buf, ", %d-fold CV Kendall tau %.3f, MAPE %.3f %%", predictor_.cv->folds,
                  predictor_.cv->metrics.kendall_tau, predictor_.cv->metrics.mape);
    s += buf;
  }
  return s + ")";
}

std::vector<double> PredictorAccuracySource::compute(const std::vector<Genome>& canonical) {
  const Eigen::VectorXd v = predictor_.predict(encoder_.encode(canonical));
  return std::vector<double>(v.data(), v.data() + v.size());
}

}  // namespace cimnet
