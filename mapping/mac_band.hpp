#pragma once
// One band of a MAC layer in a pipelined stack (stack_program.hpp): its plan on the layer's decoders
// (band_plan), its estimate where its data lives, and what it allocates in the global buffer at once.
//
// Kept per thread in a bounded memo (common/memo_table.hpp): the stack scheduler scores every stack of
// up to twelve layers in six tile counts on every decoder count, so one layer's band of the same rows on
// the same decoders comes back many times; the band's plan search (a bisection over its input tiles)
// and its estimate are then done once. The key is everything the three read — the band's GEMM view and
// MACs, the layer plan's mapping and positions, the stage's hardware, and the io — so a hit returns
// exactly what a fresh computation would. The memo keeps the band plan's mapping, not the plan: the
// plan (make_plan of that mapping) is made again only when a program is built.
#include <cstdint>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct MacBand {
  Mapping mapping;           // the band plan's (band_plan: the layer's, with the band's tiles and replicas)
  Cost cost;                 // its estimate under the io
  std::int64_t working = 0;  // its own allocations in the global buffer at once
};

// InputError (band_plan's) when no plan of the layer's mapping fits the band; such bands are not kept.
MacBand mac_band(const Plan& layer_plan, const Layer& band, const HardwareConfig& stage_hw, const LayerIo& io);

// The band's plan (what band_plan returns), placed from `first_decoder`.
Plan mac_band_plan(const MacBand& work, const Layer& band, const HardwareConfig& stage_hw, std::int64_t first_decoder);

}  // namespace cimnet
