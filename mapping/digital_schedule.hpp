#pragma once
// The cycles of a digital-core layer as its program runs (digital_program.hpp), tile by tile: the
// closed form of digital_mapper.hpp assumes uniform tiles, while edge tiles, alternating input-channel
// tiles and partial sums make real tilings uneven, and the two-slot buffers then stall the grid where a
// mean says they would not. This recurrence follows the program's own rules:
//   - a tile's moves in start when the tile two before it in that buffer has been freed (its last
//     computation ended, or for outputs its move out arrived), and are served over the path one at a
//     time in the order they are issued (bandwidth b; the latency before the narrowest hop, then after);
//   - the grid starts a tile when it is free and the tile's operands have arrived (and, for outputs it
//     allocates, their slot is free); a computation ends steps + pipeline_cycles after it starts;
//   - outputs leave after their last computation, through the path up.
// O(tiles). The mapper ranks tilings by the closed form and re-ranks its best few by this figure,
// which is what it reports (tests hold it to the SystemC model's cycles).
#include <cstdint>

#include "hardware/digital_core.hpp"
#include "mapping/digital_mapper.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// The layer's cycles on the core over `path` with `tiling` (feasible: digital_cost says so).
std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path);

}  // namespace cimnet
