#include "hardware/energy_table.hpp"

#include <cmath>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

constexpr double kSramReferenceBytes = 64.0 * 1024;

// The on-chip figures every preset shares (docs/energy.md, "Sources").
EnergyTable on_chip() {
  EnergyTable t;
  // ZigZag meta_prototype: 64 KB SRAM, 26.6 pJ per 512-bit read = 0.052 pJ/bit; the same for writes (no
  // separate sourced write figure).
  t.sram_read_64kib = 0.052 * 8;
  t.sram_write_64kib = 0.052 * 8;
  // Through ZigZag's 64 KB (0.052 pJ/bit) and 2 MB (416 pJ per 2048-bit read = 0.203 pJ/bit) figures.
  t.sram_size_exponent = std::log(0.203125 / 0.052) / std::log(32.0);
  t.mac_8b = 0.04;   // ZigZag tpu_like and Stream's DIANA digital core: 8-bit MAC
  t.add_32b = 0.1;   // Horowitz, ISSCC 2014, 45 nm: 32-bit add
  // Horowitz 45 nm: an 8-bit multiply (0.2 pJ) and an 8-bit add (0.03 pJ): a requantise or activation.
  t.vector_op = 0.23;
  // The links and static power have no sourced figure here: zero, priced only when a scenario says.
  return t;
}

struct Preset {
  const char* name;
  double dram_pj_per_bit;  // Accelergy's CACTI plug-in, DRAM type table
};
constexpr Preset kPresets[] = {{"lpddr4", 8}, {"ddr3", 70}, {"gddr5", 14}, {"hbm2", 3.9}};

}  // namespace

double EnergyTable::sram_read_per_byte(std::int64_t capacity) const {
  return sram_read_64kib * std::pow(static_cast<double>(capacity) / kSramReferenceBytes, sram_size_exponent);
}
double EnergyTable::sram_write_per_byte(std::int64_t capacity) const {
  return sram_write_64kib * std::pow(static_cast<double>(capacity) / kSramReferenceBytes, sram_size_exponent);
}
double EnergyTable::mac(std::int64_t weight_bits, std::int64_t activation_bits) const {
  return mac_8b * static_cast<double>(weight_bits) * static_cast<double>(activation_bits) / 64.0;
}
double EnergyTable::reduce_per_byte(std::int64_t psum_bits) const {
  // One add per partial-sum value of psum_bits ⁄ 8 bytes, its energy linear in the width.
  const double per_value = add_32b * static_cast<double>(psum_bits) / 32.0;
  return per_value / (static_cast<double>(psum_bits) / 8.0);
}

const std::vector<EnergyEntryInfo>& energy_entry_infos() {
  static const std::vector<EnergyEntryInfo> infos = {
      {"dram_read", "pJ/byte", "a byte read from DRAM", &EnergyTable::dram_read},
      {"dram_write", "pJ/byte", "a byte written to DRAM", &EnergyTable::dram_write},
      {"l2_link", "pJ/byte", "a byte through the L2 decoder's links", &EnergyTable::l2_link},
      {"l1_link", "pJ/byte", "a byte over an L2-L1 link", &EnergyTable::l1_link},
      {"sram_read_64kib", "pJ/byte", "a byte read from 64 KiB of SRAM (scaled by capacity)", &EnergyTable::sram_read_64kib},
      {"sram_write_64kib", "pJ/byte", "a byte written into 64 KiB of SRAM (scaled by capacity)",
       &EnergyTable::sram_write_64kib},
      {"sram_size_exponent", "", "SRAM energy per byte grows as capacity to this power", &EnergyTable::sram_size_exponent},
      {"mac_8b", "pJ", "one 8-bit x 8-bit MAC (scaled by the precisions' product)", &EnergyTable::mac_8b},
      {"add_32b", "pJ", "one 32-bit partial-sum add (scaled by psum_bits)", &EnergyTable::add_32b},
      {"vector_op", "pJ", "one element operation of the vector unit", &EnergyTable::vector_op},
      {"static_dram_mw", "mW", "DRAM static power", &EnergyTable::static_dram_mw},
      {"static_l2_mw", "mW", "L2 decoder, global buffer and its units, static power", &EnergyTable::static_l2_mw},
      {"static_per_l1_mw", "mW", "each L1 decoder with its buffer, static power", &EnergyTable::static_per_l1_mw},
      {"static_per_array_mw", "mW", "each memory array with its compute core, static power",
       &EnergyTable::static_per_array_mw},
  };
  return infos;
}

std::vector<std::string> energy_entry_names() {
  std::vector<std::string> names;
  for (const auto& e : energy_entry_infos()) names.emplace_back(e.key);
  return names;
}

void EnergyTable::validate(const std::string& where) const {
  for (const auto& e : energy_entry_infos()) {
    const double v = this->*e.field;
    if (!std::isfinite(v) || v < 0) {
      std::ostringstream text;
      text << v;
      throw InputError(located(where, std::string(e.key) + ": " + text.str() + " is not a finite, non-negative " +
                                          (*e.unit ? std::string("figure in ") + e.unit : std::string("number"))));
    }
  }
}

std::vector<std::string> energy_preset_names() {
  std::vector<std::string> names;
  for (const Preset& p : kPresets) names.emplace_back(p.name);
  return names;
}

EnergyTable energy_preset(const std::string& name, const std::string& where) {
  for (const Preset& p : kPresets) {
    if (name != p.name) continue;
    EnergyTable t = on_chip();
    t.preset = p.name;
    t.dram_read = t.dram_write = p.dram_pj_per_bit * 8;
    return t;
  }
  throw InputError(located(where, "unknown energy preset '" + name + "' (allowed: " + join(energy_preset_names(), ", ") + ")"));
}

EnergyTable default_energy_table() { return energy_preset("lpddr4", ""); }

}  // namespace cimnet
