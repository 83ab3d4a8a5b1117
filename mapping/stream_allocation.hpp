#pragma once
// Which core runs each MAC layer when a stream of inferences overlaps them (issue 17; docs/heterogeneous.md,
// "A stream with digital cores"). One layer after another, each layer on the core where it is fastest
// alone is the exact optimum (core_allocation.hpp). In a stream the cores run different inferences'
// layers at once, so a layer's core decides how long the others wait for that core as well as how
// long the layer takes: on the DIANA-like design, OFA-MobileNetV3's fastest-alone allocation gives the
// 16 × 16 digital core 12.8 M cycles per inference and the analog macro 1.1 M, and the period is the
// digital core's.
//
// improve_stream_allocation searches the allocation over the stream's own schedule: with the stages as
// cut, it moves one single-layer MAC segment at a time onto another digital core (an arrays layer onto
// a digital core, or between digital cores), keeps a move when the period the stream model then
// gives (stream_period, with its replay of the cores' order) is shorter, and sweeps the segments again
// until a sweep keeps none — a first-improvement local search, judged by the schedule rather than by
// sums of cycles alone. (Sums mislead: moving layers until both cores' sums are equal made every
// shipped stream slower, since a layer slower on its new core also lengthens its stage.) Layers do not
// move onto the arrays: a layer there takes capacity that the stacks' resident weights were given.
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/stream_schedule.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// At most this many sweeps over the segments.
inline constexpr int kMaxAllocationSweeps = 8;

// `layers`: the network's layers as allocated (MappedLayer::core_options); `schedule`: its stream.
// Moves layers as above (each moved layer mapped on its new core, move_to_core) and updates both;
// returns the number of moves kept.
int improve_stream_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                              std::vector<MappedLayer>& layers, StreamSchedule& schedule);

}  // namespace cimnet
