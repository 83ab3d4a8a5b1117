#pragma once
// A scenario: the experiment file that names the search space, the hardware (reference, choices,
// fixed parameters) and — as later features arrive — the settings of simulation, dataset and search.
// Validation is strict: an unknown key is an error naming the file, the line, the key and the closest
// valid key; no misspelled key is ever silently ignored.
#include <string>
#include <vector>

#include "hardware/execution.hpp"
#include "hardware/energy_table.hpp"
#include "hardware/schedule_objective.hpp"
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

// The co-search (`cimnet search`, `cimnet run`): what is searched, the budget of real evaluations and
// how the predictor-guided loop spends it. docs/search.md explains each setting.
struct SearchSettings {
  std::string mode = "joint";                        // arch | hw | joint
  // linas | nsga2 | random | dynast, each optionally with settings of its own (linas:rerank=0;
  // docs/search.md), run in this order
  std::vector<std::string> methods = {"linas"};
  // Two or more of accuracy, cycles, energy, edp, area (search/loop/objective.hpp).
  std::vector<std::string> objectives = {"accuracy", "cycles"};
  double area_budget = 1.0;        // relative area (reference design = 1.0) allowed; 0: no budget
  long long budget = 100;          // real evaluations per method and seed
  long long initial = 30;          // initial uniform sample (linas), evaluated for real
  long long batch = 20;            // real evaluations per iteration (linas; nsga2: its population)
  long long population = 50;       // inner NSGA-II on the predictors
  long long generations = 100;     // inner NSGA-II generations per iteration
  std::vector<long long> seeds = {1};
  std::string reference_network = "max";  // the sub-network of mode hw and of the speedup baseline
  double timeout = 600;            // seconds allowed per real evaluation
  // linas: re-rank rerank × batch predicted candidates by the mapper's analytical cycle estimate
  // (tens of ms each, within a few % of SystemC) before choosing the batch; 0: predictors only.
  long long rerank = 4;
};

struct Scenario {
  std::string origin;       // file path, or "<embedded default scenario>"
  std::string name;         // scenario name (defaults to the file's stem)
  std::string description;
  std::string space;        // a name from space_names()
  SpaceOptions space_options;
  HardwareSpace hardware;
  AccuracySettings accuracy;
  SearchSettings search;
  // How every network runs wherever cycles are computed (simulate, map, dataset, search): key
  // `execution`, layer-by-layer (the default, CiMNet-like) or fused (issue 14; docs/mapping.md); or
  // searched: the co-search picks each candidate's policy (search and run only; simulate and dataset
  // refuse it, naming this file and key).
  ExecutionSetting execution;
  // Which inference's cycles count (dataset column `cycles`, the search's objective): key `cycles`, cold
  // (the first inference, every weight loaded) or steady (once warm; the default). Equal under
  // layer-by-layer.
  CyclesOf cycles_of = CyclesOf::Steady;
  // Key `latency_bound` (pipelined only): the scheduler's least-memory objective — the segmentation
  // claiming the least global buffer among those whose latency is within `1.2x` the fastest or within a
  // number of cycles (hardware/schedule_objective.hpp; docs/pipelined.md). Not set: none.
  LatencyBound latency_bound;
  // Key `allocation` (designs with digital cores only): what the choice of core for each MAC layer
  // minimises — latency (the default), energy or energy-delay (mapping/core_allocation.hpp;
  // docs/heterogeneous.md): simulate, dataset and search use it (simulate and dataset may override it
  // with --allocation).
  CoreAllocation allocation = CoreAllocation::Latency;
  // `allocation: searched`: the co-search picks each candidate's objective as one more gene (docs/search.md);
  // `allocation` above is then latency, the reference point's. Simulate and dataset refuse it.
  bool allocation_searched = false;
  AllocationSetting allocation_setting() const {
    AllocationSetting s(allocation);
    s.searched = allocation_searched;
    return s;
  }
  // Section `energy:` (issue 16): what every action costs (hardware/energy_table.hpp; docs/energy.md).
  // Default: the lpddr4 preset.
  EnergyTable energy = default_energy_table();
  std::string text;         // the YAML text as read (copied into run folders)
};

Scenario load_scenario(const std::string& path);
Scenario parse_scenario(const std::string& yaml_text, const std::string& origin);
// The default scenario (scenarios/default.yaml), compiled into the binary so that the main job runs
// without any file.
Scenario default_scenario();
const std::string& default_scenario_text();

}  // namespace cimnet
