// Monotonicity of the `fused` network estimate in the hardware, probed: random (sub-network,
// hardware, one parameter raised by one choice) cases per space, and every case whose steady
// estimate rose (docs/mapping.md, "What `fused` does not do yet", records the figures). A tool for
// working on the network-level decisions, run by hand; tests/mapping/network_monotonic_test.cpp holds
// the cases whose causes are removed.
//
//   fused_monotonic_probe [SEED [CASES [EXECUTION [CYCLES]]]]     (defaults: 77, 40, fused, steady)
// (EXECUTION pipelined probes the stack scheduler's steady estimate with its throughput objective:
// docs/pipelined.md, "Monotonicity"; CYCLES stream, its cycles between inferences in a stream.)
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/random.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  using namespace cimnet;
  const unsigned long long seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 77;
  const int wanted = argc > 2 ? std::atoi(argv[2]) : 40;
  const Execution execution = argc > 3 ? parse_execution(argv[3], "EXECUTION") : Execution::Fused;
  const CyclesOf cycles_of = argc > 4 ? parse_cycles_of(argv[4], "CYCLES") : CyclesOf::Steady;
  const HardwareSpace hs = HardwareSpace::defaults();
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    Rng rng(seed);
    MapperCache cache;
    int rises = 0, cases = 0;
    double worst = 0;
    while (cases < wanted) {
      const Genome genome = space->sample(rng);
      HwGenome g = hs.sample(rng);
      const std::size_t p = rng.uniform_int(kHwParamCount);
      if (g[p] + 1 >= static_cast<int>(hs.choices[p].size())) continue;
      const Network net = space->build(genome);
      const HardwareConfig lower = hs.config(g);
      const NetworkMapping a = estimate_network(net, lower, &cache, execution, cycles_of);
      ++g[p];
      const NetworkMapping b = estimate_network(net, hs.config(g), &cache, execution, cycles_of);
      ++cases;
      if (b.analytical_steady_cycles <= a.analytical_steady_cycles) continue;
      ++rises;
      const double rise = 100.0 * static_cast<double>(b.analytical_steady_cycles - a.analytical_steady_cycles) /
                          static_cast<double>(a.analytical_steady_cycles);
      worst = std::max(worst, rise);
      std::printf("  %s case %d raise %s: %lld -> %lld (+%.2f%%) from %s | %s\n", name, cases - 1,
                  hw_param_infos()[p].name, static_cast<long long>(a.analytical_steady_cycles),
                  static_cast<long long>(b.analytical_steady_cycles), rise, lower.summary().c_str(),
                  space->format(genome).c_str());
    }
    std::printf("%s: %d rises of %d (worst %.2f%%)\n", name, rises, cases, worst);
    std::fflush(stdout);
  }
  return 0;
}
