#include "evaluation/energy_report.hpp"

#include "program/action_counts.hpp"

namespace cimnet::evaluation {

namespace {

// The precisions a MAC of op i is priced at: its layer's, or the hardware's defaults for an op of none.
std::pair<std::int64_t, std::int64_t> op_bits(const Network& net, const std::vector<int>& layer_of, std::size_t i,
                                              const HardwareConfig& hw) {
  const int l = layer_of[i];
  if (l < 0) return {hw.fixed.weight_bits, hw.fixed.activation_bits};
  const Layer& layer = net.layers[static_cast<std::size_t>(l)];
  return {layer.weight_bits, layer.input_bits};
}

}  // namespace

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
  // Each layer's MACs at its own precisions, as op_bits gives them; static power once, over the inference.
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

std::vector<double> op_energies(const Network& net, const NetworkMapping& mapping, const HardwareConfig& hw,
                                const EnergyTable& table) {
  const std::vector<int> layer_of = op_layers(mapping);
  std::vector<double> out(mapping.program.ops.size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto [w, a] = op_bits(net, layer_of, i, hw);
    out[i] = energy_of(count_actions(mapping.program.ops[i], hw), table, hw, 0, w, a).dynamic();
  }
  return out;
}

nlohmann::json energy_json(const InferenceEnergy& e, const EnergyTable& table, const HardwareConfig& hw) {
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& info : energy_entry_infos()) entries[info.key] = table.*info.field;
  nlohmann::json levels = nlohmann::json::object();
  for (const auto& [name, pj] : e.energy.levels()) levels[name] = pj;
  return {{"table", {{"preset", table.preset}, {"entries", entries}}},
          {"total_pj", e.energy.total()},
          {"dynamic_pj", e.energy.dynamic()},
          {"static_pj", e.energy.static_energy},
          {"levels", levels},
          {"pj_per_mac", e.pj_per_mac()},
          {"tops_per_watt", e.tops_per_watt()},
          {"edp_joule_seconds", e.edp_joule_seconds(hw.fixed.clock_ghz)},
          {"cycles", e.cycles},
          {"layers_pj", e.layer_pj},
          {"unattributed_pj", e.unattributed_pj}};
}

}  // namespace cimnet::evaluation
