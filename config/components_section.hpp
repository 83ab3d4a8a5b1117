#pragma once
// Scenario keys `hardware: components:` and `hardware: links:` (issue 17): the design as named
// components and the links between them (hardware/component_graph.hpp; docs/heterogeneous.md,
// "A design as components"). For example, DIANA-like:
//
//   hardware:
//     components:
//       - {name: l2, kind: dram, latency: 100}
//       - {name: activations, kind: buffer, capacity: 256KiB, port: 64, bandwidth: 64}
//       - {name: simd, kind: vector_unit, lanes: 64}
//       - {name: digital, kind: digital_core, rows: 16, cols: 16, unrolling: [K, Q], precisions: [2, 4, 8]}
//     links:
//       - {from: l2, to: activations, bandwidth: 16}
//       - {from: activations, to: simd}
//       - {from: activations, to: digital, bandwidth: 8, latency: 2}
//
// Each component has a `name` and a `kind` (dram, buffer, vector_unit, cim_arrays, digital_core) and the
// properties of its kind; a digital core takes the keys of `digital_cores:` but its port and link
// latency, which are its link's. With `components:`, the keys `digital_cores` and `cim_arrays` are
// refused (the components say both), and so is any choice, reference or fixed parameter a component
// also sets. Everything wrong fails naming the file, the line and the component or link: an unknown
// kind or key, a dangling link, a component without a path to DRAM, a shape the model cannot elaborate.
#include <string>

#include "common/yaml_reader.hpp"
#include "hardware/component_graph.hpp"

namespace cimnet {

// Reads and checks (check_components) the two lists.
ComponentGraph read_components(const YamlValue& components, const YamlValue& links);

// The `hardware:` section of a scenario describing `space` as components (describe_components), the
// parameters no component carries under `choices:`, `reference:` and `fixed:`; reading it back gives
// `space`. Lines end in '\n'; `heading` (may be empty) is written first as comment lines.
std::string components_yaml(const HardwareSpace& space, const std::string& heading);

}  // namespace cimnet
