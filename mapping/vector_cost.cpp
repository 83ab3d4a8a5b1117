// The analytical cost of a non-MAC layer (estimate_vector_layer, cost_model.hpp). Its program
// (program_builder.hpp, vector_chunks()): n chunks of at most four bursts of input, each
//   Move DRAM → global buffer, Vector (read it through the global buffer's port, ceil(ops / lanes)
//   cycles of the vector unit, write the result back), Free of the input, Move global buffer → DRAM,
//   Free of the output,
// with at most L chunks in flight (chunk i + L starts when chunk i's output has left the buffer).
// Under `fused` (VectorIo) a chunk fetches only the part of its input in DRAM (none when all of it is
// in the global buffer) and stores nothing when its output stays.
//
// The cycles are those ops run burst by burst over the three hops they use — the DRAM interface, the
// global buffer's port and the vector unit — by the timed model's rules (burst_schedule.hpp): the
// layer's own schedule, not a bound. An earlier closed form (the longest of four paths) missed how
// fetches and stores of the L chunks in flight interleave on a narrow DRAM interface: up to 12 % under
// SystemC at 16 B/cycle, 6.6 % under for a residual add at the reference design's 64.
#include <algorithm>
#include <array>
#include <cmath>

#include "common/memo_table.hpp"
#include "mapping/burst_schedule.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/program_builder.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet {

namespace {

// The layer's chunks as program_builder.cpp builds them, run over the hops.
std::int64_t vector_schedule_cycles(const VectorChunks& v, const HardwareConfig& hw, const VectorIo& io) {
  BurstSchedule s(hw.fixed.burst_bytes);
  const std::size_t dram = s.add_hop(hw.get(HwParam::DRAM_bw), hw.fixed.dram_latency);
  const std::size_t gb = s.add_hop(hw.fixed.gb_bw, hw.fixed.gb_latency);
  const std::size_t unit = s.add_hop(hw.fixed.vector_lanes, 0);
  using Kind = BurstStage::Kind;
  std::vector<int> released;
  for (std::int64_t i = 0; i < v.count; ++i) {
    auto share = [&](std::int64_t total) { return v.share(total, i); };
    const std::int64_t in = std::max<std::int64_t>(1, share(v.in_bytes));
    const std::int64_t ops = std::max<std::int64_t>(1, share(v.ops));
    const std::int64_t out = std::max<std::int64_t>(1, share(v.out_bytes));
    const std::int64_t fetched = io.fetch_bytes < 0 ? in : share(io.fetch_bytes);
    std::vector<int> deps;  // chunk i waits for chunk i − lanes to have left the buffer
    if (i >= v.lanes) deps.push_back(released[static_cast<std::size_t>(i - v.lanes)]);
    const int fetch = fetched > 0 ? s.add_op({{Kind::Flow, {dram, gb}, fetched, false, 0}}, deps, fetched) : -1;
    const int vec = s.add_op({{Kind::Flow, {gb}, in, false, 0}, {Kind::Command, {unit}, ops, false, 0},
                              {Kind::Flow, {gb}, out, false, 0}},
                             fetch >= 0 ? std::vector<int>{fetch} : deps, in);
    int end = fetch >= 0 ? s.add_free({vec}) : vec;
    if (io.store) {
      const int store = s.add_op({{Kind::Flow, {gb, dram}, out, true, 0}}, {vec}, out);
      end = s.add_free({store, end});
    }
    released.push_back(end);
  }
  return s.run();
}

// The schedule depends on the chunks, six rates and latencies and the io alone. A stack scheduler asks
// for the same bands many times (every stack that holds the layer, every tile count that gives it those
// rows), so the cycles are kept per question.
std::int64_t vector_cycles(const VectorChunks& v, const HardwareConfig& hw, const VectorIo& io) {
  using Key = std::array<std::int64_t, 13>;
  thread_local MemoTable<Key, std::int64_t> memo;  // 65 536 entries of ~0.2 KiB: at most ~12 MiB per thread
  const Key key{v.count, v.lanes, v.in_bytes, v.out_bytes, v.ops,
                                             hw.fixed.burst_bytes, hw.get(HwParam::DRAM_bw), hw.fixed.dram_latency,
                                             hw.fixed.gb_bw, hw.fixed.gb_latency, hw.fixed.vector_lanes,
                                             io.fetch_bytes, io.store ? 1 : 0};
  return memo.get(key, [&] { return vector_schedule_cycles(v, hw, io); });
}

}  // namespace

Cost estimate_vector_layer(const Layer& layer, const HardwareConfig& hw, const VectorIo& io) {
  const Rates k(hw);
  const VectorChunks v = vector_chunks(layer, hw);
  const std::int64_t fetch_total = io.fetch_bytes < 0 ? v.in_bytes : io.fetch_bytes;
  const std::int64_t n = v.count;
  // Chunks have even shares, the remainder one byte (or operation) each on the first chunks: sums
  // over chunks are exact with the two sizes.
  auto sum_over_chunks = [&](std::int64_t total, auto per_chunk) {
    const std::int64_t big = total % n, lo = total / n;
    return static_cast<double>(big) * per_chunk(lo + 1) + static_cast<double>(n - big) * per_chunk(lo);
  };
  auto dram = [&](std::int64_t b) { return k.flow(b, k.dram); };
  auto gb = [&](std::int64_t b) { return k.flow(b, k.gb); };
  auto vec = [&](std::int64_t ops) { return static_cast<double>(cdiv(ops, k.vector_lanes)); };
  const double stored = io.store ? 1.0 : 0.0;
  const double dram_busy = sum_over_chunks(fetch_total, dram) + stored * sum_over_chunks(v.out_bytes, dram);
  const double gb_busy = sum_over_chunks(fetch_total, gb) + sum_over_chunks(v.in_bytes, gb) +
                         (1 + stored) * sum_over_chunks(v.out_bytes, gb);
  const double vector_busy = sum_over_chunks(v.ops, vec);
  const std::int64_t out = cdiv(v.out_bytes, n);
  const double store = io.store ? k.lat_gb + k.lat_dram + std::max(gb(out), dram(out)) : 0.0;
  Cost c;
  c.cycles = vector_cycles(v, hw, io);
  const double cycles = static_cast<double>(c.cycles);
  ResourceBusy& b = c.busy;
  b.dram = dram_busy;
  b.gb = gb_busy;
  b.vector = vector_busy;
  c.dram_bytes = fetch_total + (io.store ? v.out_bytes : 0);
  c.arrays_used = 0;
  const double m = std::max({b.dram, b.gb, b.vector});
  c.bound = m == b.vector ? "vector" : m == b.dram ? "dram" : "buffer";
  if (m < 0.5 * cycles) c.bound = "latency";
  // Breakdown: the last chunk's write and store drain the layer; the rest is stall (no MACs).
  c.write_back = std::min(c.cycles, static_cast<std::int64_t>(std::llround(k.lat_gb + gb(out) + store)));
  c.stall = c.cycles - c.write_back;
  return c;
}

}  // namespace cimnet
