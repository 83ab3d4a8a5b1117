#pragma once
// Which core runs each MAC layer under `fused` when cores can run branches at once (issue 17;
// issue_order.hpp; docs/heterogeneous.md, "Branches on different cores").
//
// Costed alone, from DRAM to DRAM, each layer's best core is the one the layer-by-layer allocation picks
// (core_allocation.hpp). Under `fused` a digital step whose first reader comes later runs beside the
// steps in between, so a layer that is slower alone on another core may shorten the network: a ResNet
// shortcut projection on the second core of a DIANA-like design runs while the first core computes
// the block's main path. improve_fused_allocation searches for such moves over the whole network's
// fused estimate (its order of issue, concurrency and data placement; no residency, which the network
// mapper decides afterwards): for each MAC layer on a branch (issue_order.hpp, branch_layers) in turn it
// tries each other digital core that can run it and keeps the first move that lowers the objective's
// score (StreamScore: the network's cycles, its energy, or their product; the energy is each layer's
// alone, from DRAM to DRAM, with the DRAM bytes the fused placement adds or saves against that priced
// at DRAM's rate less the buffer's, and static power over the cycles), sweeping until a sweep keeps
// none (at most kMaxAllocationSweeps). A chain of layers has no branch layer: nothing moves, and the
// allocation stays that of each layer alone. Last, the same network one step after another in its own
// order is scored too, with the allocation found and with each layer where it is fastest alone, and
// chosen when lower (NetworkMapping::branches_beside):
// what a step beside reads and keeps stays in the global buffer longer, and the tensors that then spill
// may cost more than the overlap saves. Layers do not move onto the arrays: an array layer's plan
// was chosen to carry the post-ops of its output path.
#include "hardware/hardware.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/network_program.hpp"
#include "mapping/stream_allocation.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// `out`: the network's layers as allocated (MappedLayer::core_options). Moves layers as above (each
// moved layer mapped on its new core, move_to_core); returns the number of moves kept. `memo`: the
// digital steps' estimates (network_program.hpp), shared with the network mapper's later estimates.
int improve_fused_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache, StreamScore& score,
                             NetworkMapping& out, DigitalStepMemo& memo);

}  // namespace cimnet
