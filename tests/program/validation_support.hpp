#pragma once
// What the program-validation tests share: a small hardware configuration and validate()'s message.
#include <string>

#include "common/error.hpp"
#include "program/program.hpp"

namespace cimnet::test {

// 2 L1 decoders × 4 arrays (ids 0..3 under decoder 0, 4..7 under decoder 1), 64 KiB per array; the
// buffers keep their defaults (gb_bytes 1 MiB, l1_buffer_bytes 64 KiB).
inline HardwareConfig small_hw() {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, 2);
  hw.set(HwParam::MA_num_child, 4);
  hw.set(HwParam::MA_mem_size, 64 * 1024);
  return hw;
}

// validate()'s InputError message, "" when the program is valid.
inline std::string error_of(const Program& p, const HardwareConfig& hw) {
  try {
    validate(p, hw);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace cimnet::test
