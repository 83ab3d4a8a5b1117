#pragma once
// Scenario key `hardware: digital_cores:` (issue 17): the digital PE-array cores every configuration of
// the scenario's hardware space has beside its CiM arrays (hardware/digital_core.hpp;
// docs/heterogeneous.md). A list of mappings, one per core:
//
//   digital_cores:
//     - name: pe                 # required, unique
//       rows: 16                 # the PE grid
//       cols: 16
//       unrolling: [K, Q]        # the dimensions over rows and columns: N, G, K, C, P, Q, R, S
//       precisions: [2, 4, 8]    # operand widths in bits
//       weight_precisions: [2]   # the stationary operand's, where they differ (an analog macro's cells)
//       weight_buffer: 64KiB     # sizes with an optional suffix (B, KiB, MiB, GiB)
//       input_buffer: 256KiB
//       output_buffer: 64KiB
//       accumulator_bits: 32
//       port: 16                 # bytes per cycle of its link under the L2 decoder
//       link_latency: 2          # cycles
//       pipeline: 4              # cycles
//       step_cycles: 1           # cycles per step of the grid (an analog macro's conversions)
//       weight_slots: 2          # 1: weights written into the grid itself (an in-memory macro)
//       static_power: 0.5        # mW of leakage while the run lasts (default 0: no sourced figure)
//
// Every key but `name` has the default of DigitalCore. An unknown key, a value out of range or a
// repeated name fails naming the file, line and key.
#include <vector>

#include "common/yaml_reader.hpp"
#include "hardware/digital_core.hpp"

namespace cimnet {

std::vector<DigitalCore> read_digital_cores(const YamlValue& node);

// One core's mapping. `as_component`: an item of `hardware: components:` (config/components_section.hpp),
// which also has `kind` and leaves its port and link latency to the link that reaches it.
DigitalCore read_digital_core(const YamlValue& node, bool as_component);

// The keys of read_digital_core for `core`, one YAML line each ("rows: 16", ...), every property
// written (the port and link latency only when `with_link`).
std::vector<std::string> digital_core_yaml(const DigitalCore& core, bool with_link);

}  // namespace cimnet
