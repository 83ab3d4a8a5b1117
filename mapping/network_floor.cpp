#include "mapping/network_floor.hpp"

#include <algorithm>
#include <vector>

namespace cimnet {

namespace {
std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
}  // namespace

NetworkFloor network_floor(const Network& net, const HardwareConfig& hw, bool gb_only) {
  NetworkFloor f;
  f.compute_cycles = cdiv(net.total_macs(), hw.peak_macs_per_cycle());
  std::int64_t weights = 0;
  for (const Layer& l : net.layers) {
    // Weights, and state kept between inferences (a KV cache): what streams from DRAM unless it stays.
    if (l.is_mac_layer() && (l.kind != LayerKind::MatMul || l.persistent_stationary)) weights += l.weight_bytes();
  }
  const std::int64_t arrays = hw.total_capacity_bytes();
  f.weight_bytes = std::max<std::int64_t>(0, weights - arrays);
  const std::int64_t free_arrays = gb_only ? 0 : std::max<std::int64_t>(0, arrays - weights);
  const std::int64_t on_chip = hw.fixed.gb_bytes + free_arrays;
  // Which outputs are read by a later layer (the others are the network's outputs).
  std::vector<char> read(net.layers.size(), 0);
  std::int64_t input = 0;
  for (const Layer& l : net.layers) {
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
      const int p = l.inputs[k];
      if (p >= 0) read[static_cast<std::size_t>(p)] = 1;
    }
  }
  // The network input: the most any layer reading it takes in (an element-wise layer's operands are
  // of one size, so its share is its input over its operands).
  for (const Layer& l : net.layers) {
    const bool reads_input = std::find(l.inputs.begin(), l.inputs.end(), -1) != l.inputs.end() || l.inputs.empty();
    const std::int64_t operands = std::max<std::int64_t>(1, static_cast<std::int64_t>(l.inputs.size()));
    if (reads_input) input = std::max(input, l.is_mac_layer() ? l.input_bytes() : l.input_bytes() / operands);
  }
  f.io_bytes = input;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const std::int64_t out = net.layers[i].output_bytes();
    if (!read[i]) {
      f.io_bytes += out;
    } else {
      f.spill_bytes += 2 * std::max<std::int64_t>(0, out - on_chip);
    }
  }
  f.dram_cycles = cdiv(f.io_bytes + f.weight_bytes + f.spill_bytes, hw.get(HwParam::DRAM_bw));
  return f;
}

}  // namespace cimnet
