// The mapper's best N plans of one MAC layer of a space's largest sub-network, each simulated alone:
// estimate, simulated cycles, their error and simulated ÷ roofline. It answers two questions the
// Roofline table (docs/mapping.md) raises for a layer above its roofline: does any plan of the
// mapspace run closer to it (then the estimate ranks plans wrongly), or none (then the schedule the
// mapspace can express is the limit)?
//
//   plan_sweep SPACE LAYER [CORNER] [N] [RANK]
// SPACE: ofa-mbv3, ofa-resnet50, vit-b16; CORNER: reference (default), low-dram, many-cores (as in
// roofline_bench); N: plans, best first by estimate (default 12); RANK: also list that plan's
// simulated ops (ready, start, end, bound) and, with PLAN_SWEEP_TRACE=path, write its Chrome trace.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "corners.hpp"
#include "mapping/mapper.hpp"
#include "mapping/program_builder.hpp"
#include "mapping/roofline.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: plan_sweep SPACE LAYER [CORNER] [N] [RANK]\n");
    return 2;
  }
  const auto space = cimnet::bench::space_named(argv[1], "plan_sweep");
  const std::string name = argv[2];
  const cimnet::HardwareConfig hw = cimnet::bench::corner(argc > 3 ? argv[3] : "reference", "plan_sweep");
  const std::size_t n = argc > 4 ? static_cast<std::size_t>(std::atoi(argv[4])) : 12;
  const std::size_t ops_of = argc > 5 ? static_cast<std::size_t>(std::atoi(argv[5])) : 0;
  const cimnet::Network net = space->build(space->largest());
  const cimnet::Layer* layer = nullptr;
  for (const auto& l : net.layers) {
    if (l.name == name) layer = &l;
  }
  if (layer == nullptr || !layer->is_mac_layer()) {
    std::fprintf(stderr, "plan_sweep: no MAC layer '%s' in the largest %s\n", name.c_str(), argv[1]);
    return 2;
  }
  const cimnet::Roofline roof = cimnet::roofline(*layer, hw);
  std::printf("%s: roofline %.0f (%s), with latency %.0f\n", name.c_str(), roof.cycles, roof.bound, roof.with_latency);
  std::printf("%-4s %-36s %6s %9s %9s %8s %7s %7s\n", "rank", "plan", "passes", "estimate", "simulated", "error",
              "sim/rl", "sim/lat");
  const cimnet::LayerMapping lm = cimnet::map_layer(*layer, hw, n, cimnet::SearchMode::Exhaustive);
  for (std::size_t i = 0; i < lm.best.size(); ++i) {
    const cimnet::ScoredPlan& sp = lm.best[i];
    cimnet::Program program;
    cimnet::ProgramBuilder builder(hw, program);
    builder.add_mac_layer(sp.plan, layer->name, {});
    cimnet::SimOptions options;
    if (i + 1 == ops_of && std::getenv("PLAN_SWEEP_TRACE")) options.trace_path = std::getenv("PLAN_SWEEP_TRACE");
    const cimnet::SimResult r = cimnet::simulate(program, hw, options);
    if (!r.ok()) {
      std::fprintf(stderr, "plan_sweep: %s: %s\n", sp.plan.mapping.summary().c_str(), r.message.c_str());
      return 1;
    }
    const double sim = static_cast<double>(r.total_cycles);
    std::printf("%-4zu %-36s %6lld %9lld %9lld %+7.2f%% %7.3f %7.3f\n", i + 1, sp.plan.mapping.summary().c_str(),
                static_cast<long long>(sp.plan.passes), static_cast<long long>(sp.cost.cycles),
                static_cast<long long>(r.total_cycles), 100 * (static_cast<double>(sp.cost.cycles) - sim) / sim,
                sim / roof.cycles, sim / roof.with_latency);
    if (i + 1 == ops_of) {
      for (const auto& o : r.ops) {
        std::printf("  %5d %-30s %-11s ready %7lld start %7lld end %7lld  %s %lld\n", o.id, o.name.c_str(),
                    o.kind.c_str(), static_cast<long long>(o.ready), static_cast<long long>(o.start),
                    static_cast<long long>(o.end), o.bound.c_str(), static_cast<long long>(o.bound_cycles));
      }
    }
    std::fflush(stdout);
  }
  return 0;
}
