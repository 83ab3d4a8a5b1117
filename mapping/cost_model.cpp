#include "mapping/cost_model.hpp"

#include <algorithm>
#include <cmath>
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

std::int64_t count_max(std::vector<std::pair<std::int64_t, std::int64_t>>& keys, std::int64_t decoders) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::int64_t> per(static_cast<std::size_t>(decoders), 0);
  for (const auto& k : keys) ++per[static_cast<std::size_t>(k.first)];
  return *std::max_element(per.begin(), per.end());
}

}  // namespace

PassTraffic pass_traffic(const Plan& p, std::int64_t pass) {
  PassTraffic s;
  const Mapping& map = p.mapping;
  const std::int64_t r = map.r_split;
  const std::int64_t gip = p.groups_in_pass(pass);
  const std::int64_t units = gip * p.replicas;
  s.arrays = units * r;
  std::vector<std::pair<std::int64_t, std::int64_t>> arrays_on, tiles_on, slices_on;
  std::int64_t slices = 0;
  std::vector<std::int64_t> slice_keys;
  for (std::int64_t u = 0; u < units; ++u) {
    const std::int64_t g = u % gip;
    const std::int64_t rep = u / gip;
    const std::int64_t pack = (pass * p.places + g) / map.k_split;
    for (std::int64_t i = 0; i < r; ++i) {
      const std::int64_t a = p.array_of(u, i);
      const std::int64_t d = a / p.per_l1_arrays;
      arrays_on.emplace_back(d, a);
      tiles_on.emplace_back(d, p.replicas == 1 ? a : g * r + i);
      const std::int64_t key = map.k_split == 1 ? a : (rep * p.packs + pack) * r + i;
      slices_on.emplace_back(d, key);
      slice_keys.push_back(key);
    }
  }
  std::sort(slice_keys.begin(), slice_keys.end());
  slices = std::unique(slice_keys.begin(), slice_keys.end()) - slice_keys.begin();
  s.arrays_l1_max = count_max(arrays_on, p.l1_decoders);
  s.load_dram = (p.replicas == 1 ? s.arrays : gip * r) * p.tile_bytes;
  s.load_l1_max = count_max(tiles_on, p.l1_decoders) * p.tile_bytes;
  s.stream_dram = slices * p.stream_bytes;
  s.stream_l1_max = count_max(slices_on, p.l1_decoders) * p.stream_bytes;
  s.decoders_used = 0;
  {
    std::vector<std::int64_t> ds;
    for (const auto& k : arrays_on) ds.push_back(k.first);
    std::sort(ds.begin(), ds.end());
    s.decoders_used = std::unique(ds.begin(), ds.end()) - ds.begin();
  }
  return s;
}

Cost estimate(const Plan& p, const HardwareConfig& hw, std::int64_t true_macs, const PassTraffic* full,
              const PassTraffic* last) {
  const Mapping& map = p.mapping;
  const auto& f = hw.fixed;
  const std::int64_t dbw = hw.get(HwParam::DRAM_bw), l2bw = hw.get(HwParam::L2_bw), l1bw = hw.get(HwParam::L1_bw),
                     mabw = hw.get(HwParam::MA_bw), comp = hw.get(HwParam::MA_comp_per_core);
  const std::int64_t burst = f.burst_bytes;
  const double lat_in = static_cast<double>(f.dram_latency + f.l2_latency + f.l1_latency);
  const double lat_load = lat_in + static_cast<double>(f.ma_latency);
  const double lat_up = lat_load;  // port → l1 → l2 → dram
  const std::int64_t n_t = map.tiles;

  PassTraffic shapes[2];
  shapes[0] = full ? *full : pass_traffic(p, 0);
  const bool partial = p.passes > 1 && p.groups_in_pass(p.passes - 1) != p.places;
  shapes[1] = partial ? (last ? *last : pass_traffic(p, p.passes - 1)) : shapes[0];

  Cost c;
  const double core_t = static_cast<double>(std::max(cdiv(p.macs, comp), cdiv(p.operand_bytes, mabw)) + f.core_pipeline);
  double total = 0;

  double load_visible = 0;
  double drain = 0;
  ResourceBusy& b = c.busy;
  for (std::int64_t pass = 0; pass < p.passes; ++pass) {
    const bool is_last = pass == p.passes - 1;
    // Passes before the last are all shaped like the first; only the last may be partial.
    const PassTraffic& s = (is_last && partial) ? shapes[1] : shapes[0];
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
    const double dram_t = s_dram + xfer(out_dram, dbw, burst);
    const double l2_t = s_l2 + xfer(out_l2, l2bw, burst);
    const double l1_t = s_l1 + xfer(out_l1, l1bw, burst);
    const double port_t = xfer(p.operand_bytes + p.out_bytes, mabw, burst);
    // Steady state: the slowest of the compute chain, each stream chain (issued when the previous
    // tile's stream is in), every resource's per-tile busy time, and the buffer loop (the stream of
    // tile t+2 starts when compute t frees its half buffer and queues behind the write-back of t).
    const double wb_dram = xfer(out_dram, dbw, burst);
    const double period = std::max({core_t, lat_in + s_bw, dram_t, l2_t, l1_t, port_t, red_t, vec_t,
                                    0.5 * (lat_in + s_bw + wb_dram + core_t)});
    // Weight load of the pass: bounded by DRAM, L2, the busiest L1 link or one array port.
    const double load_t = lat_load + std::max({xfer(s.load_dram, dbw, burst), xfer(s.load_dram, l2bw, burst),
                                               xfer(s.load_l1_max, l1bw, burst), xfer(p.tile_bytes, mabw, burst)});
    const double first_in = lat_in + s_bw;
    const double body = static_cast<double>(n_t - 1) * period + core_t;
    // Loads chain pass after pass; with half_capacity a pass's load starts when the previous load is
    // in, else when the previous pass's last compute frees the arrays.
    double load_end;
    if (pass == 0) {
      // The first stream overlaps the load (both start at the gate) and shares DRAM with it.
      load_end = std::max({load_t, first_in, lat_load + xfer(s.load_dram + s.stream_dram, dbw, burst)});
      load_visible += std::max(0.0, load_end - first_in);

    } else {
      // A later pass's load starts with the previous pass's frees (no half_capacity) or as soon as the
      // previous load is in (half_capacity). Either way its many bursts fill the FIFO DRAM queue: a
      // stream of the running pass that needs more than one burst waits behind the whole load, so
      // the load does not hide behind computation (measured: the SystemC model serialises them).
      load_end = total + load_t;

      load_visible += load_t;
    }
    total = std::max(total, load_end) + body;
    // Drain of the last tile's outputs.
    if (!p.reduce) {
      drain = lat_up + std::max({xfer(out_dram, dbw, burst), xfer(out_l2, l2bw, burst), xfer(out_l1, l1bw, burst),
                                 xfer(p.out_bytes, mabw, burst)});
    } else {
      const double lat_red = static_cast<double>(f.ma_latency + f.l1_latency) +
                             (map.reduce_at == ReduceLevel::L2 ? static_cast<double>(f.l2_latency) : 0.0);
      drain = lat_red + std::max({xfer(out_l1, l1bw, burst), xfer(out_l2, l2bw, burst), red_t}) + vec_t +
              xfer(out_dram, dbw, burst) + static_cast<double>(f.dram_latency);
    }
    // Busy totals.
    const double nt = static_cast<double>(n_t);
    b.dram += xfer(s.load_dram, dbw, burst) + nt * dram_t;
    b.l2 += xfer(s.load_dram, l2bw, burst) + nt * l2_t;
    b.l1 += xfer(s.load_l1_max, l1bw, burst) + nt * l1_t;
    b.port += xfer(p.tile_bytes, mabw, burst) + nt * port_t;
    b.core += nt * core_t;
    b.reduce += nt * red_t;
    b.vector += nt * vec_t;
    c.dram_bytes += s.load_dram + n_t * (s.stream_dram + out_dram);
    c.arrays_used = std::max(c.arrays_used, n_arr);
  }
  total += drain;
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
