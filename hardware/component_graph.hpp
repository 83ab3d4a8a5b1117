#pragma once
// A design as named components and the links between them (issue 17): the form in which a scenario
// may describe its hardware (`hardware: components:` and `links:`, config/components_section.hpp), and
// the form `cimnet hardware --format components` prints any design in — the CiMNet template included,
// so that the eight-parameter tree is one generator of such descriptions.
//
// Kinds of component and what each stands for in the timed model:
//   dram          the backing memory; `latency` (cycles to a request's first byte)
//   buffer        the on-chip level under the DRAM: a global buffer (`capacity`, its `port` in bytes
//                 per cycle, `access_latency`) and the router that links it to the units below
//                 (`bandwidth`, shared by all of them = the L2_bw parameter; `latency`)
//   vector_unit   the element-wise unit beside the buffer; `lanes`
//   cim_arrays    the CiMNet tree of L1 decoders and memory arrays; its own parameters (L1_bw,
//                 L1_num_child, MA_bw, MA_num_child, MA_mem_size, MA_comp_per_core) stay the hardware
//                 space's searched choices
//   digital_core  a PE-array core or in-memory macro (hardware/digital_core.hpp)
// A link joins a parent to a child. Its `bandwidth` (bytes per cycle) and `latency` (cycles) are:
//   dram → buffer          the DRAM interface: bandwidth = DRAM_bw (a latency is the DRAM's own)
//   buffer → digital_core  the core's port: bandwidth and latency
//   buffer → vector_unit, buffer → cim_arrays
//                          internal: no properties (the unit reads the buffer at its port; the tree's
//                          links are its L1_bw)
// These are the shapes the timed model elaborates (models/top.hpp): one DRAM, one buffer under it,
// the vector unit, the arrays and the cores under the buffer. A description of another shape is refused
// naming the component or link the model cannot place, rather than approximated.
//
// A property left out keeps the hardware space's value; a bandwidth left out of the DRAM link or the
// buffer leaves DRAM_bw or L2_bw to the space's choices (searched).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hardware/digital_core.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

enum class ComponentKind { Dram, Buffer, VectorUnit, CimArrays, DigitalCore };

const char* to_string(ComponentKind k);  // "dram", "buffer", "vector_unit", "cim_arrays", "digital_core"
std::vector<std::string> component_kind_names();
ComponentKind component_kind_from_string(const std::string& text);  // the text is one of the names

struct Component {
  std::string name;
  ComponentKind kind = ComponentKind::Dram;
  // Scalar properties by key, those of component_property_names(kind); absent: the space's value.
  std::map<std::string, std::int64_t> properties;
  DigitalCore core;  // kind digital_core: everything but its port and link latency (the link's)
};

struct Link {
  std::string from, to;
  std::optional<std::int64_t> bandwidth, latency;
};

struct ComponentGraph {
  std::vector<Component> components;
  std::vector<Link> links;
};

// The scalar properties a kind takes (digital cores' are DigitalCore's), with their allowed ranges.
struct ComponentProperty {
  const char* key;
  const char* unit;
  const char* meaning;
  std::int64_t min, max;
  bool size;  // takes a size suffix (KiB, MiB)
};
const std::vector<ComponentProperty>& component_properties(ComponentKind kind);

// The first thing wrong with a description: the component (or link) at `index`, and why.
struct ComponentFault {
  bool in_link = false;
  std::size_t index = 0;
  std::string message;
};

// Checks, in this order: names unique; every link's ends exist (a dangling link); one DRAM; each link
// one of the shapes above, with only the properties its shape takes, each component reached by at most
// one link; every component reached from the DRAM (a core without a path to DRAM); one buffer and one
// vector unit; at most one cim_arrays; at least one unit that runs MAC layers. Nothing: the model can
// elaborate it.
std::optional<ComponentFault> check_components(const ComponentGraph& graph);

// The hardware parameters a checked description sets (DRAM_bw and L2_bw when their bandwidths are
// given), and the fixed parameters (dram_latency, gb_bytes, ...): for refusing a scenario that also sets
// them elsewhere.
std::vector<HwParam> searched_parameters_set(const ComponentGraph& graph);
std::vector<std::string> fixed_parameters_set(const ComponentGraph& graph);

// Applies a checked description to `space` (its choices and fixed parameters otherwise kept): the
// properties, the digital cores in description order, cim_arrays when the tree is present. A set
// bandwidth makes its parameter a single choice. InputError (naming the component) for a value out of
// the fixed parameter's range.
void apply_components(const ComponentGraph& graph, HardwareSpace& space);

// The description of `space`: what apply_components turns back into the same space. Bandwidths of the
// DRAM link and the buffer appear only where their parameter has a single choice.
ComponentGraph describe_components(const HardwareSpace& space);

}  // namespace cimnet
