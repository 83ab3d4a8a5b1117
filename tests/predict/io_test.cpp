// Model files: exact round trip, and clear errors for damaged or mismatched files.
#include "predict/predictor_io.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/random.hpp"
#include "predict/model_selection.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using nlohmann::json;

std::filesystem::path temp_dir() { return test::scratch_dir("cimnet_predict_io_test"); }

// A small predictor on MobileNetV3 features with a synthetic target (ln MACs plus a kernel effect).
struct Fixture {
  std::unique_ptr<SearchSpace> space = make_space("ofa-mbv3");
  EncodingSpec spec{false, true, {}};
  Encoder encoder{*space, spec};
  Eigen::MatrixXd x;
  Eigen::VectorXd y;

  Fixture() {
    Rng rng(11);
    std::vector<Genome> genomes;
    for (int i = 0; i < 120; ++i) genomes.push_back(space->sample(rng));
    x = encoder.encode(genomes);
    y = 60.0 + 2.0 * x.col(x.cols() - 1).array() + 0.5 * x.col(2).array();
  }
  Predictor fit(ModelKind kind) const {
    SelectionOptions options;
    options.kinds = {kind};
    options.transforms = {TargetTransform::none};
    options.ridge_alphas = {0.1, 1.0};
    options.svr_c = {10.0};
    options.svr_gamma_factors = {1.0};
    options.svr_epsilons = {0.01};
    return fit_predictor(encoder, x, y, options, "top1", "synthetic test data");
  }
};

TEST(PredictorIo, RoundTripPredictsBitIdentically) {
  const Fixture f;
  for (ModelKind kind : {ModelKind::ridge, ModelKind::svr}) {
    const Predictor p = f.fit(kind);
    const std::string path = (temp_dir() / ("model_" + to_string(kind) + ".json")).string();
    save_predictor(p, path);
    const Predictor q = load_predictor(path, *f.space);
    const Eigen::VectorXd a = p.predict(f.x);
    const Eigen::VectorXd b = q.predict(f.x);
    for (Eigen::Index i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << to_string(kind) << " row " << i;
    EXPECT_EQ(predictor_to_json(q), predictor_to_json(p));
    EXPECT_EQ(q.provenance, "synthetic test data");
    ASSERT_TRUE(q.cv.has_value());
    EXPECT_EQ(q.cv->metrics.kendall_tau, p.cv->metrics.kendall_tau);
    EXPECT_EQ(q.cv->candidates.size(), p.cv->candidates.size());
  }
}

class Corrupt : public ::testing::Test {
 protected:
  void SetUp() override {
    good_ = json::parse(predictor_to_json(fixture_.fit(ModelKind::ridge)));
    svr_ = json::parse(predictor_to_json(fixture_.fit(ModelKind::svr)));
  }
  // The error of loading `text` from a file, checked to name the file.
  std::string error_of(const std::string& text) {
    const std::string path = (temp_dir() / "corrupt.json").string();
    std::ofstream(path, std::ios::binary) << text;
    const std::string message = test::input_error([&] { load_predictor(path, *fixture_.space); });
    EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
    return message;
  }
  std::string error_of(const json& j) { return error_of(j.dump()); }
  std::string error_of(const char* text) { return error_of(std::string(text)); }

  Fixture fixture_;
  json good_;
  json svr_;
};

TEST_F(Corrupt, NotJson) {
  EXPECT_NE(error_of("{\"format\": ").find("not a JSON predictor file"), std::string::npos);
  EXPECT_NE(error_of("").find("not a JSON predictor file"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("top level is not an object"), std::string::npos);
}

TEST_F(Corrupt, WrongFormatOrVersion) {
  json j = good_;
  j["format"] = "something-else";
  EXPECT_NE(error_of(j).find("not a predictor file"), std::string::npos);
  j = good_;
  j["version"] = 99;
  EXPECT_NE(error_of(j).find("version 99 is not supported"), std::string::npos);
}

TEST_F(Corrupt, MissingOrMistypedFields) {
  json j = good_;
  j["model"].erase("weights");
  EXPECT_NE(error_of(j).find("missing field 'model.weights'"), std::string::npos);
  j = good_;
  j.erase("encoding");
  EXPECT_NE(error_of(j).find("missing field 'encoding'"), std::string::npos);
  j = good_;
  j["model"]["intercept"] = "high";
  EXPECT_NE(error_of(j).find("field 'model.intercept' must be a number"), std::string::npos);
  j = good_;
  j["model"]["kind"] = "mlp";
  EXPECT_NE(error_of(j).find("field 'model.kind': unknown model kind 'mlp'"), std::string::npos);
  j = svr_;
  j["model"]["support_vectors"][0][3] = "x";
  EXPECT_NE(error_of(j).find("model.support_vectors[0]"), std::string::npos);
}

TEST_F(Corrupt, WrongFeatureCount) {
  json j = good_;
  j["model"]["weights"].erase(0);
  EXPECT_NE(error_of(j).find("field 'model.weights' has 135 values, expected 136"), std::string::npos);
  j = svr_;
  j["model"]["support_vectors"].erase(0);
  EXPECT_NE(error_of(j).find("must hold one array per coefficient"), std::string::npos);
  // Consistent arrays, but fewer features than the space's encoding has.
  j = good_;
  j["encoding"]["feature_count"] = 135;
  j["encoding"]["feature_names"].erase(0);
  j["model"]["weights"].erase(0);
  j["model"]["scaling"]["offset"].erase(0);
  j["model"]["scaling"]["factor"].erase(0);
  EXPECT_NE(error_of(j).find("the predictor has 135 features, the encoding of space 'ofa-mbv3' has 136"),
            std::string::npos);
  j = good_;
  j["encoding"]["feature_names"][5] = "ks1=9";
  EXPECT_NE(error_of(j).find("feature 5 is 'ks1=9' in the predictor but 'ks1=7' in the encoding"), std::string::npos);
}

TEST_F(Corrupt, WrongSpace) {
  const std::string path = (temp_dir() / "mbv3.json").string();
  std::ofstream(path) << good_.dump();
  const auto resnet = make_space("ofa-resnet50");
  EXPECT_EQ(test::input_error([&] { load_predictor(path, *resnet); }),
            path + ": the predictor was trained on space 'ofa-mbv3', not 'ofa-resnet50'");
  json j = good_;
  j["encoding"]["hardware"] = true;
  EXPECT_NE(error_of(j).find("uses hardware features but no hardware space was given"), std::string::npos);
  EXPECT_NE(test::input_error([] { load_predictor("/nonexistent/model.json"); }).find("/nonexistent/model.json: cannot open"),
            std::string::npos);
}

TEST_F(Corrupt, PredictChecksTheFeatureCount) {
  const Predictor p = load_predictor([&] {
    const std::string path = (temp_dir() / "ok.json").string();
    std::ofstream(path) << good_.dump();
    return path;
  }());
  EXPECT_EQ(test::input_error([&] { p.predict(Eigen::MatrixXd::Zero(2, 10)); }), "predictor expects 136 features, got 10");
}

}  // namespace
}  // namespace cimnet
