#pragma once
// The cycles of a digital-core layer as its program runs (digital_program.hpp), tile by tile: the
// closed form of digital_mapper.hpp assumes uniform tiles and one pipe of the narrowest bandwidth, while
// edge tiles, alternating input-channel tiles and partial sums make real tilings uneven, the two-slot
// buffers then stall the grid where a mean says they would not, and moves in and out cross the path's
// hops in opposite orders, so a hop one direction frees is taken by the other. This schedule runs the
// layer's own ops (the program builder's, with its dependencies) over the path's hops burst by burst:
//   - a move starts when its dependencies are done (an allocation: when the one two before it in that
//     buffer was freed, i.e. its last computation ended, or for outputs its move out arrived);
//   - each hop serves one burst at a time, the earliest arrived first, by the SystemC hop's rule
//     (models/hop.hpp) and cut-through; a move's next burst leaves once the previous left its first hop;
//   - the grid runs the tiles in order; a computation ends steps + pipeline_cycles after it starts.
// The engine is mapping/burst_schedule.hpp, which schedules vector layers by the same rules.
// O(bursts · log). The mapper ranks tilings by the closed form and re-ranks its best few by this
// figure, which is what it reports. The graph mirrors digital_program.cpp's ops and dependencies
// rather than building a Program: the mapper schedules tens to hundreds of tilings per layer, and a
// program's named ops would cost more than the schedule itself. DigitalProgram's tests hold the two to
// the same cycle on every layer they map (the estimate equals the simulated program's cycles).
#include <cstdint>
#include <vector>

#include "hardware/digital_core.hpp"
#include "mapping/digital_mapper.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// The hops a layer's operands cross (rate, latency) and, per operand, the ones it crosses on its way
// down from its memory (a move out crosses them in reverse): weights, inputs, final results and
// partial sums may live in different memories (under `fused` the inputs and results in the global
// buffer, the weights and partial sums in DRAM) and share the hops they have in common.
struct DigitalRoutes {
  std::vector<DigitalHop> hops;
  std::vector<std::size_t> weights, inputs, results, psums;
  std::int64_t burst_bytes = 4096;
};
// Every operand over one path.
DigitalRoutes single_route(const DigitalPath& path);

// The layer's cycles on the core over `path` with `tiling` (feasible: digital_cost says so).
std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path);
// The same, each operand over its own route.
std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalRoutes& routes);

}  // namespace cimnet
