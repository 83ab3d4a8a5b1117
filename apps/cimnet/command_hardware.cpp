// cimnet hardware: the effective hardware (a scenario's reference design with --hw overrides), its
// choices, the fixed microarchitecture parameters and the derived totals.
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/json_views.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "config/components_section.hpp"

namespace cimnet::cli {

int run_hardware(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("hw", po::value<std::vector<std::string>>()->composing(),
       "override a parameter, KEY=VALUE (any of the eight or a fixed parameter; sizes accept KiB/MiB); repeatable")
      ("format", po::value<std::string>()->default_value("table"),
       "output: table, json, or components (the scenario's hardware section as components and links, which a "
       "scenario may use as it is)");
  const auto vm = parse_options("hardware", "[--scenario FILE] [--hw KEY=VALUE ...] [--format F]", options, args);
  const std::string format = checked_choice("format", vm["format"].as<std::string>(), {"table", "json", "components"});
  const Scenario scenario = scenario_from(vm);
  const HardwareConfig hw = hardware_from(vm);

  if (format == "components") {
    if (vm.count("hw")) {
      throw InputError("--format components describes the scenario's hardware space; --hw changes one design of it "
                       "(edit the printed values instead)");
    }
    std::cout << components_yaml(scenario.hardware,
                                 "The hardware of " + scenario.origin + " as components and links\n"
                                 "(docs/heterogeneous.md, \"A design as components\"); a scenario may use it as it is.");
    return 0;
  }

  const double space_size = scenario.hardware.size();

  if (format == "json") {
    std::cout << hardware_json(scenario, hw).dump(2) << '\n';
    return 0;
  }

  std::cout << "scenario: " << scenario.origin << "\n\n";
  Table params({"parameter", ">value", "unit", "choices", "meaning"});
  for (const auto& i : hw_param_infos()) {
    const auto p = static_cast<std::size_t>(i.param);
    std::vector<std::string> choices;
    for (std::size_t c = 0; c < scenario.hardware.choices[p].size(); ++c) {
      std::string v = format_hw_value(i.param, scenario.hardware.choices[p][c]);
      if (static_cast<int>(c) == scenario.hardware.reference[p]) v = "[" + v + "]";
      choices.push_back(v);
    }
    params.add_row({i.name, format_hw_value(i.param, hw.values[p]), i.unit, join(choices, " "), i.description});
  }
  // Component genes: a digital core's size searched, after the eight (none in the CiMNet template).
  const auto& genes = scenario.hardware.component_genes;
  const auto values = scenario.hardware.gene_values(hw);
  for (std::size_t g = 0; g < genes.size(); ++g) {
    const std::size_t p = kHwParamCount + g;
    std::vector<std::string> choices;
    for (std::size_t c = 0; c < genes[g].choices.size(); ++c) {
      const std::string v = std::to_string(genes[g].choices[c]);
      choices.push_back(static_cast<int>(c) == scenario.hardware.reference[p] ? "[" + v + "]" : v);
    }
    params.add_row({genes[g].name(), std::to_string(values[p]), unit_of(genes[g].field), join(choices, " "),
                    "digital core '" + genes[g].core + "': " + description_of(genes[g].field)});
  }
  params.print(std::cout);
  std::cout << "([x] marks the reference design's choice)\n\n";

  Table fixed({"fixed parameter", ">value", "unit", "meaning"});
  for (const auto& f : fixed_param_infos()) {
    fixed.add_row({f.name, format_number(get_fixed(hw.fixed, f.name)), f.unit, f.description});
  }
  fixed.print(std::cout);

  if (!hw.digital_cores.empty()) {
    std::cout << "\ndigital cores (every configuration has them; docs/heterogeneous.md):\n";
    Table cores({"name", ">PEs", "unrolling", "precisions", ">weight buf", ">input buf", ">output buf", ">port B/cycle",
                 ">link lat", ">pipeline", ">step cycles", ">weight slots"});
    for (const DigitalCore& d : hw.digital_cores) {
      std::string bits;
      for (int b : d.precisions) bits += (bits.empty() ? "" : ",") + std::to_string(b);
      if (!d.weight_precisions.empty()) {
        std::string w;
        for (int b : d.weight_precisions) w += (w.empty() ? "" : ",") + std::to_string(b);
        bits = "w " + w + "; in " + bits;
      }
      cores.add_row({d.name, std::to_string(d.rows) + "x" + std::to_string(d.cols),
                     d.row_unrolling() + " x " + d.col_unrolling(), bits,
                     with_thousands(d.weight_buffer_bytes), with_thousands(d.input_buffer_bytes),
                     with_thousands(d.output_buffer_bytes), std::to_string(d.port_bytes_per_cycle),
                     std::to_string(d.link_latency), std::to_string(d.pipeline_cycles),
                     std::to_string(d.step_cycles), std::to_string(d.weight_slots)});
    }
    cores.print(std::cout);
    if (!hw.cim_arrays) {
      std::cout << "no CiM arrays (hardware: cim_arrays: false): the digital cores run every MAC layer; the array "
                   "and L1 parameters above are unused\n";
    }
  }

  std::cout << "\nderived:\n";
  if (!hw.cim_arrays) {
    // The tree's parameters keep one choice each without arrays (config/scenario.cpp): the space's size
    // is the DRAM_bw, L2_bw and core-size choices.
    const auto distinct = static_cast<std::size_t>(scenario.hardware.size());
    std::cout << "  CiM arrays           none\n"
              << "  hardware space       " << distinct << (distinct == 1 ? " distinct configuration" : " distinct configurations")
              << " (the DRAM_bw and L2_bw "
              << (genes.empty() ? "" : "and digital-core size ")
              << "choices; the arrays' parameters do not apply)\n";
    return 0;
  }
  std::cout << "  L1 decoders          " << hw.l1_decoders() << '\n'
            << "  memory arrays        " << hw.total_arrays() << " (each with one compute core)\n"
            << "  peak MACs per cycle  " << with_thousands(hw.peak_macs_per_cycle()) << '\n'
            << "  total array capacity " << with_thousands(hw.total_capacity_bytes()) << " bytes ("
            << format_number(static_cast<double>(hw.total_capacity_bytes()) / (1024.0 * 1024.0)) << " MiB)\n"
            << "  hardware space       " << format_number(space_size) << " configurations\n";
  return 0;
}

}  // namespace cimnet::cli
