#include "config/digital_cores_section.hpp"

#include "common/error.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

namespace {

std::int64_t size_of(const YamlValue& v) {
  return v.as_parsed("a positive size with an optional suffix (B, KiB, MiB, GiB)",
                     [&](const std::string& s) { return parse_hw_value(s, v.path()); });
}

DigitalCore read_core(const YamlValue& node) {
  const YamlMap map = node.map({"name", "rows", "cols", "unrolling", "precisions", "weight_buffer", "input_buffer",
                                "output_buffer", "accumulator_bits", "port", "link_latency", "pipeline", "step_cycles",
                                "weight_slots", "weight_precisions"});
  DigitalCore core;
  core.name = map.required("name").as_string();
  if (auto v = map.find("rows")) core.rows = v->as_integer(1, 1 << 16);
  if (auto v = map.find("cols")) core.cols = v->as_integer(1, 1 << 16);
  if (auto v = map.find("unrolling")) {
    const auto axes = v->list();
    if (axes.size() != 2) {
      v->fail("expected [over rows, over columns], each a loop dimension or a list of them, e.g. [K, Q] or "
              "[[C, R, S], K]");
    }
    const std::vector<std::string> names = loop_dim_names();
    const auto dims_of = [&](const YamlValue& axis) {
      std::vector<LoopDim> dims;
      if (axis.is_scalar()) {
        dims.push_back(loop_dim_from_string(axis.as_choice(names), axis.path()));
      } else {
        const auto items = axis.list();
        if (items.empty()) axis.fail("expected at least one loop dimension");
        for (const auto& item : items) dims.push_back(loop_dim_from_string(item.as_choice(names), item.path()));
      }
      return dims;
    };
    core.row_dims = dims_of(axes[0]);
    core.col_dims = dims_of(axes[1]);
    LoopDim twice{};
    if (core.unrolls_twice(twice)) {
      v->fail(std::string("dimension ") + to_string(twice) + " is unrolled twice; each may appear once");
    }
  }
  if (auto v = map.find("precisions")) {
    const auto items = v->list();
    if (items.empty()) v->fail("needs at least one width in bits");
    core.precisions.clear();
    for (const auto& item : items) core.precisions.push_back(static_cast<int>(item.as_integer(1, 32)));
  }
  if (auto v = map.find("weight_precisions")) {
    const auto items = v->list();
    if (items.empty()) v->fail("needs at least one width in bits (or leave the key out: the precisions)");
    for (const auto& item : items) core.weight_precisions.push_back(static_cast<int>(item.as_integer(1, 32)));
  }
  if (auto v = map.find("weight_buffer")) core.weight_buffer_bytes = size_of(*v);
  if (auto v = map.find("input_buffer")) core.input_buffer_bytes = size_of(*v);
  if (auto v = map.find("output_buffer")) core.output_buffer_bytes = size_of(*v);
  if (auto v = map.find("accumulator_bits")) core.accumulator_bits = v->as_integer(1, 64);
  if (auto v = map.find("port")) core.port_bytes_per_cycle = v->as_integer(1, std::int64_t{1} << 40);
  if (auto v = map.find("link_latency")) core.link_latency = v->as_integer(1, 1 << 20);
  if (auto v = map.find("pipeline")) core.pipeline_cycles = v->as_integer(0, 1 << 20);
  if (auto v = map.find("step_cycles")) core.step_cycles = v->as_integer(1, 1 << 20);
  if (auto v = map.find("weight_slots")) core.weight_slots = static_cast<int>(v->as_integer(1, 2));
  try {
    core.validate();
  } catch (const InputError& e) {
    node.fail(e.what());
  }
  return core;
}

}  // namespace

std::vector<DigitalCore> read_digital_cores(const YamlValue& node) {
  std::vector<DigitalCore> cores;
  for (const auto& item : node.list()) {
    cores.push_back(read_core(item));
    for (std::size_t j = 0; j + 1 < cores.size(); ++j) {
      if (cores[j].name == cores.back().name) item.fail("digital core '" + cores.back().name + "' is described twice");
    }
  }
  if (cores.empty()) node.fail("needs at least one core (or leave the key out)");
  return cores;
}

}  // namespace cimnet
