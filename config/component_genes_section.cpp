#include "config/component_genes_section.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

const DigitalCore* core_named(const HardwareSpace& hw, const std::string& name) {
  for (const auto& c : hw.digital_cores) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The gene a key names, or a failure at the key naming the cores or fields allowed.
ComponentGene gene_of_key(const std::string& key, const YamlValue& value, const HardwareSpace& hw,
                          bool components_form) {
  const std::size_t dot = key.rfind('.');
  const std::string core = key.substr(0, dot);
  const std::string field_name = key.substr(dot + 1);
  if (!core_named(hw, core)) {
    if (hw.digital_cores.empty()) {
      value.fail("'" + core + "' is not a digital core: this design has none (a key '<core>.<field>' sizes one of "
                 "hardware: digital_cores, or a component of kind digital_core); allowed: " +
                 join(hw_param_names(), ", "));
    }
    std::vector<std::string> cores;
    for (const auto& c : hw.digital_cores) cores.push_back(c.name);
    value.fail("no digital core is named '" + core + "'" + did_you_mean(core, cores) + "; cores: " + join(cores, ", "));
  }
  ComponentGene gene;
  gene.core = core;
  if (!core_field_from_string(field_name, !components_form, gene.field)) {
    const std::string allowed = join(core_field_names(!components_form), ", ");
    if (components_form && field_name == "port") {
      value.fail("a component's port is its link's bandwidth, not a gene (give the link a bandwidth); searchable: " +
                 allowed);
    }
    value.fail("'" + field_name + "' is not a searchable field of digital core '" + core + "'" +
               did_you_mean(field_name, core_field_names(!components_form)) + "; searchable: " + allowed);
  }
  return gene;
}

}  // namespace

bool is_component_gene_key(const std::string& key) { return key.find('.') != std::string::npos; }

void read_component_genes(const YamlValue& choices, HardwareSpace& hw, bool components_form) {
  for (const std::string& key : choices.keys()) {
    if (!is_component_gene_key(key)) continue;
    const YamlValue value = *choices.peek(key);
    ComponentGene gene = gene_of_key(key, value, hw, components_form);
    const DigitalCore& core = *core_named(hw, gene.core);
    const auto items = value.list();
    if (items.empty()) value.fail("needs at least one choice");
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::int64_t v = items[i].as_parsed("a positive integer with an optional size suffix (B, KiB, MiB, GiB)",
                                                 [&](const std::string& s) { return parse_hw_value(s, items[i].path()); });
      // Each size checked here, at its line, with the bounds DigitalCore::validate allows.
      DigitalCore sized = core;
      apply_gene(sized, gene.field, v);
      try {
        sized.validate();
      } catch (const InputError& e) {
        items[i].fail(e.what());
      }
      if (i > 0 && v <= gene.choices.back()) {
        items[i].fail(v == gene.choices.back()
                          ? std::to_string(v) + " is listed twice (a repeated choice would be sampled twice as often)"
                          : "choices must be strictly ascending, but " + std::to_string(v) + " follows " +
                                std::to_string(gene.choices.back()));
      }
      gene.choices.push_back(v);
    }
    try {
      hw.add_component_gene(std::move(gene));
    } catch (const InputError& e) {
      value.fail(e.what());
    }
  }
}

}  // namespace cimnet
