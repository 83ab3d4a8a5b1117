// Wall time of mapping + analytical estimate, and of the SystemC simulation, for the largest
// sub-network of each space on the reference hardware (docs/mapping.md records the figures).
#include <chrono>
#include <cstdio>

#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

int main() {
  using clock = std::chrono::steady_clock;
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  std::printf("%-14s %8s %14s %12s %12s %14s %14s\n", "network", "ops", "map+ana ms", "analytical", "simulated",
              "SystemC s", "sim total s");
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = cimnet::make_space(name);
    const cimnet::Network net = space->build(space->largest());
    constexpr int kReps = 5;
    double best = 1e9;
    std::int64_t analytical = 0;
    for (int i = 0; i < kReps; ++i) {
      const auto t0 = clock::now();
      const auto est = cimnet::estimate_network(net, hw);
      best = std::min(best, std::chrono::duration<double>(clock::now() - t0).count());
      analytical = est.analytical_cycles;
    }
    const auto t0 = clock::now();
    const auto nm = cimnet::map_network(net, hw);
    const auto r = cimnet::simulate(nm.program, hw);
    const double total = std::chrono::duration<double>(clock::now() - t0).count();
    std::printf("%-14s %8zu %14.2f %12lld %12lld %14.3f %14.3f%s\n", name, nm.program.ops.size(), best * 1e3,
                static_cast<long long>(analytical), static_cast<long long>(r.total_cycles), r.wall_seconds, total,
                r.ok() ? "" : (" FAILED: " + r.message).c_str());
  }
  return 0;
}
