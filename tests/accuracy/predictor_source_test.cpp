// Accuracy from a model file: the shipped OFA-MobileNetV3 model, and models that cannot serve.
#include "accuracy/predictor_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "accuracy/data_dir.hpp"
#include "predict/model_selection.hpp"
#include "predict/predictor_io.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

namespace fs = std::filesystem;

TEST(AccuracyPredictor, TheShippedModelIsFoundAndAnswersPlausibly) {
  const auto space = make_space("ofa-mbv3");
  const std::string path = shipped_accuracy_model("ofa-mbv3");
  ASSERT_TRUE(fs::exists(path)) << path;
  PredictorAccuracySource source(*space, path);
  EXPECT_FALSE(source.is_proxy());
  EXPECT_NE(source.label().find("ofa-mbv3-w10.json"), std::string::npos) << source.label();
  EXPECT_NE(source.label().find("Kendall tau 0.94"), std::string::npos) << source.label();
  const auto v = source.top1({space->smallest(), space->largest()});
  EXPECT_GT(v[0], 65.0);
  EXPECT_LT(v[1], 82.0);
  EXPECT_LT(v[0], v[1]);
  EXPECT_TRUE(shipped_accuracy_model("vit-b16").empty());
}

// A small ridge model on the given features and target name.
std::string write_model(const SearchSpace& space, const EncodingSpec& spec, const std::string& target,
                        const std::string& name) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const Encoder encoder(space, spec, spec.hardware ? &hw : nullptr);
  Rng rng(2);
  std::vector<Genome> genomes;
  std::vector<HwGenome> hws;
  for (int i = 0; i < 30; ++i) {
    genomes.push_back(space.sample(rng));
    hws.push_back(hw.sample(rng));
  }
  Eigen::MatrixXd extra = Eigen::MatrixXd::Ones(30, static_cast<Eigen::Index>(spec.extra.size()));
  const Eigen::MatrixXd x = encoder.encode(genomes, spec.hardware ? hws : std::vector<HwGenome>{}, extra);
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(30, 70, 80);
  SelectionOptions options;
  options.kinds = {ModelKind::ridge};
  options.transforms = {TargetTransform::none};
  options.ridge_alphas = {1.0};
  const fs::path dir = test::scratch_dir("cimnet_accuracy_predictor_test");
  const std::string path = (dir / name).string();
  save_predictor(fit_predictor(encoder, x, y, options, target, "test"), path);
  return path;
}

TEST(AccuracyPredictor, ModelsThatCannotServeAreRefused) {
  const auto space = make_space("ofa-mbv3");
  const std::string cycles = write_model(*space, EncodingSpec{}, "cycles", "cycles.json");
  EXPECT_NE(test::input_error([&] { PredictorAccuracySource s(*space, cycles); }).find("predicts 'cycles', not top-1"),
            std::string::npos);
  const std::string hw = write_model(*space, EncodingSpec{true, false, {}}, "top1", "hw.json");
  EXPECT_NE(test::input_error([&] { PredictorAccuracySource s(*space, hw); }).find("not hardware"), std::string::npos);
  const auto vit = make_space("vit-b16");
  const std::string e = test::input_error([&] { PredictorAccuracySource s(*vit, shipped_accuracy_model("ofa-mbv3")); });
  EXPECT_NE(e.find("ofa-mbv3"), std::string::npos) << e;
  EXPECT_NE(e.find("vit-b16"), std::string::npos) << e;
}

}  // namespace
}  // namespace cimnet
