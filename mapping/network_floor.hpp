#pragma once
// The physical floor of one inference of a network once warm (issue 14, Part B): no execution on this
// hardware can take fewer cycles, whatever its policy, mapping or schedule.
//
//   floor = max(MACs ÷ peak MACs per cycle, bytes that cannot stay on chip ÷ DRAM_bw)
//
// Bytes that cannot stay on chip, per inference: the network's input and output; the weights beyond
// the arrays' capacity (they must be loaded every inference: counted once, as if every other weight
// stayed); and for every activation larger than the on-chip memory left beside the weights (the
// global buffer plus the array capacity the weights do not take) its excess, written out and read
// back (twice). A matmul's stationary operand is an activation, not a weight. The activation term
// counts array capacity as activation storage although cimnet keeps activations in the global buffer
// only; `gb_only` gives the floor with that restriction, to name what the arrays' capacity would buy.
#include <cstdint>

#include "hardware/hardware.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct NetworkFloor {
  std::int64_t compute_cycles = 0;   // ⌈MACs ÷ peak MACs per cycle⌉
  std::int64_t io_bytes = 0;         // network input + output
  std::int64_t weight_bytes = 0;     // weights beyond the arrays' capacity
  std::int64_t spill_bytes = 0;      // activations' excess over the on-chip memory left, out and back
  std::int64_t dram_cycles = 0;      // ⌈(io + weights + spills) ÷ DRAM_bw⌉
  std::int64_t cycles() const { return compute_cycles > dram_cycles ? compute_cycles : dram_cycles; }
  const char* bound() const { return compute_cycles >= dram_cycles ? "compute" : "dram"; }
};

NetworkFloor network_floor(const Network& network, const HardwareConfig& hw, bool gb_only = false);

}  // namespace cimnet
