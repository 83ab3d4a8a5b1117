#pragma once
// What every action costs in energy (issue 16; docs/energy.md gives every default's source): per byte at
// DRAM, over the L2 and L1 links, at SRAM of a given size (memory arrays, the global buffer, the L1 and
// input buffers), per MAC at given precisions, per partial-sum add and per vector element operation, and
// static power per component. A table is a named preset with any entries overridden (scenario section
// `energy:`); energy = Σ actions × their energy + static power × time (hardware/energy.hpp).
//
// Two documented scaling rules turn the table's reference figures into a design's:
//   SRAM, per byte, by capacity C: e(C) = e(64 KiB) × (C ⁄ 64 KiB)^sram_size_exponent. The default
//     exponent, 0.389, is the one that passes through ZigZag's two shipped SRAM figures (64 KB: 0.052
//     pJ/bit; 2 MB: 0.203 pJ/bit); CACTI's curves grow the same way, sub-linearly. A larger memory never
//     costs less per byte (exponent ≥ 0 is enforced).
//   MAC, by precision: e(w, a) = e(8, 8) × w × a ⁄ 64 — an array multiplier's partial products grow
//     with the product of the operand widths (Horowitz, ISSCC 2014: 8-bit multiply 0.2 pJ, 32-bit 3.1
//     pJ, 15.5× for 16× the product). Raising a precision never lowers it.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"

namespace cimnet {

struct EnergyTable {
  std::string preset;
  // pJ per byte.
  double dram_read = 0, dram_write = 0;
  double l2_link = 0, l1_link = 0;      // a byte over the DRAM–L2 path at the L2 decoder, over an L2–L1 link
  double sram_read_64kib = 0, sram_write_64kib = 0;  // a byte read from / written into 64 KiB of SRAM
  double sram_size_exponent = 0;
  // pJ per operation.
  double mac_8b = 0;          // one MAC, 8-bit weight × 8-bit activation
  double add_32b = 0;         // one 32-bit add (partial sums; scaled linearly with psum_bits)
  double vector_op = 0;       // one element operation of the vector unit (requantise, activation, add, pool)
  // Static power, mW, while the run lasts.
  double static_dram_mw = 0, static_l2_mw = 0, static_per_l1_mw = 0, static_per_array_mw = 0;

  // pJ per byte of SRAM of `capacity` bytes, by the size rule.
  double sram_read_per_byte(std::int64_t capacity) const;
  double sram_write_per_byte(std::int64_t capacity) const;
  // pJ per MAC at these precisions, by the precision rule.
  double mac(std::int64_t weight_bits, std::int64_t activation_bits) const;
  // pJ per byte of partial sums accumulated at `psum_bits` per value.
  double reduce_per_byte(std::int64_t psum_bits) const;

  // InputError "<where>.<key>: ..." for a negative or non-finite entry.
  void validate(const std::string& where) const;
};

// One table entry: its scenario key, unit, and what it prices.
struct EnergyEntryInfo {
  const char* key;
  const char* unit;
  const char* description;
  double EnergyTable::*field;
};
const std::vector<EnergyEntryInfo>& energy_entry_infos();
std::vector<std::string> energy_entry_names();

// The presets, by DRAM type (the largest single difference between systems); the on-chip figures are
// the same in each. docs/energy.md gives every figure's source.
std::vector<std::string> energy_preset_names();
// InputError "<where>: unknown energy preset '<name>' (allowed: ...)".
EnergyTable energy_preset(const std::string& name, const std::string& where);
// The default: lpddr4.
EnergyTable default_energy_table();

}  // namespace cimnet
