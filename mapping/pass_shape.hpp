#pragma once
// The timing shape of a pass of a MAC layer's plan, for the estimate (cost_model.cpp): each sub-pass
// (a weight slice's load and its input tiles) in closed form, and the pass from the start of its first
// slice's load to its last compute — the terms docs/mapping.md, "Cost model", describes. Internal to
// the cost model: only cost_model.cpp and pass_shape.cpp include it.
#include <algorithm>
#include <cstdint>

#include "mapping/cost_model.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "mapping/output_cost.hpp"
#include "mapping/pass_traffic.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet::pass_timing {

// One sub-pass of one pass shape: its weight slice's load and its input tiles.
struct SubPass {
  double core = 0;        // one compute command
  double period = 0;      // steady-state cycles per input tile
  double chain = 0;       // one tile's stream after the previous one (its own dependency chain)
  double first_in = 0;    // the sub-pass's first input tile in, from when it may start
  double ld_t = 0;        // the slice's load alone
  double ld_dram = 0, ld_l2 = 0, ld_l1 = 0, ld_port = 0;
  double s_dram = 0;      // one tile's streams or staging move on the DRAM
  // One tile's streams on the links an output written into the global buffer crosses after them (L2,
  // and the buffer's port when they come from it): the next tile's stream is issued when a compute
  // starts and goes first there (docs/model.md, "The links' service rule").
  double s_ahead = 0;
  double first_dram = 0;  // the sub-pass's DRAM work that goes before loads (streams, moves, stores)
  bool load_waits = false;  // its load flows have more than one burst (see later_load())
  OutputCost out;         // one tile's outputs
  // Its output chain among the pieces in flight (throttled paths: two of them): out.chain, and with
  // fused post-ops that use the DRAM, the other piece's DRAM work it queues behind.
  double out_round = 0;
  ResourceBusy tile;      // busy cycles per input tile (streams or moves, operands, outputs, core)
  std::int64_t dram_bytes = 0;  // per input tile
};

// to += times · b, resource by resource.
void add_busy(ResourceBusy& to, const ResourceBusy& b, double times);

// A later pass's first weight slice. It is issued when the previous pass's last compute ends, together
// with that tile's outputs, which start at the array ports: the outputs are ahead of the load on the
// port, and partial sums (an R split) on its L1 link and on L2 unless the load reaches L2 first
// (after the DRAM's latency) — write-backs go after loads on the links —, and the load waits for what
// is ahead of it. At the DRAM the load goes before write-backs but after a store (an R split's
// outputs, a fused path's result) that arrives while it still loads (OutputCost::store_after). The pass's first stream was issued one compute earlier (when the
// previous stream was in) and goes first at the DRAM too: what it still has to move delays the load.
double later_load(const SubPass& sp, const OutputCost& prev, const Rates& k, double core_t);

// One pass shape: its sub-passes (the first, a shorter and a longer later one) and what they add.
struct PassShape {
  SubPass first, shorter, longer;
  SubPass whole;  // the first-tile order (Plan::first_tile): a later tile computed whole
  bool first_tile = false;
  // The second input tile's stream is issued when the first weight slice is in (program_builder.cpp;
  // a staged pass's move goes instead; resident weights load nothing): it then takes a whole first_in,
  // not a period of the chain.
  bool second_after_load = false;
  std::int64_t slices = 1, short_slices = 1, tiles = 1;
  const SubPass& later(std::int64_t j) const { return j < short_slices ? shorter : longer; }
  // The pass's last piece of computation.
  const SubPass& last() const { return first_tile ? whole : slices > 1 ? later(slices - 1) : first; }
  // Pieces of computation in the pass (each with its outputs).
  std::int64_t pieces() const { return first_tile ? tiles - 1 + slices : slices * tiles; }
  // The pass from the start of its first slice's load (which takes `load0`) to its last compute's end:
  // slice j's computation starts when its load is in (the loads one after another) and the previous
  // sub-pass is done, so the pass takes max over j of (loads 0..j + sub-passes j..S−1).
  // `credit`: cycles the loads had before the pass could start (cross-layer prefetch): every slice's
  // arrival is that much earlier, but the first tile still has to stream in (first_in).
  // `loaded`: every slice is in the arrays before the pass starts (a half_capacity pass whose loads ran
  // under the previous pass): the pass is its sub-passes alone.
  double time(double load0, double credit = 0, bool loaded = false) const {
    const std::int64_t S = slices;
    auto load = [&](std::int64_t j) { return loaded ? 0.0 : j == 0 ? load0 : later_slice_load(j); };
    auto body = [&](std::int64_t j) {
      const SubPass& sp = j == 0 ? first : later(j);
      if (first_tile) return sp.period;  // one tile's piece, followed by more
      // A tile of a later sub-pass follows its last tile like any other, but with one input tile
      // the next sub-pass streams nothing: it follows the compute.
      const double n = static_cast<double>(tiles);
      const double after_last = j + 1 < S && tiles > 1 ? sp.period : sp.core;
      const double chained = (n - 1) * sp.period + after_last;
      // (A prefetched first slice may be in before the pass starts: then the second stream need not wait.)
      if (j > 0 || tiles < 2 || !second_after_load || credit > 0) return chained;
      return std::max(chained, sp.first_in + (n - 2) * sp.period + after_last);
    };
    // Both sums are piecewise linear in j (two slice sizes): their sum peaks at an end of a run.
    double best = 0;
    for (std::int64_t j : {std::int64_t{0}, std::int64_t{1}, short_slices - 1, short_slices, S - 2, S - 1}) {
      if (j < 0 || j >= S) continue;
      double t = 0;
      for (std::int64_t i = 0; i <= j; ++i) t += load(i);
      if (credit > 0) t = std::max(t - credit, j == 0 ? first.first_in : 0.0);
      for (std::int64_t i = j; i < S; ++i) t += body(i);
      best = std::max(best, t);
    }
    // The later tiles whole, one after another, the first of them once its stream is in.
    if (first_tile) {
      double loads = 0;
      for (std::int64_t i = 0; i < S; ++i) loads += load(i);
      best = std::max(best, std::max(loads - credit, 0.0) + whole.first_in) + static_cast<double>(tiles - 2) * whole.period +
             whole.core;
    }
    return best;
  }
  // Slice j > 0 loads during sub-pass j − 1: behind its streams, moves and stores at the DRAM (the
  // first sub-pass's first tile went before slice 0's load), taking turns with its streams, outputs
  // and operand reads on the links and the array port. In the first-tile order the previous piece is
  // one tile's (the second tile streams after the last slice is in). Issued with slice 0 and served
  // right after slice j − 1 (the DRAM queues loads by op): no path latency of its own.
  double later_slice_load(std::int64_t j) const {
    const SubPass& sp = later(j);
    const SubPass& prev = j == 1 ? first : later(j - 1);
    const double n = first_tile ? 1.0 : static_cast<double>(tiles);
    const double prev_dram = first_tile ? prev.first_dram / static_cast<double>(tiles) : prev.first_dram;
    const double dram = prev_dram - (j == 1 ? first.s_dram : 0.0);
    return std::max({sp.ld_dram + dram, sp.ld_l2 + n * prev.tile.l2, sp.ld_l1 + n * prev.tile.l1,
                     sp.ld_port + n * prev.tile.port});
  }
  // When the pass's last slice is in, from the start of its first slice's load (which takes `load0`).
  double loads_in(double load0) const {
    double t = load0;
    for (std::int64_t j = 1; j < slices; ++j) t += later_slice_load(j);
    return t;
  }
  double load_dram() const {  // the pass's loads on the DRAM
    double t = first.ld_dram;
    for (std::int64_t j = 1; j < slices; ++j) t += later(j).ld_dram;
    return t;
  }
  ResourceBusy busy;       // what the pass adds (loads of every slice, every sub-pass's tiles)
  ResourceBusy load_busy;  // of which its weight loads
  std::int64_t dram_bytes = 0;
  double stream_chains = 0;  // Σ over the pass's streamed tiles of their chains
  double streamed = 0;       // streamed tiles in the pass
  double wb_dram = 0;        // the pass's write-backs on DRAM
  double wb_l2 = 0;          // and on the L2 link
  double post_serial = 0;    // Σ over the pass's pieces of their post-ops' serial vector work
  double out_rounds = 0;     // Σ over the pass's pieces of their output rounds (SubPass::out_round)
  double stores_dram = 0;    // the pass's outputs moved to DRAM from a buffer (an R split's stores) on DRAM
};

// The shape of pass 0 (or of the last pass, from its own traffic) of plan `p`.
PassShape pass_shape(const Plan& p, const Rates& k, const PassTraffic& s, const LayerIo& io);

}  // namespace cimnet::pass_timing
