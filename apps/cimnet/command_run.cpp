// cimnet run: the main job on a scenario (the embedded default when none is given).
//
// The main job is the co-search: a small joint sub-network + hardware search (the scenario's
// `search:` section; the embedded default is sized to finish in about a minute on 2 cores) that prints
// the Pareto front of accuracy against cycles and writes its run folder. `cimnet search` is the same
// with every option; docs/search.md describes both.
#include <ctime>
#include <iostream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::cli {

int run_main_job(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("out", po::value<std::string>(), "run folder (default: runs/quickstart-<timestamp>)")
      ("budget", po::value<long long>(), "real evaluations (default: the scenario's search.budget)")
      ("seed", po::value<long long>(), "seed (default: the scenario's first search seed)")
      ("jobs,j", po::value<int>()->default_value(0), "worker processes (default 0: the number of cores)")
      ("resume", po::bool_switch(), "continue an interrupted main job in --out");
  add_execution_option(options, true);
  add_cycles_option(options);
  const auto vm = parse_options("run",
                                "[--scenario FILE] [--out RUN_DIR] [--budget N] [--seed S] "
                                "[--execution layer-by-layer|fused|pipelined|searched] [--cycles cold|steady|stream] [--jobs J] [--resume]",
                                options, args);
  SearchRequest r;
  r.execution = search_execution_from(vm);
  if (vm.count("cycles")) r.cycles_of = parse_cycles_of(vm["cycles"].as<std::string>(), "--cycles");
  const Scenario scenario = scenario_from(vm);
  // The main job is one predictor-guided search; the baselines are for `cimnet search --method all`.
  r.method = "linas";
  if (vm.count("budget")) {
    r.budget = vm["budget"].as<long long>();
    if (r.budget < 1) throw InputError("--budget must be at least 1");
  }
  r.seed = vm.count("seed") ? vm["seed"].as<long long>() : scenario.search.seeds.front();
  if (r.seed < 0) throw InputError("--seed must be non-negative");
  r.jobs = vm["jobs"].as<int>();
  if (r.jobs < 0) throw InputError("--jobs must be at least 1 (0: the number of cores)");
  r.resume = vm["resume"].as<bool>();
  if (vm.count("out")) {
    r.out = vm["out"].as<std::string>();
  } else {
    if (r.resume) throw InputError("--resume needs the --out of the run to continue");
    char stamp[32];
    const std::time_t t = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
    r.out = std::string("runs/quickstart-") + stamp;
  }
  std::cout << "scenario:  " << scenario.name << " (" << scenario.origin << ")\n"
            << "main job:  predictor-guided " << scenario.search.mode << " co-search of " << scenario.space
            << " (cimnet search --help for every option)\n\n";
  return run_search_job(scenario, r);
}

}  // namespace cimnet::cli
