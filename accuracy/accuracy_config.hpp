#pragma once
// Which accuracy source a run uses, and the factory that builds it. A plain struct so that the scenario
// (config/scenario.hpp, key `accuracy:`) and the command line can both fill it.
//
//   kind       auto       the shipped model when the space has one (ofa-mbv3), else its proxy
//                         (ofa-resnet50, vit-b16), else an InputError asking for a source
//              predictor  a model file (`path`; default: the shipped one for the space)
//              table      measured accuracies, exact lookup (`path` required)
//              command    an external command speaking JSON lines (`command` required, `timeout`)
//              proxy      the published-points proxy (ofa-resnet50, vit-b16)
//   path       file for predictor and table
//   command    shell command line for command
//   timeout    seconds per answer for command
#include <memory>
#include <string>

#include "accuracy/accuracy_source.hpp"

namespace cimnet {

struct AccuracyConfig {
  std::string kind = "auto";
  std::string path;
  std::string command;
  double timeout = 600.0;
};

// The allowed kinds, in the order above.
const std::vector<std::string>& accuracy_kinds();

// InputError for an unknown kind (naming the allowed ones), a missing path or command, a setting that
// does not apply to the kind (a path for command, ...), or a space the kind cannot serve. `space` must
// outlive the source.
std::unique_ptr<AccuracySource> make_accuracy_source(const SearchSpace& space, const AccuracyConfig& config);

}  // namespace cimnet
