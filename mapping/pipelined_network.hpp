#pragma once
// A whole network under `pipelined` (issue 15): the segments the stack scheduler chooses
// (stack_scheduler.hpp), built into one program — a stack's bands (stack_program.hpp), or a single layer
// as under layer-by-layer — each segment after the previous one's last op. Activations cross DRAM
// between segments. A layer on a digital core (issue 17) is always a segment of its own.
//
// Over a stream of inferences (stack_residency.hpp), the stacks whose weights fit stay in the arrays:
// the first inference loads them and keeps them, and the program then holds a second inference, after
// the first, in which those stacks load nothing. Cold cycles are the first inference's, steady cycles
// the second's (as under `fused`, network_mapper.hpp). When no stack's weights stay, the program holds
// one inference and cold = steady.
//
// Under `cycles: stream` (stream_schedule.hpp), when its stages beat that: the first inference alone on
// the stages' decoders, the second after it, then 2 × stages more, each stage starting an inference
// once it has finished the previous one and the next stage has finished the one before that (two
// inferences' activations between stages); steady cycles are the cycles between inferences. With
// digital cores the stages share them: the stream's segments are issued slot by slot
// (stream_order.hpp), each layer on a digital core after the previous one issued to that core, and the
// allocation is searched over the stream's schedule (stream_allocation.hpp).
#include "hardware/execution.hpp"
#include "hardware/hardware.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// `out` holds every layer's layer-by-layer plan and estimate (what a single-layer segment runs); `build`:
// also the program. `objective`: cold, the segmentation of the fewest cold cycles (latency); steady,
// that or the segmentation of the fewest cycles once warm (stack_scheduler.hpp), whichever has the
// fewer steady cycles once the stacks whose weights fit keep them (throughput). With a latency bound:
// the segmentation claiming the least global buffer within it (least_memory_schedule.hpp), stacks whose
// weights fit staying as under the latency objective. `objective` stream: the throughput objective's
// schedule, or the stream's stages when their cycles between inferences are fewer.
NetworkMapping finish_pipelined(const Network& network, const HardwareConfig& hw, bool build, NetworkMapping out,
                                MapperCache& cache, const ScheduleObjective& objective);

}  // namespace cimnet
