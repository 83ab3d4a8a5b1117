#include "predict/predictor_io.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "common/error.hpp"

namespace cimnet {

// Insertion-ordered, so files read top-down as documented (format and space first, numbers last).
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "cimnet-predictor";
constexpr int kVersion = 1;

json to_json(const Eigen::VectorXd& v) { return json(std::vector<double>(v.data(), v.data() + v.size())); }
json to_json(const Eigen::RowVectorXd& v) { return json(std::vector<double>(v.data(), v.data() + v.size())); }

json metrics_json(const Metrics& m) {
  return json{{"samples", m.samples}, {"kendall_tau", m.kendall_tau}, {"spearman_rho", m.spearman_rho},
              {"pearson_r", m.pearson_r}, {"mape", m.mape}, {"rmse", m.rmse}};
}

json config_json(const ModelConfig& c) {
  json j{{"kind", to_string(c.kind)}, {"transform", to_string(c.transform)}, {"scaling_mode", to_string(c.scaling)}};
  if (c.kind == ModelKind::ridge) {
    j["alpha"] = c.alpha;
  } else {
    j["C"] = c.svr.c;
    j["gamma"] = c.svr.gamma;
    j["epsilon"] = c.svr.epsilon;
  }
  return j;
}

// Reads fields of one JSON object, naming the path of a missing or mistyped field.
class Reader {
 public:
  Reader(const json& j, std::string path, const std::string& source) : j_(j), path_(std::move(path)), source_(source) {
    if (!j_.is_object()) fail("is not an object");
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(source_ + ": " + (path_.empty() ? "top level" : path_) + " " + message);
  }
  const json& field(const std::string& key) const {
    const auto it = j_.find(key);
    if (it == j_.end()) throw InputError(source_ + ": missing field '" + name(key) + "'");
    return *it;
  }
  bool has(const std::string& key) const { return j_.contains(key); }
  Reader object(const std::string& key) const { return Reader(field(key), name(key), source_); }
  std::string string(const std::string& key) const {
    const json& v = field(key);
    if (!v.is_string()) wrong(key, "a string");
    return v.get<std::string>();
  }
  bool boolean(const std::string& key) const {
    const json& v = field(key);
    if (!v.is_boolean()) wrong(key, "true or false");
    return v.get<bool>();
  }
  double number(const std::string& key) const {
    const json& v = field(key);
    if (!v.is_number()) wrong(key, "a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) wrong(key, "a finite number");
    return d;
  }
  std::uint64_t unsigned_integer(const std::string& key) const {
    const json& v = field(key);
    if (!v.is_number_unsigned()) wrong(key, "a non-negative integer");
    return v.get<std::uint64_t>();
  }
  Eigen::VectorXd vector(const std::string& key, std::size_t expected) const {
    const json& v = field(key);
    if (!v.is_array()) wrong(key, "an array of numbers");
    if (v.size() != expected) {
      throw InputError(source_ + ": field '" + name(key) + "' has " + std::to_string(v.size()) + " values, expected " +
                       std::to_string(expected));
    }
    Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number()) wrong(key, "an array of numbers");
      out[static_cast<Eigen::Index>(i)] = v[i].get<double>();
    }
    return out;
  }
  std::vector<std::string> strings(const std::string& key) const {
    const json& v = field(key);
    if (!v.is_array()) wrong(key, "an array of strings");
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.is_string()) wrong(key, "an array of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  template <typename F>
  auto parsed(const std::string& key, F parse) const {
    const std::string text = string(key);
    try {
      return parse(text);
    } catch (const InputError& e) {
      throw InputError(source_ + ": field '" + name(key) + "': " + e.what());
    }
  }

 private:
  std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void wrong(const std::string& key, const std::string& expected) const {
    throw InputError(source_ + ": field '" + name(key) + "' must be " + expected);
  }
  const json& j_;
  std::string path_;
  const std::string& source_;
};

Metrics read_metrics(const Reader& r) {
  Metrics m;
  m.samples = r.unsigned_integer("samples");
  m.kendall_tau = r.number("kendall_tau");
  m.spearman_rho = r.number("spearman_rho");
  m.pearson_r = r.number("pearson_r");
  // MAPE is +inf when a true value is 0; JSON has no infinity, so it is stored as null.
  m.mape = r.field("mape").is_null() ? HUGE_VAL : r.number("mape");
  m.rmse = r.number("rmse");
  return m;
}

ModelConfig read_config(const Reader& r) {
  ModelConfig c;
  c.kind = r.parsed("kind", model_kind_from_string);
  c.transform = r.parsed("transform", target_transform_from_string);
  c.scaling = r.parsed("scaling_mode", scaling_mode_from_string);
  if (c.kind == ModelKind::ridge) {
    c.alpha = r.number("alpha");
  } else {
    c.svr = SvrParams{r.number("C"), r.number("gamma"), r.number("epsilon")};
  }
  return c;
}

}  // namespace

std::string predictor_to_json(const Predictor& p) {
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["space"] = p.space;
  j["target"] = p.target;
  j["provenance"] = p.provenance;
  if (!p.encoding.mask_inactive) {
    throw std::logic_error("save_predictor: unmasked one-hot encodings (the dynast baseline's) are not stored");
  }
  j["encoding"] = json{{"hardware", p.encoding.hardware},
                       {"log_macs", p.encoding.log_macs},
                       {"extra", p.encoding.extra},
                       {"feature_count", p.feature_count()},
                       {"feature_names", p.feature_names}};
  json model = config_json(p.config);
  model["scaling"] = json{{"offset", to_json(p.scaling.offset)}, {"factor", to_json(p.scaling.factor)}};
  if (p.config.kind == ModelKind::ridge) {
    model["intercept"] = p.ridge.intercept;
    model["weights"] = to_json(p.ridge.weights);
  } else {
    model["bias"] = p.svr.bias;
    model["coefficients"] = to_json(p.svr.coefficients);
    json vectors = json::array();
    for (Eigen::Index s = 0; s < p.svr.support_vectors.rows(); ++s) {
      vectors.push_back(to_json(Eigen::RowVectorXd(p.svr.support_vectors.row(s))));
    }
    model["support_vectors"] = std::move(vectors);
  }
  j["model"] = std::move(model);
  if (p.cv) {
    json cv = metrics_json(p.cv->metrics);
    cv["folds"] = p.cv->folds;
    cv["seed"] = p.cv->seed;
    cv["metric"] = to_string(p.cv->metric);
    json candidates = json::array();
    for (const auto& c : p.cv->candidates) {
      json e = config_json(c.config);
      e["scores"] = metrics_json(c.metrics);
      candidates.push_back(std::move(e));
    }
    cv["candidates"] = std::move(candidates);
    j["cv"] = std::move(cv);
  }
  // nlohmann writes NaN and infinity as null; read_metrics maps a null MAPE back to infinity.
  return j.dump(1) + "\n";
}

Predictor predictor_from_json(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(source + ": not a JSON predictor file: " + e.what());
  }
  const Reader top(j, "", source);
  if (top.string("format") != kFormat) {
    throw InputError(source + ": not a predictor file (format is '" + top.string("format") + "', expected '" + kFormat + "')");
  }
  if (top.unsigned_integer("version") != static_cast<std::uint64_t>(kVersion)) {
    throw InputError(source + ": predictor file version " + std::to_string(top.unsigned_integer("version")) +
                     " is not supported (this build reads version " + std::to_string(kVersion) + ")");
  }
  Predictor p;
  p.space = top.string("space");
  p.target = top.string("target");
  p.provenance = top.string("provenance");
  const Reader enc = top.object("encoding");
  p.encoding.hardware = enc.boolean("hardware");
  p.encoding.log_macs = enc.boolean("log_macs");
  p.encoding.extra = enc.strings("extra");
  p.feature_names = enc.strings("feature_names");
  const std::size_t features = enc.unsigned_integer("feature_count");
  if (p.feature_names.size() != features) {
    throw InputError(source + ": encoding.feature_names has " + std::to_string(p.feature_names.size()) +
                     " names for feature_count " + std::to_string(features));
  }
  const Reader model = top.object("model");
  p.config = read_config(model);
  const Reader scaling = model.object("scaling");
  p.scaling.mode = p.config.scaling;
  p.scaling.offset = scaling.vector("offset", features).transpose();
  p.scaling.factor = scaling.vector("factor", features).transpose();
  if (p.config.kind == ModelKind::ridge) {
    p.ridge.alpha = p.config.alpha;
    p.ridge.intercept = model.number("intercept");
    p.ridge.weights = model.vector("weights", features);
  } else {
    p.svr.params = p.config.svr;
    p.svr.bias = model.number("bias");
    const json& coefficients = model.field("coefficients");
    if (!coefficients.is_array()) throw InputError(source + ": field 'model.coefficients' must be an array of numbers");
    p.svr.coefficients = model.vector("coefficients", coefficients.size());
    const json& vectors = model.field("support_vectors");
    if (!vectors.is_array() || vectors.size() != coefficients.size()) {
      throw InputError(source + ": field 'model.support_vectors' must hold one array per coefficient (" +
                       std::to_string(coefficients.size()) + ")");
    }
    p.svr.support_vectors.resize(static_cast<Eigen::Index>(vectors.size()), static_cast<Eigen::Index>(features));
    for (std::size_t s = 0; s < vectors.size(); ++s) {
      const json wrapper{{"v", vectors[s]}};
      const Reader row(wrapper, "model.support_vectors[" + std::to_string(s) + "]", source);
      p.svr.support_vectors.row(static_cast<Eigen::Index>(s)) = row.vector("v", features).transpose();
    }
  }
  if (top.has("cv")) {
    const Reader cv = top.object("cv");
    CvReport report;
    report.folds = static_cast<int>(cv.unsigned_integer("folds"));
    report.seed = cv.unsigned_integer("seed");
    report.metric = cv.parsed("metric", cv_metric_from_string);
    report.metrics = read_metrics(cv);
    const json& candidates = cv.field("candidates");
    if (!candidates.is_array()) throw InputError(source + ": field 'cv.candidates' must be an array");
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Reader c(candidates[i], "cv.candidates[" + std::to_string(i) + "]", source);
      report.candidates.push_back(CandidateScore{read_config(c), read_metrics(c.object("scores"))});
    }
    p.cv = std::move(report);
  }
  return p;
}

void save_predictor(const Predictor& predictor, const std::string& path) {
  const std::string text = predictor_to_json(predictor);
  std::ofstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot write predictor file");
  file << text;
  if (!file.flush()) throw InputError(path + ": cannot write predictor file");
}

Predictor load_predictor(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open predictor file");
  std::ostringstream text;
  text << file.rdbuf();
  return predictor_from_json(text.str(), path);
}

Predictor load_predictor(const std::string& path, const SearchSpace& space, const HardwareSpace* hardware) {
  Predictor p = load_predictor(path);
  if (p.space != space.name()) {
    throw InputError(path + ": the predictor was trained on space '" + p.space + "', not '" + space.name() + "'");
  }
  if (p.encoding.hardware && hardware == nullptr) {
    throw InputError(path + ": the predictor uses hardware features but no hardware space was given");
  }
  const Encoder encoder(space, p.encoding, hardware);
  p.check_compatible(encoder, path);
  return p;
}

}  // namespace cimnet
