// The estimate of a MAC layer from its Plan, re-derived for the causal SystemC model of issue 13
// (docs/model.md: every hop serves bursts in the order they reach it; outputs of an R split go through
// the buffers and the vector unit). The terms and what they leave out: docs/mapping.md, "Cost model".
#include "mapping/cost_model.hpp"

#include <algorithm>
#include <cmath>

#include "mapping/output_cost.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet {

namespace {

// Where a sub-pass's input tiles come from (program_builder.cpp).
enum class Source {
  Dram,    // streamed from DRAM (one weight slice, or one input tile in the first sub-pass)
  Staged,  // the first sub-pass of a staged pass: each tile moved DRAM → global buffer, then streamed
  Gb,      // a later sub-pass of a staged pass: streamed from the copy in the global buffer
  Kept,    // a later sub-pass with one input tile: the tile is still in the input buffer
};

// One sub-pass of one pass shape: its weight slice's load and its input tiles.
struct SubPass {
  double core = 0;        // one compute command
  double period = 0;      // steady-state cycles per input tile
  double chain = 0;       // one tile's stream after the previous one (its own dependency chain)
  double first_in = 0;    // the sub-pass's first input tile in, from when it may start
  double ld_t = 0;        // the slice's load alone
  double ld_dram = 0, ld_l2 = 0, ld_l1 = 0, ld_port = 0;
  double s_dram = 0;      // one tile's streams or staging move on the DRAM
  double first_dram = 0;  // the sub-pass's DRAM work that goes before loads (streams, moves, stores)
  bool load_waits = false;  // its load flows have more than one burst (see later_load())
  OutputCost out;         // one tile's outputs
  // Its output chain among the pieces in flight (throttled paths: two of them): out.chain, and with
  // fused post-ops that use the DRAM, the other piece's DRAM work it queues behind.
  double out_round = 0;
  ResourceBusy tile;      // busy cycles per input tile (streams or moves, operands, outputs, core)
  std::int64_t dram_bytes = 0;  // per input tile
};

SubPass sub_pass(const Plan& p, const Rates& k, const PassTraffic& s, const Plan::Slice& slice, Source src,
                 const LayerIo& io) {
  const Mapping& map = p.mapping;
  const double lat_in = k.lat_dram + k.lat_l2 + k.lat_l1;     // dram → l2 → l1 → input buffer
  const double lat_gb_in = k.lat_gb + k.lat_l2 + k.lat_l1;    // global buffer → l2 → l1 → input buffer
  const double lat_move = k.lat_dram + k.lat_gb;              // dram → global buffer
  const double lat_load = lat_in + k.lat_ma;                  // … → the array port
  SubPass sp;
  const OutputCost o = output_cost(p, k, s, slice, io);
  sp.out = o;
  sp.core = std::max(static_cast<double>(cdiv(slice.macs, k.comp)), k.flow(slice.bytes, k.ma)) + k.pipeline;
  // Streams of one tile: one flow per stream slice (stream_dram / stream_bytes of them), a multicast
  // crossing each link once. Unicast flows (k_split = 1: one per array) present their first bursts
  // together and their first hop serves them in array order, decoder after decoder: the last decoder's
  // link receives its first data only after every other decoder's first bursts.
  const double flows = static_cast<double>(s.stream_dram / p.stream_bytes);
  const double flows_l1 = static_cast<double>(s.stream_l1_max / p.stream_bytes);
  // What another decoder's first burst delays the busiest L1 link by: its time through the source and
  // L2, but never more than the busiest link would have taken for it itself (a source slower than the
  // link keeps the link waiting anyway, and the source's own term bounds the flow then: counting more
  // would make the estimate rise as decoders are added and the busiest link carries less).
  auto first_bursts = [&](std::int64_t bytes, std::int64_t source_rate) {
    const std::int64_t b0 = std::min(bytes, k.burst);
    return std::min(std::max(k.flow(b0, source_rate), k.flow(b0, k.l2)), k.flow(bytes, k.l1));
  };
  const bool from_gb = src == Source::Staged || src == Source::Gb;
  const std::int64_t source_rate = from_gb ? k.gb : k.dram;
  const double s_src = flows * k.flow(p.stream_bytes, source_rate);
  const double s_l2 = flows * k.flow(p.stream_bytes, k.l2), s_l1 = flows_l1 * k.flow(p.stream_bytes, k.l1);
  const double s_l1_last =
      s_l1 + (map.k_split == 1 ? (flows - flows_l1) * first_bursts(p.stream_bytes, source_rate) : 0.0);
  const double s_bw = std::max({s_src, s_l2, s_l1_last});
  // The staging move of one tile (Staged): one flow of the tile's whole input, DRAM → global buffer.
  const double m_dram = k.flow(s.stream_dram, k.dram), m_gb = k.flow(s.stream_dram, k.gb);
  // A stream or move from DRAM goes first there, but waits for the burst being served (a write-back's,
  // a store's or a load's: docs/model.md, "The links' service rule").
  const double in_service = k.flow(std::max({o.burst, std::min(slice.bytes, k.burst)}), k.dram);
  // The stream chain: stream t+1 is issued when stream t is in, and what the outputs of compute t put
  // on L2 and the L1 link at once reaches them while it crosses them (a hop serves by arrival).
  // Write-backs (no R split) go last on the links (docs/model.md, "The links' service rule"): a stream
  // waits at most for the burst being served; partial sums on their way to a reduction are
  // activations, served with the streams by arrival.
  const double wb_burst_l2 = k.flow(std::min(slice.out_bytes, k.burst), k.l2);
  const double wb_burst_l1 = k.flow(std::min(slice.out_bytes, k.burst), k.l1);
  const double links =
      p.reduce ? std::max(std::max(s_src, s_l2) + o.now_l2, std::max({s_src, s_l2, s_l1_last}) + o.l1)
               : std::max({s_src, s_l2 + wb_burst_l2, s_l1_last + wb_burst_l1});
  ResourceBusy& b = sp.tile;
  b.l2 = s_l2 + o.l2;
  b.l1 = s_l1 + o.l1;
  b.port = k.flow(slice.bytes, k.ma) + o.port;
  b.core = sp.core;
  b.reduce = o.reduce;
  b.vector = o.vector;
  b.l1_buffer = o.l1_buffer;
  b.gb = o.gb;
  b.dram = o.dram;
  sp.dram_bytes = o.dram_bytes;
  double loop = 0;  // the input-buffer loop: tile t+2's stream needs compute t's half of the buffer
  switch (src) {
    case Source::Dram:
      sp.chain = lat_in + in_service + std::max(s_src, links);
      sp.first_in = lat_in + s_bw;
      loop = 0.5 * (lat_in + in_service + s_bw + sp.core);
      sp.s_dram = s_src;
      b.dram += s_src;
      sp.dram_bytes += s.stream_dram;
      break;
    case Source::Staged: {
      // Tile t+2's move is issued when tile t's stream is in: two tiles per move and stream.
      const double gb_chain = lat_gb_in + std::max(s_src + m_gb, links);
      sp.chain = std::max(gb_chain, 0.5 * (lat_move + in_service + std::max(m_dram, m_gb) + gb_chain));
      sp.first_in = lat_move + std::max(m_dram, m_gb) + lat_gb_in + s_bw;
      loop = 0.5 * (lat_gb_in + s_bw + sp.core);
      sp.s_dram = m_dram;
      b.dram += m_dram;
      b.gb += m_gb + s_src;
      sp.dram_bytes += s.stream_dram;
      break;
    }
    case Source::Gb:
      sp.chain = lat_gb_in + std::max(s_src, links);
      sp.first_in = lat_gb_in + s_bw;
      loop = 0.5 * (lat_gb_in + s_bw + sp.core);
      b.gb += s_src;
      break;
    case Source::Kept:
      b.l2 = o.l2;
      b.l1 = o.l1;
      break;
  }
  // Steady state: the slowest of the compute chain, the streams chain, every resource's per-tile busy
  // time (at the DRAM only what goes before the write-backs: streams, moves and stores), the
  // input-buffer loop and, with an R split, the result-buffer loop (tile t's reduction waits for tile
  // t−2's output to have left the buffers: two output chains per two periods).
  // Streams, moves and stores go first, write-backs last; a fused path's store fills the gaps.
  const double dram_first = b.dram - o.wb - o.late_store;
  sp.first_dram = static_cast<double>(map.tiles) * dram_first;
  sp.period = std::max({sp.core, sp.chain, dram_first, b.l2, b.l1, b.port, b.reduce, b.l1_buffer, b.gb, b.vector, loop});
  // Fused post-ops that move an operand in from DRAM: the two pieces in flight share the DRAM, and a
  // piece's operand move is issued when the piece two back has stored its result, so it queues behind
  // the other piece's DRAM stages (its move and store) once a round. (Traced op by op on ResNet-50
  // residual steps: docs/mapping.md.)
  const bool moves_operand = std::any_of(io.post.begin(), io.post.end(),
                                         [](const PostOp& post) { return !post.other_in_gb && post.other_bytes > 0; });
  sp.out_round = o.chain + (moves_operand ? o.dram : 0.0);
  if (io.throttled(p)) sp.period = std::max(sp.period, 0.5 * sp.out_round);
  // The slice's load: one flow per distinct tile (load_dram / tile_bytes), bounded by DRAM, L2, the
  // busiest L1 link or one array port.
  const double tiles_all = static_cast<double>(s.load_dram / p.tile_bytes);
  const double tiles_l1 = static_cast<double>(s.load_l1_max / p.tile_bytes);
  sp.ld_dram = tiles_all * k.flow(slice.bytes, k.dram);
  sp.ld_l2 = tiles_all * k.flow(slice.bytes, k.l2);
  sp.ld_l1 = tiles_l1 * k.flow(slice.bytes, k.l1) +
             (p.replicas == 1 ? (tiles_all - tiles_l1) * first_bursts(slice.bytes, k.dram) : 0.0);
  sp.ld_port = k.flow(slice.bytes, k.ma);
  sp.ld_t = lat_load + std::max({sp.ld_dram, sp.ld_l2, sp.ld_l1, sp.ld_port});
  sp.load_waits = slice.bytes > k.burst;
  if (io.weights == Weights::Resident) {  // in the arrays already: nothing loads
    sp.ld_dram = sp.ld_l2 = sp.ld_l1 = sp.ld_port = sp.ld_t = 0;
    sp.load_waits = false;
  }
  return sp;
}

void add_busy(ResourceBusy& to, const ResourceBusy& b, double times) {
  to.dram += times * b.dram;
  to.l2 += times * b.l2;
  to.l1 += times * b.l1;
  to.port += times * b.port;
  to.core += times * b.core;
  to.reduce += times * b.reduce;
  to.vector += times * b.vector;
  to.gb += times * b.gb;
  to.l1_buffer += times * b.l1_buffer;
}

// A later pass's first weight slice. It is issued when the previous pass's last compute ends, together
// with that tile's outputs, which start at the array ports: the outputs are ahead of the load on the
// port, and partial sums (an R split) on its L1 link and on L2 unless the load reaches L2 first
// (after the DRAM's latency) — write-backs go after loads on the links —, and the load waits for what
// is ahead of it. At the DRAM the load goes before write-backs but after a
// store (an R split's outputs). The pass's first stream was issued one compute earlier (when the
// previous stream was in) and goes first at the DRAM too: what it still has to move delays the load.
double later_load(const SubPass& sp, const OutputCost& prev, const Rates& k, double core_t) {
  const double lat_to_l2 = k.lat_dram, lat_to_l1 = lat_to_l2 + k.lat_l2, lat_to_port = lat_to_l1 + k.lat_l1;
  const double lat_load = lat_to_port + k.lat_ma;
  const double stream_left = std::max(0.0, sp.s_dram - core_t);
  const double store = prev.dram - prev.wb;
  return std::max(sp.ld_t, lat_load + std::max({sp.ld_dram + stream_left + store,
                                                sp.ld_l2 + (prev.psums ? std::max(0.0, prev.now_l2 - lat_to_l2) : 0.0),
                                                sp.ld_l1 + (prev.psums ? std::max(0.0, prev.l1 - lat_to_l1) : 0.0),
                                                sp.ld_port + std::max(0.0, prev.port - lat_to_port)}));
}

// One pass shape: its sub-passes (the first, a shorter and a longer later one) and what they add.
struct PassShape {
  SubPass first, shorter, longer;
  SubPass whole;  // the first-tile order (Plan::first_tile): a later tile computed whole
  bool first_tile = false;
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
  double time(double load0, double credit = 0) const {
    const std::int64_t S = slices;
    auto load = [&](std::int64_t j) { return j == 0 ? load0 : later_slice_load(j); };
    auto body = [&](std::int64_t j) {
      const SubPass& sp = j == 0 ? first : later(j);
      if (first_tile) return sp.period;  // one tile's piece, followed by more
      // A tile of a later sub-pass follows its last tile like any other, but with one input tile
      // the next sub-pass streams nothing: it follows the compute.
      const double n = static_cast<double>(tiles);
      return j + 1 < S && tiles > 1 ? n * sp.period : (n - 1) * sp.period + sp.core;
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
};

PassShape pass_shape(const Plan& p, const Rates& k, const PassTraffic& s, const LayerIo& io) {
  PassShape ps;
  const Mapping& map = p.mapping;
  ps.slices = p.slices;
  ps.short_slices = p.short_slices;
  ps.tiles = map.tiles;
  // An input in the global buffer (fused) is streamed from there, never staged.
  const Source fresh = io.input_in_gb ? Source::Gb : Source::Dram;
  const Source first_src = p.staged && !io.input_in_gb ? Source::Staged : fresh;
  const Source later_src = p.staged ? Source::Gb : Source::Kept;
  ps.first_tile = p.first_tile;
  ps.first = sub_pass(p, k, s, p.slice(0), first_src, io);
  // The later sub-passes (none with one slice; one size when the columns divide evenly): the mapper
  // scores every plan, so what is not needed is not computed.
  if (p.slices > 1) {
    ps.shorter = sub_pass(p, k, s, p.shorter, later_src, io);
    ps.longer = p.longer.cols == p.shorter.cols ? ps.shorter : sub_pass(p, k, s, p.longer, later_src, io);
  }
  // Each slice's sub-pass runs every tile, or (first-tile order) the first tile only, the whole
  // sub-pass the others.
  const double n = p.first_tile ? 1.0 : static_cast<double>(map.tiles);
  auto add = [&](const SubPass& sp, double count, double n_tiles, bool load) {
    add_busy(ps.busy, sp.tile, count * n_tiles);
    if (load) {
      for (ResourceBusy* to : {&ps.busy, &ps.load_busy}) {
        to->dram += count * sp.ld_dram;
        to->l2 += count * sp.ld_l2;
        to->l1 += count * sp.ld_l1;
        to->port += count * sp.ld_port;
      }
    }
    ps.dram_bytes += static_cast<std::int64_t>(count * n_tiles) * sp.dram_bytes;
    ps.wb_dram += count * n_tiles * sp.out.wb;
    ps.wb_l2 += count * n_tiles * sp.out.wb_l2;
    ps.post_serial += count * n_tiles * sp.out.serial;
    if (sp.chain > 0) {
      ps.stream_chains += count * n_tiles * sp.chain;
      ps.streamed += count * n_tiles;
    }
  };
  const std::int64_t shorter_later = std::max<std::int64_t>(0, p.short_slices - 1);
  add(ps.first, 1, n, true);
  add(ps.shorter, static_cast<double>(shorter_later), n, true);
  add(ps.longer, static_cast<double>(p.slices - 1 - shorter_later), n, true);
  if (p.first_tile) {
    ps.whole = sub_pass(p, k, s, p.whole, fresh, io);
    add(ps.whole, 1, static_cast<double>(map.tiles - 1), false);
  }
  if (io.weights != Weights::Resident) ps.dram_bytes += s.load_dram;
  return ps;
}

}  // namespace

Cost estimate(const Plan& p, const HardwareConfig& hw, std::int64_t true_macs, const PassTraffic* full,
              const PassTraffic* last, const LayerIo& io) {
  const Rates k(hw);
  const double lat_in = k.lat_dram + k.lat_l2 + k.lat_l1;
  const double lat_load = lat_in + k.lat_ma;
  // port → … → where the outputs end: DRAM, or the global buffer when the step keeps them on chip.
  const double lat_up = k.lat_ma + k.lat_l1 + k.lat_l2 + (io.output_to_gb && io.keep_output ? k.lat_gb : k.lat_dram);
  const bool partial = p.passes > 1 && p.groups_in_pass(p.passes - 1) != p.places;
  const PassTraffic s_first = full ? *full : pass_traffic(p, 0);
  const PassTraffic s_last = !partial ? s_first : last ? *last : pass_traffic(p, p.passes - 1);
  const PassShape first = pass_shape(p, k, s_first, io);
  const PassShape tail = partial ? pass_shape(p, k, s_last, io) : first;
  const SubPass& f0 = first.first;
  const bool copy_in = p.staged && !io.input_in_gb;  // the first sub-pass's tiles are staged from DRAM
  // Pass 0: its first slice's load and its first input tile start together (the stream, or the
  // staging move, goes first at the DRAM and shares every link with the load); the second tile waits
  // for the load (program_builder.cpp).
  // Resident weights (one pass, layer_io.hpp): the first tile's stream alone.
  const double load_first =
      io.weights == Weights::Resident
          ? f0.first_in
          : std::max({f0.ld_t, f0.first_in, lat_load + f0.ld_dram + f0.s_dram,
                      lat_load + f0.ld_l2 + (copy_in ? 0.0 : f0.tile.l2 - f0.out.l2),
                      lat_load + f0.ld_l1 + (copy_in ? 0.0 : f0.tile.l1 - f0.out.l1)});
  // Passes chain: every later pass's first slice is issued when the previous pass's last compute
  // ends, behind that tile's outputs (later_load()). Passes 1 .. passes−2 have the first pass's shape,
  // the last may be partial: closed form. (With half_capacity the SystemC model starts a later load
  // during the previous pass; the estimate does not: docs/mapping.md, "Known gaps".)
  const double middle = static_cast<double>(std::max<std::int64_t>(0, p.passes - 2));
  const PassShape& fin = tail;
  const SubPass& last_sub = first.last();
  auto load_later = [&](const PassShape& ps) { return later_load(ps.first, last_sub.out, k, last_sub.core); };
  // Prefetched (io.prefetch): the first pass's loads had io.head_start cycles of DRAM before the step.
  const double credit = io.prefetch && io.weights != Weights::Resident ? io.head_start : 0.0;
  double total = first.time(load_first, credit);
  const double load_first_seen = std::max(f0.first_in, load_first - credit);
  double load_visible = std::max(0.0, load_first_seen - f0.first_in);
  if (p.passes > 1) {
    total += middle * first.time(load_later(first)) + fin.time(load_later(fin));
    load_visible += middle * load_later(first) + load_later(fin);
  }
  const SubPass& fin_last = fin.last();
  const double drain = fin_last.out.chain;
  total += drain;
  // The streams of all passes form one chain: the first, then one stream chain per later tile, then
  // the last compute and the last outputs.
  const double chains = (1 + middle) * first.stream_chains + (p.passes > 1 ? fin.stream_chains : 0.0);
  const double streamed = (1 + middle) * first.streamed + (p.passes > 1 ? fin.streamed : 0.0);
  if (streamed > 0) {
    total = std::max(total, f0.first_in + chains * (streamed - 1) / streamed + fin_last.core + drain);
  }
  // With an R split, so do the outputs: tile k's reduction waits for tile k−2's output to have left
  // the buffers, across sub-passes and passes too, so after the first compute half the tiles' output
  // chains follow one another.
  // Fused post-ops: the vector unit's serial work of every piece, from the first piece's first post-op
  // on: after the first computation, its result's way into the global buffer and its read (lead).
  if (!io.post.empty()) {
    const double pieces = static_cast<double>((1 + static_cast<std::int64_t>(middle)) * first.pieces() +
                                              (p.passes > 1 ? fin.pieces() : 0));
    const double serial = (1 + middle) * first.post_serial + (p.passes > 1 ? fin.post_serial : 0.0) +
                          (pieces - 1) * f0.out.handover;
    total = std::max(total, load_first_seen + f0.core + f0.out.lead + serial + fin_last.out.tail);
  }
  if (io.throttled(p)) {
    const double tiles = static_cast<double>(p.passes * first.pieces());
    // The longer of the two chains of pieces: ceil(tiles / 2) of them, the last with none behind it.
    total = std::max(total, load_first_seen + f0.core + (std::ceil(tiles / 2) - 1) * f0.out_round + f0.out.chain);
  }
  Cost c;
  ResourceBusy& b = c.busy;
  if (p.passes == 1) {
    add_busy(b, first.busy, 1);
  } else {
    add_busy(b, first.busy, 1 + middle);
    add_busy(b, fin.busy, 1);
  }
  c.dram_bytes = p.passes == 1 ? first.dram_bytes
                               : (1 + static_cast<std::int64_t>(middle)) * first.dram_bytes + fin.dram_bytes;
  c.arrays_used = std::max(s_first.arrays, s_last.arrays);
  // No resource can be busier than the layer is long; the write-backs go last at the DRAM, and none
  // can start before the first compute has ended.
  const double wb = (1 + middle) * first.wb_dram + (p.passes > 1 ? fin.wb_dram : 0.0);
  c.write_back_busy.dram = wb;
  c.write_back_busy.l2 = (1 + middle) * first.wb_l2 + (p.passes > 1 ? fin.wb_l2 : 0.0);
  // What the prefetched loads did before the step is not the step's: on the DRAM up to the head
  // start, and on the links and ports the same share of their loads (the head start counts cycles of
  // the loads' own pace: prefetch_head.hpp).
  const double pre_dram = std::min(credit, first.load_dram());
  const ResourceBusy& lb = first.load_busy;
  const double loads_alone = std::max({lb.dram, lb.l2, lb.l1, lb.port});
  const double pre_share = loads_alone > 0 ? std::min(1.0, credit / loads_alone) : 0.0;
  const double dram_left = b.dram - pre_dram;  // none left: no DRAM floor, nor its first-byte latency
  const double floor_t = std::max({dram_left > 0 ? dram_left + lat_in : 0.0, load_first_seen + f0.core + lat_up + wb,
                                   b.l2 - pre_share * lb.l2, b.l1 - pre_share * lb.l1, b.port - pre_share * lb.port,
                                   b.core, b.reduce, b.vector, b.gb, b.l1_buffer});
  const double cycles = std::max(total, floor_t);
  c.cycles = static_cast<std::int64_t>(std::llround(cycles));
  // Bound: the busiest resource, unless fill and drain dominate.
  struct Term {
    const char* name;
    double v;
  };
  const bool array_limited = k.flow(p.slice(0).bytes, k.ma) > static_cast<double>(cdiv(p.slice(0).macs, k.comp));
  const Term terms[] = {{array_limited ? "array" : "compute", b.core},
                        {"dram", b.dram},
                        {"l2", b.l2},
                        {"l1", b.l1},
                        {"array", b.port},
                        {"reduce", b.reduce},
                        {"vector", b.vector},
                        {"buffer", std::max(b.gb, b.l1_buffer)}};
  const Term* best = &terms[0];
  for (const auto& t : terms) {
    if (t.v > best->v) best = &t;
  }
  c.bound = best->name;
  if (c.bound == "dram" && p.passes > 1) c.bound = "capacity";
  if (best->v < 0.5 * cycles) c.bound = "latency";
  const double peak = static_cast<double>(hw.peak_macs_per_cycle());
  c.ideal = static_cast<std::int64_t>(std::ceil(static_cast<double>(true_macs) / peak));
  // The last weight load of a one-pass layer, for the next step's prefetch (network_mapper.cpp); a
  // layer of several passes loads until its last pass.
  c.loads_in = p.passes == 1 ? static_cast<std::int64_t>(std::llround(std::max(0.0, first.loads_in(load_first) - credit)))
                             : c.cycles;
  if (io.weights != Weights::Resident) {
    add_busy(c.load_busy, first.load_busy, 1 + middle);
    if (p.passes > 1) add_busy(c.load_busy, fin.load_busy, 1);
  }
  c.load_dram = static_cast<std::int64_t>(std::llround(
      io.weights == Weights::Resident ? 0.0 : (1 + middle) * first.load_dram() + (p.passes > 1 ? fin.load_dram() : 0.0)));
  c.load = std::min<std::int64_t>(static_cast<std::int64_t>(std::llround(load_visible)), c.cycles - c.ideal);
  c.write_back = std::min<std::int64_t>(static_cast<std::int64_t>(std::llround(drain)), c.cycles - c.ideal - c.load);
  c.stall = c.cycles - c.ideal - c.load - c.write_back;
  return c;
}

double cycles_lower_bound(const Plan& p, const HardwareConfig& hw, bool weights_resident) {
  const auto& f = hw.fixed;
  const double dbw = static_cast<double>(hw.get(HwParam::DRAM_bw));
  const double comp = static_cast<double>(hw.get(HwParam::MA_comp_per_core));
  const double mabw = static_cast<double>(hw.get(HwParam::MA_bw));
  const double pipe = static_cast<double>(f.core_pipeline);
  const double passes = static_cast<double>(p.passes);
  const double n_min = static_cast<double>(p.mapping.tiles);
  // Core: in every pass each busy core does its positions' MACs (tiles only re-cut them) and pays the
  // pipeline fill per tile; or reads its weight tile once per tile.
  const double work = static_cast<double>(p.positions_per_replica) * static_cast<double>(p.mapping.group_pack * p.kt * p.rt);
  const double core = passes * std::max(work / comp + n_min * pipe,
                                         n_min * (std::ceil(static_cast<double>(p.operand_bytes) / mabw) + pipe));
  // DRAM: every weight tile is loaded once, every stream slice (replica, pack, R slice) carries the
  // input of all its positions once per pass it is in, and every output value is written once (at
  // least at the output precision; padding, halos and partial sums only add).
  const GemmView& v = p.view;
  const double weights =
      weights_resident ? 0.0 : static_cast<double>(p.reduction_groups * p.mapping.r_split * p.tile_bytes);
  const double slices = static_cast<double>(p.replicas * p.mapping.r_split * p.packs);
  const double inputs = slices * static_cast<double>(p.positions_per_replica) *
                        static_cast<double>(p.mapping.group_pack * p.ct * v.in_num * v.input_bits) /
                        static_cast<double>(8 * v.in_den);
  const double outputs = static_cast<double>(v.groups * v.k * v.m * v.output_bits) / 8.0;
  const double dram =
      static_cast<double>(f.dram_latency + f.l2_latency + f.l1_latency) + (weights + inputs + outputs) / dbw;
  // Guard against rounding of the divisions: the bound must never exceed the exact value.
  return std::max(core, dram) * (1 - 1e-9) - 1e-6;
}

}  // namespace cimnet
