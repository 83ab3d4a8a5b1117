#pragma once
// The CiM hardware description: the eight searchable CiMNet parameters and the fixed
// microarchitecture parameters the timed model needs, each with its unit, default and range.
//
// Hierarchy: DRAM — one L2 decoder — L1_num_child L1 decoders — MA_num_child memory arrays under each
// L1 decoder — one compute core per memory array.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "hardware/component_genes.hpp"
#include "hardware/digital_core.hpp"

namespace cimnet {

enum class HwParam { DRAM_bw, L2_bw, L1_bw, L1_num_child, MA_bw, MA_num_child, MA_mem_size, MA_comp_per_core };
constexpr std::size_t kHwParamCount = 8;

struct HwParamInfo {
  HwParam param;
  const char* name;         // as in CiMNet: "DRAM_bw"
  const char* unit;         // "B/cycle", "count", "bytes", "MAC/cycle"
  const char* description;
  std::array<std::int64_t, 4> default_choices;
  // Allowed values, inclusive (docs/user-guide.md, "Hardware bounds"): far beyond any design the
  // paper's space or a physical chip suggests, yet small enough that every derived total stays exact
  // and every model stays within memory.
  std::int64_t min;
  std::int64_t max;
};

// At most this many memory arrays in total (L1_num_child × MA_num_child): each array has its own
// compute core and its own state in the models.
inline constexpr std::int64_t kMaxArrays = 65536;
const std::array<HwParamInfo, kHwParamCount>& hw_param_infos();
const HwParamInfo& info(HwParam p);
std::vector<std::string> hw_param_names();
// Throws InputError naming the allowed parameters.
HwParam hw_param_from_string(const std::string& name);

// Fixed microarchitecture parameters: not searched, set per scenario. Latencies in clock cycles.
struct MicroArch {
  double clock_ghz = 1.0;                 // core clock; cycles → seconds in reports
  std::int64_t dram_latency = 100;        // cycles from a DRAM request to its first byte
  std::int64_t l2_latency = 4;            // cycles through the L2 decoder (routing + buffering)
  std::int64_t l1_latency = 2;            // cycles through an L1 decoder
  std::int64_t ma_latency = 1;            // cycles to start a read or write in a memory array
  std::int64_t core_pipeline = 4;         // cycles of the compute core's MAC pipeline (fill/drain)
  std::int64_t reduction_bw = 64;         // bytes per cycle of partial sums each decoder's reduction unit adds
  std::int64_t vector_lanes = 64;         // element operations per cycle of the vector unit (at the L2 decoder)
  std::int64_t weight_bits = 8;           // default precision of weights
  std::int64_t activation_bits = 8;       // default precision of activations
  std::int64_t psum_bits = 32;            // precision of partial sums moved for reduction
  std::int64_t burst_bytes = 4096;        // largest transfer one transaction carries (tile-sized bursts)
  std::int64_t input_buffer_bytes = 16384;  // per array: streamed-input buffer beside the array (double-buffered)
  std::int64_t gb_bytes = 1 << 20;        // global buffer at the L2 decoder (activations, reduction results)
  std::int64_t gb_bw = 256;               // bytes per cycle of the global buffer's port
  std::int64_t gb_latency = 2;            // cycles to start a global-buffer read or write
  std::int64_t l1_buffer_bytes = 65536;   // buffer of each L1 decoder (results of reductions at L1)
  std::int64_t l1_buffer_bw = 128;        // bytes per cycle of an L1 buffer's port
  std::int64_t l1_buffer_latency = 1;     // cycles to start an L1-buffer read or write
};

struct FixedParamInfo {
  const char* name;
  const char* unit;
  const char* description;
  double min;
  double max;
  bool integer;
};
const std::vector<FixedParamInfo>& fixed_param_infos();
std::vector<std::string> fixed_param_names();
double get_fixed(const MicroArch& m, const std::string& name);
// Sets a fixed parameter by name; InputError for an unknown name or a value out of range.
void set_fixed(MicroArch& m, const std::string& name, double value, const std::string& where = "");

// One concrete hardware configuration.
struct HardwareConfig {
  std::array<std::int64_t, kHwParamCount> values{};  // indexed by HwParam
  MicroArch fixed;
  // Components beside the CiM tree (issue 17): digital PE-array cores, each a child of the L2 decoder
  // with its own link (its port) beside the L1 decoders, numbered in this order. None in the CiMNet
  // template, whose results they leave untouched.
  std::vector<DigitalCore> digital_cores;
  // False: the design has no CiM arrays (nor their L1 decoders) — DRAM, the L2 decoder with its global
  // buffer and vector unit, and the digital cores, which then run every MAC layer. The eight parameters
  // still describe DRAM and L2; the arrays' are unused (the SystemC model elaborates the tree idle).
  bool cim_arrays = true;

  std::int64_t get(HwParam p) const { return values[static_cast<std::size_t>(p)]; }
  void set(HwParam p, std::int64_t v) { values[static_cast<std::size_t>(p)] = v; }

  std::int64_t l1_decoders() const { return get(HwParam::L1_num_child); }
  std::int64_t total_arrays() const { return get(HwParam::L1_num_child) * get(HwParam::MA_num_child); }
  std::int64_t peak_macs_per_cycle() const { return total_arrays() * get(HwParam::MA_comp_per_core); }
  std::int64_t total_capacity_bytes() const { return total_arrays() * get(HwParam::MA_mem_size); }

  // Throws InputError when a value is outside its parameter's bounds (naming the key and the allowed
  // range), the arrays exceed kMaxArrays, an array cannot hold one weight, or a digital core is
  // invalid (DigitalCore::validate) or shares its name with another.
  void validate(const std::string& where = "") const;
  // "DRAM_bw=64 L2_bw=256 ..." (then " digital=NAME,..." when it has digital cores, " cim_arrays=no"
  // when it has no arrays)
  std::string summary() const;
};

// Parses a hardware value with an optional size suffix: "256KiB", "1MiB", "4096" (bytes for sizes).
std::int64_t parse_hw_value(const std::string& text, const std::string& what);
// "64 KiB" for sizes that are whole KiB/MiB, plain numbers otherwise.
std::string format_hw_value(HwParam p, std::int64_t value);

// InputError naming `what`, the value and the allowed range when `value` is outside the bounds of `p`.
void check_hw_bounds(HwParam p, std::int64_t value, const std::string& what);

// "L1_num_child x MA_num_child = L1 x MA = N memory arrays; at most 65536 are allowed": the message of
// both the configuration's and the space's check.
std::string arrays_problem(std::int64_t l1, std::int64_t ma);

// Applies "KEY=VALUE" to a configuration: one of the eight parameters, a fixed parameter, or a size of
// one of its digital cores as "<core>.<field>" (the fields of hardware/component_genes.hpp). The value
// is checked against the parameter's bounds at once.
void apply_hw_override(HardwareConfig& config, const std::string& assignment);
// The key of a "KEY=VALUE" override (trimmed), for finding a key given twice.
std::string hw_override_key(const std::string& assignment);

// Index of each gene's choice: a point of the hardware search space. The eight CiMNet parameters come
// first, indexed by HwParam, then the space's component genes in scenario order (k of them, none in
// the CiMNet template, whose genomes, keys and files are therefore those of before the genes existed).
using HwGenome = std::vector<int>;

// The hardware search space: allowed choices per parameter and per component gene, the reference design
// and the fixed parameters shared by every configuration.
struct HardwareSpace {
  std::array<std::vector<std::int64_t>, kHwParamCount> choices;
  // Digital cores' sizes searched (hardware/component_genes.hpp), after the eight in every genome.
  std::vector<ComponentGene> component_genes;
  HwGenome reference = HwGenome(kHwParamCount, 0);  // gene_count() indices
  MicroArch fixed;
  // The components every configuration has (issue 17), as described: their searched fields take the
  // genome's values, so these hold the reference design's.
  std::vector<DigitalCore> digital_cores;
  bool cim_arrays = true;                  // HardwareConfig::cim_arrays

  // The paper's four choices per parameter; the reference design is the third choice of each.
  static HardwareSpace defaults();

  std::size_t gene_count() const { return kHwParamCount + component_genes.size(); }
  // Configurations in the space: the product of every gene's choice count.
  double size() const;
  // The eight parameter names, then "<core>.<field>" per component gene: every genome-derived column,
  // feature and legend is named from this list.
  std::vector<std::string> gene_names() const;
  const std::vector<std::int64_t>& gene_choices(std::size_t gene) const;
  // The value of each gene in a configuration of this space (the eight values, then the cores' fields).
  std::vector<std::int64_t> gene_values(const HardwareConfig& config) const;
  // Appends a gene whose reference is its core's own value. InputError when no digital core has that
  // name, the choices are empty, unsorted, repeated or a size the core refuses, the gene is given twice,
  // or the core's value is not one of them; the message leaves the key to the caller, which knows where.
  void add_component_gene(ComponentGene gene);

  // The configuration of a genome: the only function that turns one into the other. std::logic_error
  // for a genome of the wrong length (a site that forgot the component genes), InputError for an index
  // out of range.
  HardwareConfig config(const HwGenome& genome) const;
  HardwareConfig reference_config() const { return config(reference); }
  HwGenome smallest() const;
  HwGenome largest() const;
  HwGenome sample(Rng& rng) const;
  // Genome of a configuration whose values are all among the choices; InputError otherwise.
  HwGenome genome_of(const HardwareConfig& config) const;
  // The same from the genes' values (gene_values' order): for files that record values, not indices.
  // std::logic_error for a list of the wrong length.
  HwGenome genome_of_values(const std::vector<std::int64_t>& values) const;
  // Throws InputError for empty, unsorted or duplicated choices, a choice outside its parameter's
  // bounds (or a core size DigitalCore::validate refuses), largest counts whose product exceeds
  // kMaxArrays, or a reference out of range.
  void validate(const std::string& where = "") const;
};

}  // namespace cimnet
