// Does half_capacity (double-buffered weights, mapping.hpp) pay off in the SystemC model, and does the
// estimate see it? For the multi-pass plans among the mapper's top 3 of every MAC layer of random
// (sub-network, hardware) pairs, simulates each plan alone in its full-capacity form and as its
// half_capacity twin, counts the twins that are faster, as fast and slower, and gives both forms'
// estimate errors (docs/mapping.md, "Half capacity", publishes the figures). Run by hand.
//
//   half_capacity_probe SEED PAIRS_PER_SPACE
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/program_builder.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

namespace {

std::int64_t simulated(const cimnet::Plan& plan, const cimnet::HardwareConfig& hw) {
  cimnet::Program program;
  cimnet::ProgramBuilder builder(hw, program);
  builder.add_mac_layer(plan, "layer", {});
  const cimnet::SimResult r = cimnet::simulate(program, hw);
  if (!r.ok()) {
    std::fprintf(stderr, "simulation failed: %s\n", r.message.c_str());
    std::exit(1);
  }
  return r.total_cycles;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: half_capacity_probe SEED PAIRS_PER_SPACE\n");
    return 2;
  }
  cimnet::Rng rng(static_cast<std::uint64_t>(std::strtoull(argv[1], nullptr, 10)));
  const int pairs = std::atoi(argv[2]);
  const cimnet::HardwareSpace hs = cimnet::HardwareSpace::defaults();
  int faster = 0, same = 0, slower = 0, no_twin = 0;
  std::vector<double> gains, err_full, err_half;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = cimnet::make_space(name);
    for (int i = 0; i < pairs; ++i) {
      const cimnet::Network net = space->build(space->sample(rng));
      const cimnet::HardwareConfig hw = hs.config(hs.sample(rng));
      std::set<std::string> seen;  // one shape once
      for (const cimnet::Layer& l : net.layers) {
        if (!l.is_mac_layer()) continue;
        const auto best = cimnet::map_layer(l, hw, 3).best;
        for (std::size_t rank = 0; rank < best.size(); ++rank) {
          // The plan and its twin, whichever of the two the mapper listed.
          cimnet::Mapping first = best[rank].plan.mapping;
          first.half_capacity = false;
          const cimnet::Plan full = cimnet::make_plan(best[rank].plan.view, first, hw);
          if (!full.feasible || full.passes < 2) continue;
          const std::string key = cimnet::gemm_view(l).layer + "|" + std::to_string(l.macs()) + "|" +
                                  std::to_string(l.in_channels) + "|" + full.mapping.summary();
          if (!seen.insert(key).second) continue;
          cimnet::Mapping twin = full.mapping;
          twin.half_capacity = true;
          const cimnet::Plan half = cimnet::make_plan(full.view, twin, hw);
          if (!half.feasible) {
            ++no_twin;
            continue;
          }
          const std::int64_t a = simulated(full, hw), b = simulated(half, hw);
          const std::int64_t ea = cimnet::estimate(full, hw, l.macs()).cycles;
          const std::int64_t eb = cimnet::estimate(half, hw, l.macs()).cycles;
          (b < a ? faster : b == a ? same : slower) += 1;
          gains.push_back(static_cast<double>(a - b) / static_cast<double>(a));
          err_full.push_back(static_cast<double>(ea - a) / static_cast<double>(a));
          err_half.push_back(static_cast<double>(eb - b) / static_cast<double>(b));
          std::printf("%s %s\t%zu\t%s\tpasses %lld\tsim %lld / %lld\test %lld / %lld\terr %+.4f / %+.4f\t%s\n", name,
                      l.name.c_str(), rank, full.mapping.summary().c_str(), static_cast<long long>(full.passes),
                      static_cast<long long>(a), static_cast<long long>(b), static_cast<long long>(ea),
                      static_cast<long long>(eb), err_full.back(), err_half.back(), hw.summary().c_str());
        }
      }
    }
  }
  auto abs_stats = [](std::vector<double> v, const char* what) {
    for (double& x : v) x = x < 0 ? -x : x;
    std::sort(v.begin(), v.end());
    if (v.empty()) return;
    std::size_t over = 0;
    for (double x : v) over += x > 0.10;
    std::printf("%s estimate error: median %.2f%%, p90 %.2f%%, worst %.2f%%, > 10 %%: %zu of %zu\n", what,
                100 * v[v.size() / 2], 100 * v[static_cast<std::size_t>(0.9 * (v.size() - 1))], 100 * v.back(), over,
                v.size());
  };
  abs_stats(err_full, "full-capacity");
  abs_stats(err_half, "half_capacity");
  std::sort(gains.begin(), gains.end());
  auto at = [&](double q) { return gains.empty() ? 0.0 : gains[static_cast<std::size_t>(q * (gains.size() - 1))]; };
  std::printf("twins %zu: faster %d, as fast %d, slower %d (no feasible twin: %d); gain median %.2f%%, "
              "p10 %.2f%%, p90 %.2f%%, min %.2f%%, max %.2f%%\n",
              gains.size(), faster, same, slower, no_twin, 100 * at(0.5), 100 * at(0.1), 100 * at(0.9), 100 * at(0),
              100 * at(1));
  return 0;
}
