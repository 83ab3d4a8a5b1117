// Every MAC layer of the largest sub-network of each space, run alone two ways: on the CiM arrays of the
// reference design (map_layer's best plan, layer-by-layer estimate) and on a DIANA-like digital PE-array
// core fed from DRAM over the L2 link (map_layer_digital over digital_path, issue 17). Which layers would a heterogeneous accelerator rather hand to the
// digital core, and by how much? Per layer: MACs, CiM cycles and MACs/cycle, digital cycles and
// utilisation, the faster side and its factor; per space: the layers the digital core wins, grouped by
// kind, the sum of per-layer minimum cycles against all-CiM and all-digital (a per-layer-best allocation
// bound: no concurrency, no transfers between the two), the ten largest CiM ÷ digital ratios, and the
// wall time of the digital search and of the whole benchmark.
//
//   digital_vs_cim_bench [--layers] [--col-dim D] [--port B] [SPACE ...]
// The core: 16 × 16 PEs unrolling K × Q, precisions {2, 4, 8}, 64 KiB weights, 256 KiB inputs, 64 KiB
// outputs at 32-bit accumulators, pipeline 4 (grid, unrolling and SRAM sizes from KU Leuven Stream's DIANA
// validation inputs); its 16-byte port per cycle is an assumption. --col-dim unrolls another dimension over the columns instead of Q;
// --port sets the port's bytes per cycle (sensitivity checks of the two assumptions that matter most).
// --layers prints one line per MAC layer; SPACE: ofa-mbv3, ofa-resnet50, vit-b16 (default: all three).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "hardware/digital_core.hpp"
#include "hardware/hardware.hpp"
#include "mapping/digital_mapper.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/mapper.hpp"
#include "workloads/search_space.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

cimnet::DigitalCore diana_like(cimnet::LoopDim col_dim, std::int64_t port) {
  cimnet::DigitalCore core;
  core.name = "diana-like";
  core.rows = 16;
  core.cols = 16;
  core.row_dims = {cimnet::LoopDim::K};
  core.col_dims = {col_dim};
  core.precisions = {2, 4, 8};
  core.weight_buffer_bytes = 64 * 1024;
  core.input_buffer_bytes = 256 * 1024;
  core.output_buffer_bytes = 64 * 1024;
  core.accumulator_bits = 32;
  core.port_bytes_per_cycle = port;  // assumption (16 by default): not among Stream's DIANA inputs
  core.pipeline_cycles = 4;
  core.validate();
  return core;
}

// The layer's role, for grouping: the network's first MAC layer, depthwise (groups == C), the
// squeeze-excite 1×1 convolutions, pointwise (1×1, one group), other dense convolutions, linears, matmuls.
std::string role(const cimnet::Layer& l, bool first) {
  if (l.kind == cimnet::LayerKind::MatMul) return "matmul";
  if (l.kind == cimnet::LayerKind::Linear) return "linear";
  if (first) return "first conv";
  if (l.groups > 1 && l.groups == l.in_channels) return "depthwise";
  if (l.name.find(".se.") != std::string::npos) return "squeeze-excite";
  if (l.kernel_h == 1 && l.kernel_w == 1 && l.groups == 1) return "pointwise";
  return "conv " + std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w);
}

struct Row {
  std::string name, role;
  std::int64_t macs = 0, cim = 0, digital = 0;  // digital: 0 when the core cannot run it
  double util = 0;
  std::string bound, tiling, why;
};

double ratio(const Row& r) { return r.digital ? static_cast<double>(r.cim) / static_cast<double>(r.digital) : 0; }

}  // namespace

int main(int argc, char** argv) {
  bool layers = false;
  cimnet::LoopDim col_dim = cimnet::LoopDim::Q;
  std::int64_t port = 16;
  std::vector<std::string> spaces;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--layers") {
      layers = true;
    } else if (a == "--col-dim" && i + 1 < argc) {
      col_dim = cimnet::loop_dim_from_string(argv[++i], "--col-dim");
    } else if (a == "--port" && i + 1 < argc) {
      port = std::stoll(argv[++i]);
    } else {
      spaces.push_back(a);
    }
  }
  if (spaces.empty()) spaces = {"ofa-mbv3", "ofa-resnet50", "vit-b16"};
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  const cimnet::DigitalCore core = diana_like(col_dim, port);
  // The core beside the reference design's arrays, its operands from DRAM as theirs are: DRAM, the L2
  // link and its port on the way (mapping/digital_program.hpp).
  cimnet::HardwareConfig with_core = hw;
  with_core.digital_cores.push_back(core);
  const cimnet::DigitalPath path = cimnet::digital_path(with_core, 0, cimnet::Place::Dram);
  std::printf("CiM: reference design %s (peak %lld MAC/cycle)\n", hw.summary().c_str(),
              static_cast<long long>(hw.peak_macs_per_cycle()));
  std::printf("digital: %lld x %lld PEs unrolling %s x %s, buffers %lld/%lld/%lld B, port %lld B/cycle%s\n",
              static_cast<long long>(core.rows), static_cast<long long>(core.cols), core.row_unrolling().c_str(),
              core.col_unrolling().c_str(), static_cast<long long>(core.weight_buffer_bytes),
              static_cast<long long>(core.input_buffer_bytes), static_cast<long long>(core.output_buffer_bytes),
              static_cast<long long>(core.port_bytes_per_cycle), port == 16 ? " (assumed)" : "");
  if (layers) {
    std::printf("space\tlayer\tkind\tMACs\tCiM cycles\tCiM MAC/cyc\tCiM bound\tdigital cycles\tdigital util\t"
                "faster\tfactor\tdigital tiling\n");
  }
  int failed_checks = 0;
  for (const auto& s : spaces) {
    const auto t_space = clock_type::now();
    const auto space = cimnet::make_space(s);
    const cimnet::Network net = space->build(space->largest());
    std::vector<Row> rows;
    double cim_seconds = 0, digital_seconds = 0;
    std::int64_t evaluated = 0;
    for (const auto& l : net.layers) {
      if (!l.is_mac_layer()) continue;
      Row r;
      r.name = l.name;
      r.role = role(l, rows.empty());
      r.macs = l.macs();
      auto t0 = clock_type::now();
      const cimnet::LayerMapping lm = cimnet::map_layer(l, hw);
      cim_seconds += seconds_since(t0);
      r.cim = lm.best.front().cost.cycles;
      r.bound = lm.best.front().cost.bound;
      t0 = clock_type::now();
      const cimnet::DigitalMapping dm = cimnet::map_layer_digital(l, core, path);
      digital_seconds += seconds_since(t0);
      evaluated += dm.evaluated;
      if (dm.cost.feasible) {
        r.digital = dm.cost.cycles;
        r.util = dm.cost.utilisation;
        r.tiling = dm.tiling.summary();
        // Sanity: no faster than every PE busy; a depthwise layer with K unrolled uses one row at most.
        const std::int64_t floor = (r.macs + core.pes() - 1) / core.pes();
        const bool dw_bad = r.role == "depthwise" && core.row_dims == std::vector<cimnet::LoopDim>{cimnet::LoopDim::K} &&
                            r.util > 1.0 / static_cast<double>(core.rows) + 1e-12;
        if (dm.cost.compute_cycles < floor || r.digital < floor || r.util > 1 + 1e-12 || dw_bad) {
          ++failed_checks;
          std::fprintf(stderr, "CHECK FAILED %s %s: digital %lld cycles (floor %lld), utilisation %.4f\n", s.c_str(),
                       l.name.c_str(), static_cast<long long>(r.digital), static_cast<long long>(floor), r.util);
        }
      } else {
        r.why = dm.cost.why;
      }
      if (layers) {
        const bool dig = r.digital && r.digital < r.cim;
        std::printf("%s\t%s\t%s\t%lld\t%lld\t%.1f\t%s\t%lld\t%.3f\t%s\t%.2f\t%s\n", s.c_str(), r.name.c_str(),
                    r.role.c_str(), static_cast<long long>(r.macs), static_cast<long long>(r.cim),
                    static_cast<double>(r.macs) / static_cast<double>(r.cim), r.bound.c_str(),
                    static_cast<long long>(r.digital), r.util, !r.digital ? "CiM (digital cannot)" : dig ? "digital" : "CiM",
                    !r.digital ? 0.0 : dig ? ratio(r) : 1 / ratio(r),
                    r.digital ? r.tiling.c_str() : r.why.c_str());
      }
      rows.push_back(r);
    }
    // The summary.
    std::int64_t sum_cim = 0, sum_digital = 0, sum_best = 0, macs = 0, digital_macs = 0;
    int unrunnable = 0;
    std::map<std::string, std::vector<std::string>> wins;
    std::map<std::string, std::pair<int, int>> per_role;  // digital wins, layers
    for (const auto& r : rows) {
      macs += r.macs;
      sum_cim += r.cim;
      sum_digital += r.digital ? r.digital : r.cim;  // a layer the core cannot run stays on the arrays
      if (!r.digital) ++unrunnable;
      const bool dig = r.digital && r.digital < r.cim;
      sum_best += dig ? r.digital : r.cim;
      ++per_role[r.role].second;
      if (dig) {
        wins[r.role].push_back(r.name);
        ++per_role[r.role].first;
        digital_macs += r.macs;
      }
    }
    const double wall = seconds_since(t_space);
    int won = 0;
    for (const auto& [k, v] : per_role) won += v.first;
    std::printf("\n== %s: %zu MAC layers, %.3f GMACs\n", s.c_str(), rows.size(), static_cast<double>(macs) * 1e-9);
    std::printf("digital faster on %d layers (%.2f%% of the MACs); per kind (digital wins / layers):", won,
                100.0 * static_cast<double>(digital_macs) / static_cast<double>(macs));
    for (const auto& [k, v] : per_role) std::printf(" %s %d/%d;", k.c_str(), v.first, v.second);
    std::printf("\n");
    if (unrunnable) std::printf("the digital core cannot run %d layers (counted on the arrays below)\n", unrunnable);
    for (const auto& [k, names] : wins) {
      std::printf("  %s (%zu):", k.c_str(), names.size());
      for (std::size_t i = 0; i < names.size(); ++i) std::printf("%s %s", i ? "," : "", names[i].c_str());
      std::printf("\n");
    }
    std::printf("sum of cycles, layers alone: all-CiM %lld, all-digital %lld, per-layer best %lld "
                "(%.3f of all-CiM, %.3f of all-digital; a bound ignoring concurrency and transfers)\n",
                static_cast<long long>(sum_cim), static_cast<long long>(sum_digital), static_cast<long long>(sum_best),
                static_cast<double>(sum_best) / static_cast<double>(sum_cim),
                static_cast<double>(sum_best) / static_cast<double>(sum_digital));
    std::vector<const Row*> by_ratio;
    for (const auto& r : rows) {
      if (r.digital) by_ratio.push_back(&r);
    }
    std::stable_sort(by_ratio.begin(), by_ratio.end(), [](const Row* a, const Row* b) { return ratio(*a) > ratio(*b); });
    std::printf("largest CiM / digital cycle ratios:\n");
    for (std::size_t i = 0; i < std::min<std::size_t>(10, by_ratio.size()); ++i) {
      const Row& r = *by_ratio[i];
      std::printf("  %-28s %-15s %11lld MACs  CiM %9lld (%7.1f MAC/cyc, %-8s)  digital %9lld (util %.3f)  ratio %.4f\n",
                  r.name.c_str(), r.role.c_str(), static_cast<long long>(r.macs), static_cast<long long>(r.cim),
                  static_cast<double>(r.macs) / static_cast<double>(r.cim), r.bound.c_str(),
                  static_cast<long long>(r.digital), r.util, ratio(r));
    }
    std::printf("wall: map_layer_digital %.3f s in all (%lld tilings scored, %.2f ms per layer), map_layer %.3f s, "
                "benchmark %.3f s\n",
                digital_seconds, static_cast<long long>(evaluated), 1e3 * digital_seconds / static_cast<double>(rows.size()),
                cim_seconds, wall);
    std::fflush(stdout);
  }
  if (failed_checks) std::fprintf(stderr, "%d sanity checks failed\n", failed_checks);
  return failed_checks ? 1 : 0;
}
