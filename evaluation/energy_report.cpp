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
