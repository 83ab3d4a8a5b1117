// A heterogeneous design against the best CiM-only design of no more area (issue 17's acceptance:
// "against the best single-core-type design of equal area"), for the largest sub-network of each space,
// by the analytical model under layer-by-layer.
//
// The heterogeneous design H: a CiM part (`small`: the reference with 2 L1 decoders × 2 arrays of 16
// MAC/cycle, as scenarios/experiments/ofa-mbv3-heterogeneous.yaml; `reference`: the reference design)
// beside a 16 × 16 digital core (DIANA-like grid and SRAMs, 16 B/cycle port; unrolling K × Q for the
// CNNs, K × P for ViT-B/16, whose tokens are output rows). Its MAC layers are allocated for latency and,
// separately, for energy (mapping/core_allocation.hpp).
//
// The CiM-only designs are the default hardware space's 4^8 configurations (the CiMNet template, no
// digital core) whose relative area (hardware/area_model.hpp, reference = 1) is at most H's. Layer-by-
// layer cycles are non-increasing in each of the eight parameters (docs/mapping.md, "Containment"), so
// the fastest of them is among the maximal ones — those that no one-step raise of a parameter keeps
// within the area — and only those are estimated: the fewest cycles found is the exact minimum over
// the whole set. Energy is not monotone in the hardware (larger SRAM costs more per byte), so the least
// energy reported is the least among the same maximal designs, not over every design of the area.
//
// Energy: the program's action counts priced by the lpddr4 table (evaluation/energy_report.hpp; its
// static power is zero). Not compared: an all-digital design, which the CiMNet template cannot describe
// (the arrays and their tree are always there; docs/heterogeneous.md, "Not built yet").
//
//   equal_area_bench [--base small|reference] [SPACE ...]   (default: small; all three spaces)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "evaluation/energy_report.hpp"
#include "hardware/area_model.hpp"
#include "hardware/hardware.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/search_space.hpp"

namespace {

using namespace cimnet;

DigitalCore diana_like_core(LoopDim col_dim) {
  DigitalCore core;
  core.name = "pe";
  core.rows = 16;
  core.cols = 16;
  core.row_dim = LoopDim::K;
  core.col_dim = col_dim;
  core.precisions = {2, 4, 8};
  core.weight_buffer_bytes = 64 * 1024;
  core.input_buffer_bytes = 256 * 1024;
  core.output_buffer_bytes = 64 * 1024;
  core.port_bytes_per_cycle = 16;  // an assumption, as in the shipped experiment
  core.validate();
  return core;
}

struct Measured {
  std::int64_t cycles = 0;
  double energy_uj = 0;
  int on_core = 0;
};

Measured measure(const Network& net, const HardwareConfig& hw, const EnergyTable& table, CoreAllocation allocation) {
  const NetworkMapping m = map_network(net, hw, nullptr, Execution::LayerByLayer,
                                       ScheduleObjective(CyclesOf::Cold, {}, allocation, table));
  Measured out;
  out.cycles = m.analytical_cycles;
  out.energy_uj = evaluation::inference_energy(net, m, hw, table, false, m.analytical_cycles).energy.total() / 1e6;
  for (const MappedLayer& l : m.layers) out.on_core += l.digital >= 0;
  return out;
}

std::string describe(const HardwareConfig& hw) {
  std::string s;
  for (const HwParamInfo& info : hw_param_infos()) {
    if (!s.empty()) s += ' ';
    s += std::string(info.name) + "=" + format_hw_value(info.param, hw.get(info.param));
  }
  return s;
}

void run_space(const std::string& name, bool small_base) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto space = make_space(name);
  const Network net = space->build(space->largest());
  const HardwareSpace hs = HardwareSpace::defaults();
  const AreaModel area(hs.reference_config());
  const EnergyTable table = default_energy_table();

  HardwareConfig h = hs.reference_config();
  if (small_base) {
    h.set(HwParam::L1_num_child, 2);
    h.set(HwParam::MA_num_child, 2);
    h.set(HwParam::MA_comp_per_core, 16);
  }
  h.digital_cores.push_back(diana_like_core(name == "vit-b16" ? LoopDim::P : LoopDim::Q));
  const double budget = area.area(h);
  const Measured h_latency = measure(net, h, table, CoreAllocation::Latency);
  const Measured h_energy = measure(net, h, table, CoreAllocation::Energy);
  HardwareConfig h_arrays = h;
  h_arrays.digital_cores.clear();
  const Measured h_without = measure(net, h_arrays, table, CoreAllocation::Latency);

  // Every configuration within the area, then the maximal ones.
  const std::size_t n = kHwParamCount;
  std::vector<HwGenome> within, maximal;
  HwGenome g{};
  const auto fits = [&](const HwGenome& x) { return area.area(hs.config(x)) <= budget; };
  while (true) {
    if (fits(g)) within.push_back(g);
    std::size_t i = 0;
    while (i < n && ++g[i] == static_cast<int>(hs.choices[i].size())) g[i++] = 0;
    if (i == n) break;
  }
  for (const HwGenome& x : within) {
    bool raisable = false;
    for (std::size_t i = 0; i < n && !raisable; ++i) {
      if (x[i] + 1 == static_cast<int>(hs.choices[i].size())) continue;
      HwGenome y = x;
      ++y[i];
      raisable = fits(y);
    }
    if (!raisable) maximal.push_back(x);
  }
  Measured fastest, frugal;
  fastest.cycles = std::numeric_limits<std::int64_t>::max();
  frugal.energy_uj = std::numeric_limits<double>::infinity();
  HardwareConfig fastest_hw, frugal_hw;
  for (const HwGenome& x : maximal) {
    const HardwareConfig c = hs.config(x);
    const Measured m = measure(net, c, table, CoreAllocation::Latency);
    if (m.cycles < fastest.cycles || (m.cycles == fastest.cycles && m.energy_uj < fastest.energy_uj)) {
      fastest = m;
      fastest_hw = c;
    }
    if (m.energy_uj < frugal.energy_uj) {
      frugal = m;
      frugal_hw = c;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("== %s (%s, %lld MACs), CiM part %s\n", name.c_str(), net.name.c_str(),
              static_cast<long long>(net.total_macs()), small_base ? "small" : "reference");
  std::printf("heterogeneous: %s + 16x16 %s core, area %.4f\n", describe(h).c_str(),
              name == "vit-b16" ? "KxP" : "KxQ", budget);
  std::printf("  allocation latency : %12lld cycles %12.1f uJ  (%d MAC layers on the core)\n",
              static_cast<long long>(h_latency.cycles), h_latency.energy_uj, h_latency.on_core);
  std::printf("  allocation energy  : %12lld cycles %12.1f uJ  (%d MAC layers on the core)\n",
              static_cast<long long>(h_energy.cycles), h_energy.energy_uj, h_energy.on_core);
  std::printf("  its CiM part alone : %12lld cycles %12.1f uJ  (area %.4f)\n", static_cast<long long>(h_without.cycles),
              h_without.energy_uj, area.area(h_arrays));
  std::printf("CiM-only within area %.4f: %zu of %zu configurations, %zu maximal (estimated)\n", budget, within.size(),
              static_cast<std::size_t>(1) << (2 * n), maximal.size());
  std::printf("  fastest            : %12lld cycles %12.1f uJ  area %.4f  %s\n", static_cast<long long>(fastest.cycles),
              fastest.energy_uj, area.area(fastest_hw), describe(fastest_hw).c_str());
  std::printf("  least energy (max.): %12lld cycles %12.1f uJ  area %.4f  %s\n", static_cast<long long>(frugal.cycles),
              frugal.energy_uj, area.area(frugal_hw), describe(frugal_hw).c_str());
  std::printf("heterogeneous / fastest CiM-only: cycles %.3f, energy %.3f; %.0f s\n",
              static_cast<double>(h_latency.cycles) / static_cast<double>(fastest.cycles),
              h_latency.energy_uj / fastest.energy_uj, seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool small_base = true;
  std::vector<std::string> spaces;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--base") == 0 && i + 1 < argc) {
      const std::string base = argv[++i];
      if (base != "small" && base != "reference") {
        std::fprintf(stderr, "equal_area_bench: --base: expected small or reference, got '%s'\n", base.c_str());
        return 2;
      }
      small_base = base == "small";
    } else {
      spaces.emplace_back(argv[i]);
    }
  }
  if (spaces.empty()) spaces = {"ofa-mbv3", "ofa-resnet50", "vit-b16"};
  for (const std::string& s : spaces) run_space(s, small_base);
  return 0;
}
