// Heterogeneous designs against CiM-only designs of no more area (issue 17's acceptance: "against the
// best single-core-type design of equal area"), for the largest sub-network of each space, by the
// analytical model under layer-by-layer.
//
// The area budget A is that of a CiM part (`small`: the reference with 2 L1 decoders × 2 arrays of 16
// MAC/cycle, as scenarios/experiments/ofa-mbv3-heterogeneous.yaml; `reference`: the reference design)
// beside a 16 × 16 digital core (DIANA-like grid and SRAMs, 16 B/cycle port; unrolling K × Q for the
// CNNs, K × P for ViT-B/16, whose tokens are output rows), by the relative area model
// (hardware/area_model.hpp, reference = 1). Both sides are then searched over the default hardware
// space's 4^8 CiM configurations:
//   CiM-only        the configurations of area ≤ A;
//   heterogeneous   the configurations whose area with the digital core beside them is ≤ A, each MAC
//                   layer allocated for latency (mapping/core_allocation.hpp).
// Layer-by-layer cycles are non-increasing in each of the eight parameters on either side (the arrays'
// by containment, docs/mapping.md; a digital layer's path only widens), so the fastest design of each
// side is among its maximal configurations — those no one-step raise of a parameter keeps within A —
// and only those are estimated: the fewest cycles found is the exact minimum over the whole side.
// Energy is not monotone in the hardware (larger SRAM costs more per byte), so the least energy
// reported is the least among the same maximal designs (the heterogeneous ones allocated for energy),
// not over every design of the area. Also printed: the budget's own design (the CiM part + core).
//
// Energy: the program's action counts priced by the lpddr4 table (evaluation/energy_report.hpp; its
// static power is zero). Also compared: all-digital designs of the same area (no CiM arrays; one digital
// core of 16..128 PEs square, buffers of 64 KiB..4 MiB, a port of 16..256 B/cycle, DRAM_bw and L2_bw;
// search_digital_only).
//
//   equal_area_bench [--base small|reference] [--only-digital] [--stream K] [--fused K] [SPACE ...]
//   (default: small; all three spaces; --only-digital: the all-digital side alone; --stream K: also the K
//   fastest maximal designs of the CiM-only and heterogeneous sides, and the budget design, as a stream of
//   inferences, where the digital core runs beside the arrays: stream_best; --fused K: the same designs
//   under `fused`, weights resident, where a digital step on a branch runs beside the arrays' steps:
//   fused_best)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <utility>
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
  core.row_dims = {LoopDim::K};
  core.col_dims = {col_dim};
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

// Over the grid of choice indices of the given sizes, the points `fits` accepts that are maximal: no
// one-step raise of a coordinate still fits. `fitting` counts every point it accepts.
std::vector<std::vector<int>> maximal_points(const std::vector<int>& sizes,
                                             const std::function<bool(const std::vector<int>&)>& fits,
                                             std::size_t& fitting) {
  const std::size_t n = sizes.size();
  std::vector<std::vector<int>> out;
  fitting = 0;
  std::vector<int> g(n, 0);
  while (true) {
    if (fits(g)) {
      ++fitting;
      bool raisable = false;
      for (std::size_t i = 0; i < n && !raisable; ++i) {
        if (g[i] + 1 == sizes[i]) continue;
        std::vector<int> y = g;
        ++y[i];
        raisable = fits(y);
      }
      if (!raisable) out.push_back(g);
    }
    std::size_t i = 0;
    while (i < n && ++g[i] == sizes[i]) g[i++] = 0;
    if (i == n) return out;
  }
}

// The maximal genomes of the hardware space within what `fits` accepts.
std::vector<HwGenome> maximal_fitting(const HardwareSpace& hs, const std::function<bool(const HwGenome&)>& fits,
                                      std::size_t& fitting) {
  std::vector<int> sizes;
  for (std::size_t g = 0; g < hs.gene_count(); ++g) sizes.push_back(static_cast<int>(hs.gene_choices(g).size()));
  const auto genome = [](const std::vector<int>& p) { return HwGenome(p); };
  std::vector<HwGenome> out;
  for (const auto& p : maximal_points(sizes, [&](const std::vector<int>& q) { return fits(genome(q)); }, fitting)) {
    out.push_back(genome(p));
  }
  return out;
}

struct Side {
  Measured fastest, frugal;  // the fewest cycles (latency allocation); the least energy (energy allocation)
  HardwareConfig fastest_hw, frugal_hw;
  std::size_t fitting = 0, maximal = 0;
  std::vector<std::pair<std::int64_t, HardwareConfig>> ranked;  // the maximal designs, fewest cycles first
};

// --stream K: the K fastest maximal designs of a side (by their layer-by-layer cycles) scheduled as a
// stream of inferences (pipelined, cycles: stream; the allocation searched over the stream for latency),
// the fewest cycles between inferences among them. Stream cycles are not monotone in the hardware (the
// stage cuts are a heuristic), so this is the best of a sample, the same size on each side.
struct StreamBest {
  std::int64_t period = 0;
  int stages = 0, on_core = 0;
  HardwareConfig hw;
};
StreamBest stream_best(const Network& net, const std::vector<std::pair<std::int64_t, HardwareConfig>>& ranked,
                       std::size_t k, const EnergyTable& table) {
  StreamBest best;
  best.period = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    const HardwareConfig& c = ranked[i].second;
    const NetworkMapping m = estimate_network(net, c, nullptr, Execution::Pipelined,
                                              ScheduleObjective(CyclesOf::Stream, {}, CoreAllocation::Latency, table));
    if (m.analytical_steady_cycles >= best.period) continue;
    best.period = m.analytical_steady_cycles;
    best.stages = static_cast<int>(m.stream_stages.size());
    best.on_core = 0;
    for (const MappedLayer& l : m.layers) best.on_core += l.digital >= 0;
    best.hw = c;
  }
  return best;
}

// --fused K: the K fastest maximal designs of a side (by their layer-by-layer cycles) under `fused`, each
// mapped twice — its allocation searched for the steady cycles (latency) and for the steady inference's
// energy — keeping the fewest steady cycles and the least energy among them. Fused cycles are not monotone
// in the hardware (docs/mapping.md, "What `fused` does not do yet"), so this too is the best of a sample,
// the same size on each side.
struct FusedDesign {
  std::int64_t steady = 0, cold = 0;
  double energy_uj = 0;  // the steady inference's
  int on_core = 0, beside = 0;
  HardwareConfig hw;
};
FusedDesign fused_design(const Network& net, const HardwareConfig& c, const EnergyTable& table, CoreAllocation by) {
  const NetworkMapping m =
      map_network(net, c, nullptr, Execution::Fused, ScheduleObjective(CyclesOf::Steady, {}, by, table));
  FusedDesign d;
  d.steady = m.analytical_steady_cycles;
  d.cold = m.analytical_cycles;
  d.energy_uj = evaluation::inference_energy(net, m, c, table, true, m.analytical_steady_cycles).energy.total() / 1e6;
  for (const MappedLayer& l : m.layers) {
    d.on_core += l.digital >= 0;
    d.beside += l.beside;
  }
  d.hw = c;
  return d;
}
struct FusedBest {
  FusedDesign fastest, frugal;
};
FusedBest fused_best(const Network& net, const std::vector<std::pair<std::int64_t, HardwareConfig>>& ranked,
                     std::size_t k, const EnergyTable& table) {
  FusedBest best;
  best.fastest.steady = std::numeric_limits<std::int64_t>::max();
  best.frugal.energy_uj = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    const HardwareConfig& c = ranked[i].second;
    const FusedDesign fast = fused_design(net, c, table, CoreAllocation::Latency);
    if (fast.steady < best.fastest.steady) best.fastest = fast;
    const FusedDesign frugal = c.digital_cores.empty() ? fast : fused_design(net, c, table, CoreAllocation::Energy);
    if (frugal.energy_uj < best.frugal.energy_uj) best.frugal = frugal;
  }
  return best;
}

// The fastest and the least-energy designs among the maximal ones within `budget`, with `core` beside
// each CiM configuration when given.
Side search_side(const Network& net, const HardwareSpace& hs, const AreaModel& area, double budget,
                 const std::vector<DigitalCore>& cores, const EnergyTable& table) {
  const auto with_cores = [&](const HwGenome& g) {
    HardwareConfig c = hs.config(g);
    c.digital_cores = cores;
    return c;
  };
  Side side;
  const std::vector<HwGenome> maximal =
      maximal_fitting(hs, [&](const HwGenome& g) { return area.area(with_cores(g)) <= budget; }, side.fitting);
  side.maximal = maximal.size();
  side.fastest.cycles = std::numeric_limits<std::int64_t>::max();
  side.frugal.energy_uj = std::numeric_limits<double>::infinity();
  for (const HwGenome& g : maximal) {
    const HardwareConfig c = with_cores(g);
    const Measured fast = measure(net, c, table, CoreAllocation::Latency);
    side.ranked.emplace_back(fast.cycles, c);
    if (fast.cycles < side.fastest.cycles || (fast.cycles == side.fastest.cycles && fast.energy_uj < side.fastest.energy_uj)) {
      side.fastest = fast;
      side.fastest_hw = c;
    }
    const Measured frugal = cores.empty() ? fast : measure(net, c, table, CoreAllocation::Energy);
    if (frugal.energy_uj < side.frugal.energy_uj) {
      side.frugal = frugal;
      side.frugal_hw = c;
    }
  }
  std::stable_sort(side.ranked.begin(), side.ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return side;
}

// All-digital designs of no more area: no CiM arrays (cim_arrays: false), one digital core whose grid
// (side × side PEs), buffers (each of the three) and port are raised with DRAM_bw and L2_bw from the
// space's choices. Its cycles do not rise when any of the five is raised (a larger grid never needs more
// steps per tile), so, as for the other sides, the fastest is among the maximal designs, the only ones
// estimated; the least energy is among them too (one core: the allocation has no choice).
Side search_digital_only(const Network& net, const HardwareSpace& hs, const AreaModel& area, double budget,
                         LoopDim col_dim, const EnergyTable& table) {
  const std::vector<std::int64_t> sides = {16, 24, 32, 48, 64, 96, 128},
                                  buffers = {64 * 1024, 256 * 1024, 1024 * 1024, 4096 * 1024}, ports = {16, 64, 256};
  const auto& drams = hs.choices[static_cast<std::size_t>(HwParam::DRAM_bw)];
  const auto& l2s = hs.choices[static_cast<std::size_t>(HwParam::L2_bw)];
  const std::vector<int> sizes = {static_cast<int>(sides.size()), static_cast<int>(buffers.size()),
                                  static_cast<int>(ports.size()), static_cast<int>(drams.size()),
                                  static_cast<int>(l2s.size())};
  const auto at = [](const std::vector<int>& p, std::size_t i) { return static_cast<std::size_t>(p[i]); };
  const auto design = [&](const std::vector<int>& p) {
    HardwareConfig c = hs.reference_config();
    c.cim_arrays = false;
    c.set(HwParam::DRAM_bw, drams[at(p, 3)]);
    c.set(HwParam::L2_bw, l2s[at(p, 4)]);
    DigitalCore core = diana_like_core(col_dim);
    core.rows = core.cols = sides[at(p, 0)];
    core.weight_buffer_bytes = core.input_buffer_bytes = core.output_buffer_bytes = buffers[at(p, 1)];
    core.port_bytes_per_cycle = ports[at(p, 2)];
    c.digital_cores = {core};
    return c;
  };
  Side side;
  side.fastest.cycles = std::numeric_limits<std::int64_t>::max();
  side.frugal.energy_uj = std::numeric_limits<double>::infinity();
  const auto maximal = maximal_points(
      sizes, [&](const std::vector<int>& p) { return area.area(design(p)) <= budget; }, side.fitting);
  side.maximal = maximal.size();
  for (const auto& p : maximal) {
    const HardwareConfig c = design(p);
    const Measured m = measure(net, c, table, CoreAllocation::Latency);
    if (m.cycles < side.fastest.cycles) {
      side.fastest = m;
      side.fastest_hw = c;
    }
    if (m.energy_uj < side.frugal.energy_uj) {
      side.frugal = m;
      side.frugal_hw = c;
    }
  }
  return side;
}

std::string core_of(const HardwareConfig& hw) {
  if (hw.digital_cores.empty()) return "";
  const DigitalCore& d = hw.digital_cores.front();
  return " core " + std::to_string(d.rows) + "x" + std::to_string(d.cols) + " buffers " +
         std::to_string(d.weight_buffer_bytes / 1024) + " KiB port " + std::to_string(d.port_bytes_per_cycle);
}

void print_digital(const char* label, const Measured& m, double area, const HardwareConfig& hw) {
  std::printf("  %-22s %11lld cycles %10.1f uJ  area %.4f  DRAM_bw=%lld L2_bw=%lld%s\n", label,
              static_cast<long long>(m.cycles), m.energy_uj, area, static_cast<long long>(hw.get(HwParam::DRAM_bw)),
              static_cast<long long>(hw.get(HwParam::L2_bw)), core_of(hw).c_str());
}

void print_design(const char* label, const Measured& m, double area, const HardwareConfig& hw) {
  std::printf("  %-22s %11lld cycles %10.1f uJ  area %.4f  %d on the core  %s\n", label, static_cast<long long>(m.cycles),
              m.energy_uj, area, m.on_core, describe(hw).c_str());
}

void print_stream(const char* label, const StreamBest& b, double area) {
  std::printf("  %-22s %11lld cycles between inferences, %d stages, %d on the core, area %.4f  %s\n", label,
              static_cast<long long>(b.period), b.stages, b.on_core, area, describe(b.hw).c_str());
}

void print_fused(const char* label, const FusedDesign& d, double area) {
  std::printf("  %-22s %11lld steady cycles (cold %lld) %10.1f uJ, %d on the core (%d beside), area %.4f  %s\n",
              label, static_cast<long long>(d.steady), static_cast<long long>(d.cold), d.energy_uj, d.on_core, d.beside,
              area, describe(d.hw).c_str());
}

void run_space(const std::string& name, bool small_base, bool only_digital, std::size_t stream_k, std::size_t fused_k) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto space = make_space(name);
  const Network net = space->build(space->largest());
  const HardwareSpace hs = HardwareSpace::defaults();
  const AreaModel area(hs.reference_config());
  const EnergyTable table = default_energy_table();

  HardwareConfig base = hs.reference_config();
  if (small_base) {
    base.set(HwParam::L1_num_child, 2);
    base.set(HwParam::MA_num_child, 2);
    base.set(HwParam::MA_comp_per_core, 16);
  }
  const std::vector<DigitalCore> cores = {diana_like_core(name == "vit-b16" ? LoopDim::P : LoopDim::Q)};
  HardwareConfig h = base;
  h.digital_cores = cores;
  const double budget = area.area(h);
  const Side digital = search_digital_only(net, hs, area, budget, name == "vit-b16" ? LoopDim::P : LoopDim::Q, table);
  if (only_digital) {
    std::printf("== %s, budget: the %s CiM part + a 16x16 core, area %.4f\n", name.c_str(),
                small_base ? "small" : "reference", budget);
  }
  const Measured h_latency = only_digital ? Measured{} : measure(net, h, table, CoreAllocation::Latency);
  const Measured h_energy = only_digital ? Measured{} : measure(net, h, table, CoreAllocation::Energy);
  const Side cim = only_digital ? Side{} : search_side(net, hs, area, budget, {}, table);
  const Side het = only_digital ? Side{} : search_side(net, hs, area, budget, cores, table);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (only_digital) {
    std::printf(" all-digital: %zu designs within the area, %zu maximal (estimated)\n", digital.fitting, digital.maximal);
    print_digital("fastest", digital.fastest, area.area(digital.fastest_hw), digital.fastest_hw);
    print_digital("least energy (maximal)", digital.frugal, area.area(digital.frugal_hw), digital.frugal_hw);
    std::fflush(stdout);
    return;
  }
  std::printf("== %s (%lld MACs), budget: the %s CiM part + a 16x16 %s core, area %.4f\n", name.c_str(),
              static_cast<long long>(net.total_macs()), small_base ? "small" : "reference",
              name == "vit-b16" ? "KxP" : "KxQ", budget);
  print_design("budget design, latency", h_latency, budget, h);
  print_design("budget design, energy", h_energy, budget, h);
  std::printf(" CiM-only: %zu configurations within the area, %zu maximal (estimated)\n", cim.fitting, cim.maximal);
  print_design("fastest", cim.fastest, area.area(cim.fastest_hw), cim.fastest_hw);
  print_design("least energy (maximal)", cim.frugal, area.area(cim.frugal_hw), cim.frugal_hw);
  std::printf(" heterogeneous: %zu CiM parts fit beside the core, %zu maximal (estimated)\n", het.fitting, het.maximal);
  print_design("fastest", het.fastest, area.area(het.fastest_hw), het.fastest_hw);
  print_design("least energy (maximal)", het.frugal, area.area(het.frugal_hw), het.frugal_hw);
  std::printf(" all-digital: %zu designs within the area, %zu maximal (estimated)\n", digital.fitting, digital.maximal);
  print_digital("fastest", digital.fastest, area.area(digital.fastest_hw), digital.fastest_hw);
  print_digital("least energy (maximal)", digital.frugal, area.area(digital.frugal_hw), digital.frugal_hw);
  std::printf(" heterogeneous / all-digital: fastest %.3f x the cycles; least energy %.3f x\n",
              static_cast<double>(het.fastest.cycles) / static_cast<double>(digital.fastest.cycles),
              het.frugal.energy_uj / digital.frugal.energy_uj);
  std::printf(" heterogeneous / CiM-only: fastest %.3f x the cycles (%.3f x the energy); least energy %.3f x; %.0f s\n",
              static_cast<double>(het.fastest.cycles) / static_cast<double>(cim.fastest.cycles),
              het.fastest.energy_uj / cim.fastest.energy_uj, het.frugal.energy_uj / cim.frugal.energy_uj, seconds);
  if (stream_k > 0) {
    const auto t1 = std::chrono::steady_clock::now();
    const std::vector<std::pair<std::int64_t, HardwareConfig>> budget_only{{h_latency.cycles, h}};
    const StreamBest b = stream_best(net, budget_only, 1, table);
    const StreamBest c = stream_best(net, cim.ranked, stream_k, table);
    const StreamBest e = stream_best(net, het.ranked, stream_k, table);
    std::printf(" as a stream of inferences (the %zu fastest maximal designs of each side by layer-by-layer cycles):\n",
                stream_k);
    print_stream("budget design", b, budget);
    print_stream("CiM-only", c, area.area(c.hw));
    print_stream("heterogeneous", e, area.area(e.hw));
    std::printf(" stream, heterogeneous / CiM-only: %.3f x the cycles between inferences; %.0f s\n",
                static_cast<double>(e.period) / static_cast<double>(c.period),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  }
  if (fused_k > 0) {
    const auto t1 = std::chrono::steady_clock::now();
    const std::vector<std::pair<std::int64_t, HardwareConfig>> budget_only{{h_latency.cycles, h}};
    const FusedBest b = fused_best(net, budget_only, 1, table);
    const FusedBest c = fused_best(net, cim.ranked, fused_k, table);
    const FusedBest e = fused_best(net, het.ranked, fused_k, table);
    std::printf(" fused, weights resident (the %zu fastest maximal designs of each side by layer-by-layer cycles):\n",
                fused_k);
    print_fused("budget design, latency", b.fastest, budget);
    print_fused("budget design, energy", b.frugal, budget);
    print_fused("CiM-only, fastest", c.fastest, area.area(c.fastest.hw));
    print_fused("CiM-only, least energy", c.frugal, area.area(c.frugal.hw));
    print_fused("heterogeneous, fastest", e.fastest, area.area(e.fastest.hw));
    print_fused("heterogeneous, least en.", e.frugal, area.area(e.frugal.hw));
    std::printf(" fused, heterogeneous / CiM-only: %.3f x the steady cycles; least energy %.3f x; %.0f s\n",
                static_cast<double>(e.fastest.steady) / static_cast<double>(c.fastest.steady),
                e.frugal.energy_uj / c.frugal.energy_uj,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool small_base = true, only_digital = false;
  std::size_t stream_k = 0, fused_k = 0;
  std::vector<std::string> spaces;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--base") == 0 && i + 1 < argc) {
      const std::string base = argv[++i];
      if (base != "small" && base != "reference") {
        std::fprintf(stderr, "equal_area_bench: --base: expected small or reference, got '%s'\n", base.c_str());
        return 2;
      }
      small_base = base == "small";
    } else if (std::strcmp(argv[i], "--only-digital") == 0) {
      only_digital = true;
    } else if ((std::strcmp(argv[i], "--stream") == 0 || std::strcmp(argv[i], "--fused") == 0) && i + 1 < argc) {
      const std::string option = argv[i];
      char* end = nullptr;
      const long k = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || k < 1 || k > 1000) {
        std::fprintf(stderr, "equal_area_bench: %s: expected a count of designs 1..1000, got '%s'\n", option.c_str(),
                     argv[i]);
        return 2;
      }
      (option == "--stream" ? stream_k : fused_k) = static_cast<std::size_t>(k);
    } else {
      spaces.emplace_back(argv[i]);
    }
  }
  if (spaces.empty()) spaces = {"ofa-mbv3", "ofa-resnet50", "vit-b16"};
  for (const std::string& s : spaces) run_space(s, small_base, only_digital, stream_k, fused_k);
  return 0;
}
