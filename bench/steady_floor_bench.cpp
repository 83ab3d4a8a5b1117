// Issue 14, Part B: steady-state cycles ÷ the physical floor (mapping/network_floor.hpp) for the
// largest sub-network of each space on the reference design, under both policies; the floor's terms,
// the floor if activations could only stay in the global buffer (cimnet's own on-chip storage), the
// resident weights, the estimate's error, and the wall time of the network-level decisions (fused
// estimate_network with every layer's search cached). Figures: docs/mapping.md, "Resident weights".
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "mapping/network_floor.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

int main() {
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  std::printf("%-13s %-14s %10s %10s %10s %7s %10s %8s %8s %9s %8s %8s\n", "network", "execution", "cold sim",
              "steady sim", "steady est", "error", "floor", "÷ floor", "÷ gbfl", "resident", "B kept", "net ms");
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = cimnet::make_space(name);
    const cimnet::Network net = space->build(space->largest());
    const cimnet::NetworkFloor floor = cimnet::network_floor(net, hw);
    const cimnet::NetworkFloor gb_floor = cimnet::network_floor(net, hw, true);
    std::printf("%s: floor %lld (%s; compute %lld, DRAM %lld = io %lld + weights %lld + spills %lld B); "
                "activations in the global buffer only: %lld (spills %lld B)\n",
                name, static_cast<long long>(floor.cycles()), floor.bound(), static_cast<long long>(floor.compute_cycles),
                static_cast<long long>(floor.dram_cycles), static_cast<long long>(floor.io_bytes),
                static_cast<long long>(floor.weight_bytes), static_cast<long long>(floor.spill_bytes),
                static_cast<long long>(gb_floor.cycles()), static_cast<long long>(gb_floor.spill_bytes));
    cimnet::MapperCache cache;
    (void)cimnet::estimate_network(net, hw, &cache);  // every layer's search, once
    for (cimnet::Execution e : {cimnet::Execution::LayerByLayer, cimnet::Execution::Fused}) {
      const double best = cimnet::bench::decision_seconds(net, hw, cache, e, 5);
      cimnet::NetworkMapping nm = cimnet::map_network(net, hw, &cache, e);
      const cimnet::SimResult r = cimnet::bench::simulate_attributed(nm, hw, 900);
      if (!r.ok()) {
        std::printf("%-13s %-14s FAILED: %s\n", name, cimnet::to_string(e), r.message.c_str());
        continue;
      }
      int resident = 0;
      for (const auto& m : nm.layers) resident += m.resident ? 1 : 0;
      const double steady = static_cast<double>(nm.sim_steady_cycles);
      std::printf("%-13s %-14s %10lld %10lld %10lld %6.2f%% %10lld %7.2fx %7.2fx %9d %8.2f %8.2f\n", name,
                  cimnet::to_string(e), static_cast<long long>(nm.sim_cold_cycles),
                  static_cast<long long>(nm.sim_steady_cycles), static_cast<long long>(nm.analytical_steady_cycles),
                  100.0 * (static_cast<double>(nm.analytical_steady_cycles) - steady) / steady,
                  static_cast<long long>(floor.cycles()), steady / static_cast<double>(floor.cycles()),
                  steady / static_cast<double>(gb_floor.cycles()), resident,
                  static_cast<double>(nm.resident_bytes) / (1 << 20), best * 1e3);
      if (e != cimnet::Execution::Fused) continue;
      // Where the steady inference's cycles go: the steps' bounds (the estimate's), simulated cycles.
      std::map<std::string, std::int64_t> by_bound;
      for (const auto& m : nm.layers) {
        if (m.fused_into < 0) by_bound[m.steady_cost.bound] += m.sim_steady_cycles;
      }
      std::printf("  steady cycles by the step's bound:");
      for (const auto& [bound, cycles] : by_bound) {
        std::printf(" %s %.1f%%", bound.c_str(), 100.0 * static_cast<double>(cycles) / steady);
      }
      std::printf("\n");
    }
  }
  return 0;
}
