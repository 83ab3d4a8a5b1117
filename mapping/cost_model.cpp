// The estimate of a MAC layer from its Plan, re-derived for the causal SystemC model of issue 13
// (docs/model.md: every hop serves bursts in the order they reach it; outputs of an R split go through
// the buffers and the vector unit). The terms and what they leave out: docs/mapping.md, "Cost model".
#include "mapping/cost_model.hpp"

#include <algorithm>
#include <cmath>

#include "mapping/transfer_time.hpp"

namespace cimnet {

namespace {

// One tile's outputs (program_builder.hpp): without an R split every array writes its outputs back
// to DRAM; with one, the partial sums are reduced into a decoder buffer (at L1 then moved up to the
// global buffer, or at L2 straight into it), requantised by the vector unit (global buffer → global
// buffer) and stored to DRAM. Busy cycles per resource per tile, and `chain`: the cycles from the
// compute's end to the output having left the buffers, alone.
struct OutputCost {
  double dram = 0, l2 = 0, l1 = 0, port = 0, reduce = 0, l1_buffer = 0, gb = 0, vector = 0;
  double chain = 0;
  // What the outputs put on DRAM, L2 (write-backs, partial sums reduced at L2) at once, from the
  // compute's end; the port and L1 always carry them at once.
  double now_dram = 0, now_l2 = 0;
  std::int64_t dram_bytes = 0;
};

OutputCost output_cost(const Plan& p, const Rates& k, const PassTraffic& s) {
  OutputCost o;
  const std::int64_t n = s.arrays, per_l1 = s.arrays_l1_max, ob = p.out_bytes;
  const double nd = static_cast<double>(n), pl = static_cast<double>(per_l1);
  // Every source array sends its outputs (or partial sums) as a flow of its own through its port and
  // its L1 link.
  o.port = k.flow(ob, k.ma);
  o.l1 = pl * k.flow(ob, k.l1);
  if (!p.reduce) {
    // port → l1 → l2 → dram, complete at the DRAM's out_tail + dram_latency.
    o.l2 = nd * k.flow(ob, k.l2);
    o.dram = nd * k.flow(ob, k.dram);
    o.dram_bytes = n * ob;
    o.chain = k.lat_ma + k.lat_l1 + k.lat_l2 + k.lat_dram + std::max({o.port, o.l1, o.l2, o.dram});
    o.now_dram = o.dram;
    o.now_l2 = o.l2;
    return o;
  }
  const std::int64_t units = n / p.mapping.r_split;
  const std::int64_t values = p.tile_outputs * units;
  const std::int64_t result = ob * units;  // one accumulated partial sum per output value
  const std::int64_t out = bits_to_bytes(values, p.view.output_bits);
  o.dram_bytes = out;
  double reduce_chain = 0, move_chain = 0;
  if (p.mapping.reduce_at == ReduceLevel::L2) {
    // port → l1 → l2 → the L2 reduction unit, which accumulates into the global buffer.
    o.l2 = nd * k.flow(ob, k.l2);
    o.reduce = nd * k.flow(ob, k.reduction);
    reduce_chain = k.lat_ma + k.lat_l1 + k.lat_l2 + std::max({o.port, o.l1, o.l2, o.reduce});
    o.now_l2 = o.l2;
  } else {
    // port → l1 → the decoder's reduction unit, into its L1 buffer; then one Move per decoder
    // l1 buffer → l2 → global buffer. The L2 link carries the decoders' results one after another
    // (counted as one flow of their sum: the estimate stays monotone in L1_num_child, and a flow per
    // decoder adds at most a cycle per decoder).
    o.reduce = pl * k.flow(ob, k.reduction);
    reduce_chain = k.lat_ma + k.lat_l1 + std::max({o.port, o.l1, o.reduce});
    const std::int64_t here = ob * (per_l1 / p.mapping.r_split);  // the busiest decoder's result
    o.l1_buffer = k.flow(here, k.l1_buffer);
    o.l2 = k.flow(result, k.l2);
    o.gb = k.flow(result, k.gb);
    move_chain = k.lat_l1_buffer + k.lat_l2 + k.lat_gb + std::max({o.l1_buffer, o.l2, o.gb});
  }
  // Vector op: read the result through the global buffer's port, ceil(values / lanes) cycles of the
  // vector unit, write the requantised output back; then the Move global buffer → DRAM.
  const double read = k.flow(result, k.gb), write = k.flow(out, k.gb), store_gb = k.flow(out, k.gb);
  o.vector = static_cast<double>(cdiv(values, k.vector_lanes));
  o.gb += read + write + store_gb;
  o.dram = k.flow(out, k.dram);
  const double vector_chain = 2 * k.lat_gb + read + o.vector + write;
  const double store_chain = k.lat_gb + k.lat_dram + std::max(store_gb, o.dram);
  o.chain = reduce_chain + move_chain + vector_chain + store_chain;
  return o;
}

// The estimate's terms for one pass shape (every pass but a partial last one has the first's shape).
struct PassCost {
  double period = 0;      // steady-state cycles per input tile
  double load_t = 0;      // weight load of the pass, alone
  double ld_dram = 0, ld_l2 = 0, ld_l1 = 0, ld_port = 0;  // the load's busy cycles on each link
  double s_dram = 0;      // one tile's streams on DRAM
  bool load_waits = false;  // its flows have more than one burst (see load_later())
  OutputCost out;         // one tile's outputs
  double first_in = 0;    // first input tile streamed in
  double stream_chain = 0;  // one tile's stream when the streams are the critical chain (see below)
  double load_first = 0;  // pass 0: end of load and first stream sharing DRAM
  double body = 0;        // (tiles − 1) · period + one compute
  double drain = 0;       // outputs of the last tile
  ResourceBusy busy;      // busy cycles the pass adds
  std::int64_t dram_bytes = 0;
  std::int64_t arrays = 0;
};

PassCost pass_cost(const Plan& p, const Rates& k, const PassTraffic& s, double core_t) {
  const Mapping& map = p.mapping;
  const double lat_in = k.lat_dram + k.lat_l2 + k.lat_l1;  // dram → l2 → l1 → input buffer
  const double lat_load = lat_in + k.lat_ma;                // … → the array port
  const std::int64_t n_t = map.tiles;
  PassCost pc;
  const OutputCost o = output_cost(p, k, s);
  // Streams of one tile: one flow per slice (stream_dram / stream_bytes of them), a multicast crossing
  // each link once.
  const double slices = static_cast<double>(s.stream_dram / p.stream_bytes);
  const double slices_l1 = static_cast<double>(s.stream_l1_max / p.stream_bytes);
  const double s_dram = slices * k.flow(p.stream_bytes, k.dram), s_l2 = slices * k.flow(p.stream_bytes, k.l2),
               s_l1 = slices_l1 * k.flow(p.stream_bytes, k.l1);
  // Unicast flows (k_split = 1: one per array) present their first bursts together and the DRAM
  // serves them in array order, decoder after decoder: the last decoder's link receives its first
  // data only after every other decoder's first bursts. (Multicast slices span decoders.)
  auto first_bursts = [&](std::int64_t bytes) {
    const std::int64_t b0 = std::min(bytes, k.burst);
    return std::max(k.flow(b0, k.dram), k.flow(b0, k.l2));
  };
  const double s_l1_last = s_l1 + (map.k_split == 1 ? (slices - slices_l1) * first_bursts(p.stream_bytes) : 0.0);
  const double s_bw = std::max({s_dram, s_l2, s_l1_last});
  const double dram_t = s_dram + o.dram, l2_t = s_l2 + o.l2, l1_t = s_l1 + o.l1;
  const double port_t = k.flow(p.operand_bytes, k.ma) + o.port;
  // The streams chain (stream t+1 depends on stream t, across passes too). When they are the
  // critical chain, compute t starts as stream t completes and the outputs it sends at once (above)
  // reach the links while stream t+1 crosses them: a hop serves by arrival, so the stream's bursts
  // behind them wait, and each stream takes its own time on the links up to that one plus the outputs'.
  pc.stream_chain = lat_in + std::max({s_dram + o.now_dram, std::max(s_dram, s_l2) + o.now_l2,
                                        std::max({s_dram, s_l2, s_l1_last}) + o.l1});
  // Steady state: the slowest of the compute chain, the streams chain, every resource's per-tile busy
  // time, the input-buffer loop (the stream of tile t+2 starts when compute t frees its half and
  // queues behind the outputs of t) and, with an R split, the result-buffer loop (tile t's reduction
  // waits for tile t−2's output to have left the buffers: two output chains per two periods).
  pc.period = std::max({core_t, pc.stream_chain, dram_t, l2_t, l1_t, port_t, o.reduce, o.l1_buffer, o.gb, o.vector,
                        0.5 * (lat_in + s_bw + o.dram + core_t)});
  if (p.reduce) pc.period = std::max(pc.period, 0.5 * o.chain);
  // Weight load of the pass: one flow per distinct tile (load_dram / tile_bytes), bounded by DRAM, L2,
  // the busiest L1 link or one array port.
  const double tiles_all = static_cast<double>(s.load_dram / p.tile_bytes);
  const double tiles_l1 = static_cast<double>(s.load_l1_max / p.tile_bytes);
  const double ld_dram = tiles_all * k.flow(p.tile_bytes, k.dram), ld_l2 = tiles_all * k.flow(p.tile_bytes, k.l2),
               ld_l1 = tiles_l1 * k.flow(p.tile_bytes, k.l1), ld_port = k.flow(p.tile_bytes, k.ma);
  const double ld_l1_last = ld_l1 + (p.replicas == 1 ? (tiles_all - tiles_l1) * first_bursts(p.tile_bytes) : 0.0);
  pc.load_t = lat_load + std::max({ld_dram, ld_l2, ld_l1_last, ld_port});
  pc.ld_dram = ld_dram;
  pc.ld_l2 = ld_l2;
  pc.ld_l1 = ld_l1_last;
  pc.ld_port = ld_port;
  pc.s_dram = s_dram;
  pc.load_waits = p.tile_bytes > k.burst;
  pc.out = o;
  pc.first_in = lat_in + s_bw;
  // The first stream overlaps the load (both start at the gate) and shares every link with it.
  pc.load_first = std::max({pc.load_t, pc.first_in, lat_load + ld_dram + s_dram, lat_load + ld_l2 + s_l2,
                            lat_load + ld_l1 + s_l1});
  pc.body = static_cast<double>(n_t - 1) * pc.period + core_t;
  pc.drain = o.chain;
  // Busy totals.
  const double nt = static_cast<double>(n_t);
  ResourceBusy& b = pc.busy;
  b.dram = ld_dram + nt * dram_t;
  b.l2 = ld_l2 + nt * l2_t;
  b.l1 = ld_l1 + nt * l1_t;
  b.port = ld_port + nt * port_t;
  b.core = nt * core_t;
  b.reduce = nt * o.reduce;
  b.vector = nt * o.vector;
  b.gb = nt * o.gb;
  b.l1_buffer = nt * o.l1_buffer;
  pc.dram_bytes = s.load_dram + n_t * (s.stream_dram + o.dram_bytes);
  pc.arrays = s.arrays;
  return pc;
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

// A later pass's weight load. It is issued when the previous pass's last compute ends, together
// with that tile's outputs, which start at the array ports: the outputs are ahead of the load on the
// port and its L1 link, and on L2 unless the load reaches L2 first (after the DRAM's latency), and
// the load waits for what is ahead of it. On DRAM the load's first bursts are ahead (the outputs cross
// the port, L1 and L2 first); its later bursts take turns with the outputs' (a hop serves by arrival,
// so flows interleave burst by burst): a load of more than one burst per flow waits for them. The
// pass's first stream was issued one compute earlier (when the previous stream was in); what it still
// has to move then shares the DRAM with the load, and the first compute waits for both.
double later_load(const PassCost& pc, const OutputCost& prev, const Rates& k, double core_t) {
  const double lat_to_l2 = k.lat_dram, lat_to_l1 = lat_to_l2 + k.lat_l2, lat_to_port = lat_to_l1 + k.lat_l1;
  const double lat_load = lat_to_port + k.lat_ma;
  const double stream_left = std::max(0.0, pc.s_dram - core_t);
  return std::max(pc.load_t, lat_load + std::max({pc.ld_dram + stream_left + (pc.load_waits ? prev.now_dram : 0.0),
                                                  pc.ld_l2 + std::max(0.0, prev.now_l2 - lat_to_l2),
                                                  pc.ld_l1 + std::max(0.0, prev.l1 - lat_to_l1),
                                                  pc.ld_port + std::max(0.0, prev.port - lat_to_port)}));
}

}  // namespace

Cost estimate(const Plan& p, const HardwareConfig& hw, std::int64_t true_macs, const PassTraffic* full,
              const PassTraffic* last) {
  const Rates k(hw);
  const double lat_in = k.lat_dram + k.lat_l2 + k.lat_l1;
  // A command's MACs, or its operand reads through the port one burst after another, then the fill.
  const std::int64_t core_macs = cdiv(p.macs, k.comp);
  const double operand_t = k.flow(p.operand_bytes, k.ma);
  const double core_t = std::max(static_cast<double>(core_macs), operand_t) + k.pipeline;
  const bool partial = p.passes > 1 && p.groups_in_pass(p.passes - 1) != p.places;
  const PassCost first = pass_cost(p, k, full ? *full : pass_traffic(p, 0), core_t);
  const PassCost tail = partial ? pass_cost(p, k, last ? *last : pass_traffic(p, p.passes - 1), core_t) : first;
  // Passes chain: the first pass's load overlaps its first stream; every later pass's load starts
  // when the previous pass's last compute ends, behind that tile's outputs (later_load()); then the
  // pass's tiles follow. Passes 1 .. passes−2 have the first pass's shape, the last may be partial:
  // closed form. (With half_capacity the SystemC model starts a later load during the previous pass;
  // the estimate does not: docs/mapping.md, "Known gaps".)
  const double middle = static_cast<double>(std::max<std::int64_t>(0, p.passes - 2));
  const PassCost& fin = tail;  // shape of the last pass (the first when there is one pass)
  auto load_later = [&](const PassCost& pc) { return later_load(pc, first.out, k, core_t); };
  double total = first.load_first + first.body;
  double load_visible = std::max(0.0, first.load_first - first.first_in);
  if (p.passes > 1) {
    total += middle * (load_later(first) + first.body) + load_later(fin) + fin.body;
    load_visible += middle * load_later(first) + load_later(fin);
  }
  const double drain = fin.drain;
  total += drain;
  // The streams of all passes form one chain: the first, then one stream chain per later tile, then
  // the last compute and the last outputs.
  const double tiles_after_first = static_cast<double>(p.passes * p.mapping.tiles - 1);
  total = std::max(total, first.first_in + tiles_after_first * first.stream_chain + core_t + drain);
  // With an R split, so do the outputs: tile k's reduction waits for tile k−2's output to have left
  // the buffers, across passes too, so after the first compute ceil(tiles / 2) output chains follow
  // one another.
  if (p.reduce) {
    const double chains = static_cast<double>((p.passes * p.mapping.tiles + 1) / 2);
    total = std::max(total, first.load_first + core_t + chains * first.drain);
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
  c.arrays_used = std::max(first.arrays, fin.arrays);
  // No resource can be busier than the layer is long.
  const double floor_t =
      std::max({b.dram + lat_in, b.l2, b.l1, b.port, b.core, b.reduce, b.vector, b.gb, b.l1_buffer});
  const double cycles = std::max(total, floor_t);
  c.cycles = static_cast<std::int64_t>(std::llround(cycles));
  // Bound: the busiest resource, unless fill and drain dominate.
  struct Term {
    const char* name;
    double v;
  };
  const bool array_limited = operand_t > static_cast<double>(core_macs);
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
  c.load = std::min<std::int64_t>(static_cast<std::int64_t>(std::llround(load_visible)), c.cycles - c.ideal);
  c.write_back = std::min<std::int64_t>(static_cast<std::int64_t>(std::llround(drain)), c.cycles - c.ideal - c.load);
  c.stall = c.cycles - c.ideal - c.load - c.write_back;
  return c;
}

double cycles_lower_bound(const Plan& p, const HardwareConfig& hw) {
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
  const double weights = static_cast<double>(p.reduction_groups * p.mapping.r_split * p.tile_bytes);
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
