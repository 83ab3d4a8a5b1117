// Issue 15's benchmark: for the largest sub-network of each space on the reference design, latency (one
// inference, cold) and steady-state cycles per inference under layer-by-layer, fused and pipelined,
// simulated and estimated, with the global buffer's and the fullest array's peak occupancy (SystemC),
// and the network-level decisions' wall time on one core (estimate_network with every layer's search
// cached first: what a search pays per network once the layer shapes are known; for pipelined mostly
// the stack scheduler). Pipelined twice: its segmentation for latency (cold) and for throughput (steady,
// "pipelined/thr"), and a third time for the least global buffer within 1.2 × the fastest latency
// ("pipelined/mem"), with its claim ("gb claim", the analytical bound on the global buffer's peak); and
// a fourth for a stream of inferences ("pipelined/str", cycles: stream; its steady cycles are the
// cycles between inferences, stages overlapping).
// Usage: pipelined_bench [NETWORK [LABEL [decide]]] (e.g. ofa-mbv3 pipelined/str; LABEL "all" for every
// run); a third argument "decide" times the decisions alone and skips the simulation. Figures: docs/pipelined.md, "Benchmark"
// and "A stream of inferences".
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  std::printf("%-13s %-15s %10s %10s %10s %10s %7s %9s %9s %9s %8s %9s\n", "network", "execution", "cold sim",
              "cold est", "steady sim", "steady est", "error", "gb peak", "gb claim", "array pk", "stacks", "decide s");
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    if (argc > 1 && std::string(argv[1]) != name) continue;
    const auto space = cimnet::make_space(name);
    const cimnet::Network net = space->build(space->largest());
    using cimnet::CyclesOf;
    using cimnet::Execution;
    const cimnet::ScheduleObjective least_memory(CyclesOf::Cold, cimnet::parse_latency_bound("1.2x", "bench"));
    const std::pair<Execution, cimnet::ScheduleObjective> runs[] = {{Execution::LayerByLayer, CyclesOf::Cold},
                                                                    {Execution::Fused, CyclesOf::Cold},
                                                                    {Execution::Pipelined, CyclesOf::Cold},
                                                                    {Execution::Pipelined, CyclesOf::Steady},
                                                                    {Execution::Pipelined, least_memory},
                                                                    {Execution::Pipelined, CyclesOf::Stream}};
    for (const auto& [e, objective] : runs) {
      const std::string label =
          std::string(cimnet::to_string(e)) +
          (objective.latency_bound.active()        ? "/mem"
           : objective.cycles == CyclesOf::Steady ? "/thr"
           : objective.cycles == CyclesOf::Stream ? "/str"
                                                   : "");
      if (argc > 2 && std::string(argv[2]) != "all" && label != argv[2]) continue;
      cimnet::MapperCache cache;
      double empty_cache = 0;
      const double best = cimnet::bench::decision_seconds(net, hw, cache, e, 3, objective, &empty_cache);
      if (argc > 3 && std::string(argv[3]) == "decide") {
        std::printf("%-13s %-15s decide %.3f s (from an empty mapper cache: %.3f s)\n", name, label.c_str(), best,
                    empty_cache);
        std::fflush(stdout);
        continue;
      }
      cimnet::NetworkMapping nm = cimnet::map_network(net, hw, &cache, e, objective);
      const cimnet::SimResult r = cimnet::bench::simulate_attributed(nm, hw, 1800);
      if (!r.ok()) {
        std::printf("%-13s %-15s FAILED: %s\n", name, label.c_str(), r.message.c_str());
        continue;
      }
      std::int64_t gb = 0, array = 0;
      for (const auto& m : r.memories) {
        if (m.name == "gb") gb = m.peak_bytes;
        if (m.name.rfind("ma[", 0) == 0) array = std::max(array, m.peak_bytes);
      }
      int stacks = 0;
      for (const auto& m : nm.layers) stacks += m.stack_last == m.index ? 1 : 0;
      const double steady = static_cast<double>(nm.sim_steady_cycles);
      const double claim = nm.analytical_gb_bytes >= 0 ? static_cast<double>(nm.analytical_gb_bytes) / 1024.0 : -1;
      std::printf("%-13s %-15s %10lld %10lld %10lld %10lld %6.2f%% %8.0fK %8.0fK %8.0fK %8d %9.3f\n", name,
                  label.c_str(), static_cast<long long>(nm.sim_cold_cycles),
                  static_cast<long long>(nm.analytical_cycles), static_cast<long long>(nm.sim_steady_cycles),
                  static_cast<long long>(nm.analytical_steady_cycles),
                  100.0 * (static_cast<double>(nm.analytical_steady_cycles) - steady) / steady, gb / 1024.0,
                  claim, array / 1024.0, stacks, best);
      std::fflush(stdout);
    }
  }
  return 0;
}
