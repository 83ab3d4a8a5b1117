// The hardware description: derived totals, value parsing, --hw overrides and genomes.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common/error.hpp"
#include "hardware/hardware.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

TEST(Hardware, ReferenceDesignTotals) {
  const HardwareConfig ref = HardwareSpace::defaults().reference_config();
  // The paper's reference: the third of four choices of every parameter.
  EXPECT_EQ(ref.get(HwParam::DRAM_bw), 64);
  EXPECT_EQ(ref.get(HwParam::L2_bw), 256);
  EXPECT_EQ(ref.get(HwParam::L1_bw), 128);
  EXPECT_EQ(ref.get(HwParam::L1_num_child), 8);
  EXPECT_EQ(ref.get(HwParam::MA_bw), 64);
  EXPECT_EQ(ref.get(HwParam::MA_num_child), 8);
  EXPECT_EQ(ref.get(HwParam::MA_mem_size), 256 * 1024);
  EXPECT_EQ(ref.get(HwParam::MA_comp_per_core), 64);
  EXPECT_EQ(ref.l1_decoders(), 8);
  EXPECT_EQ(ref.total_arrays(), 8 * 8);
  EXPECT_EQ(ref.peak_macs_per_cycle(), 64 * 64);
  EXPECT_EQ(ref.total_capacity_bytes(), 64LL * 256 * 1024);  // 16 MiB
  EXPECT_NO_THROW(ref.validate());
  EXPECT_EQ(ref.summary(),
            "DRAM_bw=64 L2_bw=256 L1_bw=128 L1_num_child=8 MA_bw=64 MA_num_child=8 MA_mem_size=256KiB "
            "MA_comp_per_core=64");
}

TEST(Hardware, SmallestAndLargestTotals) {
  const HardwareSpace s = HardwareSpace::defaults();
  const HardwareConfig small = s.config(s.smallest());
  const HardwareConfig large = s.config(s.largest());
  EXPECT_EQ(small.total_arrays(), 4);
  EXPECT_EQ(small.peak_macs_per_cycle(), 4 * 16);
  EXPECT_EQ(small.total_capacity_bytes(), 4 * 64 * 1024);
  EXPECT_EQ(large.total_arrays(), 256);
  EXPECT_EQ(large.peak_macs_per_cycle(), 256 * 128);
  EXPECT_EQ(large.total_capacity_bytes(), 256LL * 512 * 1024);
}

TEST(Hardware, ParseHwValueSuffixes) {
  EXPECT_EQ(parse_hw_value("4096", "x"), 4096);
  EXPECT_EQ(parse_hw_value("64B", "x"), 64);
  EXPECT_EQ(parse_hw_value("256KiB", "x"), 256 * 1024);
  EXPECT_EQ(parse_hw_value(" 256 KiB ", "x"), 256 * 1024);
  EXPECT_EQ(parse_hw_value("1MiB", "x"), 1024 * 1024);
  EXPECT_EQ(parse_hw_value("2GiB", "x"), 2LL * 1024 * 1024 * 1024);
}

TEST(Hardware, ParseHwValueErrors) {
  EXPECT_EQ(input_error([] { parse_hw_value("0", "DRAM_bw"); }), "DRAM_bw must be positive, got 0");
  EXPECT_EQ(input_error([] { parse_hw_value("-8KiB", "MA_mem_size"); }), "MA_mem_size must be positive, got -8KiB");
  const std::string expected = ": expected a positive whole number with an optional KiB, MiB or GiB suffix, got '";
  // "64KB" is not "64KiB": rejected, quoting exactly what was written.
  EXPECT_EQ(input_error([] { parse_hw_value("64KB", "MA_mem_size"); }), "MA_mem_size" + expected + "64KB'");
  EXPECT_EQ(input_error([] { parse_hw_value("1.5MiB", "MA_mem_size"); }), "MA_mem_size" + expected + "1.5MiB'");
  EXPECT_EQ(input_error([] { parse_hw_value("", "L1_bw"); }), "L1_bw" + expected + "'");
  EXPECT_EQ(input_error([] { parse_hw_value("KiB", "L1_bw"); }), "L1_bw" + expected + "KiB'");
  // Would overflow 64 bits after scaling: an error, not a wrapped negative number.
  EXPECT_EQ(input_error([] { parse_hw_value("9999999999999999GiB", "MA_mem_size"); }),
            "MA_mem_size = 9999999999999999GiB is too large");
}

TEST(Hardware, FormatHwValue) {
  EXPECT_EQ(format_hw_value(HwParam::MA_mem_size, 256 * 1024), "256 KiB");
  EXPECT_EQ(format_hw_value(HwParam::MA_mem_size, 2 * 1024 * 1024), "2 MiB");
  EXPECT_EQ(format_hw_value(HwParam::MA_mem_size, 1000), "1000");
  EXPECT_EQ(format_hw_value(HwParam::DRAM_bw, 1024), "1024");
}

TEST(Hardware, ApplyOverrideEachParameter) {
  const HardwareConfig base = HardwareSpace::defaults().reference_config();
  const std::pair<const char*, std::int64_t> cases[] = {
      {"DRAM_bw=128", 128},       {"L2_bw=512", 512},          {"L1_bw=32", 32},           {"L1_num_child=16", 16},
      {"MA_bw=16", 16},           {"MA_num_child=2", 2},       {"MA_mem_size=1MiB", 1 << 20},
      {"MA_comp_per_core=128", 128}};
  for (std::size_t p = 0; p < kHwParamCount; ++p) {
    HardwareConfig c = base;
    apply_hw_override(c, cases[p].first);
    for (std::size_t q = 0; q < kHwParamCount; ++q) {
      EXPECT_EQ(c.values[q], q == p ? cases[p].second : base.values[q]) << cases[p].first << " param " << q;
    }
  }
}

TEST(Hardware, ApplyOverrideFixedParameter) {
  HardwareConfig c = HardwareSpace::defaults().reference_config();
  apply_hw_override(c, "dram_latency=250");
  EXPECT_EQ(c.fixed.dram_latency, 250);
  apply_hw_override(c, "clock_ghz = 1.25");
  EXPECT_EQ(c.fixed.clock_ghz, 1.25);
  EXPECT_EQ(c.values, HardwareSpace::defaults().reference_config().values);
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "weight_bits=0"); }),
            "--hw: weight_bits = 0 is out of range; allowed 1 to 32 bits");
}

TEST(Hardware, ApplyOverrideErrors) {
  HardwareConfig c = HardwareSpace::defaults().reference_config();
  const std::string unknown = input_error([&] { apply_hw_override(c, "DRAM_BW=64"); });
  EXPECT_EQ(unknown.rfind("--hw: unknown hardware parameter 'DRAM_BW' (did you mean 'DRAM_bw'?); allowed: DRAM_bw, ", 0),
            0u)
      << unknown;
  EXPECT_NE(unknown.find("dram_latency"), std::string::npos) << unknown;  // fixed parameters are allowed too
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "DRAM_bw"); }),
            "--hw 'DRAM_bw': expected KEY=VALUE, e.g. DRAM_bw=128 or MA_mem_size=256KiB");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "MA_bw=0"); }), "--hw MA_bw must be positive, got 0");
}

TEST(Hardware, GenomeOf) {
  const HardwareSpace s = HardwareSpace::defaults();
  EXPECT_EQ(s.genome_of(s.reference_config()), s.reference);
  EXPECT_EQ(s.genome_of(s.config(s.largest())), s.largest());
  HwGenome g = s.smallest();
  g[static_cast<std::size_t>(HwParam::MA_mem_size)] = 3;
  g[static_cast<std::size_t>(HwParam::L1_bw)] = 1;
  EXPECT_EQ(s.genome_of(s.config(g)), g);

  HardwareConfig off = s.reference_config();
  off.set(HwParam::DRAM_bw, 48);
  EXPECT_EQ(input_error([&] { s.genome_of(off); }), "DRAM_bw = 48 is not one of the choices 16, 32, 64, 128");
}

TEST(Hardware, ParamNames) {
  EXPECT_EQ(hw_param_from_string("MA_comp_per_core"), HwParam::MA_comp_per_core);
  const std::string e = input_error([] { hw_param_from_string("MA_comp"); });
  EXPECT_EQ(e.rfind("unknown hardware parameter 'MA_comp'", 0), 0u) << e;
  EXPECT_EQ(fixed_param_names().size(), fixed_param_infos().size());
}

TEST(Hardware, SpaceValidate) {
  HardwareSpace s = HardwareSpace::defaults();
  EXPECT_NO_THROW(s.validate());
  s.choices[0] = {32, 16};
  EXPECT_EQ(input_error([&] { s.validate("f.yaml"); }), "f.yaml: hardware.choices.DRAM_bw must be strictly ascending");
  s = HardwareSpace::defaults();
  s.reference[1] = 4;
  EXPECT_EQ(input_error([&] { s.validate(); }), "hardware.reference.L2_bw is not one of its choices");
}

// Issue 12, defect 4: the eight parameters had no upper bound (MA_num_child=4294967296 ended in
// std::bad_alloc). Each is bounded, and so is the number of arrays.
TEST(Hardware, OverridesBeyondTheBoundsNameTheKeyAndTheRange) {
  HardwareConfig c = HardwareSpace::defaults().reference_config();
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "MA_num_child=4294967296"); }),
            "--hw MA_num_child = 4294967296 is out of range; allowed 1 to 65536 (count)");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "MA_mem_size=2GiB"); }),
            "--hw MA_mem_size = 2147483648 is out of range; allowed 1 to 1024 MiB (bytes)");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "DRAM_bw=65537"); }),
            "--hw DRAM_bw = 65537 is out of range; allowed 1 to 65536 (B/cycle)");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "MA_comp_per_core=1000000"); }),
            "--hw MA_comp_per_core = 1000000 is out of range; allowed 1 to 65536 (MAC/cycle)");
  // The bounds themselves are allowed.
  for (const auto& i : hw_param_infos()) {
    HardwareConfig at = HardwareSpace::defaults().reference_config();
    EXPECT_NO_THROW(apply_hw_override(at, std::string(i.name) + "=" + std::to_string(i.max))) << i.name;
    EXPECT_EQ(at.get(i.param), i.max);
  }
  EXPECT_EQ(info(HwParam::MA_mem_size).max, std::int64_t{1} << 30);
}

TEST(Hardware, ValidateBoundsTheNumberOfArrays) {
  HardwareConfig c = HardwareSpace::defaults().reference_config();
  c.set(HwParam::L1_num_child, 256);
  c.set(HwParam::MA_num_child, 256);
  EXPECT_NO_THROW(c.validate());
  EXPECT_EQ(c.total_arrays(), kMaxArrays);
  c.set(HwParam::L1_num_child, 512);
  EXPECT_EQ(input_error([&] { c.validate("--hw"); }),
            "--hw: L1_num_child x MA_num_child = 512 x 256 = 131072 memory arrays; at most 65536 are allowed");
  c.set(HwParam::L1_num_child, 2);
  c.set(HwParam::L2_bw, 100000);  // set directly: validate checks every bound, not only overrides
  EXPECT_EQ(input_error([&] { c.validate("--hw"); }),
            "--hw: L2_bw = 100000 is out of range; allowed 1 to 65536 (B/cycle)");
}

TEST(Hardware, SpaceChoicesBeyondTheBounds) {
  HardwareSpace s = HardwareSpace::defaults();
  s.choices[static_cast<std::size_t>(HwParam::L1_num_child)] = {2, 4, 4294967297};
  EXPECT_EQ(input_error([&] { s.validate("f.yaml"); }),
            "f.yaml: hardware.choices.L1_num_child = 4294967297 is out of range; allowed 1 to 65536 (count)");
  // Each count is within its bound, but the largest configuration has 1024 x 128 arrays.
  s = HardwareSpace::defaults();
  s.choices[static_cast<std::size_t>(HwParam::L1_num_child)] = {2, 4, 1024};
  s.choices[static_cast<std::size_t>(HwParam::MA_num_child)] = {2, 4, 128};
  EXPECT_EQ(input_error([&] { s.validate("f.yaml"); }),
            "f.yaml: hardware.choices: the largest choices give L1_num_child x MA_num_child = 1024 x 128 = 131072 "
            "memory arrays; at most 65536 are allowed");
  s.choices[static_cast<std::size_t>(HwParam::MA_num_child)] = {2, 4, 64};
  EXPECT_NO_THROW(s.validate());
}

}  // namespace
}  // namespace cimnet
