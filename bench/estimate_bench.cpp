// The C++ side of the Python module's overhead benchmark (bench/python_estimate_bench.py): the work of
// one cimnet.estimate() call — map and estimate a whole network on the scenario's reference design and
// assemble the `simulate --report` JSON with its energy — timed in C++ alone.
//
//   estimate_bench [SPACE [ARCH [CALLS [EXECUTION]]]]     (default: ofa-mbv3 max 20 layer-by-layer)
// Prints one line: calls, median seconds per call, calls per second.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "apps/cimnet/json_views.hpp"
#include "config/scenario.hpp"
#include "evaluation/simulation_report.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  using namespace cimnet;
  const std::string space_name = argc > 1 ? argv[1] : "ofa-mbv3";
  const std::string arch = argc > 2 ? argv[2] : "max";
  const int calls = argc > 3 ? std::stoi(argv[3]) : 20;
  const Execution execution = parse_execution(argc > 4 ? argv[4] : "layer-by-layer", "EXECUTION");
  const Scenario scenario = default_scenario();
  const auto space = make_space(space_name);
  const Network net = space->build(space->canonical(space->parse(arch)));
  const HardwareConfig hw = scenario.hardware.reference_config();
  const EnergyTable& table = scenario.energy;
  std::vector<double> seconds;
  std::size_t bytes = 0;  // keeps the report's assembly from being optimised away
  for (int i = 0; i < calls; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const evaluation::NetworkRun run =
        evaluation::run_network(net, hw, evaluation::Engine::Analytical, SimOptions{}, execution,
                                ScheduleObjective(scenario.cycles_of, {}, scenario.allocation, table), &table);
    nlohmann::json header = {{"space", space->name()}, {"execution", to_string(execution)}};
    const nlohmann::json report =
        cli::simulation_report(header, net, hw, run, table, cli::energy_of_run(net, hw, run, table));
    bytes += report.size();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("c++ %s %s %s: %d calls, median %.6f s per call, %.2f calls/s (%zu)\n", space_name.c_str(), arch.c_str(),
              to_string(execution), calls, median, 1.0 / median, bytes > 0 ? std::size_t{1} : std::size_t{0});
  return 0;
}
