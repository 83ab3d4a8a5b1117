// Energy from action counts (hardware/energy.hpp, hardware/energy_table.hpp): closed forms per action,
// linearity in the counts, the scaling rules' monotonicity (a larger SRAM never costs less per byte; a
// higher precision never costs less per MAC), static energy, the presets and their refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.hpp"
#include "hardware/energy.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

const HardwareConfig& reference() {
  static const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  return hw;
}

TEST(Energy, EachActionAtItsTablePrice) {
  const EnergyTable t = default_energy_table();  // lpddr4: 8 pJ/bit
  EXPECT_DOUBLE_EQ(t.dram_read, 64);
  ActionCounts c;
  c.dram_read_bytes = 1000;
  EXPECT_DOUBLE_EQ(energy_of(c, t, reference(), 0, 8, 8).dram, 64000);
  EXPECT_DOUBLE_EQ(energy_of(c, t, reference(), 0, 8, 8).total(), 64000);
  ActionCounts m;
  m.macs = 1000;
  EXPECT_DOUBLE_EQ(energy_of(m, t, reference(), 0, 8, 8).compute, 40);    // 0.04 pJ per 8-bit MAC
  EXPECT_DOUBLE_EQ(energy_of(m, t, reference(), 0, 4, 8).compute, 20);    // half the partial products
  ActionCounts r;
  r.reduce_bytes = 400;  // 100 32-bit partial sums: 100 adds of 0.1 pJ
  EXPECT_DOUBLE_EQ(energy_of(r, t, reference(), 0, 8, 8).reduce, 10);
  // SRAM: 0.416 pJ/byte at 64 KiB; the reference arrays are 256 KiB, 4^0.389 as much per byte.
  ActionCounts w;
  w.array_write_bytes = 100;
  const double per_byte = 0.416 * std::pow(4.0, t.sram_size_exponent);
  EXPECT_NEAR(energy_of(w, t, reference(), 0, 8, 8).arrays, 100 * per_byte, 1e-9);
  EXPECT_NEAR(t.sram_read_per_byte(2 << 20), 0.203125 * 8, 1e-9);  // through ZigZag's 2 MB figure
}

// A digital core's actions (issue 17): its MACs at the table's MAC, its buffers at their sizes' SRAM
// figures, its link at the L1 link's; the level shows only when it spent something.
TEST(Energy, ADigitalCoresActionsAtTheirPrices) {
  EnergyTable t = default_energy_table();
  t.l1_link = 0.5;
  HardwareConfig hw = reference();
  DigitalCore core;  // 64 KiB buffers: 0.416 pJ per byte
  core.output_buffer_bytes = 2 << 20;
  hw.digital_cores.push_back(core);
  ActionCounts c;
  EXPECT_EQ(energy_of(c, t, hw, 0, 8, 8).levels().size(), 9U);  // no "digital" level
  c.digital.resize(1);
  c.digital[0].link_bytes = 100;
  c.digital[0].macs = 1000;
  c.digital[0].buffer_write_bytes = {10, 20, 30};
  c.digital[0].output_read_bytes = 40;
  const EnergyBreakdown e = energy_of(c, t, hw, 0, 8, 8);
  const double expected = 100 * 0.5 + 1000 * 0.04 + (10 + 20) * 0.416 + 30 * t.sram_write_per_byte(2 << 20) +
                          40 * t.sram_read_per_byte(2 << 20);
  EXPECT_NEAR(e.digital, expected, 1e-9);
  EXPECT_NEAR(e.total(), expected, 1e-9);
  EXPECT_EQ(e.levels().size(), 10U);
  EXPECT_EQ(e.levels()[8].first, "digital");
  // A 4-bit layer on the 8-bit PEs: its MACs at 8 bits; on 4-bit-capable PEs at 4 (a quarter).
  EXPECT_NEAR(energy_of(c, t, hw, 0, 4, 4).digital, expected, 1e-9);
  hw.digital_cores[0].precisions = {4, 8};
  EXPECT_NEAR(energy_of(c, t, hw, 0, 4, 4).digital, expected - 1000 * 0.04 * 0.75, 1e-9);
}

TEST(Energy, LinearInTheCounts) {
  const EnergyTable t = energy_preset("ddr3", "test");
  ActionCounts a, b;
  a.dram_read_bytes = 7;
  a.gb_write_bytes = 11;
  a.macs = 13;
  a.l1_buffer_accumulate_bytes = 5;
  b.dram_write_bytes = 17;
  b.array_read_bytes = 19;
  b.vector_ops = 23;
  b.input_buffer_write_bytes = 29;
  ActionCounts sum = a;
  sum += b;
  const double ea = energy_of(a, t, reference(), 0, 8, 8).total(), eb = energy_of(b, t, reference(), 0, 8, 8).total();
  EXPECT_NEAR(energy_of(sum, t, reference(), 0, 8, 8).total(), ea + eb, 1e-9 * (ea + eb));
  ActionCounts twice = sum;
  twice += sum;
  EXPECT_NEAR(energy_of(twice, t, reference(), 0, 8, 8).total(), 2 * (ea + eb), 1e-9 * (ea + eb));
}

TEST(Energy, LargerMemoriesAndWiderOperandsNeverCostLess) {
  const EnergyTable t = default_energy_table();
  double last = 0;
  for (std::int64_t bytes = 1024; bytes <= (std::int64_t{1} << 30); bytes *= 2) {
    EXPECT_GE(t.sram_read_per_byte(bytes), last) << bytes;
    EXPECT_GE(t.sram_write_per_byte(bytes), t.sram_write_per_byte(bytes / 2)) << bytes;
    last = t.sram_read_per_byte(bytes);
  }
  for (std::int64_t w = 1; w <= 16; ++w) {
    for (std::int64_t a = 1; a <= 16; ++a) {
      EXPECT_GE(t.mac(w + 1, a), t.mac(w, a));
      EXPECT_GE(t.mac(w, a + 1), t.mac(w, a));
    }
  }
  // Through the whole energy: the same counts on larger arrays.
  ActionCounts c;
  c.array_read_bytes = 1000;
  c.array_write_bytes = 1000;
  HardwareConfig big = reference();
  big.set(HwParam::MA_mem_size, 4 * reference().get(HwParam::MA_mem_size));
  EXPECT_GT(energy_of(c, t, big, 0, 8, 8).arrays, energy_of(c, t, reference(), 0, 8, 8).arrays);
}

TEST(Energy, StaticPowerOverTheRun) {
  EnergyTable t = default_energy_table();
  EXPECT_DOUBLE_EQ(energy_of(ActionCounts{}, t, reference(), 1000, 8, 8).total(), 0);  // no sourced leakage
  t.static_per_array_mw = 1;  // 64 arrays × 1 mW × 1 000 ns = 64 000 pJ at 1 GHz
  t.static_dram_mw = 10;      // + 10 mW × 1 000 ns
  EXPECT_DOUBLE_EQ(energy_of(ActionCounts{}, t, reference(), 1000, 8, 8).static_energy, 74000);
  // A digital core leaks its own figure beside them; without arrays only DRAM, L2 and the cores leak.
  HardwareConfig hetero = reference();
  DigitalCore core;
  core.static_power_mw = 2.5;  // + 2.5 mW × 1 000 ns
  hetero.digital_cores = {core};
  EXPECT_DOUBLE_EQ(energy_of(ActionCounts{}, t, hetero, 1000, 8, 8).static_energy, 76500);
  hetero.cim_arrays = false;
  EXPECT_DOUBLE_EQ(energy_of(ActionCounts{}, t, hetero, 1000, 8, 8).static_energy, 12500);
  core.static_power_mw = -1;
  EXPECT_THROW(core.validate(), InputError);
}

TEST(Energy, PresetsAndRefusals) {
  EXPECT_EQ(energy_preset_names(), (std::vector<std::string>{"lpddr4", "ddr3", "gddr5", "hbm2"}));
  EXPECT_DOUBLE_EQ(energy_preset("hbm2", "k").dram_write, 3.9 * 8);
  EXPECT_EQ(test::input_error([] { energy_preset("ddr5", "s.yaml:7: scenario.energy.preset"); }),
            "s.yaml:7: scenario.energy.preset: unknown energy preset 'ddr5' (allowed: lpddr4, ddr3, gddr5, hbm2)");
  EnergyTable t = default_energy_table();
  t.validate("energy");
  t.mac_8b = -1;
  EXPECT_EQ(test::input_error([&] { t.validate("energy"); }),
            "energy: mac_8b: -1 is not a finite, non-negative figure in pJ");
  t = default_energy_table();
  t.dram_read = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(test::input_error([&] { t.validate("energy"); }),
            "energy: dram_read: nan is not a finite, non-negative figure in pJ/byte");
}

}  // namespace
}  // namespace cimnet
