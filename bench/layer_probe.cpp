// One layer of the Agreement.* sample (bench/agreement_probe.cpp names them), simulated alone with the
// plan the mapper chose: its plan, the estimate with its terms, the simulated cycles, every op's
// ready/start/end and bound, and the busiest resources. A tool for working on the cost model.
//
//   layer_probe SPACE SEED PAIR LAYER [tiles=N] [half=1] [reduce_at=L1|L2]
// The overrides rebuild the mapper's plan with them. PROBE_OPS=N lists the first N ops (default 80);
// PROBE_TRACE=path writes the Chrome trace of the run (docs/model.md, "Reading a trace").
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/program_builder.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: layer_probe SPACE SEED PAIR LAYER [tiles=N half=1 reduce_at=L1|L2]\n");
    return 2;
  }
  const auto space = cimnet::make_space(argv[1]);
  const cimnet::HardwareSpace hs = cimnet::HardwareSpace::defaults();
  cimnet::Rng rng(static_cast<std::uint64_t>(std::strtoull(argv[2], nullptr, 10)));
  const int pair = std::atoi(argv[3]);
  cimnet::Network net;
  cimnet::HardwareConfig hw;
  for (int i = 0; i <= pair; ++i) {
    const cimnet::Genome g = space->sample(rng);
    hw = hs.config(hs.sample(rng));
    net = space->build(g);
  }
  const std::string name = argv[4];
  const auto it = std::find_if(net.layers.begin(), net.layers.end(), [&](const auto& l) { return l.name == name; });
  if (it == net.layers.end()) {
    std::fprintf(stderr, "no layer %s\n", name.c_str());
    return 2;
  }
  const cimnet::Layer& layer = *it;
  std::printf("hw %s\n", hw.summary().c_str());
  std::printf("layer %s kind %d batch %lld in %lld out %lld in_hw %lldx%lld out_hw %lldx%lld kernel %lldx%lld stride %lld "
              "groups %lld bits w%d i%d o%d\n",
              layer.name.c_str(), static_cast<int>(layer.kind), (long long)layer.batch, (long long)layer.in_channels,
              (long long)layer.out_channels, (long long)layer.in_h, (long long)layer.in_w, (long long)layer.out_h,
              (long long)layer.out_w, (long long)layer.kernel_h, (long long)layer.kernel_w, (long long)layer.stride,
              (long long)layer.groups, layer.weight_bits, layer.input_bits, layer.output_bits);
  cimnet::Program program;
  cimnet::ProgramBuilder builder(hw, program);
  cimnet::Cost cost;
  if (layer.is_mac_layer()) {
    cimnet::Plan plan = cimnet::map_layer(layer, hw).best.front().plan;
    cimnet::Mapping m = plan.mapping;
    for (int a = 5; a < argc; ++a) {
      const std::string o = argv[a];
      if (o.rfind("tiles=", 0) == 0) m.tiles = std::atoll(o.c_str() + 6);
      if (o == "half=1") m.half_capacity = true;
      if (o == "reduce_at=L1") m.reduce_at = cimnet::ReduceLevel::L1;
      if (o == "reduce_at=L2") m.reduce_at = cimnet::ReduceLevel::L2;
    }
    plan = cimnet::make_plan(plan.view, m, hw);
    if (!plan.feasible) {
      std::fprintf(stderr, "infeasible: %s\n", plan.why.c_str());
      return 1;
    }
    const auto s = cimnet::pass_traffic(plan, 0);
    std::printf("plan %s passes %lld m %lld tile_bytes %lld stream_bytes %lld macs %lld out_bytes %lld "
                "tile_outputs %lld\n",
                m.summary().c_str(), (long long)plan.passes, (long long)plan.m, (long long)plan.tile_bytes,
                (long long)plan.stream_bytes, (long long)plan.macs, (long long)plan.out_bytes,
                (long long)plan.tile_outputs);
    std::printf("pass0 arrays %lld l1max %lld decoders %lld load_dram %lld load_l1 %lld stream_dram %lld "
                "stream_l1 %lld\n",
                (long long)s.arrays, (long long)s.arrays_l1_max, (long long)s.decoders_used, (long long)s.load_dram,
                (long long)s.load_l1_max, (long long)s.stream_dram, (long long)s.stream_l1_max);
    cost = cimnet::estimate(plan, hw, layer.macs());
    builder.add_mac_layer(plan, layer.name, {});
  } else {
    const auto v = cimnet::vector_chunks(layer, hw);
    std::printf("vector chunks %lld lanes %lld in %lld out %lld ops %lld\n", (long long)v.count, (long long)v.lanes,
                (long long)v.in_bytes, (long long)v.out_bytes, (long long)v.ops);
    cost = cimnet::estimate_vector_layer(layer, hw);
    builder.add_vector_layer(layer, {});
  }
  std::printf("estimate %lld bound %s load %lld write_back %lld busy dram %.0f l2 %.0f l1 %.0f port %.0f core %.0f "
              "reduce %.0f vector %.0f\n",
              (long long)cost.cycles, cost.bound.c_str(), (long long)cost.load, (long long)cost.write_back,
              cost.busy.dram, cost.busy.l2, cost.busy.l1, cost.busy.port, cost.busy.core, cost.busy.reduce,
              cost.busy.vector); std::printf("busy gb %.0f l1_buffer %.0f\n", cost.busy.gb, cost.busy.l1_buffer);
  cimnet::SimOptions options;
  if (std::getenv("PROBE_TRACE")) options.trace_path = std::getenv("PROBE_TRACE");
  const cimnet::SimResult r = cimnet::simulate(program, hw, options);
  if (!r.ok()) {
    std::fprintf(stderr, "simulation: %s\n", r.message.c_str());
    return 1;
  }
  std::printf("simulated %lld (%zu ops)\n", (long long)r.total_cycles, program.ops.size());
  auto mods = r.modules;
  std::sort(mods.begin(), mods.end(), [](const auto& a, const auto& b) { return a.busy_cycles > b.busy_cycles; });
  for (std::size_t i = 0; i < mods.size() && i < 8; ++i) {
    std::printf("  busy %-14s %lld\n", mods[i].name.c_str(), (long long)mods[i].busy_cycles);
  }
  const int limit = std::getenv("PROBE_OPS") ? std::atoi(std::getenv("PROBE_OPS")) : 80;
  for (std::size_t i = 0; i < r.ops.size() && static_cast<int>(i) < limit; ++i) {
    const auto& o = r.ops[i];
    std::printf("  op %4d %-10s %-28s ready %7lld start %7lld end %7lld  %s %lld\n", o.id, o.kind.c_str(),
                o.name.c_str(), (long long)o.ready, (long long)o.start, (long long)o.end, o.bound.c_str(),
                (long long)o.bound_cycles);
  }
  return 0;
}
