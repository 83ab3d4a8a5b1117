#pragma once
// What a program's ops move and compute, action by action (issue 16): the counts energy is priced from
// (hardware/energy.hpp). Exact for the program: timing does not change them. The routes are the timed
// model's (docs/model.md): DRAM — L2 decoder (the global buffer beside it) — the L2 link to the L1
// decoders — each L1 decoder's link to its arrays — the array's port (weights, operands, results) or its
// input buffer (streams). A multicast pays each link once on its way (the L2 link once, each L1 link it
// reaches once) and every target array its write; a unicast pays per array. Upward (reductions,
// write-backs) every array pays its own way.
//
// Input buffers: a stream writes its bytes into each target's buffer, and the core reads them once.
#include "hardware/energy.hpp"
#include "hardware/hardware.hpp"
#include "program/program.hpp"

namespace cimnet {

// One op's actions.
ActionCounts count_actions(const Op& op, const HardwareConfig& hw);
// Every op's.
ActionCounts count_actions(const Program& program, const HardwareConfig& hw);

}  // namespace cimnet
