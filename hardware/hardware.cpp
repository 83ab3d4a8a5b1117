#include "hardware/hardware.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

// Bounds of the eight parameters (documented in docs/user-guide.md, "Hardware bounds").
// 64 KiB per cycle is 64 TB/s at 1 GHz, beyond any DRAM or on-chip link.
constexpr std::int64_t kMaxBandwidth = 65536;
// 1 GiB per array: compute-in-memory arrays hold kilobytes to a few megabytes.
constexpr std::int64_t kMaxArrayBytes = std::int64_t{1} << 30;
// A 256 x 256 array computing every cell at once.
constexpr std::int64_t kMaxMacsPerCore = 65536;

}  // namespace

const std::array<HwParamInfo, kHwParamCount>& hw_param_infos() {
  static const std::array<HwParamInfo, kHwParamCount> infos = {{
      {HwParam::DRAM_bw, "DRAM_bw", "B/cycle", "bandwidth of the DRAM interface", {16, 32, 64, 128}, 1, kMaxBandwidth},
      {HwParam::L2_bw, "L2_bw", "B/cycle", "bandwidth of the L2 decoder (to and from its L1 decoders)",
       {64, 128, 256, 512}, 1, kMaxBandwidth},
      {HwParam::L1_bw, "L1_bw", "B/cycle", "bandwidth of each L1 decoder (to and from its arrays)",
       {32, 64, 128, 256}, 1, kMaxBandwidth},
      {HwParam::L1_num_child, "L1_num_child", "count", "L1 decoders under the L2 decoder", {2, 4, 8, 16}, 1,
       kMaxArrays},
      {HwParam::MA_bw, "MA_bw", "B/cycle", "bandwidth of each memory array (writes and operand reads)",
       {16, 32, 64, 128}, 1, kMaxBandwidth},
      {HwParam::MA_num_child, "MA_num_child", "count", "memory arrays under each L1 decoder", {2, 4, 8, 16}, 1,
       kMaxArrays},
      {HwParam::MA_mem_size, "MA_mem_size", "bytes", "capacity of each memory array",
       {64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024}, 1, kMaxArrayBytes},
      {HwParam::MA_comp_per_core, "MA_comp_per_core", "MAC/cycle", "throughput of each array's compute core",
       {16, 32, 64, 128}, 1, kMaxMacsPerCore},
  }};
  return infos;
}

const HwParamInfo& info(HwParam p) { return hw_param_infos()[static_cast<std::size_t>(p)]; }

std::vector<std::string> hw_param_names() {
  std::vector<std::string> names;
  for (const auto& i : hw_param_infos()) names.emplace_back(i.name);
  return names;
}

HwParam hw_param_from_string(const std::string& name) {
  for (const auto& i : hw_param_infos()) {
    if (name == i.name) return i.param;
  }
  throw InputError("unknown hardware parameter '" + name + "'" + did_you_mean(name, hw_param_names()) +
                   "; allowed: " + join(hw_param_names(), ", "));
}

namespace {

struct FixedField {
  FixedParamInfo info;
  double MicroArch::*real = nullptr;
  std::int64_t MicroArch::*whole = nullptr;
};

const std::vector<FixedField>& fixed_fields() {
  static const std::vector<FixedField> fields = {
      {{"clock_ghz", "GHz", "core clock (converts cycles to seconds in reports)", 0.001, 100, false},
       &MicroArch::clock_ghz, nullptr},
      {{"dram_latency", "cycles", "from a DRAM request to its first byte", 1, 100000, true}, nullptr,
       &MicroArch::dram_latency},
      {{"l2_latency", "cycles", "through the L2 decoder", 1, 100000, true}, nullptr, &MicroArch::l2_latency},
      {{"l1_latency", "cycles", "through an L1 decoder", 1, 100000, true}, nullptr, &MicroArch::l1_latency},
      {{"ma_latency", "cycles", "to start a read or write in a memory array", 1, 100000, true}, nullptr,
       &MicroArch::ma_latency},
      {{"core_pipeline", "cycles", "depth of a compute core's MAC pipeline (fill and drain)", 0, 100000, true},
       nullptr, &MicroArch::core_pipeline},
      {{"reduction_bw", "B/cycle", "partial sums each decoder's reduction unit accumulates per cycle", 1, 1e9, true},
       nullptr, &MicroArch::reduction_bw},
      {{"vector_lanes", "ops/cycle", "element operations per cycle of the vector unit at the L2 decoder", 1, 1e9,
        true},
       nullptr, &MicroArch::vector_lanes},
      {{"weight_bits", "bits", "default precision of weights", 1, 32, true}, nullptr, &MicroArch::weight_bits},
      {{"activation_bits", "bits", "default precision of activations", 1, 32, true}, nullptr,
       &MicroArch::activation_bits},
      {{"psum_bits", "bits", "precision of partial sums moved for reduction", 1, 64, true}, nullptr,
       &MicroArch::psum_bits},
      {{"burst_bytes", "bytes", "largest transfer one transaction carries", 1, 1e9, true}, nullptr,
       &MicroArch::burst_bytes},
      {{"input_buffer_bytes", "bytes", "streamed-input buffer beside each array (double-buffered)", 2, 1e12, true},
       nullptr, &MicroArch::input_buffer_bytes},
      {{"gb_bytes", "bytes", "global buffer at the L2 decoder (activations, reduction results)", 1, 1e12, true},
       nullptr, &MicroArch::gb_bytes},
      {{"gb_bw", "B/cycle", "bandwidth of the global buffer's port", 1, 1e9, true}, nullptr, &MicroArch::gb_bw},
      {{"gb_latency", "cycles", "to start a global-buffer read or write", 1, 100000, true}, nullptr,
       &MicroArch::gb_latency},
      {{"l1_buffer_bytes", "bytes", "buffer of each L1 decoder (results of reductions at L1)", 1, 1e12, true},
       nullptr, &MicroArch::l1_buffer_bytes},
      {{"l1_buffer_bw", "B/cycle", "bandwidth of an L1 buffer's port", 1, 1e9, true}, nullptr,
       &MicroArch::l1_buffer_bw},
      {{"l1_buffer_latency", "cycles", "to start an L1-buffer read or write", 1, 100000, true}, nullptr,
       &MicroArch::l1_buffer_latency},
  };
  return fields;
}

const FixedField& fixed_field(const std::string& name) {
  for (const auto& f : fixed_fields()) {
    if (name == f.info.name) return f;
  }
  throw InputError("unknown fixed hardware parameter '" + name + "'" + did_you_mean(name, fixed_param_names()) +
                   "; allowed: " + join(fixed_param_names(), ", "));
}

}  // namespace

const std::vector<FixedParamInfo>& fixed_param_infos() {
  static const std::vector<FixedParamInfo> infos = [] {
    std::vector<FixedParamInfo> v;
    for (const auto& f : fixed_fields()) v.push_back(f.info);
    return v;
  }();
  return infos;
}

std::vector<std::string> fixed_param_names() {
  std::vector<std::string> names;
  for (const auto& f : fixed_fields()) names.emplace_back(f.info.name);
  return names;
}

double get_fixed(const MicroArch& m, const std::string& name) {
  const FixedField& f = fixed_field(name);
  return f.real ? m.*(f.real) : static_cast<double>(m.*(f.whole));
}

void set_fixed(MicroArch& m, const std::string& name, double value, const std::string& where) {
  const FixedField& f = fixed_field(name);
  if (!(value >= f.info.min && value <= f.info.max)) {
    throw InputError(located(where, std::string(f.info.name) + " = " + format_number(value) + " is out of range; allowed " +
                                        format_number(f.info.min) + " to " + format_number(f.info.max) + " " + f.info.unit));
  }
  if (f.info.integer && std::floor(value) != value) {
    throw InputError(located(where, std::string(f.info.name) + " must be a whole number, got " + format_number(value)));
  }
  if (f.real) {
    m.*(f.real) = value;
  } else {
    m.*(f.whole) = static_cast<std::int64_t>(value);
  }
}

std::int64_t parse_hw_value(const std::string& text, const std::string& what) {
  std::string t = trim(text);
  std::int64_t scale = 1;
  const std::pair<const char*, std::int64_t> suffixes[] = {
      {"KiB", 1024}, {"MiB", 1024 * 1024}, {"GiB", 1024LL * 1024 * 1024}, {"B", 1}};
  for (const auto& [suffix, factor] : suffixes) {
    const std::string s(suffix);
    if (t.size() > s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0) {
      t = trim(t.substr(0, t.size() - s.size()));
      scale = factor;
      break;
    }
  }
  long long v;
  try {
    v = parse_integer(t, what);
  } catch (const InputError&) {
    // Quote what the user wrote, not the text left after stripping a suffix.
    throw InputError(what + ": expected a positive whole number with an optional KiB, MiB or GiB suffix, got '" +
                     trim(text) + "'");
  }
  if (v <= 0) throw InputError(what + " must be positive, got " + trim(text));
  if (v > INT64_MAX / scale) throw InputError(what + " = " + trim(text) + " is too large");
  return v * scale;
}

std::string format_hw_value(HwParam p, std::int64_t value) {
  if (p == HwParam::MA_mem_size) {
    if (value % (1024 * 1024) == 0) return std::to_string(value / (1024 * 1024)) + " MiB";
    if (value % 1024 == 0) return std::to_string(value / 1024) + " KiB";
  }
  return std::to_string(value);
}

void check_hw_bounds(HwParam p, std::int64_t value, const std::string& what) {
  const HwParamInfo& i = info(p);
  if (value >= i.min && value <= i.max) return;
  if (value <= 0) throw InputError(what + " must be positive (" + i.unit + "), got " + std::to_string(value));
  throw InputError(what + " = " + std::to_string(value) + " is out of range; allowed " + std::to_string(i.min) +
                   " to " + format_hw_value(p, i.max) + " (" + i.unit + ")");
}

std::string arrays_problem(std::int64_t l1, std::int64_t ma) {
  return "L1_num_child x MA_num_child = " + std::to_string(l1) + " x " + std::to_string(ma) + " = " +
         std::to_string(l1 * ma) + " memory arrays; at most " + std::to_string(kMaxArrays) + " are allowed";
}

void HardwareConfig::validate(const std::string& where) const {
  for (const auto& i : hw_param_infos()) {
    try {
      check_hw_bounds(i.param, get(i.param), i.name);
    } catch (const InputError& e) {
      throw InputError(located(where, e.what()));
    }
  }
  // Both counts are at most kMaxArrays (checked above), so the product fits.
  if (total_arrays() > kMaxArrays) {
    throw InputError(located(where, arrays_problem(get(HwParam::L1_num_child), get(HwParam::MA_num_child))));
  }
  const std::int64_t word = (fixed.weight_bits + 7) / 8;
  if (get(HwParam::MA_mem_size) < word) {
    throw InputError(located(where, "MA_mem_size (" + std::to_string(get(HwParam::MA_mem_size)) +
                                        " bytes) cannot hold a single weight"));
  }
  for (std::size_t i = 0; i < digital_cores.size(); ++i) {
    try {
      digital_cores[i].validate();
    } catch (const InputError& e) {
      throw InputError(located(where, e.what()));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (digital_cores[j].name == digital_cores[i].name) {
        throw InputError(located(where, "digital core '" + digital_cores[i].name + "' is described twice"));
      }
    }
  }
  if (!cim_arrays && digital_cores.empty()) {
    throw InputError(located(where, "cim_arrays: false leaves no core to run the MAC layers; describe digital_cores"));
  }
}

std::string HardwareConfig::summary() const {
  std::vector<std::string> parts;
  for (const auto& i : hw_param_infos()) {
    std::string v = format_hw_value(i.param, get(i.param));
    v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
    parts.push_back(std::string(i.name) + "=" + v);
  }
  if (!digital_cores.empty()) {
    std::vector<std::string> names;
    for (const auto& d : digital_cores) names.push_back(d.name);
    parts.push_back("digital=" + join(names, ","));
  }
  if (!cim_arrays) parts.push_back("cim_arrays=no");
  return join(parts, " ");
}

std::string hw_override_key(const std::string& assignment) {
  return trim(assignment.substr(0, assignment.find('=')));
}

namespace {

// "--hw pe.rows=32": a size of a digital core the configuration has (a field a component gene could
// search), checked by DigitalCore::validate.
void apply_core_override(HardwareConfig& config, const std::string& key, const std::string& value) {
  const std::size_t dot = key.rfind('.');
  const std::string name = key.substr(0, dot);
  const std::string field_name = key.substr(dot + 1);
  DigitalCore* core = nullptr;
  std::vector<std::string> names;
  for (auto& c : config.digital_cores) {
    names.push_back(c.name);
    if (c.name == name) core = &c;
  }
  if (!core) {
    throw InputError("--hw " + key + ": no digital core is named '" + name + "'" +
                     (names.empty() ? std::string("; the design has none") : "; cores: " + join(names, ", ")));
  }
  CoreField field{};
  if (!core_field_from_string(field_name, true, field)) {
    throw InputError("--hw " + key + ": '" + field_name + "' is not a size of a digital core" +
                     did_you_mean(field_name, core_field_names(true)) + "; allowed: " + join(core_field_names(true), ", "));
  }
  DigitalCore sized = *core;
  apply_gene(sized, field, parse_hw_value(value, "--hw " + key));
  try {
    sized.validate();
  } catch (const InputError& e) {
    throw InputError("--hw " + key + ": " + e.what());
  }
  *core = sized;
}

}  // namespace

void apply_hw_override(HardwareConfig& config, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw InputError("--hw '" + assignment + "': expected KEY=VALUE, e.g. DRAM_bw=128 or MA_mem_size=256KiB");
  }
  const std::string key = hw_override_key(assignment);
  const std::string value = assignment.substr(eq + 1);
  for (const auto& i : hw_param_infos()) {
    if (key == i.name) {
      const std::int64_t v = parse_hw_value(value, "--hw " + key);
      check_hw_bounds(i.param, v, "--hw " + key);
      config.set(i.param, v);
      return;
    }
  }
  const auto fixed = fixed_param_names();
  if (std::find(fixed.begin(), fixed.end(), key) != fixed.end()) {
    set_fixed(config.fixed, key, parse_number(value, "--hw " + key), "--hw");
    return;
  }
  if (key.find('.') != std::string::npos) {
    apply_core_override(config, key, value);
    return;
  }
  std::vector<std::string> all = hw_param_names();
  all.insert(all.end(), fixed.begin(), fixed.end());
  throw InputError("--hw: unknown hardware parameter '" + key + "'" + did_you_mean(key, all) +
                   "; allowed: " + join(all, ", ") +
                   (config.digital_cores.empty() ? "" : ", or <core>.<field> for a digital core's size"));
}

}  // namespace cimnet
