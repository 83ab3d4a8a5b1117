#pragma once
// Energy from action counts (issue 16): Σ count × the table's energy per action (energy_table.hpp), plus
// static power × time, split by where it is spent. The counts come from a program (program/
// action_counts.hpp: what its ops move and compute, exactly) and the time from a run (simulated) or an
// estimate; energy is linear in the counts.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/energy_table.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

// What one digital core did (issue 17): bytes over its link (its port under the L2 decoder), written by
// moves into its weight, input and output buffers (in that order) and read out of its output buffer,
// and MACs. Operand reads inside the core (buffers to PEs) are not counted in this version.
struct DigitalActionCounts {
  std::int64_t link_bytes = 0;
  std::array<std::int64_t, 3> buffer_write_bytes{};
  std::int64_t output_read_bytes = 0;
  std::int64_t macs = 0;
  DigitalActionCounts& operator+=(const DigitalActionCounts& o);
  bool operator==(const DigitalActionCounts& o) const;
};

struct ActionCounts {
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  std::int64_t l2_link_bytes = 0;   // between the L2 decoder and the L1 decoders (a multicast once)
  std::int64_t l1_link_bytes = 0;   // between an L1 decoder and its arrays (a multicast once per L1)
  std::int64_t gb_read_bytes = 0, gb_write_bytes = 0;
  std::int64_t l1_buffer_read_bytes = 0, l1_buffer_write_bytes = 0;
  // Reduction results the reduction unit of L2 (of an L1 decoder) accumulates into the global (that L1)
  // buffer: written there, but by the unit beside the buffer rather than through its port.
  std::int64_t gb_accumulate_bytes = 0, l1_buffer_accumulate_bytes = 0;
  std::int64_t input_buffer_write_bytes = 0, input_buffer_read_bytes = 0;
  std::int64_t array_write_bytes = 0;  // weights programmed into the arrays' cells
  std::int64_t array_read_bytes = 0;   // operands read by the cores, and results sent out through the port
  std::int64_t macs = 0;
  std::int64_t reduce_bytes = 0;       // partial sums accumulated
  std::int64_t vector_ops = 0;
  std::vector<DigitalActionCounts> digital;  // per digital core (empty when the program uses none)
  ActionCounts& operator+=(const ActionCounts& o);
  bool operator==(const ActionCounts& o) const;
};

// pJ, by where it is spent.
struct EnergyBreakdown {
  double dram = 0;     // DRAM reads and writes
  double l2 = 0;       // the L2 decoder's links
  double gb = 0;       // global buffer reads and writes
  double l1 = 0;       // L1 links and L1 buffers
  double arrays = 0;   // weight programming, operand and result reads, input buffers
  double compute = 0;  // MACs
  double reduce = 0;   // partial-sum adds
  double vector = 0;   // vector unit operations
  double digital = 0;  // digital cores: their links, buffers and MACs
  double static_energy = 0;  // static power × the run's time
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
  double dynamic() const { return dram + l2 + gb + l1 + arrays + compute + reduce + vector + digital; }
  double total() const { return dynamic() + static_energy; }
  // (name, pJ) in the order above, "static" last: for tables and reports; "digital" only when a digital
  // core spent any.
  std::vector<std::pair<std::string, double>> levels() const;
};

// The energy of `counts` on `hw` (its sizes and precisions set the scaled figures), over `cycles` at its
// clock for the static part. MACs are priced at the given precisions. A digital core's MACs cost what
// the table's MAC does (its 0.04 pJ figure is ZigZag's and Stream's digital 8-bit MAC), its buffers what
// an SRAM of their size does, its link what an L1 link does (both join a child of a decoder to it).
EnergyBreakdown energy_of(const ActionCounts& counts, const EnergyTable& table, const HardwareConfig& hw,
                          std::int64_t cycles, std::int64_t weight_bits, std::int64_t activation_bits);

// Static power of the whole design, mW: the table's entries for DRAM, L2, the L1 decoders and arrays
// (none without arrays), and each digital core's own figure.
double static_power_mw(const EnergyTable& table, const HardwareConfig& hw);

}  // namespace cimnet
