#pragma once
// The network-level decisions of an execution policy (execution.hpp): which non-MAC layers run in a
// MAC layer's output path, and which activations stay in the global buffer. Deterministic, from the
// plans alone (no simulation); program_builder.hpp builds what it decides and the cost model
// estimates it (layer_io.hpp).
//
// Under `layer-by-layer` nothing is decided: every layer reads from and writes to DRAM.
// Under `fused`:
//   - Steps. The network runs step after step (each waits for the previous one's gate), in the
//     network's order or the order given (issue_order.hpp: digital steps moved up to their producers;
//     "predecessor" below means in that order). A step is a
//     MAC layer with the post-ops fused into its output path, or a non-MAC layer on its own. A layer
//     P fuses into the step whose last layer T is P's predecessor in the order when P is an
//     activation, an eltwise add or multiply or a pooling, T's output is read by P alone (and not as
//     a matmul's stationary operand) and P reads it as one operand. Softmax and layer norm normalise
//     whole rows, which a piece (a tile's positions × a pass's channels) does not hold: they run as
//     steps of their own (reading their input where it lies). A step's post-ops are cut back while its
//     two pieces in flight do not fit the global buffer.
//   - Activations on chip. The output of a step (of its last layer) stays in the global buffer from
//     the step that writes it until the last step that reads it has completed (then Frees release it,
//     ordered before the next step) when, at every step of that span, it fits beside the activations
//     already kept and that step's own working set (its staged input copy, two pieces' intermediates,
//     a vector layer's chunks in flight): tensors are taken in the order they are written, each kept if
//     it fits (first come, first kept; a MAC step that streams a kept tensor needs no staged copy of
//     it). The network's output, and a tensor a matmul loads as its
//     stationary operand (LoadWeights reads it from DRAM in this version), go to DRAM. Exact by
//     construction: every allocation of a step lies within its working set or a kept tensor, so no
//     schedule overflows, which the program's validation proves.
#include <cstdint>
#include <vector>

#include "hardware/hardware.hpp"
#include "hardware/execution.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct LayerPlacement {
  int fused_into = -1;        // the MAC layer whose output path runs this layer, or -1 (a step of its own)
  LayerIo io;                 // a MAC layer's step
  VectorIo vector_io;         // a non-MAC layer's step
  // A step's head (a layer with fused_into = -1):
  bool kept = false;                // its step's output stays in the global buffer
  std::int64_t output_gb_bytes = 0;  // what that output takes there (also when it is not kept; 0 when it
                                     // has no reader or is a matmul's stationary operand)
  std::int64_t working_bytes = 0;   // the most the step itself allocates there at once, kept tensors aside
  bool beside = false;              // a digital step that runs beside the steps up to its first reader
  std::vector<int> free_after;  // layers whose kept output this step reads last: freed after it
};

// Per layer: for a MAC layer, the post-ops that may run in its output path by the rule above (before
// any cut for the global buffer); empty for the others.
std::vector<std::vector<PostOp>> fusable_chains(const Network& network);

// A MAC layer that runs on a digital core (issue 17; core_allocation.hpp) is a step of its own: its
// outputs leave the core tile by tile, with no post-op in their path (the post-ops that follow it are
// steps of their own); it reads its input where it lies and writes its results into the global buffer
// when they are kept (they then take `result_bytes` there), else to DRAM; its weights and partial sums
// go through DRAM, so it allocates nothing else in the buffer.
struct DigitalStep {
  bool on_digital = false;
  std::int64_t result_bytes = 0;
};

// One entry per layer. `plans`: the plan of every MAC layer on the arrays (ignored for the others);
// `digital`: per layer, whether it runs on a digital core (empty: none does); `order`: the order the
// steps are issued in with digital steps running beside the others (issue_order.hpp; empty: the
// network's order, every step after the previous one). In that order a digital step whose first reader
// is not the next step runs beside the steps up to that reader (LayerPlacement::beside): what it reads
// stays where it is, and what it keeps is kept, until that reader's step begins.
std::vector<LayerPlacement> place_network(const Network& network, const HardwareConfig& hw,
                                          const std::vector<Plan>& plans, Execution execution,
                                          const std::vector<DigitalStep>& digital = {},
                                          const std::vector<int>& order = {});

}  // namespace cimnet
