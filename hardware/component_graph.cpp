#include "hardware/component_graph.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

const ComponentKind kKinds[] = {ComponentKind::Dram, ComponentKind::Buffer, ComponentKind::VectorUnit,
                                ComponentKind::CimArrays, ComponentKind::DigitalCore};

// Where a scalar property goes: a fixed parameter (by name) or one of the eight.
struct Target {
  ComponentKind kind;
  const char* key;
  const char* fixed;  // nullptr: `param`
  HwParam param;
  bool size;
};

const std::vector<Target>& targets() {
  static const std::vector<Target> t = {
      {ComponentKind::Dram, "latency", "dram_latency", HwParam::DRAM_bw, false},
      {ComponentKind::Buffer, "capacity", "gb_bytes", HwParam::DRAM_bw, true},
      {ComponentKind::Buffer, "port", "gb_bw", HwParam::DRAM_bw, false},
      {ComponentKind::Buffer, "access_latency", "gb_latency", HwParam::DRAM_bw, false},
      {ComponentKind::Buffer, "bandwidth", nullptr, HwParam::L2_bw, false},
      {ComponentKind::Buffer, "latency", "l2_latency", HwParam::DRAM_bw, false},
      {ComponentKind::VectorUnit, "lanes", "vector_lanes", HwParam::DRAM_bw, false},
  };
  return t;
}

const FixedParamInfo& fixed_info(const std::string& name) {
  for (const auto& f : fixed_param_infos()) {
    if (name == f.name) return f;
  }
  throw std::logic_error("component property targets unknown fixed parameter " + name);
}

std::string kind_phrase(ComponentKind k) {
  switch (k) {
    case ComponentKind::Dram: return "DRAM";
    case ComponentKind::Buffer: return "buffer";
    case ComponentKind::VectorUnit: return "vector unit";
    case ComponentKind::CimArrays: return "CiM arrays";
    case ComponentKind::DigitalCore: return "digital core";
  }
  return "component";
}

std::string named(const Component& c) { return kind_phrase(c.kind) + " '" + c.name + "'"; }

std::string link_phrase(const Link& l) { return "link from '" + l.from + "' to '" + l.to + "'"; }

const char* kShapes = "the timed model elaborates dram -> buffer, then buffer -> vector_unit, cim_arrays and "
                      "digital_core";

}  // namespace

const char* to_string(ComponentKind k) {
  switch (k) {
    case ComponentKind::Dram: return "dram";
    case ComponentKind::Buffer: return "buffer";
    case ComponentKind::VectorUnit: return "vector_unit";
    case ComponentKind::CimArrays: return "cim_arrays";
    case ComponentKind::DigitalCore: return "digital_core";
  }
  return "?";
}

std::vector<std::string> component_kind_names() {
  std::vector<std::string> names;
  for (ComponentKind k : kKinds) names.emplace_back(to_string(k));
  return names;
}

ComponentKind component_kind_from_string(const std::string& text) {
  for (ComponentKind k : kKinds) {
    if (text == to_string(k)) return k;
  }
  throw InputError("unknown component kind '" + text + "'" + did_you_mean(text, component_kind_names()) +
                   "; allowed: " + join(component_kind_names(), ", "));
}

const std::vector<ComponentProperty>& component_properties(ComponentKind kind) {
  static const auto by_kind = [] {
    std::map<ComponentKind, std::vector<ComponentProperty>> m;
    for (ComponentKind k : kKinds) m[k];
    for (const Target& t : targets()) {
      if (t.fixed) {
        const FixedParamInfo& f = fixed_info(t.fixed);
        m[t.kind].push_back({t.key, f.unit, f.description, static_cast<std::int64_t>(f.min),
                             static_cast<std::int64_t>(f.max), t.size});
      } else {
        const HwParamInfo& p = info(t.param);
        m[t.kind].push_back({t.key, p.unit, p.description, p.min, p.max, t.size});
      }
    }
    return m;
  }();
  return by_kind.at(kind);
}

std::optional<ComponentFault> check_components(const ComponentGraph& g) {
  const auto component_fault = [](std::size_t i, std::string m) { return ComponentFault{false, i, std::move(m)}; };
  const auto link_fault = [](std::size_t i, std::string m) { return ComponentFault{true, i, std::move(m)}; };
  std::map<std::string, std::size_t> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < g.components.size(); ++i) {
    const Component& c = g.components[i];
    if (c.name.empty()) return component_fault(i, "a component needs a name");
    if (!index.emplace(c.name, i).second) return component_fault(i, "component '" + c.name + "' is described twice");
    names.push_back(c.name);
  }
  // Dangling links first: nothing else can be said of a link to nowhere.
  for (std::size_t i = 0; i < g.links.size(); ++i) {
    const Link& l = g.links[i];
    for (const std::string* end : {&l.from, &l.to}) {
      if (!index.count(*end)) {
        return link_fault(i, link_phrase(l) + " is dangling: no component is named '" + *end + "'" +
                                 did_you_mean(*end, names) + " (components: " + join(names, ", ") + ")");
      }
    }
  }
  std::vector<std::size_t> drams;
  for (std::size_t i = 0; i < g.components.size(); ++i) {
    if (g.components[i].kind == ComponentKind::Dram) drams.push_back(i);
  }
  if (drams.empty()) return component_fault(g.components.size(), "needs a component of kind dram (the backing memory)");
  if (drams.size() > 1) {
    return component_fault(drams[1], "DRAM '" + g.components[drams[1]].name + "' is a second DRAM; the timed model "
                                     "has one (first: '" + g.components[drams[0]].name + "')");
  }
  // Each link's shape and properties; one parent per component.
  std::vector<int> parent(g.components.size(), -1);
  for (std::size_t i = 0; i < g.links.size(); ++i) {
    const Link& l = g.links[i];
    const Component& from = g.components[index.at(l.from)];
    const Component& to = g.components[index.at(l.to)];
    const bool dram_link = from.kind == ComponentKind::Dram && to.kind == ComponentKind::Buffer;
    const bool under_buffer = from.kind == ComponentKind::Buffer &&
                              (to.kind == ComponentKind::VectorUnit || to.kind == ComponentKind::CimArrays ||
                               to.kind == ComponentKind::DigitalCore);
    if (!dram_link && !under_buffer) {
      return link_fault(i, link_phrase(l) + " joins a " + to_string(from.kind) + " to a " + to_string(to.kind) +
                               ", which the model cannot place: " + kShapes);
    }
    if (parent[index.at(l.to)] >= 0) {
      return link_fault(i, link_phrase(l) + ": " + named(to) + " is already linked from '" +
                               g.components[static_cast<std::size_t>(parent[index.at(l.to)])].name +
                               "'; each component hangs under one parent");
    }
    parent[index.at(l.to)] = static_cast<int>(index.at(l.from));
    if (dram_link && l.latency) {
      return link_fault(i, link_phrase(l) + ": the DRAM interface takes a bandwidth only; its latency is DRAM '" +
                               from.name + "''s own `latency`");
    }
    if (under_buffer && to.kind != ComponentKind::DigitalCore && (l.bandwidth || l.latency)) {
      return link_fault(i, link_phrase(l) + " takes no bandwidth or latency: " +
                               (to.kind == ComponentKind::VectorUnit
                                    ? "the vector unit reads the buffer at the buffer's `port`"
                                    : "the arrays' links are the tree's parameters (L1_bw, MA_bw)"));
    }
    if (l.bandwidth && *l.bandwidth < 1) return link_fault(i, link_phrase(l) + ": bandwidth must be >= 1 B/cycle");
    const HwParamInfo& dram_bw = info(HwParam::DRAM_bw);
    if (dram_link && l.bandwidth && (*l.bandwidth < dram_bw.min || *l.bandwidth > dram_bw.max)) {
      return link_fault(i, link_phrase(l) + ": bandwidth = " + std::to_string(*l.bandwidth) +
                               " is out of range; allowed " + std::to_string(dram_bw.min) + " to " +
                               std::to_string(dram_bw.max) + " B/cycle (it is DRAM_bw)");
    }
    if (l.latency && *l.latency < 1) return link_fault(i, link_phrase(l) + ": latency must be >= 1 cycle");
  }
  // Every component reached from the DRAM: walk each one's parents up.
  for (std::size_t i = 0; i < g.components.size(); ++i) {
    const Component& c = g.components[i];
    if (c.kind == ComponentKind::Dram) continue;
    const int p = parent[i];
    if (p < 0) {
      return component_fault(i, named(c) + " has no path to DRAM '" + g.components[drams[0]].name +
                                    "': no link reaches it (links: - {from: PARENT, to: " + c.name + "})");
    }
    if (g.components[static_cast<std::size_t>(p)].kind != ComponentKind::Dram && parent[static_cast<std::size_t>(p)] < 0) {
      return component_fault(i, named(c) + " has no path to DRAM '" + g.components[drams[0]].name + "': it hangs under '" +
                                    g.components[static_cast<std::size_t>(p)].name + "', which no link reaches");
    }
  }
  const auto of_kind = [&](ComponentKind k) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < g.components.size(); ++i) {
      if (g.components[i].kind == k) found.push_back(i);
    }
    return found;
  };
  const auto buffers = of_kind(ComponentKind::Buffer);
  if (buffers.empty()) {
    return component_fault(g.components.size(), "needs a component of kind buffer under the DRAM (the global buffer "
                                                "every layer's activations pass through)");
  }
  if (buffers.size() > 1) {
    return component_fault(buffers[1], "buffer '" + g.components[buffers[1]].name + "' is a second buffer under the "
                                       "DRAM; the timed model has one (first: '" + g.components[buffers[0]].name + "')");
  }
  const auto vectors = of_kind(ComponentKind::VectorUnit);
  if (vectors.empty()) {
    return component_fault(g.components.size(), "needs a component of kind vector_unit under the buffer (the "
                                                "element-wise layers run there)");
  }
  if (vectors.size() > 1) return component_fault(vectors[1], "a second vector unit; the timed model has one");
  const auto trees = of_kind(ComponentKind::CimArrays);
  if (trees.size() > 1) return component_fault(trees[1], "a second cim_arrays; the timed model has one tree of arrays");
  if (trees.empty() && of_kind(ComponentKind::DigitalCore).empty()) {
    return component_fault(g.components.size(), "needs a unit that runs MAC layers: a cim_arrays or a digital_core");
  }
  for (std::size_t i = 0; i < g.components.size(); ++i) {
    const Component& c = g.components[i];
    if (c.kind == ComponentKind::DigitalCore && c.core.name != c.name) {
      return component_fault(i, named(c) + ": its core is named '" + c.core.name + "'");
    }
    for (const auto& [key, value] : c.properties) {
      const auto& props = component_properties(c.kind);
      const auto it = std::find_if(props.begin(), props.end(), [&](const ComponentProperty& p) { return key == p.key; });
      if (it == props.end()) return component_fault(i, named(c) + " takes no property '" + key + "'");
      if (value < it->min || value > it->max) {
        return component_fault(i, named(c) + ": " + key + " = " + std::to_string(value) + " is out of range; allowed " +
                                      std::to_string(it->min) + " to " + std::to_string(it->max) + " " + it->unit);
      }
    }
  }
  return std::nullopt;
}

std::vector<HwParam> searched_parameters_set(const ComponentGraph& g) {
  std::vector<HwParam> set;
  for (const Link& l : g.links) {
    for (const Component& c : g.components) {
      if (c.name == l.from && c.kind == ComponentKind::Dram && l.bandwidth) set.push_back(HwParam::DRAM_bw);
    }
  }
  for (const Component& c : g.components) {
    if (c.kind == ComponentKind::Buffer && c.properties.count("bandwidth")) set.push_back(HwParam::L2_bw);
  }
  return set;
}

std::vector<std::string> fixed_parameters_set(const ComponentGraph& g) {
  std::vector<std::string> set;
  for (const Component& c : g.components) {
    for (const Target& t : targets()) {
      if (t.kind == c.kind && t.fixed && c.properties.count(t.key)) set.emplace_back(t.fixed);
    }
  }
  return set;
}

void apply_components(const ComponentGraph& g, HardwareSpace& space) {
  const auto single_choice = [&](HwParam p, std::int64_t v) {
    space.choices[static_cast<std::size_t>(p)] = {v};
    space.reference[static_cast<std::size_t>(p)] = 0;
  };
  space.digital_cores.clear();
  space.cim_arrays = false;
  for (const Component& c : g.components) {
    for (const Target& t : targets()) {
      if (t.kind != c.kind) continue;
      const auto it = c.properties.find(t.key);
      if (it == c.properties.end()) continue;
      if (t.fixed) {
        set_fixed(space.fixed, t.fixed, static_cast<double>(it->second), named(c) + ": " + t.key);
      } else {
        single_choice(t.param, it->second);
      }
    }
    if (c.kind == ComponentKind::CimArrays) space.cim_arrays = true;
    if (c.kind == ComponentKind::DigitalCore) {
      DigitalCore core = c.core;
      for (const Link& l : g.links) {
        if (l.to != c.name) continue;
        if (l.bandwidth) core.port_bytes_per_cycle = *l.bandwidth;
        if (l.latency) core.link_latency = *l.latency;
      }
      space.digital_cores.push_back(core);
    }
    if (c.kind == ComponentKind::Dram) {
      for (const Link& l : g.links) {
        if (l.from == c.name && l.bandwidth) single_choice(HwParam::DRAM_bw, *l.bandwidth);
      }
    }
  }
}

ComponentGraph describe_components(const HardwareSpace& space) {
  ComponentGraph g;
  const auto single = [&](HwParam p) -> std::optional<std::int64_t> {
    const auto& c = space.choices[static_cast<std::size_t>(p)];
    if (c.size() == 1) return c.front();
    return std::nullopt;
  };
  // The template's own components take names no digital core has.
  const auto unused = [&](std::string name) {
    const auto taken = [&](const std::string& n) {
      return std::any_of(space.digital_cores.begin(), space.digital_cores.end(),
                         [&](const DigitalCore& d) { return d.name == n; });
    };
    while (taken(name)) name += "_";
    return name;
  };
  Component dram{unused("dram"), ComponentKind::Dram, {}, {}};
  Component buffer{unused("l2"), ComponentKind::Buffer, {}, {}};
  Component vector{unused("vector"), ComponentKind::VectorUnit, {}, {}};
  for (const Target& t : targets()) {
    Component* c = t.kind == ComponentKind::Dram ? &dram : t.kind == ComponentKind::Buffer ? &buffer : &vector;
    if (t.fixed) {
      c->properties[t.key] = static_cast<std::int64_t>(std::llround(get_fixed(space.fixed, t.fixed)));
    } else if (const auto v = single(t.param)) {
      c->properties[t.key] = *v;
    }
  }
  g.components = {dram, buffer, vector};
  g.links.push_back({dram.name, buffer.name, single(HwParam::DRAM_bw), std::nullopt});
  g.links.push_back({buffer.name, vector.name, std::nullopt, std::nullopt});
  if (space.cim_arrays) {
    const std::string arrays = unused("arrays");
    g.components.push_back({arrays, ComponentKind::CimArrays, {}, {}});
    g.links.push_back({buffer.name, arrays, std::nullopt, std::nullopt});
  }
  for (const DigitalCore& core : space.digital_cores) {
    g.components.push_back({core.name, ComponentKind::DigitalCore, {}, core});
    g.links.push_back({buffer.name, core.name, core.port_bytes_per_cycle, core.link_latency});
  }
  return g;
}

}  // namespace cimnet
