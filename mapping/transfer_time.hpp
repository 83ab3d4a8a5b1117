#pragma once
// The hardware's rates and latencies as the cost model reads them, and the time one flow occupies a
// hop: the SystemC model moves every flow in bursts of at most burst_bytes and a hop serves a burst of
// b bytes in ceil(b / rate) cycles (docs/model.md, "Timing semantics"), so a flow's time is rounded
// burst by burst, and flows are rounded one by one.
#include <cstdint>

#include "hardware/hardware.hpp"

namespace cimnet {

inline std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

struct Rates {
  std::int64_t dram, l2, l1, ma, comp;   // searched bandwidths (B/cycle) and MACs per cycle per core
  std::int64_t gb, l1_buffer, reduction, vector_lanes, burst;
  std::int64_t arrays_per_l1;             // MA_num_child: the most arrays one L1 decoder holds
  double lat_dram, lat_l2, lat_l1, lat_ma, lat_gb, lat_l1_buffer, pipeline;
  explicit Rates(const HardwareConfig& hw)
      : dram(hw.get(HwParam::DRAM_bw)),
        l2(hw.get(HwParam::L2_bw)),
        l1(hw.get(HwParam::L1_bw)),
        ma(hw.get(HwParam::MA_bw)),
        comp(hw.get(HwParam::MA_comp_per_core)),
        gb(hw.fixed.gb_bw),
        l1_buffer(hw.fixed.l1_buffer_bw),
        reduction(hw.fixed.reduction_bw),
        vector_lanes(hw.fixed.vector_lanes),
        burst(hw.fixed.burst_bytes),
        arrays_per_l1(hw.get(HwParam::MA_num_child)),
        lat_dram(static_cast<double>(hw.fixed.dram_latency)),
        lat_l2(static_cast<double>(hw.fixed.l2_latency)),
        lat_l1(static_cast<double>(hw.fixed.l1_latency)),
        lat_ma(static_cast<double>(hw.fixed.ma_latency)),
        lat_gb(static_cast<double>(hw.fixed.gb_latency)),
        lat_l1_buffer(static_cast<double>(hw.fixed.l1_buffer_latency)),
        pipeline(static_cast<double>(hw.fixed.core_pipeline)) {}

  // Cycles one flow of `bytes` occupies a hop of `rate`.
  double flow(std::int64_t bytes, std::int64_t rate) const {
    if (bytes <= 0) return 0;
    return static_cast<double>((bytes / burst) * cdiv(burst, rate) + (bytes % burst ? cdiv(bytes % burst, rate) : 0));
  }
};

}  // namespace cimnet
