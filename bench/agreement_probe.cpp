// Where the analytical estimate and the SystemC model differ: the sample of `Agreement.*`
// (tests/mapping/mapping_test.cpp: 30 random (sub-network, hardware) pairs per space with its seed),
// one line per layer (network, layer, kind, plan, estimate, simulated, error) and per network, as
// tab-separated text for sorting and grouping. A tool for working on the cost model, run by hand.
//
//   agreement_probe SPACE SEED [PAIRS [EXECUTION [CYCLES]]] > layers.tsv
// (EXECUTION: layer-by-layer, the default, fused or pipelined; under fused a layer run in a MAC layer's output
// path is listed with its step's MAC layer, io "fused"; with resident weights the second inference's
// rows follow as "layer-steady" and "net-steady". CYCLES: what the network-level decisions minimise,
// cold (the default), steady or stream; under a stream, "net-steady" holds the cycles between
// inferences and its io column the number of stages.)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

namespace {

const char* kind_name(cimnet::LayerKind k) {
  switch (k) {
    case cimnet::LayerKind::Conv: return "conv";
    case cimnet::LayerKind::Linear: return "linear";
    case cimnet::LayerKind::MatMul: return "matmul";
    case cimnet::LayerKind::Pool: return "pool";
    case cimnet::LayerKind::Eltwise: return "eltwise";
    case cimnet::LayerKind::Activation: return "act";
    case cimnet::LayerKind::Softmax: return "softmax";
    case cimnet::LayerKind::LayerNorm: return "layernorm";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: agreement_probe SPACE SEED [PAIRS [EXECUTION [CYCLES]]]\n");
    return 2;
  }
  const std::string space_name = argv[1];
  const auto seed = static_cast<std::uint64_t>(std::strtoull(argv[2], nullptr, 10));
  const int pairs = argc > 3 ? std::atoi(argv[3]) : 30;
  const cimnet::Execution execution =
      argc > 4 ? cimnet::parse_execution(argv[4], "EXECUTION") : cimnet::Execution::LayerByLayer;
  const cimnet::CyclesOf cycles_of =
      argc > 5 ? cimnet::parse_cycles_of(argv[5], "CYCLES") : cimnet::CyclesOf::Cold;
  const auto space = cimnet::make_space(space_name);
  const cimnet::HardwareSpace hs = cimnet::HardwareSpace::defaults();
  cimnet::Rng rng(seed);
  std::printf("row\tnet\tlayer\tname\tkind\tplan\tpasses\ttiles\test\tsim\terr\thw\tio\n");
  for (int i = 0; i < pairs; ++i) {
    const cimnet::Genome g = space->sample(rng);
    const cimnet::HardwareConfig hw = hs.config(hs.sample(rng));
    const cimnet::Network net = space->build(g);
    cimnet::NetworkMapping m = cimnet::map_network(net, hw, nullptr, execution, cycles_of);
    cimnet::SimOptions options;
    options.timeout_seconds = 300;
    const cimnet::SimResult r = cimnet::simulate(m.program, hw, options);
    if (!r.ok()) {
      std::fprintf(stderr, "network %d: %s\n", i, r.message.c_str());
      return 1;
    }
    std::vector<std::int64_t> start(r.ops.size()), end(r.ops.size());
    for (const auto& o : r.ops) {
      start[static_cast<std::size_t>(o.id)] = o.start;
      end[static_cast<std::size_t>(o.id)] = o.end;
    }
    cimnet::attribute(m, start, end);
    // The first inference, then (when weights stay resident) the second, once warm: "cold"/"steady".
    for (const bool warm : {false, true}) {
      if (warm && !m.two_inferences) break;
      for (const auto& ml : m.layers) {
        const cimnet::Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
        const std::int64_t est = warm ? ml.steady_cost.cycles : ml.cost.cycles;
        const std::int64_t sim = warm ? ml.sim_steady_cycles : ml.sim_cycles;
        const double err = static_cast<double>(est - sim) / std::max<double>(1.0, static_cast<double>(sim));
        // Where its input came from and its output went: "gb" for the global buffer, "dram" otherwise;
        // "+res" resident weights, "+pf" prefetched.
        const bool pf = warm ? ml.steady_prefetched : ml.prefetched;
        const std::string io = ml.fused_into >= 0 ? "fused"
                                                  : std::string(ml.input_on_chip ? "gb" : "dram") + ">" +
                                                        (ml.output_on_chip ? "gb" : "dram") + (ml.resident ? "+res" : "") +
                                                        (pf ? "+pf" : "");
        std::printf("layer%s\t%d\t%d\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%lld\t%.4f\t%s\t%s\n", warm ? "-steady" : "", i,
                    ml.index, l.name.c_str(), kind_name(l.kind), ml.mac ? ml.plan.mapping.summary().c_str() : "-",
                    static_cast<long long>(ml.mac ? ml.plan.passes : 0),
                    static_cast<long long>(ml.mac ? ml.plan.mapping.tiles : 0), static_cast<long long>(est),
                    static_cast<long long>(sim), err, hw.summary().c_str(), io.c_str());
      }
    }
    for (const bool warm : {false, true}) {
      if (warm && !m.two_inferences) break;
      const std::int64_t est = warm ? m.analytical_steady_cycles : m.analytical_cycles;
      const std::int64_t sim = warm ? m.sim_steady_cycles : m.sim_cold_cycles;
      const double err = static_cast<double>(est - sim) / std::max<double>(1.0, static_cast<double>(sim));
      const std::string io = m.stream_stages.empty() ? "-" : "stages=" + std::to_string(m.stream_stages.size());
      std::printf("net%s\t%d\t-\t%s\t-\t-\t0\t0\t%lld\t%lld\t%.4f\t%s\t%s\n", warm ? "-steady" : "", i,
                  net.name.c_str(), static_cast<long long>(est), static_cast<long long>(sim), err, hw.summary().c_str(),
                  io.c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}
