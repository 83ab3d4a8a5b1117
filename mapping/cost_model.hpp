#pragma once
// Analytical cost model: cycles of a mapped layer from the timing semantics of docs/model.md,
// without simulating. It reads the same Plan the program builder turns into ops, so the estimate
// describes exactly the program that runs (formulas: docs/mapping.md, "Cost model").
#include <cstdint>
#include <string>

#include "hardware/hardware.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "mapping/pass_traffic.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// Busy cycles per resource class over the layer (the largest one of its kind for l1/port/core).
// gb: the global buffer's port; l1_buffer: the busiest L1 buffer's port.
struct ResourceBusy {
  double dram = 0, l2 = 0, l1 = 0, port = 0, core = 0, reduce = 0, vector = 0, gb = 0, l1_buffer = 0;
};

struct Cost {
  std::int64_t cycles = 0;
  // What limits it: "compute" (MAC rate of the cores), "array" (operand reads at MA_bw), "dram",
  // "l2", "l1", "reduce", "vector", "buffer" (the port of the global buffer or of an L1 buffer),
  // "capacity" (weights reloaded for several passes make DRAM the limit), "latency" (fill/drain of a
  // short pipeline dominates).
  std::string bound;
  // Breakdown (sums to cycles): ideal = MACs / peak MACs per cycle (0 for vector layers); load =
  // weight loading not hidden behind computation; write_back = draining the last outputs; stall =
  // the rest (bandwidth, latency, padding and idle arrays).
  std::int64_t ideal = 0, load = 0, write_back = 0, stall = 0;
  ResourceBusy busy;
  std::int64_t dram_bytes = 0;  // bytes crossing the DRAM interface
  std::int64_t arrays_used = 0;
  // A MAC layer's weight loads: cycles from its start until the last is in (the whole layer when it
  // runs in several passes), and their DRAM busy cycles (cross-layer prefetch, network_mapper.cpp).
  std::int64_t loads_in = 0, load_dram = 0;
  ResourceBusy load_busy;  // the part of `busy` that is its weight loads (DRAM, L2, L1 links, ports)
  // The part of `busy` on DRAM and the L2 link that is the arrays' write-backs of outputs: what the
  // links serve last (docs/model.md, "The links' service rule"), for the stream's sharing between
  // stages (stream_schedule.hpp, stream_period). The rest of `busy` but `load_busy` is activations.
  ResourceBusy write_back_busy;
};

// Cost of a feasible plan (precondition: plan.feasible). Without half_capacity every later pass's load
// waits for the previous pass's last compute; with it, a later pass loads under the previous one
// (cost_model.cpp, half_capacity_passes), so a one-pass half_capacity plan costs what its full-capacity
// twin does and a multi-pass one at most that. `true_macs` (the layer's MACs without tile
// padding) sets the ideal term. `full` / `last` may pass precomputed traffic of the first and last
// pass (the mapper reuses them across choices that do not change the placement).
// `io`: where the layer's input comes from and what its output path does under the execution policy
// (layer_io.hpp; the default is layer-by-layer).
Cost estimate(const Plan& plan, const HardwareConfig& hw, std::int64_t true_macs, const PassTraffic* full = nullptr,
              const PassTraffic* last = nullptr, const LayerIo& io = LayerIo{});
// A lower bound on estimate(q).cycles (before rounding) for every plan q of the same placement as
// `plan` (same mapping but half_capacity, reduce_at and tiles ≥ plan's tiles): the core's MAC work and
// pipeline fills, and the DRAM bytes no such plan avoids (weights once, inputs once per pass, outputs
// once). The mapper skips a placement whose bound cannot beat the plans it already holds.
// `weights_resident`: the bound for the estimate with Weights::Resident (no weight bytes).
double cycles_lower_bound(const Plan& plan, const HardwareConfig& hw, bool weights_resident = false);
// Cost of a non-MAC layer on the vector unit (program shape in program_builder.hpp).
// `io`: the part of its input in DRAM and whether its output is stored (layer_io.hpp; the default is
// layer-by-layer).
Cost estimate_vector_layer(const Layer& layer, const HardwareConfig& hw, const VectorIo& io = VectorIo{});

}  // namespace cimnet
