// What LINAS's analytical re-rank costs per candidate (docs/search.md, "Objectives"): the mapper's
// cycle estimate alone (estimate_network, no program) against cycles and energy (map_network builds
// the program whose action counts the energy prices; evaluation::analytical_figures), on the same
// seeded uniform joint candidates of OFA-MobileNetV3, one mapper cache for the run as in `cimnet
// search`, under layer-by-layer and fused. The first call on a new hardware configuration pays every
// layer's mapping search, which dominates both (the `cold` rows); a second pass over the same
// candidates finds every search cached (the `warm` rows: what a shortlist drawn from a few hardware
// configurations costs), where building the program is most of what energy adds.
//
//   rerank_bench [candidates (default 40)] [seed (default 1)]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "evaluation/simulation_evaluator.hpp"
#include "mapping/network_mapper.hpp"
#include "search/loop/co_space.hpp"

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 40;
  const unsigned long long seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const auto space = cimnet::make_space("ofa-mbv3");
  const cimnet::HardwareSpace hw = cimnet::HardwareSpace::defaults();
  const cimnet::loop::CoSpace co(*space, hw, cimnet::loop::Mode::Joint, "max", 1.0);
  cimnet::Rng rng(seed);
  std::vector<cimnet::loop::Candidate> cs;
  while (static_cast<int>(cs.size()) < n) {
    cimnet::loop::Candidate c = co.sample(rng);
    if (co.feasible(c)) cs.push_back(std::move(c));
  }
  const cimnet::EnergyTable table = cimnet::default_energy_table();
  std::printf("%-15s %-5s %10s %14s %14s %7s\n", "execution", "cache", "candidates", "cycles ms", "+energy ms",
              "ratio");
  for (cimnet::Execution e : {cimnet::Execution::LayerByLayer, cimnet::Execution::Fused}) {
    // One cache per column, two passes each: the first fills it (cold), the second finds it (warm).
    cimnet::MapperCache cycles_cache, energy_cache;
    for (const char* pass : {"cold", "warm"}) {
      const auto t0 = std::chrono::steady_clock::now();
      for (const auto& c : cs) {
        (void)cimnet::evaluation::analytical_cycles(space->build(c.arch), hw.config(c.hw), &cycles_cache, e,
                                                    cimnet::CyclesOf::Steady);
      }
      const double cycles_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const auto t1 = std::chrono::steady_clock::now();
      for (const auto& c : cs) {
        (void)cimnet::evaluation::analytical_figures(space->build(c.arch), hw.config(c.hw), &energy_cache, e,
                                                     cimnet::CyclesOf::Steady, table);
      }
      const double energy_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      std::printf("%-15s %-5s %10d %14.1f %14.1f %6.2fx\n", cimnet::to_string(e), pass, n, 1e3 * cycles_s / n,
                  1e3 * energy_s / n, energy_s / cycles_s);
      std::fflush(stdout);
    }
  }
  return 0;
}
