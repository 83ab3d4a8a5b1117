#pragma once
// The subcommands of the cimnet executable. Each takes its own arguments (after the subcommand name)
// and returns the process exit status; bad input is thrown as InputError and becomes status 2 in main.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hardware/execution.hpp"
#include "search/loop/evaluation_log.hpp"

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

// `cimnet dataset` and `cimnet search` for front ends other than the command line (python/): the same
// arguments, the same checks and messages, the same files, with a callback per finished point (the
// slice's points done and in all; dataset::JobOptions::on_point) or per real evaluation (SearchRequest),
// and a search that prints nothing when `quiet`.
int run_dataset_watched(const Args& args, const std::function<void(std::size_t done, std::size_t total)>& on_point);

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
  // For front ends other than the command line (python/): each real evaluation as it lands in the run
  // folder (loop::SearchOptions::on_evaluation), and quiet = no start line, per-iteration lines or result
  // table (the run folder holds the same).
  std::function<void(const cimnet::loop::Record&, std::size_t evaluations)> on_evaluation;
  bool quiet = false;
};
int run_search_job(const cimnet::Scenario& scenario, const SearchRequest& request);
int run_search_watched(const Args& args,
                       const std::function<void(const cimnet::loop::Record&, std::size_t evaluations)>& on_evaluation,
                       bool quiet);

// Thrown for --help: the text is printed and the command exits 0.
struct HelpRequested {
  std::string text;
};

}  // namespace cimnet::cli
