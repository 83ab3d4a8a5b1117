#pragma once
// A MAC layer on a digital core as program ops (issue 17): its tiles (digital_tiles.hpp) in nest order,
// each one
//   - a move of every operand tile it needs that its predecessor did not have into the core's weight,
//     input or output buffer (partial sums that come back);
//   - a DigitalCompute of its steps, which allocates its outputs in the output buffer when they are new;
//   - when its outputs leave (its successor computes others): a move of them out, final values at the
//     output width after the last input-channel tile, partial sums at accumulator width before.
// Each buffer holds two tiles: a tile's move in waits for the Free of the tile two before it in that
// buffer (released after the last computation that used it, or for outputs after their move out), so
// the next tile's loads overlap this tile's computation — except weights written into the grid itself
// (DigitalCore::weight_slots = 1), whose next tile waits for the Free of the last. The grid serves computations in the order
// they become ready, which is the tiles' order: every tile brings a new weight or input tile, and the
// moves in are served in order over the core's link.
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/digital_mapper.hpp"
#include "mapping/digital_schedule.hpp"
#include "program/program.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// Where the layer's operands come from and its outputs go: DRAM or the global buffer. A matmul's
// stationary operand (an activation) comes from `weights` too. Partial sums that leave the core before
// their last input-channel tile go to `psums` and come back from there (under `fused` DRAM, so that the
// global buffer holds only the results the placement counts).
struct DigitalLayerIo {
  Place weights = Place::Dram;
  Place inputs = Place::Dram;
  Place outputs = Place::Dram;
  Place psums = Place::Dram;
};

// The path between `place` (DRAM or the global buffer) and digital core `core` of `hw`: the narrowest
// of that memory's bandwidth, the L2 link and the core's link; the latencies of the three.
DigitalPath digital_path(const HardwareConfig& hw, int core, Place place);
// Each operand's route between its memory and the core (digital_schedule.hpp): the DRAM's and the
// global buffer's ports, the L2 decoder's link and the core's link, shared where routes meet.
DigitalRoutes digital_routes(const HardwareConfig& hw, int core, const DigitalLayerIo& io);

struct DigitalLayerOps {
  int first = -1, last = -1;  // the op ids it appended: [first, last]
  std::vector<int> outputs;   // the moves out of its final outputs
  std::vector<int> done;      // what a following layer waits for: those moves and the last Frees
};

// Appends the layer's ops to `program`; its first moves wait for `after`. Precondition: the tiling is
// feasible on the core (digital_cost), `core` indexes hw.digital_cores.
DigitalLayerOps build_digital_layer(Program& program, const Layer& layer, const HardwareConfig& hw, int core,
                                    const DigitalTiling& tiling, const DigitalLayerIo& io,
                                    const std::vector<int>& after = {});

}  // namespace cimnet
