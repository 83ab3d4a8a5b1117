#include "mapping/single_layer_memory.hpp"

#include <vector>

#include "common/memo_table.hpp"
#include "mapping/memo_keys.hpp"
#include "mapping/program_builder.hpp"
#include "program/peak_allocation.hpp"

namespace cimnet {

namespace {

std::int64_t build_and_measure(const Layer& layer, const Plan* plan, const HardwareConfig& hw) {
  Program alone;
  ProgramBuilder builder(hw, alone);
  if (plan) {
    builder.add_mac_layer(*plan, layer.name, {});
  } else {
    builder.add_vector_layer(layer, {});
  }
  const Memories memories(hw);
  return worst_case_bytes(alone, memories, memories.global_buffer());
}

// Everything the program of a layer alone reads: the layer's numbers (a MAC layer's: its plan's view
// and mapping, from which make_plan derives the rest) and the hardware.
std::vector<std::int64_t> single_layer_key(const Layer& layer, const Plan* plan, const HardwareConfig& hw) {
  std::vector<std::int64_t> key;
  key.reserve(64);
  append_hardware(key, hw);
  if (plan) {
    key.insert(key.end(), {1, plan->decoder_base});
    append_view(key, plan->view);
    append_mapping(key, plan->mapping);
  } else {
    key.insert(key.end(), {0, static_cast<std::int64_t>(layer.kind), layer.batch, layer.out_channels,
                           layer.in_channels, layer.in_h, layer.in_w, layer.out_h, layer.out_w, layer.kernel_h,
                           layer.kernel_w, layer.stride, layer.groups, layer.padding, layer.bias ? 1 : 0,
                           layer.rms_norm ? 1 : 0, layer.batch_norm ? 1 : 0, static_cast<std::int64_t>(layer.pool),
                           static_cast<std::int64_t>(layer.eltwise), static_cast<std::int64_t>(layer.activation),
                           layer.broadcast_second ? 1 : 0, layer.persistent_stationary ? 1 : 0, layer.weight_bits,
                           layer.input_bits, layer.output_bits, static_cast<std::int64_t>(layer.inputs.size())});
  }
  return key;
}

}  // namespace

// A stream's stages ask for the same layers on every decoder count: the measurement (a program built
// and walked) is kept per question.
std::int64_t single_layer_gb_bytes(const Layer& layer, const Plan* plan, const HardwareConfig& hw) {
  // 16 384 entries of about 0.5 KiB (the key's ~55 words): at most ~8 MiB per thread.
  thread_local MemoTable<std::vector<std::int64_t>, std::int64_t> memo(1u << 14);
  return memo.get(single_layer_key(layer, plan, hw), [&] { return build_and_measure(layer, plan, hw); });
}

}  // namespace cimnet
