#include "config/digital_cores_section.hpp"

#include "common/error.hpp"
#include "common/text.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

namespace {

std::int64_t size_of(const YamlValue& v) {
  return v.as_parsed("a positive size with an optional suffix (B, KiB, MiB, GiB)",
                     [&](const std::string& s) { return parse_hw_value(s, v.path()); });
}

}  // namespace

DigitalCore read_digital_core(const YamlValue& node, bool as_component) {
  std::vector<std::string> keys = {"name", "rows", "cols", "unrolling", "precisions", "weight_buffer", "input_buffer",
                                   "output_buffer", "accumulator_bits", "pipeline", "step_cycles", "weight_slots", "static_power",
                                   "weight_precisions"};
  if (as_component) {
    // Its port is the link that reaches it: say so rather than "unknown key".
    for (const char* key : {"port", "link_latency"}) {
      if (const auto v = node.peek(key)) {
        v->fail(std::string("a component's ") +
                (key[0] == 'p' ? "port is its link's `bandwidth`" : "link latency is its link's `latency`") +
                " (links: - {from: BUFFER, to: NAME, bandwidth: B, latency: L})");
      }
    }
    keys.push_back("kind");
  } else {
    keys.insert(keys.end(), {"port", "link_latency"});
  }
  const YamlMap map = node.map(keys);
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
  if (!as_component) {
    if (auto v = map.find("port")) core.port_bytes_per_cycle = v->as_integer(1, std::int64_t{1} << 40);
    if (auto v = map.find("link_latency")) core.link_latency = v->as_integer(1, 1 << 20);
  }
  if (auto v = map.find("pipeline")) core.pipeline_cycles = v->as_integer(0, 1 << 20);
  if (auto v = map.find("step_cycles")) core.step_cycles = v->as_integer(1, 1 << 20);
  if (auto v = map.find("static_power")) core.static_power_mw = v->as_number(0, 1e12);
  if (auto v = map.find("weight_slots")) core.weight_slots = static_cast<int>(v->as_integer(1, 2));
  try {
    core.validate();
  } catch (const InputError& e) {
    node.fail(e.what());
  }
  return core;
}

std::vector<DigitalCore> read_digital_cores(const YamlValue& node) {
  std::vector<DigitalCore> cores;
  for (const auto& item : node.list()) {
    cores.push_back(read_digital_core(item, false));
    for (std::size_t j = 0; j + 1 < cores.size(); ++j) {
      if (cores[j].name == cores.back().name) item.fail("digital core '" + cores.back().name + "' is described twice");
    }
  }
  if (cores.empty()) node.fail("needs at least one core (or leave the key out)");
  return cores;
}

std::vector<std::string> digital_core_yaml(const DigitalCore& core, bool with_link) {
  const auto dims = [](const std::vector<LoopDim>& d) {
    if (d.size() == 1) return std::string(to_string(d.front()));
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i) s += std::string(i ? ", " : "") + to_string(d[i]);
    return s + "]";
  };
  const auto widths = [](const std::vector<int>& w) {
    std::string s = "[";
    for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + std::to_string(w[i]);
    return s + "]";
  };
  std::vector<std::string> lines = {
      "rows: " + std::to_string(core.rows),
      "cols: " + std::to_string(core.cols),
      "unrolling: [" + dims(core.row_dims) + ", " + dims(core.col_dims) + "]",
      "precisions: " + widths(core.precisions),
  };
  if (!core.weight_precisions.empty()) lines.push_back("weight_precisions: " + widths(core.weight_precisions));
  lines.push_back("weight_buffer: " + std::to_string(core.weight_buffer_bytes));
  lines.push_back("input_buffer: " + std::to_string(core.input_buffer_bytes));
  lines.push_back("output_buffer: " + std::to_string(core.output_buffer_bytes));
  lines.push_back("accumulator_bits: " + std::to_string(core.accumulator_bits));
  if (with_link) {
    lines.push_back("port: " + std::to_string(core.port_bytes_per_cycle));
    lines.push_back("link_latency: " + std::to_string(core.link_latency));
  }
  lines.push_back("pipeline: " + std::to_string(core.pipeline_cycles));
  lines.push_back("step_cycles: " + std::to_string(core.step_cycles));
  lines.push_back("weight_slots: " + std::to_string(core.weight_slots));
  if (core.static_power_mw > 0) lines.push_back("static_power: " + format_number(core.static_power_mw));
  return lines;
}

}  // namespace cimnet
