// Does half_capacity (double-buffered weights, mapping.hpp) pay off in the SystemC model? For the
// multi-pass plans among the mapper's top 3 of every MAC layer of random (sub-network, hardware)
// pairs, simulates each plan alone and its half_capacity twin, and counts the twins that are faster,
// as fast and slower (docs/mapping.md, "Known gaps", publishes the counts). Run by hand.
//
//   half_capacity_probe SEED PAIRS_PER_SPACE
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "common/random.hpp"
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
  std::vector<double> gains;
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
          const cimnet::Plan& full = best[rank].plan;
          if (full.passes < 2 || full.mapping.half_capacity) continue;
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
          (b < a ? faster : b == a ? same : slower) += 1;
          gains.push_back(static_cast<double>(a - b) / static_cast<double>(a));
          std::printf("%s[%lld>%lld %lldx%lld k%lld s%lld g%lld]\t%s\t%zu\t%s\t%lld\t%lld\t%.4f\t%s\n", name, (long long)l.in_channels, (long long)l.out_channels, (long long)l.in_h, (long long)l.in_w, (long long)l.kernel_h, (long long)l.stride, (long long)l.groups, l.name.c_str(), rank, full.mapping.summary().c_str(),
                      static_cast<long long>(a), static_cast<long long>(b), gains.back(), hw.summary().c_str());
        }
      }
    }
  }
  std::sort(gains.begin(), gains.end());
  auto at = [&](double q) { return gains.empty() ? 0.0 : gains[static_cast<std::size_t>(q * (gains.size() - 1))]; };
  std::printf("twins %zu: faster %d, as fast %d, slower %d (no feasible twin: %d); gain median %.2f%%, "
              "p10 %.2f%%, p90 %.2f%%, min %.2f%%, max %.2f%%\n",
              gains.size(), faster, same, slower, no_twin, 100 * at(0.5), 100 * at(0.1), 100 * at(0.9), 100 * at(0),
              100 * at(1));
  return 0;
}
