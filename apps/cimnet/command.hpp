#pragma once
// The subcommands of the cimnet executable. Each takes its own arguments (after the subcommand name)
// and returns the process exit status; bad input is thrown as InputError and becomes status 2 in main.
#include <optional>
#include <string>
#include <vector>

#include "hardware/execution.hpp"

namespace cimnet::cli {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

int run_network(const Args& args);
int run_hardware(const Args& args);
int run_main_job(const Args& args);
int run_simulate(const Args& args);
int run_map(const Args& args);
int run_dataset(const Args& args);
int run_predictor(const Args& args);
int run_report(const Args& args);
int run_search(const Args& args);

}  // namespace cimnet::cli
namespace cimnet {
struct Scenario;
}
namespace cimnet::cli {
// A co-search on a scenario, with command-line overrides of its search section (empty / negative:
// keep the scenario's value). Shared by `cimnet search` and the main job (`cimnet run`).
struct SearchRequest {
  std::string mode;
  std::string method;  // --method: method specs separated by commas, "all" for the four methods (command_search.cpp)
  std::vector<std::string> objectives;  // --objectives: two or more, checked; empty: the scenario's
  long long budget = 0;
  long long seed = -1;
  int jobs = 0;
  std::string out;
  bool resume = false;
  std::optional<cimnet::ExecutionSetting> execution;  // --execution (a policy, or searched); default: the scenario's
  std::optional<cimnet::CyclesOf> cycles_of;   // --cycles; default: the scenario's
};
int run_search_job(const cimnet::Scenario& scenario, const SearchRequest& request);

// Thrown for --help: the text is printed and the command exits 0.
struct HelpRequested {
  std::string text;
};

}  // namespace cimnet::cli
