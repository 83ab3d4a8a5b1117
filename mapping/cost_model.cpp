// The estimate of a MAC layer from its Plan, re-derived for the causal SystemC model of issue 13
// (docs/model.md: every hop serves bursts in the order they reach it; outputs of an R split go through
// the buffers and the vector unit). The terms and what they leave out: docs/mapping.md, "Cost model".
#include "mapping/cost_model.hpp"

#include <algorithm>
#include <cmath>

#include "mapping/pass_shape.hpp"

namespace cimnet {

namespace {

using pass_timing::PassShape;
using pass_timing::SubPass;
using pass_timing::add_busy;
using pass_timing::later_load;
using pass_timing::pass_shape;

// The passes of a half_capacity plan (mapping.hpp): each holds half the array capacity, so pass p + 1's
// loads are issued when pass p's last slice is in and pass p − 1's weights are freed (its last compute
// has ended; program_builder.cpp). They run under pass p's computation, but there the pass's own first
// input tile and the running pass's activations go first (docs/model.md, "The links' service rule"):
// on each of DRAM, L2, the busiest L1 link and an array port, the first slice is in once the running
// pass's activations on it (all of them, or all it can move before it ends; on DRAM an R split's
// stores all, since the last leave after its last compute) and the slice have been served. Counting the activations whole rather than where they leave gaps keeps the estimate
// monotone: a faster running pass can only bring the load forward. Pass p computes from when the
// previous pass's last compute has ended, or from its own first slice as a pass alone would. From the
// start of pass 0's first load, with E_p its last compute's end and A_p when its last slice is in:
//   L_p = max(A_{p−1}, E_{p−2}),   E_p = max(L_p + time_p(ld_p), E_{p−1} + time_p(loaded)),
//   A_p = L_p + loads_in_p(ld_p)
// where ld_p is its first slice's load so served — but never later than with the loads after the
// previous pass (E_{p−1} + time_p(later_load), as without half_capacity), so the plan costs at most
// what its full-capacity twin does. The middle passes are equal, so once a middle pass
// leaves the state (A_p − E_p, E_p − E_{p−1}) as the one before did, every later one adds the same.
struct HalfCapacityPasses {
  double end = 0;           // E of the last pass
  double load_visible = 0;  // what the later passes' loads added beyond their computation
};

// e0 / a0: E_0 and A_0; serial_mid / serial_fin: later_load() of a middle and of the last pass.
HalfCapacityPasses half_capacity_passes(std::int64_t passes, const PassShape& mid, const PassShape& fin,
                                        const Rates& k, double e0, double a0, double serial_mid,
                                        double serial_fin) {
  const double lat_load = k.lat_dram + k.lat_l2 + k.lat_l1 + k.lat_ma;
  // The running pass's activations on each resource during its computation (every running pass but
  // the last has the middle shape): what goes before a load there — not its loads, nor its
  // write-backs, which go after loads on the links, nor its first tile's streams, in before it
  // computed. At an array port everything but the loads.
  const ResourceBusy& b = mid.busy;
  const ResourceBusy& lb = mid.load_busy;
  const SubPass& m0 = mid.first;
  const double ahead[4] = {std::max(0.0, b.dram - lb.dram - mid.wb_dram - m0.s_dram - mid.stores_dram),
                           std::max(0.0, b.l2 - lb.l2 - mid.wb_l2 - (m0.tile.l2 - m0.out.l2)),
                           std::max(0.0, b.l1 - lb.l1 - (m0.tile.l1 - m0.out.l1)), std::max(0.0, b.port - lb.port)};
  HalfCapacityPasses h;
  double e_prev2 = 0, e_prev = e0, a_prev = a0;
  auto step = [&](const PassShape& ps) {
    const double start = std::max(a_prev, e_prev2);
    const double window = std::max(0.0, e_prev - start);
    // Its first slice, behind its own first tile's streams (issued when the running pass's were in) and
    // the running pass's activations.
    const SubPass& f = ps.first;
    const double own[4] = {f.ld_dram + f.s_dram, f.ld_l2 + f.tile.l2 - f.out.l2, f.ld_l1 + f.tile.l1 - f.out.l1,
                           f.ld_port};
    // An R split's stores to DRAM go first too, and the last ones leave after the pass's last compute:
    // all of them are ahead of the load.
    double served = mid.stores_dram + own[0] + std::min(ahead[0], window);
    for (int r = 1; r < 4; ++r) served = std::max(served, std::min(ahead[r], window) + own[r]);
    const double ld = std::max({f.ld_t, f.first_in, lat_load + served});
    const double compute_bound = e_prev + ps.time(0, 0, true);
    // Never later than the pass would end with its loads after the previous pass, as without
    // half_capacity: the arrays' other half can always wait.
    const double serial = &ps == &fin ? serial_fin : serial_mid;
    const double e = std::min(std::max(start + ps.time(ld), compute_bound), e_prev + ps.time(serial));
    h.load_visible += e - compute_bound;
    a_prev = std::min(start + ps.loads_in(ld), e_prev + ps.loads_in(serial));
    e_prev2 = e_prev;
    e_prev = e;
  };
  std::int64_t left = passes - 2;  // middle passes
  double last_de = -1, last_da = 0;
  while (left > 0) {
    const double e_before = e_prev, lv_before = h.load_visible;
    step(mid);
    --left;
    const double de = e_prev - e_before, da = a_prev - e_prev, lv = h.load_visible - lv_before;
    if (left > 0 && std::abs(de - last_de) < 1e-6 && std::abs(da - last_da) < 1e-6) {
      const double n = static_cast<double>(left);
      e_prev += n * de;
      e_prev2 = e_prev - de;
      a_prev = e_prev + da;
      h.load_visible += n * lv;
      left = 0;
    }
    last_de = de;
    last_da = da;
  }
  step(fin);
  h.end = e_prev;
  return h;
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
  if (p.passes > 1 && p.mapping.half_capacity) {
    const HalfCapacityPasses h = half_capacity_passes(p.passes, first, fin, k, total,
                                                      std::max(0.0, first.loads_in(load_first) - credit), load_later(first),
                                                      load_later(fin));
    total = h.end;
    load_visible += h.load_visible;
  } else if (p.passes > 1) {
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
  // A fused output's first write-back into the global buffer goes after the streams of the next tiles
  // (or of the next pass's first tile) on L2 and the buffer's port: they go first on both, one after
  // another from the first compute's start, as many as the input buffer holds beside the first tile
  // (whose space is freed when that compute ends; a tile smaller than half the buffer lets more than
  // one run ahead: `stage1.block2.dw` of MobileNetV3 under `fused`, eight tiles of about 2 KiB, had
  // its first write-back wait behind seven streams).
  const bool next_stream = p.mapping.tiles > 1 || (p.slices == 1 && p.passes > 1);
  const std::int64_t held = p.stream_bytes > 0 ? hw.fixed.input_buffer_bytes / p.stream_bytes : 1;
  const double ahead = p.mapping.tiles > 1 && !p.first_tile
                           ? static_cast<double>(std::max<std::int64_t>(1, std::min(p.mapping.tiles - 1, held)))
                           : 1.0;
  const double first_out_wait =
      !p.reduce && io.output_to_gb && next_stream ? std::max(0.0, ahead * f0.s_ahead - f0.core) : 0.0;
  // Fused post-ops: the vector unit's serial work of every piece, from the first piece's first post-op
  // on: after the first computation, its result's way into the global buffer and its read (lead).
  if (!io.post.empty()) {
    const double pieces = static_cast<double>((1 + static_cast<std::int64_t>(middle)) * first.pieces() +
                                              (p.passes > 1 ? fin.pieces() : 0));
    const double serial = (1 + middle) * first.post_serial + (p.passes > 1 ? fin.post_serial : 0.0) +
                          (pieces - 1) * f0.out.handover;
    const double last_lanes_end = load_first_seen + f0.core + first_out_wait + f0.out.lead + serial;
    total = std::max(total, last_lanes_end + fin_last.out.tail);
    if (pieces > 1 && fin_last.out.late_store > 0) {
      // The piece before the last writes and stores its result while the last one's vector work
      // runs: the two stores follow one another on the DRAM.
      const SubPass& before_last = fin.pieces() > 1 ? fin_last : first.last();  // the same with one pass
      total = std::max(total,
                       last_lanes_end - fin_last.out.serial + before_last.out.tail + fin_last.out.late_store);
    }
  }
  // With an R split, so do the outputs: tile k's reduction waits for tile k−2's output to have left
  // the buffers, across sub-passes and passes too, so after the first compute half the tiles' output
  // chains follow one another. So do a fused path's pieces (two in flight).
  if (io.throttled(p)) {
    const double tiles = static_cast<double>((1 + static_cast<std::int64_t>(middle)) * first.pieces() +
                                             (p.passes > 1 ? fin.pieces() : 0));
    // The longer of the two chains of pieces: ceil(tiles / 2) of them, the last with none behind it; a
    // piece's round is their mean (slices of two sizes have rounds of two sizes).
    const double rounds = (1 + middle) * first.out_rounds + (p.passes > 1 ? fin.out_rounds : 0.0);
    const double on_chain = std::ceil(tiles / 2);  // the pieces of the chain that ends with the last one
    double chained = (on_chain - 1) * (rounds / tiles) + f0.out.chain;
    if (partial) {
      // A partial last pass has pieces of its own size: the chain holds ceil(its pieces / 2) of them
      // and the rest from the full passes, the first piece's chain among those.
      const double fin_pieces = static_cast<double>(fin.pieces()), from_fin = std::ceil(fin_pieces / 2);
      const double full_pieces = tiles - fin_pieces, from_full = on_chain - from_fin;
      chained = from_fin * (fin.out_rounds / fin_pieces) +
                (from_full > 0 ? (from_full - 1) * ((rounds - fin.out_rounds) / full_pieces) + f0.out.chain : 0.0);
    }
    // With an even number of pieces the last is on the second chain, which starts a compute later
    // and whose first vector work waits for the first chain's (the vector unit is serial): from then
    // on the two chains stay that far apart (traced on `stage1.block2.dw` of MobileNetV3, fused).
    const bool last_on_second = tiles > 1 && std::fmod(tiles, 2.0) == 0.0;
    const double head = last_on_second ? f0.core + std::max(first_out_wait + f0.out.vector, f0.core)
                                       : f0.core + first_out_wait;
    total = std::max(total, load_first_seen + head + chained);
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
