#include "config/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"
#include "config/component_genes_section.hpp"
#include "config/components_section.hpp"
#include "config/digital_cores_section.hpp"
#include "workloads/inner_precision.hpp"

namespace cimnet {
namespace {

const char* const kHwValueExpected = "a positive integer with an optional size suffix (B, KiB, MiB, GiB)";

std::int64_t hw_value(const YamlValue& v) {
  return v.as_parsed(kHwValueExpected, [&](const std::string& s) { return parse_hw_value(s, v.path()); });
}

std::string list_values(HwParam p, const std::vector<std::int64_t>& values) {
  std::vector<std::string> parts;
  for (auto x : values) {
    parts.push_back(format_hw_value(p, x));
  }
  return join(parts, ", ");
}

// The reference kept for a parameter whose choices the scenario replaces without naming a reference:
// the third choice, like the paper's reference design (third of four), or the last of a shorter list.
int default_reference(std::size_t choice_count) {
  return choice_count >= 3 ? 2 : static_cast<int>(choice_count) - 1;
}

// The eight parameters' names and the dotted keys of component genes present (read by
// read_component_genes once the cores are known, which checks them).
std::vector<std::string> parameters_and_gene_keys(const YamlValue& node) {
  std::vector<std::string> allowed = hw_param_names();
  for (const std::string& key : node.keys()) {
    if (is_component_gene_key(key)) allowed.push_back(key);
  }
  return allowed;
}

void read_choices(const YamlValue& node, HardwareSpace& hw) {
  const YamlMap choices = node.map(parameters_and_gene_keys(node));
  for (const auto& [name, value] : choices.entries()) {
    if (is_component_gene_key(name)) continue;
    const HwParam p = hw_param_from_string(name);
    const auto items = value.list();
    if (items.empty()) value.fail("needs at least one choice");
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < items.size(); ++i) {
      values.push_back(hw_value(items[i]));
      // Checked here rather than only in HardwareSpace::validate so that the message has the line.
      try {
        check_hw_bounds(p, values[i], name);
      } catch (const InputError& e) {
        items[i].fail(e.what());
      }
      if (i > 0 && values[i] == values[i - 1]) {
        items[i].fail(format_hw_value(p, values[i]) + " is listed twice (a repeated choice would be sampled twice "
                      "as often)");
      }
      if (i > 0 && values[i] < values[i - 1]) {
        items[i].fail("choices must be strictly ascending, but " + format_hw_value(p, values[i]) + " follows " +
                      format_hw_value(p, values[i - 1]));
      }
    }
    const auto index = static_cast<std::size_t>(p);
    hw.choices[index] = values;
    hw.reference[index] = default_reference(values.size());
  }
}

void read_reference(const YamlValue& node, HardwareSpace& hw) {
  for (const std::string& key : node.keys()) {
    if (!is_component_gene_key(key)) continue;
    node.peek(key)->fail("a digital core's reference is its own value: give it in the core's description and list "
                         "it among hardware.choices." + key + "; allowed here: " + join(hw_param_names(), ", "));
  }
  const YamlMap reference = node.map(hw_param_names());
  for (const auto& [name, value] : reference.entries()) {
    const HwParam p = hw_param_from_string(name);
    const auto index = static_cast<std::size_t>(p);
    const std::int64_t v = hw_value(value);
    const auto& c = hw.choices[index];
    const auto it = std::find(c.begin(), c.end(), v);
    if (it == c.end()) {
      value.fail(format_hw_value(p, v) + " is not one of the choices of " + name + ": " + list_values(p, c));
    }
    hw.reference[index] = static_cast<int>(it - c.begin());
  }
}

void read_fixed(const YamlValue& node, MicroArch& fixed) {
  const YamlMap map = node.map(fixed_param_names());
  for (const auto& [name, value] : map.entries()) {
    const double v = value.as_number(std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max());
    // set_fixed knows each parameter's range and unit; it prefixes its message with `where`.
    set_fixed(fixed, name, v, value.where() + ": " + value.path());
  }
}

// Section `energy:` (issue 16): a preset with any entries overridden, or — without a preset — every
// entry given. Each entry a finite number ≥ 0 (hardware/energy_table.hpp; docs/energy.md).
EnergyTable read_energy(const YamlValue& node) {
  std::vector<std::string> allowed = energy_entry_names();
  allowed.insert(allowed.begin(), "preset");
  const YamlMap map = node.map(allowed);
  EnergyTable table;
  const auto preset = map.find("preset");
  if (preset) {
    try {
      table = energy_preset(preset->as_string(), "");
    } catch (const InputError& e) {
      preset->fail(e.what());
    }
  }
  for (const auto& info : energy_entry_infos()) {
    const auto value = map.find(info.key);
    if (!value) {
      if (!preset) {
        node.fail(std::string("missing '") + info.key + "' (" + info.unit + ", " + info.description +
                  "): give every entry, or a preset (" + join(energy_preset_names(), ", ") + ") to override");
      }
      continue;
    }
    const double v = value->as_number(std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max());
    if (!(v >= 0) || !std::isfinite(v)) {
      value->fail("expected a finite number >= 0 (" + std::string(*info.unit ? info.unit : "a ratio") + "), got " +
                  format_number(v));
    }
    table.*info.field = v;
  }
  if (!preset) table.preset = "custom";
  return table;
}

// `components:` and `links:` (config/components_section.hpp) over the choices, reference and fixed
// parameters already read: a key that a component also sets is refused at that key.
void read_hardware_components(const YamlMap& map, const YamlValue& components, HardwareSpace& hw) {
  for (const char* key : {"digital_cores", "cim_arrays"}) {
    if (const auto v = map.find(key)) {
      v->fail(std::string("with hardware: components, describe ") +
              (key[0] == 'd' ? "each digital core as a component (kind: digital_core)"
                             : "the CiM arrays as a component (kind: cim_arrays), or leave it out for none"));
    }
  }
  const auto links = map.find("links");
  if (!links) components.fail("needs hardware: links too (each {from: PARENT, to: CHILD}; at least dram -> buffer)");
  const ComponentGraph graph = read_components(components, *links);
  const auto refuse = [&](const char* section, const std::string& key, const std::string& by) {
    const auto s = map.find(section);
    if (!s) return;
    if (const auto v = s->peek(key)) v->fail("is set by the components (" + by + "); give it in one place");
  };
  for (HwParam p : searched_parameters_set(graph)) {
    const std::string by = p == HwParam::DRAM_bw ? "the DRAM link's bandwidth" : "the buffer's bandwidth";
    refuse("choices", info(p).name, by);
    refuse("reference", info(p).name, by);
  }
  for (const std::string& f : fixed_parameters_set(graph)) refuse("fixed", f, "a component's property");
  try {
    apply_components(graph, hw);
  } catch (const InputError& e) {
    components.fail(e.what());
  }
}

// Without CiM arrays the tree's parameters below the L2 decoder describe nothing: each keeps its
// reference value as its only choice, so that a hardware search varies what the design has (DRAM_bw,
// L2_bw, the digital cores' searched sizes) and never draws one design twice. Several choices given for
// one of them are refused (one is a value, as `cimnet hardware --format components` writes it).
void pin_array_parameters(const YamlMap& map, HardwareSpace& hw) {
  const auto choices = map.find("choices");
  for (std::size_t p = static_cast<std::size_t>(HwParam::L1_bw); p < kHwParamCount; ++p) {
    const char* name = hw_param_infos()[p].name;
    if (choices && hw.choices[p].size() > 1) {
      if (const auto given = choices->peek(name)) {
        given->fail(std::string("searches a parameter of the CiM arrays, and this design has none (hardware: "
                                "cim_arrays: false, or no component of kind cim_arrays); searchable: DRAM_bw, "
                                "L2_bw and the digital cores' sizes (<core>.rows, ...)"));
      }
    }
    const std::int64_t value = hw.choices[p][static_cast<std::size_t>(hw.reference[p])];
    hw.choices[p] = {value};
    hw.reference[p] = 0;
  }
}

HardwareSpace read_hardware(const YamlValue& node) {
  HardwareSpace hw = HardwareSpace::defaults();
  const YamlMap map =
      node.map({"choices", "reference", "fixed", "digital_cores", "cim_arrays", "components", "links"});
  // Choices first, whatever the order in the file: the reference is checked against them.
  if (auto choices = map.find("choices")) read_choices(*choices, hw);
  if (auto reference = map.find("reference")) read_reference(*reference, hw);
  if (auto fixed = map.find("fixed")) read_fixed(*fixed, hw.fixed);
  if (auto components = map.find("components")) {
    read_hardware_components(map, *components, hw);
  } else if (auto links = map.find("links")) {
    links->fail("links join components: describe them under hardware: components too");
  }
  if (auto cores = map.find("digital_cores")) hw.digital_cores = read_digital_cores(*cores);
  // Component genes once the cores are known: each names one, and its own value is the reference.
  if (auto choices = map.find("choices")) read_component_genes(*choices, hw, map.has("components"));
  if (auto arrays = map.find("cim_arrays")) {
    hw.cim_arrays = arrays->as_bool();
    if (!hw.cim_arrays && hw.digital_cores.empty()) {
      arrays->fail("false leaves no core to run the MAC layers: describe hardware: digital_cores too");
    }
  }
  if (!hw.cim_arrays) pin_array_parameters(map, hw);
  try {
    hw.validate();
  } catch (const InputError& e) {
    node.fail_here(e.what());
  }
  return hw;
}

// Which keys each accuracy source takes; checked here so that a misfit names the file and line.
AccuracySettings read_accuracy(const YamlValue& node, const std::string& origin) {
  AccuracySettings a;
  const YamlMap map = node.map({"source", "path", "command", "timeout"});
  if (auto source = map.find("source")) a.source = source->as_choice({"auto", "predictor", "table", "command", "proxy"});
  if (auto path = map.find("path")) {
    if (a.source != "predictor" && a.source != "table") path->fail("only the predictor and table sources take a path");
    a.path = path->as_string();
    // A relative path is relative to the scenario file, so a scenario and its data travel together.
    const std::filesystem::path dir = std::filesystem::path(origin).parent_path();
    if (std::filesystem::path(a.path).is_relative() && !dir.empty() && origin.front() != '<') {
      a.path = (dir / a.path).string();
    }
  }
  if (auto command = map.find("command")) {
    if (a.source != "command") command->fail("only the command source takes a command");
    a.command = command->as_string();
  }
  if (auto timeout = map.find("timeout")) {
    if (a.source != "command") timeout->fail("only the command source takes a timeout");
    a.timeout = timeout->as_number(0.001, 1e7);
  }
  if (a.source == "table" && a.path.empty()) node.fail("the table source needs a path (a CSV of measured accuracies)");
  if (a.source == "command" && a.command.empty()) node.fail("the command source needs a command");
  return a;
}

SearchSettings read_search(const YamlValue& node) {
  SearchSettings s;
  const YamlMap map = node.map({"mode", "methods", "objectives", "area_budget", "budget", "initial", "batch",
                                "population", "generations", "seeds", "reference_network", "timeout", "rerank"});
  if (auto v = map.find("mode")) s.mode = v->as_choice({"arch", "hw", "joint"});
  if (auto v = map.find("methods")) {
    s.methods.clear();
    // A method, optionally with settings of its own (linas:rerank=0); the search checks the settings
    // (search/loop/method_spec.hpp) before any work, naming this file.
    const std::vector<std::string> allowed = {"linas", "nsga2", "random", "dynast"};
    for (const auto& item : v->list()) {
      const std::string m = item.as_string();
      const std::string method = m.substr(0, m.find(':'));
      if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
        item.fail("unknown method '" + method + "'" + did_you_mean(method, allowed) + "; allowed: " + join(allowed, ", ") +
                  ", each optionally with settings of its own (linas:rerank=0)");
      }
      if (std::find(s.methods.begin(), s.methods.end(), m) != s.methods.end()) item.fail("method listed twice");
      s.methods.push_back(m);
    }
    if (s.methods.empty()) v->fail("needs at least one method");
  }
  if (auto v = map.find("objectives")) {
    s.objectives.clear();
    // The search's vocabulary (search/loop/objective.hpp): accuracy is maximised, the others minimised.
    for (const auto& item : v->list()) {
      const std::string o = item.as_choice({"accuracy", "cycles", "energy", "edp", "area"});
      if (std::find(s.objectives.begin(), s.objectives.end(), o) != s.objectives.end()) item.fail("objective listed twice");
      s.objectives.push_back(o);
    }
    // A front needs two objectives at least; any two or more of the five make one.
    if (s.objectives.size() < 2) {
      v->fail("needs two or more of accuracy, cycles, energy, edp, area (a front of one objective is one point)");
    }
  }
  if (auto v = map.find("area_budget")) s.area_budget = v->as_number(0, 1e6);
  s.budget = map.integer_or("budget", s.budget, 1, 10000000);
  s.initial = map.integer_or("initial", s.initial, 1, 10000000);
  s.batch = map.integer_or("batch", s.batch, 1, 10000000);
  s.population = map.integer_or("population", s.population, 4, 100000);
  s.generations = map.integer_or("generations", s.generations, 1, 1000000);
  if (auto v = map.find("seeds")) {
    s.seeds.clear();
    for (const auto& item : v->list()) {
      const long long x = item.as_integer(0, std::numeric_limits<std::int64_t>::max());
      if (std::find(s.seeds.begin(), s.seeds.end(), x) != s.seeds.end()) {
        item.fail("seed " + std::to_string(x) + " is listed twice (it would run the same search twice)");
      }
      s.seeds.push_back(x);
    }
    if (s.seeds.empty()) v->fail("needs at least one seed");
  }
  s.reference_network = map.string_or("reference_network", s.reference_network);
  if (auto v = map.find("timeout")) s.timeout = v->as_number(0, 1e7);
  s.rerank = map.integer_or("rerank", s.rerank, 0, 1000);
  return s;
}

}  // namespace

Scenario parse_scenario(const std::string& yaml_text, const std::string& origin) {
  Scenario s;
  s.origin = origin;
  s.text = yaml_text;

  const YamlValue root = YamlValue::parse(yaml_text, origin, "scenario");
  if (root.is_null()) root.fail_here("the scenario is empty; it needs at least a 'space' section");
  const YamlMap top = root.map({"name", "description", "space", "hardware", "execution", "cycles", "latency_bound", "allocation", "energy", "accuracy",
                             "search"});

  s.name = top.string_or("name", std::filesystem::path(origin).stem().string());
  s.description = top.string_or("description", "");

  const YamlValue space_node = top.required("space");
  const YamlMap space = space_node.map({"name", "resolutions", "inner_precision"});
  s.space = space.required("name").as_choice(space_names());
  const auto resolutions = space.find("resolutions");
  if (resolutions) {
    const auto items = resolutions->list();
    if (items.empty()) resolutions->fail("needs at least one resolution (or leave the key out)");
    for (const auto& item : items) {
      const auto r = static_cast<int>(item.as_integer(1, 100000));
      auto& chosen = s.space_options.resolutions;
      if (std::find(chosen.begin(), chosen.end(), r) != chosen.end()) {
        item.fail(std::to_string(r) + " is listed twice (a repeated choice would be sampled twice as often)");
      }
      chosen.push_back(r);
    }
  }
  if (auto inner = space.find("inner_precision")) {
    try {
      s.space_options.inner_precision = parse_inner_precision(inner->as_string(), "");
    } catch (const InputError& e) {
      inner->fail(std::string(e.what()).substr(2));  // the message without its empty "where: "
    }
  }

  if (auto hardware = top.find("hardware")) {
    s.hardware = read_hardware(*hardware);
  } else {
    s.hardware = HardwareSpace::defaults();
  }

  if (auto execution = top.find("execution")) {
    s.execution = parse_execution_setting(execution->as_choice(execution_setting_names()), "execution");
  }
  if (auto cycles = top.find("cycles")) s.cycles_of = parse_cycles_of(cycles->as_choice(cycles_of_names()), "cycles");
  if (auto bound = top.find("latency_bound")) {
    try {
      s.latency_bound = parse_latency_bound(bound->as_string(), "");
    } catch (const InputError& e) {
      bound->fail(e.what());
    }
    if (s.execution.searched || s.execution.policy != Execution::Pipelined) {
      bound->fail("applies only under execution: pipelined (this scenario's execution is " + to_string(s.execution) +
                  "); it asks the pipelined scheduler for the least global buffer within the bound");
    }
  }
  if (auto allocation = top.find("allocation")) {
    const AllocationSetting setting =
        parse_allocation_setting(allocation->as_choice(allocation_setting_names()), "allocation");
    s.allocation = setting.objective;
    s.allocation_searched = setting.searched;
    if (s.hardware.digital_cores.empty()) {
      allocation->fail("applies only to designs with digital cores (hardware: digital_cores, or components of kind "
                       "digital_core): it chooses which core runs each MAC layer, and this design has only the arrays");
    }
  }
  if (auto energy = top.find("energy")) s.energy = read_energy(*energy);
  if (auto accuracy = top.find("accuracy")) s.accuracy = read_accuracy(*accuracy, origin);
  std::optional<YamlValue> search_node = top.find("search");
  if (search_node) s.search = read_search(*search_node);
  if (!s.hardware.cim_arrays && search_node && s.search.mode != "arch" && s.hardware.size() <= 1) {
    const std::optional<YamlValue> mode = search_node->peek("mode");
    (mode ? *mode : *search_node)
        .fail("mode '" + s.search.mode + "' searches the hardware, and this design (no CiM arrays: hardware: "
              "cim_arrays: false, or no component of kind cim_arrays) has one configuration; give choices of "
              "DRAM_bw, L2_bw or a digital core's size (<core>.rows: [8, 16, 32]), or allowed: arch");
  }

  // Building the space is the one complete check of its options (e.g. a resolution the space does
  // not offer). It comes last, after every check that is cheap.
  try {
    make_space(s.space, s.space_options);
  } catch (const InputError& e) {
    (resolutions ? *resolutions : space_node).fail(e.what());
  }
  // The reference sub-network must be a network of the space: checked here so the message has a line.
  try {
    make_space(s.space, s.space_options)->parse(s.search.reference_network);
  } catch (const InputError& e) {
    if (search_node) search_node->fail(std::string("reference_network: ") + e.what());
    throw;
  }
  return s;
}

Scenario load_scenario(const std::string& path) { return parse_scenario(read_text_file(path, "scenario file"), path); }

Scenario default_scenario() { return parse_scenario(default_scenario_text(), "<embedded default scenario>"); }

}  // namespace cimnet
