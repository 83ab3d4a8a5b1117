#pragma once
// Component genes (issue 17): a digital core's size as one more searched choice of the hardware space,
// beside the eight CiMNet parameters. A scenario names one as "<core>.<field>" under `hardware: choices:`
// (`pe.rows: [8, 16, 32]`); the core as described is the reference design, so its own value must be one
// of the choices.
//
// Only sizes are genes: the PE grid (`rows`, `cols`), the three local buffers and the port (the link to
// the L2 decoder; in the `digital_cores:` form only, since under `components:` the port is the link's
// bandwidth). Unrolling, precisions, pipeline and the rest describe what the core is, not how big: a
// search over them would compare different designs, not sizes of one.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/digital_core.hpp"

namespace cimnet {

enum class CoreField { Rows, Cols, WeightBuffer, InputBuffer, OutputBuffer, Port };

// The field's scenario key (the key of `digital_cores:`): "rows", "weight_buffer", "port".
const char* to_string(CoreField field);
// The searchable fields, in the order above; without the port when `with_port` is false.
std::vector<std::string> core_field_names(bool with_port);
// Whether `name` is a searchable field (port only `with_port`); `field` is set when it is.
bool core_field_from_string(const std::string& name, bool with_port, CoreField& field);
// Its unit ("count", "bytes", "B/cycle") and what it is, for column descriptions.
const char* unit_of(CoreField field);
const char* description_of(CoreField field);

// One searched property of one digital core: its choices, strictly ascending.
struct ComponentGene {
  std::string core;  // DigitalCore::name
  CoreField field = CoreField::Rows;
  std::vector<std::int64_t> choices;

  // "pe.rows": the key in scenarios, CSV columns and predictor features.
  std::string name() const;
};

// Sets, or reads, the gene's field of a core. HardwareSpace::config and genome_of are their only users,
// so that one function turns a genome into a configuration.
void apply_gene(DigitalCore& core, CoreField field, std::int64_t value);
std::int64_t gene_value(const DigitalCore& core, CoreField field);

}  // namespace cimnet
