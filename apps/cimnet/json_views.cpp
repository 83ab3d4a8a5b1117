#include "apps/cimnet/json_views.hpp"

namespace cimnet::cli {

nlohmann::json space_network_header(const SearchSpace& space, const Genome& genome) {
  nlohmann::json header = nlohmann::json::object();
  if (space.inner_precision().active()) header["inner_precision"] = space.inner_precision().text();
  header["space"] = space.name();
  header["arch"] = space.format(genome);
  header["dynast"] = space.to_dynast_dict(genome);
  return header;
}

nlohmann::json layer_json(const Network& net, std::size_t i) {
  const Layer& l = net.layers[i];
  nlohmann::json inputs = nlohmann::json::array();
  for (int p : l.inputs) inputs.push_back(p < 0 ? std::string("input") : net.layers[static_cast<std::size_t>(p)].name);
  return {{"index", i},
          {"name", l.name},
          {"kind", to_string(l.kind)},
          {"operation", describe_operation(l)},
          {"batch", l.batch},
          {"out_channels", l.out_channels},
          {"in_channels", l.in_channels},
          {"in_h", l.in_h},
          {"in_w", l.in_w},
          {"out_h", l.out_h},
          {"out_w", l.out_w},
          {"kernel_h", l.kernel_h},
          {"kernel_w", l.kernel_w},
          {"stride", l.stride},
          {"groups", l.groups},
          {"bias", l.bias},
          {"batch_norm", l.batch_norm},
          {"weight_bits", l.weight_bits},
          {"input_bits", l.input_bits},
          {"output_bits", l.output_bits},
          {"inputs", inputs},
          {"macs", l.macs()},
          {"params", l.params()},
          {"vector_ops", l.vector_ops()},
          {"weight_bytes", l.weight_bytes()},
          {"input_bytes", l.input_bytes()},
          {"output_bytes", l.output_bytes()}};
}

nlohmann::json network_json(nlohmann::json header, const Network& net) {
  nlohmann::json out = std::move(header);
  out["name"] = net.name;
  out["totals"] = {{"layers", net.layers.size()},
                   {"mac_layers", net.mac_layer_count()},
                   {"macs", net.total_macs()},
                   {"params", net.total_params()},
                   {"weight_bytes", net.total_weight_bytes()}};
  out["layers"] = nlohmann::json::array();
  for (std::size_t i = 0; i < net.layers.size(); ++i) out["layers"].push_back(layer_json(net, i));
  return out;
}

nlohmann::json hardware_json(const Scenario& scenario, const HardwareConfig& hw) {
  const double space_size = scenario.hardware.size();
  nlohmann::json out;
  out["scenario"] = scenario.origin;
  for (const auto& i : hw_param_infos()) {
    const auto p = static_cast<std::size_t>(i.param);
    out["parameters"][i.name] = {{"value", hw.values[p]},
                                 {"unit", i.unit},
                                 {"choices", scenario.hardware.choices[p]},
                                 {"reference", scenario.hardware.choices[p][static_cast<std::size_t>(
                                                   scenario.hardware.reference[p])]}};
  }
  // Component genes ("pe.rows"): a digital core's size the scenario searches, after the eight.
  const auto& genes = scenario.hardware.component_genes;
  const auto values = scenario.hardware.gene_values(hw);
  for (std::size_t g = 0; g < genes.size(); ++g) {
    const std::size_t p = kHwParamCount + g;
    out["parameters"][genes[g].name()] = {
        {"value", values[p]},
        {"unit", unit_of(genes[g].field)},
        {"choices", genes[g].choices},
        {"reference", genes[g].choices[static_cast<std::size_t>(scenario.hardware.reference[p])]}};
  }
  for (const auto& f : fixed_param_infos()) {
    out["fixed"][f.name] = {{"value", get_fixed(hw.fixed, f.name)}, {"unit", f.unit}};
  }
  out["derived"] = {{"l1_decoders", hw.l1_decoders()},
                    {"arrays", hw.total_arrays()},
                    {"compute_cores", hw.total_arrays()},
                    {"peak_macs_per_cycle", hw.peak_macs_per_cycle()},
                    {"total_capacity_bytes", hw.total_capacity_bytes()},
                    {"hardware_space_size", space_size}};
  out["cim_arrays"] = hw.cim_arrays;
  out["digital_cores"] = nlohmann::json::array();
  for (const DigitalCore& d : hw.digital_cores) {
    out["digital_cores"].push_back({{"name", d.name}, {"rows", d.rows}, {"cols", d.cols},
                                    {"unrolling", {d.row_unrolling(), d.col_unrolling()}},
                                    {"precisions", d.precisions}, {"weight_precisions", d.stationary_precisions()},
                                    {"step_cycles", d.step_cycles}, {"weight_slots", d.weight_slots},
                                    {"weight_buffer_bytes", d.weight_buffer_bytes},
                                    {"input_buffer_bytes", d.input_buffer_bytes},
                                    {"output_buffer_bytes", d.output_buffer_bytes},
                                    {"accumulator_bits", d.accumulator_bits},
                                    {"port_bytes_per_cycle", d.port_bytes_per_cycle},
                                    {"link_latency", d.link_latency}, {"pipeline_cycles", d.pipeline_cycles},
                                    {"static_power_mw", d.static_power_mw}});
  }
  return out;
}

evaluation::InferenceEnergy energy_of_run(const Network& network, const HardwareConfig& hardware,
                                          const evaluation::NetworkRun& run, const EnergyTable& table) {
  const bool steady = once_warm(run.cycles_of);
  const std::int64_t inference_cycles =
      run.simulated ? (steady ? run.mapping.sim_steady_cycles : run.mapping.sim_cold_cycles)
                    : (steady ? run.mapping.analytical_steady_cycles : run.mapping.analytical_cycles);
  return evaluation::inference_energy(network, run.mapping, hardware, table, steady, inference_cycles);
}

nlohmann::json simulation_report(nlohmann::json header, const Network& network, const HardwareConfig& hardware,
                                 const evaluation::NetworkRun& run, const EnergyTable& table,
                                 const evaluation::InferenceEnergy& energy) {
  nlohmann::json report = evaluation::report_json(std::move(header), network, hardware, run);
  report["energy"] = evaluation::energy_json(energy, table, hardware);
  report["energy"]["inference"] = to_string(run.cycles_of);
  return report;
}

}  // namespace cimnet::cli
