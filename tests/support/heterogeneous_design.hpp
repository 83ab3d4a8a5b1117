#pragma once
// The small heterogeneous design several tests run (issue 17; docs/heterogeneous.md): a CiM part of
// 2 L1 decoders × 2 arrays of 16 MAC/cycle (64 MAC/cycle) beside a 16 × 16 digital core (K × Q, 2-, 4-
// and 8-bit, 256 KiB input buffer, 16 B/cycle port). On it the pointwise layers of OFA-MobileNetV3 run
// faster on the digital core, the depthwise and squeeze-excite ones on the arrays.
#include "hardware/digital_core.hpp"
#include "hardware/hardware.hpp"

namespace cimnet::test {

inline HardwareConfig small_heterogeneous() {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 2);
  hw.set(HwParam::MA_comp_per_core, 16);
  DigitalCore core;
  core.name = "pe";
  core.precisions = {2, 4, 8};
  core.input_buffer_bytes = 256 * 1024;
  core.port_bytes_per_cycle = 16;
  hw.digital_cores.push_back(core);
  return hw;
}

}  // namespace cimnet::test
