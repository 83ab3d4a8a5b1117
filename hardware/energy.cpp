#include "hardware/energy.hpp"

#include <algorithm>

namespace cimnet {

DigitalActionCounts& DigitalActionCounts::operator+=(const DigitalActionCounts& o) {
  link_bytes += o.link_bytes;
  for (std::size_t b = 0; b < buffer_write_bytes.size(); ++b) buffer_write_bytes[b] += o.buffer_write_bytes[b];
  output_read_bytes += o.output_read_bytes;
  macs += o.macs;
  return *this;
}

bool DigitalActionCounts::operator==(const DigitalActionCounts& o) const {
  return link_bytes == o.link_bytes && buffer_write_bytes == o.buffer_write_bytes &&
         output_read_bytes == o.output_read_bytes && macs == o.macs;
}

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  dram_read_bytes += o.dram_read_bytes;
  dram_write_bytes += o.dram_write_bytes;
  l2_link_bytes += o.l2_link_bytes;
  l1_link_bytes += o.l1_link_bytes;
  gb_read_bytes += o.gb_read_bytes;
  gb_write_bytes += o.gb_write_bytes;
  l1_buffer_read_bytes += o.l1_buffer_read_bytes;
  l1_buffer_write_bytes += o.l1_buffer_write_bytes;
  gb_accumulate_bytes += o.gb_accumulate_bytes;
  l1_buffer_accumulate_bytes += o.l1_buffer_accumulate_bytes;
  input_buffer_write_bytes += o.input_buffer_write_bytes;
  input_buffer_read_bytes += o.input_buffer_read_bytes;
  array_write_bytes += o.array_write_bytes;
  array_read_bytes += o.array_read_bytes;
  macs += o.macs;
  reduce_bytes += o.reduce_bytes;
  vector_ops += o.vector_ops;
  if (digital.size() < o.digital.size()) digital.resize(o.digital.size());
  for (std::size_t d = 0; d < o.digital.size(); ++d) digital[d] += o.digital[d];
  return *this;
}

namespace {
// Equal per core, a core missing on one side counting as idle.
bool same_digital(const std::vector<DigitalActionCounts>& a, const std::vector<DigitalActionCounts>& b) {
  for (std::size_t d = 0; d < std::max(a.size(), b.size()); ++d) {
    const DigitalActionCounts x = d < a.size() ? a[d] : DigitalActionCounts{};
    const DigitalActionCounts y = d < b.size() ? b[d] : DigitalActionCounts{};
    if (!(x == y)) return false;
  }
  return true;
}
}  // namespace

bool ActionCounts::operator==(const ActionCounts& o) const {
  return dram_read_bytes == o.dram_read_bytes && dram_write_bytes == o.dram_write_bytes &&
         l2_link_bytes == o.l2_link_bytes && l1_link_bytes == o.l1_link_bytes && gb_read_bytes == o.gb_read_bytes &&
         gb_write_bytes == o.gb_write_bytes && l1_buffer_read_bytes == o.l1_buffer_read_bytes &&
         l1_buffer_write_bytes == o.l1_buffer_write_bytes && gb_accumulate_bytes == o.gb_accumulate_bytes &&
         l1_buffer_accumulate_bytes == o.l1_buffer_accumulate_bytes && input_buffer_write_bytes == o.input_buffer_write_bytes &&
         input_buffer_read_bytes == o.input_buffer_read_bytes && array_write_bytes == o.array_write_bytes &&
         array_read_bytes == o.array_read_bytes && macs == o.macs && reduce_bytes == o.reduce_bytes &&
         vector_ops == o.vector_ops && same_digital(digital, o.digital);
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  dram += o.dram;
  l2 += o.l2;
  gb += o.gb;
  l1 += o.l1;
  arrays += o.arrays;
  compute += o.compute;
  reduce += o.reduce;
  vector += o.vector;
  digital += o.digital;
  static_energy += o.static_energy;
  return *this;
}

std::vector<std::pair<std::string, double>> EnergyBreakdown::levels() const {
  std::vector<std::pair<std::string, double>> l = {{"dram", dram},       {"l2", l2},         {"gb", gb},
                                                   {"l1", l1},           {"arrays", arrays}, {"compute", compute},
                                                   {"reduce", reduce},   {"vector", vector}};
  if (digital != 0) l.emplace_back("digital", digital);
  l.emplace_back("static", static_energy);
  return l;
}

double static_power_mw(const EnergyTable& t, const HardwareConfig& hw) {
  double cores = 0;  // each digital core's own figure (DigitalCore::static_power_mw)
  for (const DigitalCore& d : hw.digital_cores) cores += d.static_power_mw;
  if (!hw.cim_arrays) return t.static_dram_mw + t.static_l2_mw + cores;  // no tree below L2
  return t.static_dram_mw + t.static_l2_mw + t.static_per_l1_mw * static_cast<double>(hw.l1_decoders()) +
         t.static_per_array_mw * static_cast<double>(hw.total_arrays()) + cores;
}

EnergyBreakdown energy_of(const ActionCounts& c, const EnergyTable& t, const HardwareConfig& hw, std::int64_t cycles,
                          std::int64_t weight_bits, std::int64_t activation_bits) {
  const auto d = [](std::int64_t n) { return static_cast<double>(n); };
  const MicroArch& f = hw.fixed;
  const std::int64_t array = hw.get(HwParam::MA_mem_size);
  EnergyBreakdown e;
  e.dram = d(c.dram_read_bytes) * t.dram_read + d(c.dram_write_bytes) * t.dram_write;
  e.l2 = d(c.l2_link_bytes) * t.l2_link;
  e.gb = d(c.gb_read_bytes) * t.sram_read_per_byte(f.gb_bytes) +
         d(c.gb_write_bytes + c.gb_accumulate_bytes) * t.sram_write_per_byte(f.gb_bytes);
  e.l1 = d(c.l1_link_bytes) * t.l1_link + d(c.l1_buffer_read_bytes) * t.sram_read_per_byte(f.l1_buffer_bytes) +
         d(c.l1_buffer_write_bytes + c.l1_buffer_accumulate_bytes) * t.sram_write_per_byte(f.l1_buffer_bytes);
  e.arrays = d(c.array_write_bytes) * t.sram_write_per_byte(array) + d(c.array_read_bytes) * t.sram_read_per_byte(array) +
             d(c.input_buffer_write_bytes) * t.sram_write_per_byte(f.input_buffer_bytes) +
             d(c.input_buffer_read_bytes) * t.sram_read_per_byte(f.input_buffer_bytes);
  e.compute = d(c.macs) * t.mac(weight_bits, activation_bits);
  e.reduce = d(c.reduce_bytes) * t.reduce_per_byte(f.psum_bits);
  e.vector = d(c.vector_ops) * t.vector_op;
  for (std::size_t k = 0; k < c.digital.size() && k < hw.digital_cores.size(); ++k) {
    const DigitalActionCounts& x = c.digital[k];
    const DigitalCore& core = hw.digital_cores[k];
    // MACs at the widths the PEs compute them at (a 7-bit operand on an 8-bit multiplier costs 8 bits').
    const int w = std::max(1, core.weight_compute_bits(static_cast<int>(weight_bits)));
    const int a = std::max(1, core.compute_bits(static_cast<int>(activation_bits)));
    e.digital += d(x.link_bytes) * t.l1_link + d(x.macs) * t.mac(w, a) +
                 d(x.buffer_write_bytes[0]) * t.sram_write_per_byte(core.weight_buffer_bytes) +
                 d(x.buffer_write_bytes[1]) * t.sram_write_per_byte(core.input_buffer_bytes) +
                 d(x.buffer_write_bytes[2]) * t.sram_write_per_byte(core.output_buffer_bytes) +
                 d(x.output_read_bytes) * t.sram_read_per_byte(core.output_buffer_bytes);
  }
  // mW × ns = pJ.
  e.static_energy = static_power_mw(t, hw) * d(cycles) / f.clock_ghz;
  return e;
}

}  // namespace cimnet
