#include "mapping/mac_band.hpp"

#include <cstring>
#include <vector>

#include "common/memo_table.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/stack_program.hpp"

namespace cimnet {

namespace {

std::vector<std::int64_t> key_of(const Plan& layer_plan, const Layer& band, const HardwareConfig& hw,
                                 const LayerIo& io) {
  const GemmView v = gemm_view(band);
  const Mapping& m = layer_plan.mapping;
  const MicroArch& f = hw.fixed;
  std::int64_t head_start = 0;
  static_assert(sizeof head_start == sizeof io.head_start, "a double's bits in one word");
  std::memcpy(&head_start, &io.head_start, sizeof head_start);
  std::vector<std::int64_t> key = {
      v.groups, v.k, v.c, v.rs, v.m, v.in_num, v.in_den, v.weight_bits, v.input_bits, v.output_bits,
      v.stationary_is_activation ? 1 : 0, band.macs(), layer_plan.view.m,
      m.group_pack, m.k_split, m.r_split, m.replicas, m.tiles, m.half_capacity ? 1 : 0, m.spread ? 1 : 0,
      static_cast<std::int64_t>(m.reduce_at), m.pass_groups, m.weight_slices, m.first_tile_slices ? 1 : 0,
      f.dram_latency, f.l2_latency, f.l1_latency, f.ma_latency, f.core_pipeline, f.reduction_bw, f.vector_lanes,
      f.weight_bits, f.activation_bits, f.psum_bits, f.burst_bytes, f.input_buffer_bytes, f.gb_bytes, f.gb_bw,
      f.gb_latency, f.l1_buffer_bytes, f.l1_buffer_bw, f.l1_buffer_latency, hw.cim_arrays ? 1 : 0,
      static_cast<std::int64_t>(hw.digital_cores.size()),
      static_cast<std::int64_t>(io.weights), static_cast<std::int64_t>(io.load_gate.size()), io.prefetch ? 1 : 0,
      head_start, io.input_in_gb ? 1 : 0, io.output_to_gb ? 1 : 0, io.keep_output ? 1 : 0,
      static_cast<std::int64_t>(io.post.size())};
  key.insert(key.end(), hw.values.begin(), hw.values.end());
  for (const PostOp& p : io.post) key.insert(key.end(), {p.in_bytes, p.other_bytes, p.other_in_gb ? 1 : 0, p.ops, p.out_bytes});
  return key;
}

}  // namespace

MacBand mac_band(const Plan& layer_plan, const Layer& band, const HardwareConfig& stage_hw, const LayerIo& io) {
  // 16 384 entries of about 1 KiB (the key's ~70 words, a Cost, a Mapping): at most ~16 MiB per thread.
  // The largest MobileNetV3's stream decision asks for about 14 000 distinct bands.
  thread_local MemoTable<std::vector<std::int64_t>, MacBand> memo(1u << 14);
  return memo.get(key_of(layer_plan, band, stage_hw, io), [&] {
    const Plan plan = band_plan(layer_plan, band, stage_hw, 0);
    MacBand out;
    out.mapping = plan.mapping;
    out.cost = estimate(plan, stage_hw, band.macs(), nullptr, nullptr, io);
    out.working = io.output_to_gb || plan.reduce ? fused_working_set(plan, io) : plan.staged_bytes;
    return out;
  });
}

Plan mac_band_plan(const MacBand& work, const Layer& band, const HardwareConfig& stage_hw, std::int64_t first_decoder) {
  Plan plan = make_plan(gemm_view(band), work.mapping, stage_hw, false);
  plan.decoder_base = first_decoder;
  return plan;
}

}  // namespace cimnet
