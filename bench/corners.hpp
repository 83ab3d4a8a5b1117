#pragma once
// The three corners of the default hardware space that the Part A benchmarks use (docs/mapping.md,
// "Roofline"): the reference design, its DRAM at the space's lowest bandwidth (`low-dram`), and the
// space's most and fastest cores — 16 × 16 arrays at 128 MAC/cycle — with the reference's bandwidths
// (`many-cores`). Shared by roofline_bench and plan_sweep so that both name the same designs, with the
// search space by name, both exiting 2 with the allowed names on a bad argument.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/error.hpp"
#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::bench {

// Exits 2 naming the allowed corners when `name` is none of them (`tool` prefixes the message).
inline HardwareConfig corner(const std::string& name, const char* tool) {
  const HardwareSpace hs = HardwareSpace::defaults();
  HardwareConfig hw = hs.reference_config();
  auto lowest = [&](HwParam p) { return hs.choices[static_cast<std::size_t>(p)].front(); };
  auto highest = [&](HwParam p) { return hs.choices[static_cast<std::size_t>(p)].back(); };
  if (name == "low-dram") {
    hw.set(HwParam::DRAM_bw, lowest(HwParam::DRAM_bw));
  } else if (name == "many-cores") {
    for (auto p : {HwParam::L1_num_child, HwParam::MA_num_child, HwParam::MA_comp_per_core}) hw.set(p, highest(p));
  } else if (name != "reference") {
    std::fprintf(stderr, "%s: unknown corner '%s' (reference, low-dram, many-cores)\n", tool, name.c_str());
    std::exit(2);
  }
  return hw;
}

// The search space `name`, or exit 2 with its error (which names the allowed spaces).
inline auto space_named(const std::string& name, const char* tool) {
  try {
    return make_space(name);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s: %s\n", tool, e.what());
    std::exit(2);
  }
}

}  // namespace cimnet::bench
