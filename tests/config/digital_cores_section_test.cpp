// Scenario key `hardware: digital_cores:` (config/digital_cores_section.hpp; issue 17): what it reads
// into every configuration, and every way it can be wrong, named with the file, line and key.
#include <gtest/gtest.h>

#include <string>

#include "config/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

std::string with_cores(const std::string& cores, const std::string& extra = "") {
  return "space:\n  name: ofa-mbv3\nhardware:\n  digital_cores:\n" + cores + extra;
}

Scenario parse(const std::string& text) { return parse_scenario(text, "t.yaml"); }

TEST(DigitalCoresSection, ReadsEveryPropertyIntoEveryConfiguration) {
  const Scenario s = parse(with_cores("    - name: pe\n"
                                      "      rows: 8\n"
                                      "      cols: 32\n"
                                      "      unrolling: [G, P]\n"
                                      "      precisions: [2, 4, 8]\n"
                                      "      weight_buffer: 32KiB\n"
                                      "      input_buffer: 256KiB\n"
                                      "      output_buffer: 2KiB\n"
                                      "      accumulator_bits: 24\n"
                                      "      port: 16\n"
                                      "      link_latency: 3\n"
                                      "      pipeline: 6\n"
                                      "      step_cycles: 4\n"
                                      "      weight_slots: 1\n"
                                      "      weight_precisions: [2]\n"
                                      "      static_power: 0.5\n"
                                      "    - name: second\n"));
  ASSERT_EQ(s.hardware.digital_cores.size(), 2U);
  const DigitalCore& c = s.hardware.digital_cores[0];
  EXPECT_EQ(c.name, "pe");
  EXPECT_EQ(c.rows, 8);
  EXPECT_EQ(c.cols, 32);
  EXPECT_EQ(c.row_dims, std::vector<LoopDim>{LoopDim::G});
  EXPECT_EQ(c.col_dims, std::vector<LoopDim>{LoopDim::P});
  // An axis may unroll several dimensions, flattened (an analog macro's input channels × kernel taps).
  const Scenario grouped = parse(with_cores("    - name: macro\n      rows: 1152\n      cols: 512\n"
                                            "      unrolling: [[C, R, S], K]\n"));
  EXPECT_EQ(grouped.hardware.digital_cores[0].row_dims, (std::vector<LoopDim>{LoopDim::C, LoopDim::R, LoopDim::S}));
  EXPECT_EQ(grouped.hardware.digital_cores[0].row_unrolling(), "C*R*S");
  EXPECT_EQ(c.precisions, (std::vector<int>{2, 4, 8}));
  EXPECT_EQ(c.weight_buffer_bytes, 32 * 1024);
  EXPECT_EQ(c.input_buffer_bytes, 256 * 1024);
  EXPECT_EQ(c.output_buffer_bytes, 2 * 1024);
  EXPECT_EQ(c.accumulator_bits, 24);
  EXPECT_EQ(c.port_bytes_per_cycle, 16);
  EXPECT_EQ(c.link_latency, 3);
  EXPECT_EQ(c.pipeline_cycles, 6);
  EXPECT_EQ(c.step_cycles, 4);
  EXPECT_EQ(c.weight_slots, 1);
  EXPECT_EQ(c.weight_precisions, std::vector<int>{2});
  EXPECT_DOUBLE_EQ(c.static_power_mw, 0.5);
  EXPECT_DOUBLE_EQ(s.hardware.digital_cores[1].static_power_mw, 0);  // no sourced figure: none unless given
  EXPECT_TRUE(s.hardware.digital_cores[1].weight_precisions.empty());  // the precisions, then
  EXPECT_EQ(s.hardware.digital_cores[1].rows, DigitalCore{}.rows);  // defaults
  const HardwareConfig hw = s.hardware.reference_config();
  ASSERT_EQ(hw.digital_cores.size(), 2U);
  EXPECT_EQ(hw.digital_cores[1].name, "second");
  EXPECT_NE(hw.summary().find("digital=pe,second"), std::string::npos) << hw.summary();
}

TEST(DigitalCoresSection, RefusalsNameFileLineAndKey) {
  std::string e = input_error([] { parse(with_cores("    - name: pe\n      colums: 16\n")); });
  EXPECT_NE(e.find("t.yaml:6"), std::string::npos) << e;
  EXPECT_NE(e.find("colums"), std::string::npos) << e;
  EXPECT_NE(e.find("cols"), std::string::npos) << e;  // the did-you-mean or the allowed keys

  e = input_error([] { parse(with_cores("    - rows: 16\n")); });
  EXPECT_NE(e.find("name"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n      unrolling: [K, X]\n")); });
  EXPECT_NE(e.find("t.yaml:6"), std::string::npos) << e;
  EXPECT_NE(e.find("N, G, K, C, P, Q, R, S"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n      unrolling: [K, K]\n")); });
  EXPECT_NE(e.find("dimension K is unrolled twice"), std::string::npos) << e;
  e = input_error([] { parse(with_cores("    - name: pe\n      unrolling: [[C, R, S], [K, R]]\n")); });
  EXPECT_NE(e.find("dimension R is unrolled twice"), std::string::npos) << e;
  e = input_error([] { parse(with_cores("    - name: pe\n      unrolling: [[], K]\n")); });
  EXPECT_NE(e.find("at least one loop dimension"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n      rows: 0\n")); });
  EXPECT_NE(e.find("t.yaml:6"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n      input_buffer: 1\n")); });
  EXPECT_NE(e.find("digital core 'pe': input_buffer_bytes"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n    - name: pe\n")); });
  EXPECT_NE(e.find("t.yaml:6"), std::string::npos) << e;
  EXPECT_NE(e.find("digital core 'pe' is described twice"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    - name: pe\n      static_power: -1\n")); });
  EXPECT_NE(e.find("t.yaml:6"), std::string::npos) << e;
  EXPECT_NE(e.find("static_power"), std::string::npos) << e;

  e = input_error([] { parse(with_cores("    []\n")); });
  EXPECT_NE(e.find("needs at least one core"), std::string::npos) << e;
}

// Digital cores run under every policy (docs/heterogeneous.md), and so under a searched one.
TEST(DigitalCoresSection, EveryPolicyTakesDigitalCores) {
  for (const char* policy : {"layer-by-layer", "fused", "pipelined", "searched"}) {
    EXPECT_NO_THROW(parse(with_cores("    - name: pe\n", std::string("execution: ") + policy + "\n"))) << policy;
  }
}

// Key `allocation`: what the choice of core minimises; only where there is a choice.
TEST(DigitalCoresSection, AllocationNamesItsObjectiveAndNeedsADigitalCore) {
  EXPECT_EQ(parse(with_cores("    - name: pe\n")).allocation, CoreAllocation::Latency);
  EXPECT_EQ(parse(with_cores("    - name: pe\n", "allocation: energy-delay\n")).allocation, CoreAllocation::EnergyDelay);
  const std::string unknown = input_error([&] { parse(with_cores("    - name: pe\n", "allocation: power\n")); });
  EXPECT_NE(unknown.find("t.yaml:6"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("allocation"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("latency, energy, energy-delay, searched"), std::string::npos) << unknown;
  const std::string alone = input_error([&] { parse("space:\n  name: ofa-mbv3\nallocation: energy\n"); });
  EXPECT_NE(alone.find("t.yaml:3"), std::string::npos) << alone;
  EXPECT_NE(alone.find("digital cores"), std::string::npos) << alone;
  // `searched`: the co-search's gene (docs/search.md); the fixed objective is then latency, the reference's.
  const Scenario searched = parse(with_cores("    - name: pe\n", "allocation: searched\n"));
  EXPECT_TRUE(searched.allocation_searched);
  EXPECT_EQ(searched.allocation, CoreAllocation::Latency);
  EXPECT_TRUE(searched.allocation_setting().searched);
  EXPECT_NE(input_error([&] { parse("space:\n  name: ofa-mbv3\nallocation: searched\n"); }).find("digital cores"),
            std::string::npos);
}

// Key `hardware: cim_arrays: false`: a design of digital cores alone. It needs a core to run the MAC
// layers; the CiM tree's parameters below L2 keep their reference value as their only choice (choices
// for them are refused), so a hardware search varies DRAM_bw, L2_bw and the cores' searched sizes.
TEST(DigitalCoresSection, ADesignWithoutCimArraysNeedsACoreAndSearchesNoTree) {
  const Scenario s = parse(with_cores("    - name: pe\n", "  cim_arrays: false\n"));
  EXPECT_FALSE(s.hardware.cim_arrays);
  const HardwareConfig hw = s.hardware.reference_config();
  EXPECT_FALSE(hw.cim_arrays);
  EXPECT_NE(hw.summary().find("cim_arrays=no"), std::string::npos) << hw.summary();
  EXPECT_TRUE(parse(with_cores("    - name: pe\n")).hardware.reference_config().cim_arrays);
  const std::string alone = input_error([] { parse("space:\n  name: ofa-mbv3\nhardware:\n  cim_arrays: false\n"); });
  EXPECT_NE(alone.find("t.yaml:4"), std::string::npos) << alone;
  EXPECT_NE(alone.find("cim_arrays"), std::string::npos) << alone;
  EXPECT_NE(alone.find("digital_cores"), std::string::npos) << alone;
  // The tree's six parameters below L2 are pinned; DRAM_bw and L2_bw keep their four choices each.
  EXPECT_EQ(s.hardware.size(), 16.0);
  for (HwParam p : {HwParam::L1_bw, HwParam::L1_num_child, HwParam::MA_bw, HwParam::MA_num_child,
                    HwParam::MA_mem_size, HwParam::MA_comp_per_core}) {
    EXPECT_EQ(s.hardware.choices[static_cast<std::size_t>(p)].size(), 1U);
  }
  EXPECT_NO_THROW(parse(with_cores("    - name: pe\n", "  cim_arrays: false\nsearch:\n  mode: joint\n")));
  const std::string tree = input_error([] {
    parse(with_cores("    - name: pe\n", "  cim_arrays: false\n  choices: {MA_bw: [16, 32]}\n"));
  });
  EXPECT_NE(tree.find("MA_bw"), std::string::npos) << tree;
  EXPECT_NE(tree.find("this design has none"), std::string::npos) << tree;
  // Nothing left to search: DRAM_bw and L2_bw given one choice each, no core size searched.
  const std::string joint = input_error([] {
    parse(with_cores("    - name: pe\n",
                     "  cim_arrays: false\n  choices: {DRAM_bw: [64], L2_bw: [64]}\nsearch:\n  mode: joint\n"));
  });
  EXPECT_NE(joint.find("mode 'joint'"), std::string::npos) << joint;
  EXPECT_NE(joint.find("one configuration"), std::string::npos) << joint;
  EXPECT_NE(joint.find("allowed: arch"), std::string::npos) << joint;
  EXPECT_NO_THROW(parse(with_cores("    - name: pe\n", "  cim_arrays: false\nsearch:\n  mode: arch\n")));
  // A core's size as a gene gives a design without arrays something to search.
  const Scenario grid = parse(with_cores(
      "    - name: pe\n",
      "  cim_arrays: false\n  choices: {DRAM_bw: [64], L2_bw: [64], pe.rows: [8, 16, 32]}\nsearch:\n  mode: joint\n"));
  EXPECT_EQ(grid.hardware.size(), 3.0);
  // The shipped DIANA-like scenario deploys its space at 2/7 inside; a bad value names file, line, key.
  EXPECT_EQ(parse("space:\n  name: ofa-mbv3\n  inner_precision: 2/7\n").space_options.inner_precision.text(), "2/7");
  const std::string bad = input_error([] { parse("space:\n  name: ofa-mbv3\n  inner_precision: 2-7\n"); });
  EXPECT_NE(bad.find("t.yaml:3"), std::string::npos) << bad;
  EXPECT_NE(bad.find("inner_precision"), std::string::npos) << bad;
  EXPECT_NE(bad.find("expected WEIGHT_BITS/ACTIVATION_BITS in 1..32, e.g. 2/7, got '2-7'"), std::string::npos) << bad;
  HardwareConfig bare = HardwareSpace::defaults().reference_config();
  bare.cim_arrays = false;
  EXPECT_NE(input_error([&] { bare.validate("hw"); }).find("no core to run the MAC layers"), std::string::npos);
}

}  // namespace
}  // namespace cimnet
