#pragma once
// A scenario: the experiment file that names the search space, the hardware (reference, choices,
// fixed parameters) and — as later features arrive — the settings of simulation, dataset and search.
// Validation is strict: an unknown key is an error naming the file, the line, the key and the closest
// valid key; no misspelled key is ever silently ignored.
#include <string>

#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

// Where the top-1 accuracy of sub-networks comes from (search/accuracy builds the source from these;
// plain strings here so that the scenario does not depend on search/).
struct AccuracySettings {
  std::string source = "auto";  // auto | predictor | table | command | proxy
  std::string path;             // predictor: model file; table: CSV of measurements (relative to the scenario)
  std::string command;          // command: shell command line speaking JSON lines
  double timeout = 600;         // command: seconds allowed per answer
};

struct Scenario {
  std::string origin;       // file path, or "<embedded default scenario>"
  std::string name;         // scenario name (defaults to the file's stem)
  std::string description;
  std::string space;        // a name from space_names()
  SpaceOptions space_options;
  HardwareSpace hardware;
  AccuracySettings accuracy;
  std::string text;         // the YAML text as read (copied into run folders)
};

Scenario load_scenario(const std::string& path);
Scenario parse_scenario(const std::string& yaml_text, const std::string& origin);
// The default scenario (scenarios/default.yaml), compiled into the binary so that the main job runs
// without any file.
Scenario default_scenario();
const std::string& default_scenario_text();

}  // namespace cimnet
