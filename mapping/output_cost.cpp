#include "mapping/output_cost.hpp"

#include <algorithm>
#include <cmath>

namespace cimnet {

// The post-ops of a fused output path (layer_io.hpp) on one piece of `values` output values, after its
// result is in the global buffer: per post-op, the other operand's share moved in from DRAM (issued at
// the compute's end, beside the outputs' own chain), the Vector op (read, lanes, write); then the store
// of the last result unless it stays.
namespace {

void add_post_ops(OutputCost& o, const LayerIo& io, const Rates& k, std::int64_t values, std::int64_t all,
                  std::int64_t result_bytes) {
  const double f = static_cast<double>(values) / static_cast<double>(all);
  auto share = [&](std::int64_t total) {
    return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::llround(f * static_cast<double>(total))));
  };
  std::int64_t last = result_bytes;
  double prev_write = -1;  // the previous post-op's write (none before the first)
  // The vector unit's path right after the previous piece's last lanes: this piece's first post-op's
  // lanes and write, then the second post-op's read (the port's part of it: [start, end) windows).
  double first_lanes = 0, first_write = 0, second_read = 0;
  for (const PostOp& post : io.post) {
    const std::int64_t other = post.other_in_gb ? 0 : share(post.other_bytes);
    if (other > 0) {
      const double m_dram = k.flow(other, k.dram), m_gb = k.flow(other, k.gb);
      o.dram += m_dram;
      o.gb += m_gb;
      o.dram_bytes += other;
      o.chain = std::max(o.chain, k.lat_dram + k.lat_gb + std::max(m_dram, m_gb));
    }
    const std::int64_t in = std::max<std::int64_t>(1, share(post.in_bytes));
    const std::int64_t out = std::max<std::int64_t>(1, share(post.out_bytes));
    const double read = k.flow(in, k.gb), write = k.flow(out, k.gb);
    const double lanes = static_cast<double>(cdiv(std::max<std::int64_t>(1, share(post.ops)), k.vector_lanes));
    if (prev_write < 0) o.lead = o.chain + k.lat_gb + read;
    o.gb += read + write;
    o.vector += lanes;
    o.chain += 2 * k.lat_gb + read + lanes + write;
    o.store_after += 2 * k.lat_gb + read + lanes + write;
    // A later post-op of a piece is issued only when the earlier one has written its result, and the
    // vector unit serves in order of arrival: while its input is read, the unit waits (the next
    // piece's post-ops queue behind this one). The first one's read overlaps the previous piece's work.
    o.serial += prev_write < 0 ? lanes : prev_write + 2 * k.lat_gb + read + lanes;
    if (prev_write < 0) {
      first_lanes = lanes;
      first_write = write;
    } else if (second_read == 0) {
      second_read = read;
    }
    prev_write = write;
    o.tail = k.lat_gb + write;
    last = out;
  }
  // The previous piece's last write leaves the vector unit free for this piece's first post-op but
  // holds the global buffer's port, which serves it burst by burst in turns with whatever this piece
  // moves through the port meanwhile on the vector unit's path — the first post-op's write, the
  // second's read: each is late by its overlap with that write.
  if (second_read > 0) {
    auto overlap = [](double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); };
    const double w0 = k.lat_gb, w1 = k.lat_gb + prev_write;  // the previous piece's last write
    const double fw0 = first_lanes + k.lat_gb, fw1 = fw0 + first_write;
    const double r0 = fw1 + k.lat_gb, r1 = r0 + second_read;
    o.handover = overlap(w0, w1, fw0, fw1) + overlap(w0, w1, r0, r1);
  }
  if (!io.keep_output) {
    const double store_gb = k.flow(last, k.gb), store_dram = k.flow(last, k.dram);
    o.gb += store_gb;
    o.dram += store_dram;
    o.dram_bytes += last;
    o.burst = std::min(last, k.burst);
    o.chain += k.lat_gb + k.lat_dram + std::max(store_gb, store_dram);
    o.tail += k.lat_gb + k.lat_dram + std::max(store_gb, store_dram);
    o.late_store = store_dram;
  }
}

}  // namespace

OutputCost output_cost(const Plan& p, const Rates& k, const PassTraffic& s, const Plan::Slice& slice,
                       const LayerIo& io) {
  OutputCost o;
  const std::int64_t n = s.arrays, per_l1 = s.arrays_l1_max, ob = slice.out_bytes;
  const double nd = static_cast<double>(n), pl = static_cast<double>(per_l1);
  // Every source array sends its outputs (or partial sums) as a flow of its own through its port and
  // its L1 link.
  o.port = k.flow(ob, k.ma);
  o.l1 = pl * k.flow(ob, k.l1);
  const std::int64_t values = slice.outputs * (n / p.mapping.r_split);
  if (!p.reduce && io.output_to_gb) {
    // port → l1 → l2 → the global buffer's port, complete at its out_tail + gb_latency.
    o.l2 = nd * k.flow(ob, k.l2);
    o.gb = nd * k.flow(ob, k.gb);
    o.chain = k.lat_ma + k.lat_l1 + k.lat_l2 + k.lat_gb + std::max({o.port, o.l1, o.l2, o.gb});
    o.now_l2 = o.wb_l2 = o.l2;
    add_post_ops(o, io, k, values, output_values(p), n * ob);
    return o;
  }
  if (!p.reduce) {
    // port → l1 → l2 → dram, complete at the DRAM's out_tail + dram_latency. At the DRAM they go last
    // (docs/model.md, "The DRAM's service rule").
    o.l2 = nd * k.flow(ob, k.l2);
    o.dram = nd * k.flow(ob, k.dram);
    o.wb = o.dram;
    o.wb_l2 = o.l2;
    o.dram_bytes = n * ob;
    o.chain = k.lat_ma + k.lat_l1 + k.lat_l2 + k.lat_dram + std::max({o.port, o.l1, o.l2, o.dram});
    o.now_l2 = o.l2;
    o.burst = std::min(ob, k.burst);
    return o;
  }
  o.psums = true;
  const std::int64_t units = n / p.mapping.r_split;
  const std::int64_t result = ob * units;  // one accumulated partial sum per output value
  const std::int64_t out = bits_to_bytes(values, p.view.output_bits);
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
    // decoder adds at most a cycle per decoder), but each decoder's flow holds L2 and the buffer's
    // port a cycle at least: at least as many cycles as the decoders the arrays need, filled.
    o.reduce = pl * k.flow(ob, k.reduction);
    reduce_chain = k.lat_ma + k.lat_l1 + std::max({o.port, o.l1, o.reduce});
    const std::int64_t here = ob * (per_l1 / p.mapping.r_split);  // the busiest decoder's result
    o.l1_buffer = k.flow(here, k.l1_buffer);
    const double decoders = static_cast<double>(cdiv(n, k.arrays_per_l1));
    o.l2 = std::max(k.flow(result, k.l2), decoders);
    o.gb = std::max(k.flow(result, k.gb), decoders);
    move_chain = k.lat_l1_buffer + k.lat_l2 + k.lat_gb + std::max({o.l1_buffer, o.l2, o.gb});
  }
  // Vector op: read the result through the global buffer's port, ceil(values / lanes) cycles of the
  // vector unit, write the requantised output back; then the Move global buffer → DRAM.
  const double read = k.flow(result, k.gb), write = k.flow(out, k.gb);
  o.vector = static_cast<double>(cdiv(values, k.vector_lanes));
  o.gb += read + write;
  const double vector_chain = 2 * k.lat_gb + read + o.vector + write;
  o.chain = reduce_chain + move_chain + vector_chain;
  o.store_after = vector_chain;
  if (io.output_to_gb) {
    // Fused: the requantised result stays for the post-ops, or as the kept output.
    add_post_ops(o, io, k, values, output_values(p), out);
    return o;
  }
  const double store_gb = k.flow(out, k.gb);
  o.gb += store_gb;
  o.dram = k.flow(out, k.dram);
  o.dram_bytes = out;
  o.burst = std::min(out, k.burst);
  o.chain += k.lat_gb + k.lat_dram + std::max(store_gb, o.dram);
  return o;
}

}  // namespace cimnet
