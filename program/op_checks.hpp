#pragma once
// validate()'s per-op checks (program.hpp lists the rules): everything one op must satisfy that needs
// nothing but the op, the program's size and the hardware — fields, places, arrays, digital cores,
// and allocations no larger than their memory. The checks across ops are program_validation.cpp's.
#include <cstddef>

#include "hardware/hardware.hpp"
#include "program/memories.hpp"
#include "program/program.hpp"

namespace cimnet {

// InputError naming op `i` (describe()) and what is wrong with it.
void check_op(const Program& program, std::size_t i, const HardwareConfig& hardware, const Memories& mem);

}  // namespace cimnet
