#include "mapping/pass_shape.hpp"

#include <algorithm>
#include <cmath>

namespace cimnet::pass_timing {

namespace {

// Where a sub-pass's input tiles come from (program_builder.cpp).
enum class Source {
  Dram,    // streamed from DRAM (one weight slice, or one input tile in the first sub-pass)
  Staged,  // the first sub-pass of a staged pass: each tile moved DRAM → global buffer, then streamed
  Gb,      // a later sub-pass of a staged pass: streamed from the copy in the global buffer
  Kept,    // a later sub-pass with one input tile: the tile is still in the input buffer
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
  // With a k split, a tile's streams are one op per multicast set, and tile t+1's op of a set is
  // issued when the same set's op of tile t is in (program_builder.cpp). The source serves the sets
  // burst by burst, so their last bursts leave one after another: of S sets, set s is in S − 1 − s
  // last bursts before the tile's last, and its next op's latency overlaps the later sets' service
  // (with one burst per set the sets go one after another, and the chain is one set's round trip).
  // Without a k split (one unicast op for every array) the tile's whole stream is one round trip.
  const std::int64_t stream_last_burst =
      p.stream_bytes - (cdiv(p.stream_bytes, k.burst) - 1) * k.burst;  // the last burst of one set
  // Only the source's share overlaps (the links' terms stay whole, so that no bandwidth raised can
  // lengthen the chain: s_src − (flows − 1)·last burst falls with the source's rate); with an R split
  // the partial sums' terms stay whole too.
  const double one_flow =
      map.k_split == 1 || p.reduce
          ? links
          : std::max({s_src - (flows - 1) * k.flow(stream_last_burst, source_rate), s_l2 + wb_burst_l2,
                      s_l1_last + wb_burst_l1});
  switch (src) {
    case Source::Dram:
      sp.chain = std::max(lat_in + in_service + one_flow, links);
      sp.first_in = lat_in + s_bw;
      loop = 0.5 * (lat_in + in_service + s_bw + sp.core);
      sp.s_dram = s_src;
      sp.s_ahead = s_l2;
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
      sp.s_ahead = std::max(s_l2, s_src);
      b.dram += m_dram;
      b.gb += m_gb + s_src;
      sp.dram_bytes += s.stream_dram;
      break;
    }
    case Source::Gb:
      sp.chain = std::max(lat_gb_in + one_flow, links);
      sp.first_in = lat_gb_in + s_bw;
      loop = 0.5 * (lat_gb_in + s_bw + sp.core);
      sp.s_ahead = std::max(s_l2, s_src);
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
  // One array port: the last flow's first burst reaches it after every other flow's first burst has
  // crossed the DRAM and L2 (a load's flows take turns burst by burst, in array order), then the port
  // takes the slice at MA_bw (docs/model.md, "Closed forms": N / MA_bw + (k − 1) · burst / DRAM_bw).
  // Only for a pass of one slice: with several, a slice's first bursts pass while the previous slice
  // fills the ports (counted per slice, it scored sliced plans too slow: docs/mapping.md).
  sp.ld_port = k.flow(slice.bytes, k.ma);
  if (p.slices == 1 && tiles_all > 1) {
    const std::int64_t first_burst = std::min(slice.bytes, k.burst);
    sp.ld_port += (tiles_all - 1) * std::max(k.flow(first_burst, k.dram), k.flow(first_burst, k.l2));
  }
  sp.ld_t = lat_load + std::max({sp.ld_dram, sp.ld_l2, sp.ld_l1, sp.ld_port});
  sp.load_waits = slice.bytes > k.burst;
  if (io.weights == Weights::Resident) {  // in the arrays already: nothing loads
    sp.ld_dram = sp.ld_l2 = sp.ld_l1 = sp.ld_port = sp.ld_t = 0;
    sp.load_waits = false;
  }
  return sp;
}

}  // namespace

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

double later_load(const SubPass& sp, const OutputCost& prev, const Rates& k, double core_t) {
  const double lat_to_l2 = k.lat_dram, lat_to_l1 = lat_to_l2 + k.lat_l2, lat_to_port = lat_to_l1 + k.lat_l1;
  const double lat_load = lat_to_port + k.lat_ma;
  const double stream_left = std::max(0.0, sp.s_dram - core_t);
  // The previous piece's store (a move: served before loads at the DRAM) delays the load only if it
  // arrives while the load still runs: at most by what the load (behind the whole stream, at most)
  // has left once the store can be there. Neither bound depends on the cores (store_after on none of
  // the eight parameters), so faster cores never lengthen this.
  const double own = sp.ld_dram + stream_left;
  const double store =
      std::min(prev.dram - prev.wb, std::max(0.0, lat_load + sp.ld_dram + sp.s_dram - prev.store_after));
  return std::max(sp.ld_t, lat_load + std::max({own + store,
                                                sp.ld_l2 + (prev.psums ? std::max(0.0, prev.now_l2 - lat_to_l2) : 0.0),
                                                sp.ld_l1 + (prev.psums ? std::max(0.0, prev.l1 - lat_to_l1) : 0.0),
                                                sp.ld_port + std::max(0.0, prev.port - lat_to_port)}));
}

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
  ps.second_after_load = first_src != Source::Staged && io.weights != Weights::Resident;  // no load to wait for
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
    ps.out_rounds += count * n_tiles * sp.out_round;
    ps.stores_dram += count * n_tiles * (sp.out.dram - sp.out.wb);
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

}  // namespace cimnet::pass_timing
