#pragma once
// Predictor model files (JSON).
//
// {"format": "cimnet-predictor", "version": 1, "space", "target", "provenance",
//  "encoding": {"hardware", "log_macs", "extra", "feature_count", "feature_names"},
//  "model": {"kind", "transform", "scaling": {"mode", "offset", "factor"},
//            ridge: "alpha", "intercept", "weights" | svr: "C", "gamma", "epsilon", "bias",
//            "coefficients", "support_vectors" (one array per vector)},
//  "cv": {"folds", "seed", "metric", "samples", "kendall_tau", "spearman_rho", "pearson_r", "mape",
//         "rmse", "candidates": [...]}}            (cv optional)
// Doubles are written in their shortest round-trip form, so a loaded model predicts bit-identically.
// Loading checks everything a wrong or damaged file could break — not JSON, missing or mistyped
// fields, arrays of the wrong length, a different space — and throws InputError naming the file.
#include <string>

#include "hardware/hardware.hpp"
#include "predict/predictor.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

std::string predictor_to_json(const Predictor& predictor);
// `source` names the text in errors (a file name).
Predictor predictor_from_json(const std::string& text, const std::string& source);

void save_predictor(const Predictor& predictor, const std::string& path);  // InputError when unwritable
Predictor load_predictor(const std::string& path);
// Loads and checks that the model fits the space (and hardware space when it uses hardware features):
// InputError naming the file otherwise.
Predictor load_predictor(const std::string& path, const SearchSpace& space, const HardwareSpace* hardware = nullptr);

}  // namespace cimnet
