#pragma once
// Accuracy from a fitted predictor model file (`cimnet predictor fit --target accuracy`), such as the
// shipped OFA-MobileNetV3 model. Architecture features only: accuracy does not depend on the hardware,
// and extra columns are not available when the search asks.
#include <string>

#include "accuracy/accuracy_source.hpp"
#include "predict/encoding.hpp"
#include "predict/predictor.hpp"

namespace cimnet {

class PredictorAccuracySource : public AccuracySource {
 public:
  // InputError naming the file when it cannot be loaded, is of another space or features, predicts
  // another target than top-1, or uses hardware or extra-column features.
  PredictorAccuracySource(const SearchSpace& space, const std::string& model_path);

  std::string label() const override;
  const Predictor& predictor() const { return predictor_; }

 protected:
  std::vector<double> compute(const std::vector<Genome>& canonical) override;

 private:
  std::string path_;
  Predictor predictor_;
  Encoder encoder_;
};

}  // namespace cimnet
