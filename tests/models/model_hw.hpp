#pragma once
// Hardware configurations for the model tests, with the default fixed parameters:
// dram_latency 100, l2_latency 4, l1_latency 2, ma_latency 1 (DRAM -> array path latency 107),
// core_pipeline 4, burst_bytes 4096.
#include "hardware/hardware.hpp"

namespace cimnet::test {

struct Bw {
  std::int64_t dram = 64, l2 = 256, l1 = 128, ma = 32;
  std::int64_t l1_num = 2, ma_num = 4;
  std::int64_t mem = 256 * 1024, comp = 64;
};

inline HardwareConfig make_hw(const Bw& b) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::DRAM_bw, b.dram);
  hw.set(HwParam::L2_bw, b.l2);
  hw.set(HwParam::L1_bw, b.l1);
  hw.set(HwParam::MA_bw, b.ma);
  hw.set(HwParam::L1_num_child, b.l1_num);
  hw.set(HwParam::MA_num_child, b.ma_num);
  hw.set(HwParam::MA_mem_size, b.mem);
  hw.set(HwParam::MA_comp_per_core, b.comp);
  return hw;
}

inline std::int64_t path_latency(const HardwareConfig& hw) {
  return hw.fixed.dram_latency + hw.fixed.l2_latency + hw.fixed.l1_latency + hw.fixed.ma_latency;
}
inline std::int64_t stream_latency(const HardwareConfig& hw) {
  return hw.fixed.dram_latency + hw.fixed.l2_latency + hw.fixed.l1_latency;
}

}  // namespace cimnet::test
