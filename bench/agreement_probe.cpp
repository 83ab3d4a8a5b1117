// Where the analytical estimate and the SystemC model differ: the sample of `Agreement.*`
// (tests/mapping/mapping_test.cpp: 30 random (sub-network, hardware) pairs per space with its seed),
// one line per layer (network, layer, kind, plan, estimate, simulated, error) and per network, as
// tab-separated text for sorting and grouping. A tool for working on the cost model, run by hand.
//
//   agreement_probe SPACE SEED [PAIRS [EXECUTION [CYCLES [PAIR]]]] > layers.tsv
// (EXECUTION: layer-by-layer, the default, fused or pipelined; under fused a layer run in a MAC layer's output
// path is listed with its step's MAC layer, io "fused"; with resident weights the second inference's
// rows follow as "layer-steady" and "net-steady". CYCLES: what the network-level decisions minimise,
// cold (the default), steady or stream; under a stream, "net-steady" holds the cycles between
// inferences and its io column the number of stages. PAIR: map and simulate only that pair, 0-based,
// the others drawn and skipped, to look again at one pair of the sample; with AGREEMENT_PROBE_TRACE=path
// its Chrome trace is written there, docs/model.md "Reading a trace".)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
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
    std::fprintf(stderr, "usage: agreement_probe SPACE SEED [PAIRS [EXECUTION [CYCLES [PAIR]]]]\n");
    return 2;
  }
  const std::string space_name = argv[1];
  const auto seed = static_cast<std::uint64_t>(std::strtoull(argv[2], nullptr, 10));
  const int pairs = argc > 3 ? std::atoi(argv[3]) : 30;
  const cimnet::Execution execution =
      argc > 4 ? cimnet::parse_execution(argv[4], "EXECUTION") : cimnet::Execution::LayerByLayer;
  const cimnet::CyclesOf cycles_of =
      argc > 5 ? cimnet::parse_cycles_of(argv[5], "CYCLES") : cimnet::CyclesOf::Cold;
  const int only = argc > 6 ? std::atoi(argv[6]) : -1;
  const auto space = cimnet::make_space(space_name);
  const cimnet::HardwareSpace hs = cimnet::HardwareSpace::defaults();
  cimnet::Rng rng(seed);
  std::printf("row\tnet\tlayer\tname\tkind\tplan\tpasses\ttiles\test\tsim\terr\thw\tio\n");
  for (int i = 0; i < pairs; ++i) {
    const cimnet::Genome g = space->sample(rng);
    const cimnet::HardwareConfig hw = hs.config(hs.sample(rng));
    if (only >= 0 && i != only) continue;
    const cimnet::Network net = space->build(g);
    cimnet::NetworkMapping m = cimnet::map_network(net, hw, nullptr, execution, cycles_of);
    cimnet::SimOptions options;
    options.timeout_seconds = 300;
    if (only >= 0 && std::getenv("AGREEMENT_PROBE_TRACE")) options.trace_path = std::getenv("AGREEMENT_PROBE_TRACE");
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
    // One pair under a stream: each stage's span (first op start, last op end) per inference, and the
    // gaps between a stage's inferences, to see where the stages wait for each other.
    if (only >= 0 && !m.stream_stages.empty()) {
      const std::vector<int> layer_of = cimnet::op_layers(m);
      // Per warm inference its runs of ops: the second inference's, then each stream inference's.
      std::vector<std::vector<std::pair<int, int>>> runs{{{m.steady_first_op, m.stream_first_op(0)}}};
      runs.insert(runs.end(), m.stream_inference_ops.begin(), m.stream_inference_ops.end());
      for (std::size_t sg = 0; sg < m.stream_stages.size(); ++sg) {
        const auto& st = m.stream_stages[sg];
        std::fprintf(stderr, "stage %zu: layers %d..%d, decoders %lld+%lld, est alone %lld\n", sg, st.first_layer,
                     st.last_layer, static_cast<long long>(st.first_decoder), static_cast<long long>(st.decoders),
                     static_cast<long long>(st.cycles));
        std::int64_t previous_end = -1;
        for (std::size_t k = 0; k < runs.size(); ++k) {
          std::int64_t lo = -1, hi = -1;
          for (const auto& [first, last] : runs[k]) {
            for (int op = first; op < last; ++op) {
              const int layer = layer_of[static_cast<std::size_t>(op)];
              if (layer < st.first_layer || layer > st.last_layer) continue;
              const std::size_t o = static_cast<std::size_t>(op);
              lo = lo < 0 ? start[o] : std::min(lo, start[o]);
              hi = std::max(hi, end[o]);
            }
          }
          std::fprintf(stderr, "  inference %zu: %lld .. %lld (%lld), waited %lld\n", k + 1, static_cast<long long>(lo),
                       static_cast<long long>(hi), static_cast<long long>(hi - lo),
                       static_cast<long long>(previous_end < 0 ? 0 : lo - previous_end));
          previous_end = hi;
        }
      }
      // Per layer: its span in the first warm inference (on an idle chip, its stages one after another)
      // and in the next (beside the other stages).
      for (std::size_t k = 0; k + 1 < runs.size() && k < 2; ++k) {
        std::vector<std::int64_t> lo(net.layers.size(), -1), hi(net.layers.size(), -1);
        for (const auto& [first, last] : runs[k]) {
          for (int op = first; op < last; ++op) {
            const int layer = layer_of[static_cast<std::size_t>(op)];
            if (layer < 0) continue;
            const std::size_t l = static_cast<std::size_t>(layer), o = static_cast<std::size_t>(op);
            lo[l] = lo[l] < 0 ? start[o] : std::min(lo[l], start[o]);
            hi[l] = std::max(hi[l], end[o]);
          }
        }
        for (std::size_t l = 0; l < lo.size(); ++l) {
          if (lo[l] >= 0) std::fprintf(stderr, "span %zu %zu %s %lld %lld\n", k + 1, l, net.layers[l].name.c_str(),
                                       static_cast<long long>(lo[l]), static_cast<long long>(hi[l]));
        }
      }
    }
    std::fflush(stdout);
  }
  return 0;
}
