#pragma once
// The cost of one piece's outputs (one computation of a plan and its outputs), part of the estimate
// of a MAC layer (cost_model.cpp): its busy cycles per resource and its chain, layer-by-layer or
// through a fused output path (layer_io.hpp).
#include <cstdint>

#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "mapping/pass_traffic.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet {

// One tile's outputs (program_builder.hpp): without an R split every array writes its outputs back
// to DRAM; with one, the partial sums are reduced into a decoder buffer (at L1 then moved up to the
// global buffer, or at L2 straight into it), requantised by the vector unit (global buffer → global
// buffer) and stored to DRAM. Busy cycles per resource per tile, and `chain`: the cycles from the
// compute's end to the output having left the buffers, alone.
struct OutputCost {
  double dram = 0, l2 = 0, l1 = 0, port = 0, reduce = 0, l1_buffer = 0, gb = 0, vector = 0;
  double chain = 0;
  // What the outputs put on L2 (write-backs, partial sums reduced at L2) at once, from the compute's
  // end; the port and L1 always carry them at once.
  double now_l2 = 0;
  double wb = 0;              // of `dram`: the write-backs (they go last at the DRAM; the rest are moves)
  double wb_l2 = 0;           // of `l2`: the arrays' write-backs (last on the link too; not partial sums)
  // Partial sums on their way to a reduction (an R split): activations on the links, served by arrival
  // with streams and before loads; other outputs are write-backs, served after both.
  bool psums = false;
  // Fused post-ops: what one piece keeps the vector unit's queue on the critical path (`serial`), and
  // what follows its last vector phase (`tail`: the last write, and the store).
  double serial = 0, tail = 0;
  // Fused post-ops, two or more: what the vector unit's path loses between two pieces — the earlier
  // piece's last write still holds the global buffer's port while this piece's first post-op writes
  // and its second one reads (output_cost.cpp).
  double handover = 0;
  // Fused post-ops: from the compute's end until the vector unit can start the piece's first post-op —
  // its result written into the global buffer (and the other operand moved in), then read: nothing of
  // the piece's vector work can start earlier.
  double lead = 0;
  // Of `dram`: the store of a fused output path's last result. Issued only after the piece's vector
  // work, it finds the DRAM between the next pieces' streams (issued long before): the steady state
  // leaves it out, the DRAM's total busy time counts it.
  double late_store = 0;
  // A store to DRAM (`dram` − `wb`: a fused path's last result, or an R split's requantised one) is
  // issued only after the piece's vector work, which needs at least this many cycles from the
  // compute's end whatever the eight parameters (the global buffer's port, the vector lanes and their
  // latencies are fixed): a later pass's load issued at the compute's end is not behind the store
  // unless it is still loading by then (pass_shape.cpp, later_load).
  double store_after = 0;
  std::int64_t burst = 0;     // its largest burst on the DRAM
  std::int64_t dram_bytes = 0;
};

// The outputs of one piece computing `slice` on the arrays of pass traffic `s`.
OutputCost output_cost(const Plan& p, const Rates& k, const PassTraffic& s, const Plan::Slice& slice,
                       const LayerIo& io);

}  // namespace cimnet
