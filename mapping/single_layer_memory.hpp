#pragma once
// What a segment of one layer alone claims of the global buffer (a stream's stage, stream_schedule.hpp;
// the least-memory objective, pipelined_network.cpp).
#include <cstdint>

#include "hardware/hardware.hpp"
#include "mapping/mapping.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// The most a single layer's ops can hold in the global buffer at once, in any order their dependencies
// allow: its ops built alone and measured (peak_allocation.hpp). `plan`: a MAC layer's. Kept per
// question in a bounded per-thread memo (common/memo_table.hpp): a stream's stages ask for the same
// layers on every decoder count.
std::int64_t single_layer_gb_bytes(const Layer& layer, const Plan* plan, const HardwareConfig& hw);

}  // namespace cimnet
