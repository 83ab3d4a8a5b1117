// The analytical cost of a non-MAC layer (estimate_vector_layer, cost_model.hpp). Its program
// (program_builder.hpp, vector_chunks()): n chunks of at most four bursts of input, each
//   Move DRAM → global buffer, Vector (read it through the global buffer's port, ceil(ops / lanes)
//   cycles of the vector unit, write the result back), Free of the input, Move global buffer → DRAM,
//   Free of the output,
// with at most L chunks in flight (chunk i + L starts when chunk i's output has left the buffer).
// Three resources carry the work — the DRAM interface (every input and output byte), the global
// buffer's port (each byte twice: written and read) and the vector unit — and the L lanes bound the
// rate at which chunks can follow one another. The layer takes the longest of:
//   - the vector unit's path: the first chunk in the buffer (its last burst waits for the other
//     lanes' bursts, which the DRAM serves round robin: ((bursts − 1) · L + 1) bursts), its read (when
//     nothing is fetched, in turns with the other lanes' reads at the buffer's port likewise), every
//     chunk's vector work back to back, then the last chunk's write and store;
//   - the DRAM's path: every byte in and out, then the store's latency;
//   - the global buffer's path: every byte twice, behind the first burst's DRAM latency;
//   - the lanes' path: ceil(n / L) rounds of one chunk's whole chain (the first round's fetches
//     interleaved as above), since chunk i + L waits for chunk i.
// Under `fused` (VectorIo) a chunk fetches only the part of its input in DRAM (none when all of it is
// in the global buffer) and stores nothing when its output stays: the same paths with those terms
// zero.
#include <algorithm>
#include <cmath>

#include "mapping/cost_model.hpp"
#include "mapping/program_builder.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet {

Cost estimate_vector_layer(const Layer& layer, const HardwareConfig& hw, const VectorIo& io) {
  const Rates k(hw);
  const VectorChunks v = vector_chunks(layer, hw);
  const std::int64_t fetch_total = io.fetch_bytes < 0 ? v.in_bytes : io.fetch_bytes;
  const std::int64_t n = v.count, lanes = std::min(v.lanes, v.count);
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
  // One chunk (the largest: the first), alone: fetch, vector op, store.
  const std::int64_t in = cdiv(v.in_bytes, n), out = cdiv(v.out_bytes, n), ops = cdiv(v.ops, n);
  const std::int64_t fin = cdiv(fetch_total, n);  // fetched per chunk
  const double fetch = fin > 0 ? k.lat_dram + k.lat_gb + std::max(dram(fin), gb(fin)) : 0.0;
  const double vector_op = 2 * k.lat_gb + gb(in) + vec(ops) + gb(out);
  const double store = io.store ? k.lat_gb + k.lat_dram + std::max(gb(out), dram(out)) : 0.0;
  const double store_dram = io.store ? dram(out) : 0.0;
  // The first chunk in the global buffer while `lanes` fetches share the DRAM burst by burst.
  const std::int64_t bursts = cdiv(fin, k.burst), last_burst = fin - (bursts - 1) * k.burst;
  const double burst_t = std::max(dram(k.burst), gb(k.burst));
  const double first_in = fin > 0 ? k.lat_dram + k.lat_gb + static_cast<double>((bursts - 1) * lanes) * burst_t +
                                        std::max(dram(last_burst), gb(last_burst))
                                  : 0.0;
  // Its read. With its input all in the global buffer (nothing fetched) the first round's chunks are
  // readable at once, and the port serves the lanes' reads burst by burst in turns: the first chunk's
  // last burst comes after ((bursts − 1) · L + 1) of them. (Fetched chunks land one DRAM burst apart,
  // and their reads do not meet so.)
  const std::int64_t in_bursts = cdiv(in, k.burst), last_in = in - (in_bursts - 1) * k.burst;
  const double first_read = fin == 0 && in > 0
                                ? static_cast<double>((in_bursts - 1) * lanes) * gb(k.burst) + gb(last_in)
                                : gb(in);
  const double vector_path = first_in + k.lat_gb + first_read + vector_busy + k.lat_gb + gb(out) + store;
  // The DRAM: the first round's fetches, then (once the first chunk's output is ready) every other
  // transfer but the last store; with more than one round the last chunk's fetch is among the last of
  // them (it takes turns with the stores of the round before), and its whole chain follows.
  const double fetches_first_round = static_cast<double>(lanes) * dram(fin);
  const double first_store = first_in + vector_op;
  const double dram_path =
      dram_busy <= 0 ? 0.0
      : n > lanes    ? std::max(fetches_first_round, first_store) + (dram_busy - fetches_first_round - store_dram) +
                        (fin > 0 ? k.lat_dram + k.lat_gb : 0.0) + vector_op + store
                     : std::max(fetches_first_round, first_store) + (dram_busy - fetches_first_round) +
                        (io.store ? k.lat_gb + k.lat_dram : 0.0);
  const double gb_path = (fin > 0 ? k.lat_dram + dram(std::min(fin, k.burst)) : k.lat_gb) + gb_busy +
                         (io.store ? k.lat_dram : k.lat_gb);
  const double rounds = static_cast<double>(cdiv(n, lanes));
  const double lanes_path =
      first_in + vector_op - gb(in) + first_read + store + (rounds - 1) * (fetch + vector_op + store);
  const double cycles = std::max({vector_path, dram_path, gb_path, lanes_path});
  Cost c;
  c.cycles = static_cast<std::int64_t>(std::llround(cycles));
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
