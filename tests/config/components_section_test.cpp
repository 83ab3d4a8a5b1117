// Scenario keys `hardware: components:` and `links:` (config/components_section.hpp; issue 17): a
// design written as components is the design the role-named keys describe, every shipped scenario
// comes back from its own description unchanged, and each way a description can be wrong fails naming
// the file, the line and the component or link.
#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "config/components_section.hpp"
#include "config/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

Scenario parse(const std::string& text) { return parse_scenario(text, "t.yaml"); }

// A scenario whose hardware is `hardware` (a whole `hardware:` section).
std::string scenario_with(const std::string& hardware) { return "space:\n  name: ofa-mbv3\n" + hardware; }

const std::string kDianaByRoles =  // scenarios/experiments/diana-like.yaml before it was written as components
    "hardware:\n"
    "  cim_arrays: false\n"
    "  choices: {DRAM_bw: [16], L2_bw: [64]}\n"
    "  fixed: {gb_bytes: 262144, gb_bw: 64, vector_lanes: 64}\n"
    "  digital_cores:\n"
    "    - {name: aimc, rows: 1152, cols: 512, unrolling: [[C, R, S], K], precisions: [7], weight_precisions: [2],\n"
    "       weight_slots: 1, weight_buffer: 144KiB, input_buffer: 64KiB, output_buffer: 64KiB,\n"
    "       accumulator_bits: 16, port: 8, link_latency: 2, pipeline: 6, step_cycles: 8}\n"
    "    - {name: digital, rows: 16, cols: 16, unrolling: [K, Q], precisions: [2, 4, 8], weight_buffer: 64KiB,\n"
    "       input_buffer: 64KiB, output_buffer: 64KiB, accumulator_bits: 32, port: 8, link_latency: 2, pipeline: 4}\n";

const std::string kMinimal =
    "hardware:\n"
    "  components:\n"
    "    - {name: mem, kind: dram}\n"
    "    - {name: gb, kind: buffer}\n"
    "    - {name: simd, kind: vector_unit}\n"
    "    - {name: pe, kind: digital_core}\n"
    "  links:\n"
    "    - {from: mem, to: gb}\n"
    "    - {from: gb, to: simd}\n";

TEST(ComponentsSection, TheShippedDianaLikeDesignIsTheOneTheRoleNamedKeysDescribe) {
  const Scenario shipped = load_scenario((test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
  const Scenario by_roles = parse(scenario_with(kDianaByRoles));
  // The description prints every choice, fixed parameter and core property: equal text, equal designs.
  EXPECT_EQ(components_yaml(shipped.hardware, ""), components_yaml(by_roles.hardware, ""));
  EXPECT_FALSE(shipped.hardware.cim_arrays);
  ASSERT_EQ(shipped.hardware.digital_cores.size(), 2U);
  EXPECT_EQ(shipped.hardware.digital_cores[0].name, "aimc");
  EXPECT_EQ(shipped.hardware.digital_cores[0].port_bytes_per_cycle, 8);
  EXPECT_EQ(shipped.hardware.reference_config().summary(), by_roles.hardware.reference_config().summary());
}

TEST(ComponentsSection, EveryShippedScenarioComesBackFromItsOwnDescription) {
  for (const char* file : {"scenarios/default.yaml", "scenarios/experiments/ofa-mbv3-heterogeneous.yaml",
                           "scenarios/experiments/ofa-mbv3-digital-grid.yaml",
                           "scenarios/experiments/diana-like.yaml", "scenarios/vit-b16.yaml"}) {
    const Scenario s = load_scenario((test::source_dir() / file).string());
    const std::string described = components_yaml(s.hardware, "described");
    const Scenario back = parse(scenario_with(described));
    EXPECT_EQ(components_yaml(back.hardware, "described"), described) << file;
    EXPECT_EQ(back.hardware.reference_config().summary(), s.hardware.reference_config().summary()) << file;
  }
}

TEST(ComponentsSection, NamesThatPlainYamlWouldMisreadAreQuoted) {
  HardwareSpace space = HardwareSpace::defaults();
  for (const char* name : {"pe: 1, {x}", "null", "- \"quoted\\"}) {
    DigitalCore core;
    core.name = name;
    space.digital_cores.push_back(core);
  }
  const std::string described = components_yaml(space, "");
  const Scenario back = parse(scenario_with(described));
  ASSERT_EQ(back.hardware.digital_cores.size(), 3U);
  EXPECT_EQ(back.hardware.digital_cores[0].name, "pe: 1, {x}");
  EXPECT_EQ(back.hardware.digital_cores[1].name, "null");
  EXPECT_EQ(back.hardware.digital_cores[2].name, "- \"quoted\\");
  EXPECT_EQ(components_yaml(back.hardware, ""), described);
}

TEST(ComponentsSection, ADanglingLinkFailsAtItsLineNamingWhatItMisses) {
  EXPECT_EQ(input_error([] { parse(scenario_with(kMinimal + "    - {from: gb, to: pe}\n    - {from: gb, to: aimc}\n")); }),
            "t.yaml:13: link from 'gb' to 'aimc' is dangling: no component is named 'aimc' (did you mean 'simd'?) "
            "(components: mem, gb, simd, pe)");
}

TEST(ComponentsSection, ACoreWithoutAPathToDramFailsAtItsLine) {
  EXPECT_EQ(input_error([] { parse(scenario_with(kMinimal)); }),
            "t.yaml:8: digital core 'pe' has no path to DRAM 'mem': no link reaches it (links: - {from: PARENT, to: "
            "pe})");
}

TEST(ComponentsSection, EveryOtherMistakeNamesTheFileLineAndKey) {
  const std::string ok = kMinimal + "    - {from: gb, to: pe, bandwidth: 16}\n";
  EXPECT_EQ(parse(scenario_with(ok)).hardware.digital_cores.at(0).port_bytes_per_cycle, 16);
  const auto error_of = [&](const std::string& text) { return input_error([&] { parse(scenario_with(text)); }); };
  // An unknown kind, a key the kind does not take, a core's port given on the core.
  std::string text = ok;
  text.replace(text.find("kind: vector_unit"), 17, "kind: vector");
  EXPECT_EQ(error_of(text), "t.yaml:7: scenario.hardware.components[2].kind: unknown value 'vector' (did you mean "
                            "'vector_unit'?); allowed: dram, buffer, vector_unit, cim_arrays, digital_core");
  text = ok;
  text.replace(text.find("kind: buffer}"), 13, "kind: buffer, lanes: 4}");
  EXPECT_NE(error_of(text).find("t.yaml:6: unknown key 'lanes' in 'scenario.hardware.components[1]'; allowed: name, kind, capacity"), std::string::npos)
      << error_of(text);
  text = ok;
  text.replace(text.find("kind: digital_core}"), 19, "kind: digital_core, port: 16}");
  EXPECT_EQ(error_of(text), "t.yaml:8: scenario.hardware.components[3].port: a component's port is its link's "
                            "`bandwidth` (links: - {from: BUFFER, to: NAME, bandwidth: B, latency: L})");
  // Keys the components make redundant, and keys given in two places.
  EXPECT_EQ(error_of(ok + "  cim_arrays: true\n"),
            "t.yaml:13: scenario.hardware.cim_arrays: with hardware: components, describe the CiM arrays as a "
            "component (kind: cim_arrays), or leave it out for none");
  EXPECT_NE(error_of(ok + "  digital_cores:\n    - {name: x}\n").find("describe each digital core as a component"),
            std::string::npos);
  text = ok;
  text.replace(text.find("{from: mem, to: gb}"), 19, "{from: mem, to: gb, bandwidth: 32}");
  EXPECT_EQ(error_of(text + "  choices: {DRAM_bw: [16, 32]}\n"),
            "t.yaml:13: scenario.hardware.choices.DRAM_bw: is set by the components (the DRAM link's bandwidth); "
            "give it in one place");
  text = ok;
  text.replace(text.find("kind: buffer}"), 13, "kind: buffer, capacity: 512KiB}");
  EXPECT_EQ(error_of(text + "  fixed: {gb_bytes: 1024}\n"),
            "t.yaml:13: scenario.hardware.fixed.gb_bytes: is set by the components (a component's property); give "
            "it in one place");
  EXPECT_EQ(parse(scenario_with(text)).hardware.fixed.gb_bytes, 512 * 1024);
  // Links without components; components without links.
  EXPECT_EQ(error_of("hardware:\n  links: []\n"),
            "t.yaml:4: scenario.hardware.links: links join components: describe them under hardware: components too");
  EXPECT_EQ(error_of("hardware:\n  components:\n    - {name: mem, kind: dram}\n"),
            "t.yaml:5: scenario.hardware.components: needs hardware: links too (each {from: PARENT, to: CHILD}; at "
            "least dram -> buffer)");
}

}  // namespace
}  // namespace cimnet
