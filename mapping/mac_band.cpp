#include "mapping/mac_band.hpp"

#include <cstring>
#include <vector>

#include "common/memo_table.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/memo_keys.hpp"
#include "mapping/stack_program.hpp"

namespace cimnet {

namespace {

std::vector<std::int64_t> key_of(const Plan& layer_plan, const Layer& band, const HardwareConfig& hw,
                                 const LayerIo& io) {
  std::int64_t head_start = 0;
  static_assert(sizeof head_start == sizeof io.head_start, "a double's bits in one word");
  std::memcpy(&head_start, &io.head_start, sizeof head_start);
  std::vector<std::int64_t> key;
  key.reserve(80);
  append_view(key, gemm_view(band));
  key.insert(key.end(), {band.macs(), layer_plan.view.m});
  append_mapping(key, layer_plan.mapping);
  append_hardware(key, hw);
  key.insert(key.end(), {static_cast<std::int64_t>(io.weights), static_cast<std::int64_t>(io.load_gate.size()),
                         io.prefetch ? 1 : 0, head_start, io.input_in_gb ? 1 : 0, io.output_to_gb ? 1 : 0,
                         io.keep_output ? 1 : 0, static_cast<std::int64_t>(io.post.size())});
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
