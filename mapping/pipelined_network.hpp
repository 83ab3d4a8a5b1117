#pragma once
// A whole network under `pipelined` (issue 15): the segments the stack scheduler chooses
// (stack_scheduler.hpp), built into one program — a stack's bands (stack_program.hpp), or a single layer
// as under layer-by-layer — each segment after the previous one's last op. Nothing stays on chip between
// segments or between inferences, so the cold and steady cycles are one number.
#include "hardware/hardware.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// `out` holds every layer's layer-by-layer plan and estimate (what a single-layer segment runs); `build`:
// also the program.
NetworkMapping finish_pipelined(const Network& network, const HardwareConfig& hw, bool build, NetworkMapping out,
                                MapperCache& cache);

}  // namespace cimnet
