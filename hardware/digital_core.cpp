#include "hardware/digital_core.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

const std::vector<std::pair<LoopDim, const char*>>& dim_table() {
  static const std::vector<std::pair<LoopDim, const char*>> table = {
      {LoopDim::N, "N"}, {LoopDim::G, "G"}, {LoopDim::K, "K"}, {LoopDim::C, "C"},
      {LoopDim::P, "P"}, {LoopDim::Q, "Q"}, {LoopDim::R, "R"}, {LoopDim::S, "S"}};
  return table;
}

// Large enough for any buffer or grid a chip has, small enough that products of them stay exact.
constexpr std::int64_t kMaxSize = std::int64_t{1} << 40;

}  // namespace

const char* to_string(LoopDim d) {
  for (const auto& [dim, name] : dim_table()) {
    if (dim == d) return name;
  }
  return "?";
}

std::vector<std::string> loop_dim_names() {
  std::vector<std::string> names;
  for (const auto& entry : dim_table()) names.emplace_back(entry.second);
  return names;
}

LoopDim loop_dim_from_string(const std::string& text, const std::string& where) {
  for (const auto& [dim, name] : dim_table()) {
    if (text == name) return dim;
  }
  std::string allowed;
  for (const auto& n : loop_dim_names()) allowed += (allowed.empty() ? "" : ", ") + n;
  throw InputError(where + ": unknown loop dimension '" + text + "' (allowed: " + allowed + ")");
}

namespace {
std::string joined(const std::vector<LoopDim>& dims) {
  std::string s;
  for (LoopDim d : dims) s += (s.empty() ? "" : "*") + std::string(to_string(d));
  return s;
}
}  // namespace

std::string DigitalCore::row_unrolling() const { return joined(row_dims); }

bool DigitalCore::unrolls_twice(LoopDim& which) const {
  std::vector<LoopDim> all = row_dims;
  all.insert(all.end(), col_dims.begin(), col_dims.end());
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (std::find(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), all[i]) != all.begin() + static_cast<std::ptrdiff_t>(i)) {
      which = all[i];
      return true;
    }
  }
  return false;
}
std::string DigitalCore::col_unrolling() const { return joined(col_dims); }

namespace {
int least_at_least(const std::vector<int>& widths, int bits) {
  int least = 0;
  for (int p : widths) {
    if (p >= bits && (least == 0 || p < least)) least = p;
  }
  return least;
}
}  // namespace

int DigitalCore::compute_bits(int bits) const { return least_at_least(precisions, bits); }
int DigitalCore::weight_compute_bits(int bits) const { return least_at_least(stationary_precisions(), bits); }

void DigitalCore::validate() const {
  const std::string where = "digital core '" + name + "': ";
  auto check = [&](const char* key, std::int64_t v, std::int64_t lo, std::int64_t hi, const char* unit) {
    if (v < lo || v > hi) {
      throw InputError(where + key + ": expected " + unit + " in " + std::to_string(lo) + ".." + std::to_string(hi) +
                       ", got " + std::to_string(v));
    }
  };
  if (name.empty()) throw InputError("digital core: name: expected a non-empty name");
  check("rows", rows, 1, 1 << 16, "a count");
  check("cols", cols, 1, 1 << 16, "a count");
  if (row_dims.empty() || col_dims.empty()) {
    throw InputError(where + "unrolling: expected at least one loop dimension over the rows and one over the columns");
  }
  LoopDim twice{};
  if (unrolls_twice(twice)) {
    throw InputError(where + "unrolling: dimension " + to_string(twice) +
                     " is unrolled twice (expected each dimension on one axis at most once)");
  }
  if (precisions.empty()) throw InputError(where + "precisions: expected at least one width in bits");
  for (int p : precisions) check("precisions", p, 1, 32, "bits");
  for (int p : weight_precisions) check("weight_precisions", p, 1, 32, "bits");
  check("weight_buffer_bytes", weight_buffer_bytes, 2, kMaxSize, "bytes");
  check("input_buffer_bytes", input_buffer_bytes, 2, kMaxSize, "bytes");
  check("output_buffer_bytes", output_buffer_bytes, 2, kMaxSize, "bytes");
  check("accumulator_bits", accumulator_bits, 1, 64, "bits");
  check("port_bytes_per_cycle", port_bytes_per_cycle, 1, kMaxSize, "bytes per cycle");
  check("link_latency", link_latency, 1, 1 << 20, "cycles");
  check("pipeline_cycles", pipeline_cycles, 0, 1 << 20, "cycles");
  check("step_cycles", step_cycles, 1, 1 << 20, "cycles");
  check("weight_slots", weight_slots, 1, 2, "a count");
  if (!(static_power_mw >= 0) || !std::isfinite(static_power_mw)) {
    throw InputError(where + "static_power: expected a finite number of mW >= 0, got " + format_number(static_power_mw));
  }
}

}  // namespace cimnet
