#pragma once
// The words a memo of the analytical model keys on (common/memo_table.hpp): everything the timing of a
// hardware configuration, a GEMM view or a mapping can depend on, appended to a key. One place, so that
// every memo that reads one of them keys on all of it.
#include <cstdint>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/mapping.hpp"

namespace cimnet {

// The eight parameters, every integer microarchitecture parameter (the clock only scales cycles to
// seconds), whether the design has arrays, and how many digital cores it has.
inline void append_hardware(std::vector<std::int64_t>& key, const HardwareConfig& hw) {
  const MicroArch& f = hw.fixed;
  key.insert(key.end(), hw.values.begin(), hw.values.end());
  key.insert(key.end(), {f.dram_latency, f.l2_latency, f.l1_latency, f.ma_latency, f.core_pipeline, f.reduction_bw,
                         f.vector_lanes, f.weight_bits, f.activation_bits, f.psum_bits, f.burst_bytes,
                         f.input_buffer_bytes, f.gb_bytes, f.gb_bw, f.gb_latency, f.l1_buffer_bytes, f.l1_buffer_bw,
                         f.l1_buffer_latency, hw.cim_arrays ? 1 : 0, static_cast<std::int64_t>(hw.digital_cores.size())});
}

// A view's numbers (not its layer's name).
inline void append_view(std::vector<std::int64_t>& key, const GemmView& v) {
  key.insert(key.end(), {v.groups, v.k, v.c, v.rs, v.m, v.in_num, v.in_den, v.weight_bits, v.input_bits, v.output_bits,
                         v.stationary_is_activation ? 1 : 0});
}

inline void append_mapping(std::vector<std::int64_t>& key, const Mapping& m) {
  key.insert(key.end(), {m.group_pack, m.k_split, m.r_split, m.replicas, m.tiles, m.half_capacity ? 1 : 0,
                         m.spread ? 1 : 0, static_cast<std::int64_t>(m.reduce_at), m.pass_groups, m.weight_slices,
                         m.first_tile_slices ? 1 : 0});
}

}  // namespace cimnet
