#include "hardware/component_genes.hpp"

#include <array>

namespace cimnet {

namespace {

struct FieldInfo {
  CoreField field;
  const char* key;
  const char* unit;
  const char* description;
  std::int64_t DigitalCore::*member;
};

const std::array<FieldInfo, 6>& fields() {
  static const std::array<FieldInfo, 6> table = {{
      {CoreField::Rows, "rows", "count", "rows of its PE grid", &DigitalCore::rows},
      {CoreField::Cols, "cols", "count", "columns of its PE grid", &DigitalCore::cols},
      {CoreField::WeightBuffer, "weight_buffer", "bytes", "its weight buffer", &DigitalCore::weight_buffer_bytes},
      {CoreField::InputBuffer, "input_buffer", "bytes", "its input buffer", &DigitalCore::input_buffer_bytes},
      {CoreField::OutputBuffer, "output_buffer", "bytes", "its accumulator buffer", &DigitalCore::output_buffer_bytes},
      {CoreField::Port, "port", "B/cycle", "bandwidth of its link to the L2 decoder", &DigitalCore::port_bytes_per_cycle},
  }};
  return table;
}

const FieldInfo& info_of(CoreField field) { return fields()[static_cast<std::size_t>(field)]; }

}  // namespace

const char* to_string(CoreField field) { return info_of(field).key; }

std::vector<std::string> core_field_names(bool with_port) {
  std::vector<std::string> names;
  for (const auto& f : fields()) {
    if (with_port || f.field != CoreField::Port) names.emplace_back(f.key);
  }
  return names;
}

bool core_field_from_string(const std::string& name, bool with_port, CoreField& field) {
  for (const auto& f : fields()) {
    if (name == f.key && (with_port || f.field != CoreField::Port)) {
      field = f.field;
      return true;
    }
  }
  return false;
}

const char* unit_of(CoreField field) { return info_of(field).unit; }
const char* description_of(CoreField field) { return info_of(field).description; }

std::string ComponentGene::name() const { return core + "." + to_string(field); }

void apply_gene(DigitalCore& core, CoreField field, std::int64_t value) { core.*(info_of(field).member) = value; }

std::int64_t gene_value(const DigitalCore& core, CoreField field) { return core.*(info_of(field).member); }

}  // namespace cimnet
