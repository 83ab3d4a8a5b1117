#pragma once
// Component genes in a scenario (issue 17; hardware/component_genes.hpp): dotted keys of
// `hardware: choices:` that make a digital core's size a searched choice beside the eight parameters.
//
//   hardware:
//     digital_cores:
//       - {name: pe, rows: 16, cols: 16}
//     choices:
//       pe.rows: [8, 16, 32]     # "<core>.<field>": rows, cols, weight_buffer, input_buffer,
//       pe.cols: [8, 16, 32]     #   output_buffer, port (not under components:, where it is the link's)
//
// The core as described is the reference design: its own value must be one of the choices. Choices are
// strictly ascending without repeats, each a size the core accepts (DigitalCore::validate). Anything
// else fails naming the file, the line and the key, with the allowed cores, fields or values.
#include <string>

#include "common/yaml_reader.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

// Whether a key of `choices:` or `reference:` names a component gene ("pe.rows") rather than one of the
// eight parameters.
bool is_component_gene_key(const std::string& key);

// Appends the genes of the dotted keys of `choices` (a mapping; its other keys are the eight's) to `hw`,
// whose digital cores are read already. `components_form`: the cores came from `hardware: components:`,
// where the port is the link's bandwidth and not a gene.
void read_component_genes(const YamlValue& choices, HardwareSpace& hw, bool components_form);

}  // namespace cimnet
