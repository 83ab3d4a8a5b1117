#include "config/components_section.hpp"

#include <algorithm>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"
#include "config/digital_cores_section.hpp"

namespace cimnet {

namespace {

Component read_component(const YamlValue& node) {
  if (!node.is_mapping()) node.fail("expected a mapping with a name and a kind, got " + node.describe());
  const auto kind_node = node.peek("kind");
  if (!kind_node) {
    node.fail("missing required key 'kind' (allowed: " + join(component_kind_names(), ", ") + ")");
  }
  Component c;
  c.kind = component_kind_from_string(kind_node->as_choice(component_kind_names()));
  if (c.kind == ComponentKind::DigitalCore) {
    c.core = read_digital_core(node, true);
    c.name = c.core.name;
    return c;
  }
  std::vector<std::string> keys = {"name", "kind"};
  for (const auto& p : component_properties(c.kind)) keys.emplace_back(p.key);
  const YamlMap map = node.map(keys);
  c.name = map.required("name").as_string();
  for (const auto& p : component_properties(c.kind)) {
    const auto v = map.find(p.key);
    if (!v) continue;
    c.properties[p.key] =
        p.size ? v->as_parsed("a size in bytes with an optional suffix (B, KiB, MiB, GiB)",
                              [&](const std::string& s) { return parse_hw_value(s, v->path()); })
               : v->as_integer(p.min, p.max);
  }
  return c;
}

Link read_link(const YamlValue& node) {
  const YamlMap map = node.map({"from", "to", "bandwidth", "latency"});
  Link l;
  l.from = map.required("from").as_string();
  l.to = map.required("to").as_string();
  if (const auto v = map.find("bandwidth")) l.bandwidth = v->as_integer(1, std::int64_t{1} << 40);
  if (const auto v = map.find("latency")) l.latency = v->as_integer(1, 1 << 20);
  return l;
}

// A name as a YAML scalar: quoted when plain style would read it otherwise.
std::string yaml_name(const std::string& name) {
  const bool plain = !name.empty() && name.find_first_of(",:{}[]#&*!|>'\"%@`\\") == std::string::npos &&
                     name.front() != ' ' && name.back() != ' ' && name.front() != '-' && name.front() != '?' &&
                     name != "~" && name != "null" && name != "Null" && name != "NULL";
  if (plain) return name;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string flow_map(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string s = "{";
  for (std::size_t i = 0; i < entries.size(); ++i) s += (i ? ", " : "") + entries[i].first + ": " + entries[i].second;
  return s + "}";
}

}  // namespace

ComponentGraph read_components(const YamlValue& components, const YamlValue& links) {
  ComponentGraph g;
  const auto component_nodes = components.list();
  const auto link_nodes = links.list();
  if (component_nodes.empty()) components.fail("needs at least a dram, a buffer, a vector_unit and a MAC unit");
  for (const auto& item : component_nodes) g.components.push_back(read_component(item));
  for (const auto& item : link_nodes) g.links.push_back(read_link(item));
  if (const auto fault = check_components(g)) {
    if (fault->in_link) link_nodes[fault->index].fail_here(fault->message);
    if (fault->index < component_nodes.size()) component_nodes[fault->index].fail_here(fault->message);
    components.fail(fault->message);
  }
  return g;
}

std::string components_yaml(const HardwareSpace& space, const std::string& heading) {
  const ComponentGraph g = describe_components(space);
  const auto set_params = searched_parameters_set(g);
  const auto set_fixed_names = fixed_parameters_set(g);
  std::ostringstream out;
  if (!heading.empty()) {
    std::istringstream lines(heading);
    for (std::string line; std::getline(lines, line);) out << "# " << line << '\n';
  }
  out << "hardware:\n";
  out << "  choices:\n";
  for (const auto& i : hw_param_infos()) {
    if (std::find(set_params.begin(), set_params.end(), i.param) != set_params.end()) continue;
    const auto& c = space.choices[static_cast<std::size_t>(i.param)];
    std::vector<std::string> values;
    for (std::int64_t v : c) values.push_back(std::to_string(v));
    out << "    " << i.name << ": [" << join(values, ", ") << "]\n";
  }
  // Component genes after the eight: each a dotted key naming its core, which reads back to the same gene.
  for (const ComponentGene& gene : space.component_genes) {
    std::vector<std::string> values;
    for (std::int64_t v : gene.choices) values.push_back(std::to_string(v));
    out << "    " << yaml_name(gene.name()) << ": [" << join(values, ", ") << "]\n";
  }
  out << "  reference:\n";
  for (const auto& i : hw_param_infos()) {
    if (std::find(set_params.begin(), set_params.end(), i.param) != set_params.end()) continue;
    const auto p = static_cast<std::size_t>(i.param);
    out << "    " << i.name << ": " << space.choices[p][static_cast<std::size_t>(space.reference[p])] << '\n';
  }
  out << "  fixed:\n";
  for (const auto& f : fixed_param_infos()) {
    if (std::find(set_fixed_names.begin(), set_fixed_names.end(), f.name) != set_fixed_names.end()) continue;
    out << "    " << f.name << ": " << format_number(get_fixed(space.fixed, f.name)) << '\n';
  }
  out << "  components:\n";
  for (const Component& c : g.components) {
    if (c.kind == ComponentKind::DigitalCore) {
      out << "    - name: " << yaml_name(c.name) << "\n      kind: digital_core\n";
      for (const std::string& line : digital_core_yaml(c.core, false)) out << "      " << line << '\n';
      continue;
    }
    std::vector<std::pair<std::string, std::string>> entries = {{"name", yaml_name(c.name)}, {"kind", to_string(c.kind)}};
    for (const auto& p : component_properties(c.kind)) {
      const auto it = c.properties.find(p.key);
      if (it != c.properties.end()) entries.emplace_back(p.key, std::to_string(it->second));
    }
    out << "    - " << flow_map(entries) << '\n';
  }
  out << "  links:\n";
  for (const Link& l : g.links) {
    std::vector<std::pair<std::string, std::string>> entries = {{"from", yaml_name(l.from)}, {"to", yaml_name(l.to)}};
    if (l.bandwidth) entries.emplace_back("bandwidth", std::to_string(*l.bandwidth));
    if (l.latency) entries.emplace_back("latency", std::to_string(*l.latency));
    out << "    - " << flow_map(entries) << '\n';
  }
  return out.str();
}

}  // namespace cimnet
