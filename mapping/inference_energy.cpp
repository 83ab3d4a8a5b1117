#include "mapping/inference_energy.hpp"

#include "program/action_counts.hpp"

namespace cimnet {

double InferenceEnergy::pj_per_mac() const {
  return macs > 0 ? energy.total() / static_cast<double>(macs) : 0;
}

double InferenceEnergy::tops_per_watt() const {
  // ops ⁄ J = 2 × MACs ⁄ (pJ × 1e-12); TOPS/W = that ⁄ 1e12.
  return energy.total() > 0 ? 2.0 * static_cast<double>(macs) / energy.total() : 0;
}

double InferenceEnergy::edp_joule_seconds(double clock_ghz) const {
  return energy.total() * 1e-12 * static_cast<double>(cycles) / (clock_ghz * 1e9);
}

InferenceEnergy inference_energy(const Network& net, const NetworkMapping& mapping, const HardwareConfig& hw,
                                 const EnergyTable& table, bool steady, std::int64_t cycles) {
  const std::size_t ops = mapping.program.ops.size();
  std::size_t first = 0, end = ops;
  if (mapping.two_inferences) {
    (steady ? first : end) = static_cast<std::size_t>(mapping.steady_first_op);
    // Under a stream, the second inference's ops alone (a third follows).
    if (steady && !mapping.stream_inference_ops.empty()) end = static_cast<std::size_t>(mapping.stream_first_op(0));
  }
  const std::vector<int> layer_of = op_layers(mapping);
  std::vector<ActionCounts> per_layer(net.layers.size());
  ActionCounts unattributed;
  InferenceEnergy out;
  for (std::size_t i = first; i < end; ++i) {
    const ActionCounts c = count_actions(mapping.program.ops[i], hw);
    out.counts += c;
    (layer_of[i] >= 0 ? per_layer[static_cast<std::size_t>(layer_of[i])] : unattributed) += c;
  }
  out.cycles = cycles;
  out.macs = net.total_macs();
  out.layer_pj.assign(net.layers.size(), 0);
  // Each layer's MACs at its own precisions (an op of no layer at the hardware's defaults); static power
  // once, over the inference.
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const EnergyBreakdown e = energy_of(per_layer[l], table, hw, 0, layer.weight_bits, layer.input_bits);
    out.layer_pj[l] = e.dynamic();
    out.energy += e;
  }
  const EnergyBreakdown rest =
      energy_of(unattributed, table, hw, cycles, hw.fixed.weight_bits, hw.fixed.activation_bits);
  out.unattributed_pj = rest.dynamic();
  out.energy += rest;
  return out;
}

}  // namespace cimnet
