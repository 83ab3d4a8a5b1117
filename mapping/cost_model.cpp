#include "mapping/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

#include "mapping/program_builder.hpp"

namespace cimnet {

namespace {

std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Cycles `bytes` occupy a resource of `rate` when moved in bursts (the model rounds per burst).
double xfer(std::int64_t bytes, std::int64_t rate, std::int64_t burst) {
  if (bytes <= 0) return 0;
  return static_cast<double>((bytes / burst) * cdiv(burst, rate) + (bytes % burst ? cdiv(bytes % burst, rate) : 0));
}

// Counts distinct keys among the keys added since the last start(): a stamp per key marks the ones
// seen in this count (the stamp changes every count, so the table is never cleared). Memory: one
// stamp per key, whatever the number of decoders.
class DistinctKeys {
 public:
  void reserve(std::int64_t keys) {
    if (stamp_.size() < static_cast<std::size_t>(keys)) stamp_.resize(static_cast<std::size_t>(keys), 0);
  }
  void start() {
    count_ = 0;
    if (++generation_ == 0) {  // wrapped: clear so that no old stamp matches
      std::fill(stamp_.begin(), stamp_.end(), 0);
      generation_ = 1;
    }
  }
  void add(std::int64_t key) {
    auto& s = stamp_[static_cast<std::size_t>(key)];
    if (s == generation_) return;
    s = generation_;
    ++count_;
  }
  std::int64_t count() const { return count_; }

 private:
  std::uint32_t generation_ = 0;
  std::int64_t count_ = 0;
  std::vector<std::uint32_t> stamp_;
};

}  // namespace

PassTraffic pass_traffic(const Plan& p, std::int64_t pass) {
  // Scratch reused across calls (the mapper calls this for every placement it scores).
  thread_local DistinctKeys tiles_on, slices_on, slices_all;
  PassTraffic s;
  const Mapping& map = p.mapping;
  const std::int64_t r = map.r_split;
  const std::int64_t gip = p.groups_in_pass(pass);
  const std::int64_t units = gip * p.replicas;
  s.arrays = units * r;
  const std::int64_t decoders = p.l1_decoders;
  // Keys: arrays are distinct by construction (array_of is one-to-one), so arrays per decoder need
  // no de-duplication; a tile is (g, i) shared by its replicas; a stream slice is (replica, pack, i)
  // shared by the k tiles of a pack (numbered from the pass's first pack).
  const std::int64_t first_pack = (pass * p.places) / map.k_split;
  const std::int64_t packs_in_pass = (pass * p.places + gip - 1) / map.k_split - first_pack + 1;
  const std::int64_t tile_keys = gip * r;
  const std::int64_t slice_keys = p.replicas * packs_in_pass * r;
  if (p.replicas > 1) tiles_on.reserve(tile_keys);
  if (map.k_split > 1) {
    slices_on.reserve(slice_keys);
    slices_all.reserve(slice_keys);
    slices_all.start();
  }
  // Decoder by decoder (Plan::array_of): packed, reduction group u sits under decoder u mod L1 with
  // all its r arrays; spread, the j-th array (j = u·r + i) under decoder j mod L1. So the arrays of
  // decoder d are u = d, d + L1, … (packed) or j = d, d + L1, … (spread), and the distinct keys per
  // decoder need one stamp table per kind of key, not one per (decoder, key): memory linear in the
  // arrays, not in decoders × arrays.
  std::int64_t tiles_l1_max = 0, slices_l1_max = 0;
  for (std::int64_t d = 0; d < decoders; ++d) {
    std::int64_t arrays_here = 0;
    if (p.replicas > 1) tiles_on.start();
    if (map.k_split > 1) slices_on.start();
    auto visit = [&](std::int64_t u, std::int64_t i) {
      ++arrays_here;
      const std::int64_t g = u % gip;
      if (p.replicas > 1) tiles_on.add(g * r + i);
      if (map.k_split > 1) {
        const std::int64_t rep = u / gip;
        const std::int64_t pack = (pass * p.places + g) / map.k_split - first_pack;
        const std::int64_t key = (rep * packs_in_pass + pack) * r + i;
        slices_on.add(key);
        slices_all.add(key);
      }
    };
    if (!map.spread) {
      for (std::int64_t u = d; u < units; u += decoders) {
        for (std::int64_t i = 0; i < r; ++i) visit(u, i);
      }
    } else {
      for (std::int64_t j = d; j < units * r; j += decoders) visit(j / r, j % r);
    }
    if (arrays_here == 0) continue;
    ++s.decoders_used;
    s.arrays_l1_max = std::max(s.arrays_l1_max, arrays_here);
    if (p.replicas > 1) tiles_l1_max = std::max(tiles_l1_max, tiles_on.count());
    if (map.k_split > 1) slices_l1_max = std::max(slices_l1_max, slices_on.count());
  }
  if (p.replicas == 1) tiles_l1_max = s.arrays_l1_max;
  const std::int64_t slices = map.k_split == 1 ? s.arrays : slices_all.count();
  if (map.k_split == 1) slices_l1_max = s.arrays_l1_max;
  s.load_dram = (p.replicas == 1 ? s.arrays : gip * r) * p.tile_bytes;
  s.load_l1_max = tiles_l1_max * p.tile_bytes;
  s.stream_dram = slices * p.stream_bytes;
  s.stream_l1_max = slices_l1_max * p.stream_bytes;
  return s;
}

namespace {

// The estimate's terms for one pass shape (every pass but a partial last one has the first's shape).
struct PassCost {
  double period = 0;      // steady-state cycles per input tile
  double load_t = 0;      // weight load of the pass, alone
  double load_after = 0;  // passes ≥ 1: the load behind the previous pass's last write-back on DRAM
  double wb_dram = 0;     // DRAM cycles of one tile's outputs
  double first_in = 0;    // first input tile streamed in
  double load_first = 0;  // pass 0: end of load and first stream sharing DRAM
  double body = 0;        // (tiles − 1) · period + one compute
  double drain = 0;       // outputs of the last tile
  ResourceBusy busy;      // busy cycles the pass adds
  std::int64_t dram_bytes = 0;
  std::int64_t arrays = 0;
};

PassCost pass_cost(const Plan& p, const HardwareConfig& hw, const PassTraffic& s, double core_t) {
  const Mapping& map = p.mapping;
  const auto& f = hw.fixed;
  const std::int64_t dbw = hw.get(HwParam::DRAM_bw), l2bw = hw.get(HwParam::L2_bw), l1bw = hw.get(HwParam::L1_bw),
                     mabw = hw.get(HwParam::MA_bw);
  const std::int64_t burst = f.burst_bytes;
  const double lat_in = static_cast<double>(f.dram_latency + f.l2_latency + f.l1_latency);
  const double lat_load = lat_in + static_cast<double>(f.ma_latency);
  const double lat_up = lat_load;  // port → l1 → l2 → dram
  const std::int64_t n_t = map.tiles;
  PassCost pc;
  const std::int64_t n_arr = s.arrays;
  const std::int64_t units = n_arr / map.r_split;
  // Per-tile traffic.
  std::int64_t out_dram = 0, out_l2 = 0, out_l1 = 0;
  double red_t = 0, vec_t = 0;
  if (!p.reduce) {
    out_dram = out_l2 = n_arr * p.out_bytes;
    out_l1 = s.arrays_l1_max * p.out_bytes;
  } else {
    const std::int64_t values = p.tile_outputs * units;
    out_dram = bits_to_bytes(values, p.view.output_bits);
    out_l1 = s.arrays_l1_max * p.out_bytes;
    if (map.reduce_at == ReduceLevel::L2) {
      out_l2 = n_arr * p.out_bytes;
      red_t = xfer(n_arr * p.out_bytes, f.reduction_bw, burst);
    } else {
      red_t = xfer(s.arrays_l1_max * p.out_bytes, f.reduction_bw, burst);
    }
    vec_t = static_cast<double>(cdiv(values, f.vector_lanes));
  }
  const double s_dram = xfer(s.stream_dram, dbw, burst), s_l2 = xfer(s.stream_dram, l2bw, burst),
               s_l1 = xfer(s.stream_l1_max, l1bw, burst);
  const double s_bw = std::max({s_dram, s_l2, s_l1});
  const double wb_dram = xfer(out_dram, dbw, burst);
  const double dram_t = s_dram + wb_dram;
  const double l2_t = s_l2 + xfer(out_l2, l2bw, burst);
  const double l1_t = s_l1 + xfer(out_l1, l1bw, burst);
  const double port_t = xfer(p.operand_bytes + p.out_bytes, mabw, burst);
  // Steady state: the slowest of the compute chain, each stream chain (issued when the previous
  // tile's stream is in), every resource's per-tile busy time, and the buffer loop (the stream of
  // tile t+2 starts when compute t frees its half buffer and queues behind the write-back of t).
  pc.period = std::max({core_t, lat_in + s_bw, dram_t, l2_t, l1_t, port_t, red_t, vec_t,
                        0.5 * (lat_in + s_bw + wb_dram + core_t)});
  // Weight load of the pass: bounded by DRAM, L2, the busiest L1 link or one array port.
  const double load_dram_t = xfer(s.load_dram, dbw, burst);
  pc.load_t = lat_load + std::max({load_dram_t, xfer(s.load_dram, l2bw, burst), xfer(s.load_l1_max, l1bw, burst),
                                   xfer(p.tile_bytes, mabw, burst)});
  pc.wb_dram = wb_dram;
  pc.load_after = std::max(pc.load_t, lat_load + load_dram_t);  // + the previous pass's wb_dram, in estimate()
  pc.first_in = lat_in + s_bw;
  // The first stream overlaps the load (both start at the gate) and shares DRAM with it.
  pc.load_first = std::max({pc.load_t, pc.first_in, lat_load + xfer(s.load_dram + s.stream_dram, dbw, burst)});
  pc.body = static_cast<double>(n_t - 1) * pc.period + core_t;
  // Drain of the last tile's outputs.
  if (!p.reduce) {
    pc.drain = lat_up + std::max({wb_dram, xfer(out_l2, l2bw, burst), xfer(out_l1, l1bw, burst),
                                  xfer(p.out_bytes, mabw, burst)});
  } else {
    const double lat_red = static_cast<double>(f.ma_latency + f.l1_latency) +
                           (map.reduce_at == ReduceLevel::L2 ? static_cast<double>(f.l2_latency) : 0.0);
    pc.drain = lat_red + std::max({xfer(out_l1, l1bw, burst), xfer(out_l2, l2bw, burst), red_t}) + vec_t + wb_dram +
               static_cast<double>(f.dram_latency);
  }
  // Busy totals.
  const double nt = static_cast<double>(n_t);
  ResourceBusy& b = pc.busy;
  b.dram = load_dram_t + nt * dram_t;
  b.l2 = xfer(s.load_dram, l2bw, burst) + nt * l2_t;
  b.l1 = xfer(s.load_l1_max, l1bw, burst) + nt * l1_t;
  b.port = xfer(p.tile_bytes, mabw, burst) + nt * port_t;
  b.core = nt * core_t;
  b.reduce = nt * red_t;
  b.vector = nt * vec_t;
  pc.dram_bytes = s.load_dram + n_t * (s.stream_dram + out_dram);
  pc.arrays = n_arr;
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
}

}  // namespace

Cost estimate(const Plan& p, const HardwareConfig& hw, std::int64_t true_macs, const PassTraffic* full,
              const PassTraffic* last) {
  const auto& f = hw.fixed;
  const std::int64_t mabw = hw.get(HwParam::MA_bw), comp = hw.get(HwParam::MA_comp_per_core);
  const double lat_in = static_cast<double>(f.dram_latency + f.l2_latency + f.l1_latency);

  const double core_t = static_cast<double>(std::max(cdiv(p.macs, comp), cdiv(p.operand_bytes, mabw)) + f.core_pipeline);
  const bool partial = p.passes > 1 && p.groups_in_pass(p.passes - 1) != p.places;
  const PassCost first = pass_cost(p, hw, full ? *full : pass_traffic(p, 0), core_t);
  const PassCost tail = partial ? pass_cost(p, hw, last ? *last : pass_traffic(p, p.passes - 1), core_t) : first;
  // Passes chain: the first pass's load overlaps its first stream; every later pass's load starts
  // when the previous pass ends (with or without half_capacity: its many bursts fill the FIFO DRAM
  // queue, so a stream of the running pass that needs more than one burst waits behind the whole
  // load — measured in the SystemC model) and its tiles follow. Passes 1 .. passes−2 have the first
  // pass's shape, the last may be partial: closed form, exact (integers and halves in doubles).
  const double middle = static_cast<double>(std::max<std::int64_t>(0, p.passes - 2));
  const PassCost& fin = tail;  // shape of the last pass (the first when there is one pass)
  // A later pass's load also shares the FIFO DRAM with the previous pass's last outputs, written back
  // from the moment the last compute ends — when the next load starts too (every pass before the last
  // has the first's shape).
  auto load_later = [&](const PassCost& pc) { return std::max(pc.load_t, pc.load_after + first.wb_dram); };
  double total = first.load_first + first.body;
  double load_visible = std::max(0.0, first.load_first - first.first_in);
  if (p.passes > 1) {
    total += middle * (load_later(first) + first.body) + load_later(fin) + fin.body;
    load_visible += middle * load_later(first) + load_later(fin);
  }
  const double drain = fin.drain;
  total += drain;
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
  const double floor_t = std::max({b.dram + lat_in, b.l2, b.l1, b.port, b.core, b.reduce, b.vector});
  const double cycles = std::max(total, floor_t);
  c.cycles = static_cast<std::int64_t>(std::llround(cycles));
  // Bound: the busiest resource, unless fill and drain dominate.
  struct Term {
    const char* name;
    double v;
  };
  const std::int64_t core_macs = cdiv(p.macs, comp);
  const bool array_limited = cdiv(p.operand_bytes, mabw) > core_macs;
  const Term terms[] = {{array_limited ? "array" : "compute", b.core},
                        {"dram", b.dram},
                        {"l2", b.l2},
                        {"l1", b.l1},
                        {"array", b.port},
                        {"reduce", b.reduce},
                        {"vector", b.vector}};
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

Cost estimate_vector_layer(const Layer& layer, const HardwareConfig& hw) {
  const auto& f = hw.fixed;
  const VectorChunks v = vector_chunks(layer, hw);
  const std::int64_t dbw = hw.get(HwParam::DRAM_bw), l2bw = hw.get(HwParam::L2_bw), l1bw = hw.get(HwParam::L1_bw);
  const std::int64_t burst = f.burst_bytes;
  const double lat_in = static_cast<double>(f.dram_latency + f.l2_latency + f.l1_latency);
  const std::int64_t chunk_in = cdiv(v.in_bytes, v.count), chunk_out = cdiv(v.out_bytes, v.count),
                     chunk_ops = cdiv(v.ops, v.count);
  // Lanes spread over the L1 decoders first: the busiest link carries ceil(lanes / L1) of them.
  const std::int64_t per_link = cdiv(v.lanes, hw.l1_decoders());
  Cost c;
  ResourceBusy& b = c.busy;
  b.dram = xfer(v.in_bytes, dbw, burst) + xfer(v.out_bytes, dbw, burst);
  b.l2 = xfer(v.in_bytes, l2bw, burst);
  b.l1 = static_cast<double>(per_link) / static_cast<double>(v.lanes) * xfer(v.in_bytes, l1bw, burst);
  b.vector = static_cast<double>(cdiv(v.ops, f.vector_lanes));
  const double one_in = std::max({xfer(chunk_in, dbw, burst), xfer(chunk_in, l2bw, burst), xfer(chunk_in, l1bw, burst)});
  // Each lane streams its chunks one after another (chunk i + lanes waits for chunk i's stream).
  const double chain = static_cast<double>(cdiv(v.count, v.lanes)) * (lat_in + one_in);
  const double body = std::max({b.dram, b.l2, b.l1, b.vector, chain});
  const double tail = static_cast<double>(cdiv(chunk_ops, f.vector_lanes)) + xfer(chunk_out, dbw, burst) +
                      static_cast<double>(f.dram_latency);
  c.cycles = static_cast<std::int64_t>(std::llround(lat_in + body + tail));
  c.dram_bytes = v.in_bytes + v.out_bytes;
  c.arrays_used = 0;
  const double m = std::max({b.dram, b.l2, b.l1, b.vector});
  c.bound = m == b.vector ? "vector" : m == b.dram ? "dram" : m == b.l2 ? "l2" : "l1";
  if (m < 0.5 * static_cast<double>(c.cycles)) c.bound = "latency";
  c.write_back = static_cast<std::int64_t>(std::llround(tail));
  c.stall = c.cycles - c.write_back;
  return c;
}

}  // namespace cimnet
