// Component genes in a scenario (config/component_genes_section.hpp; issue 17): dotted keys of
// `hardware: choices:` make a digital core's size searched, in both forms of describing cores, and every
// way they can be wrong fails in one line naming the file, line, key and what is allowed.
#include <gtest/gtest.h>

#include <string>

#include "config/components_section.hpp"
#include "config/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

Scenario parse(const std::string& text) { return parse_scenario(text, "t.yaml"); }

// A 16 x 16 core "pe" (digital_cores form) and the given `choices:` lines.
std::string with_choices(const std::string& choices) {
  return "space:\n  name: ofa-mbv3\n"
         "hardware:\n"
         "  choices:\n" +
         choices +
         "  digital_cores:\n"
         "    - {name: pe, rows: 16, cols: 16, port: 16}\n";
}

TEST(ComponentGenesSection, DottedChoicesAreGenesAfterTheEight) {
  // The choices come before the cores in the file: the genes are read once the cores are.
  const Scenario s = parse(with_choices("    DRAM_bw: [32, 64]\n"
                                        "    pe.rows: [8, 16, 32]\n"
                                        "    pe.cols: [8, 16, 32]\n"
                                        "    pe.weight_buffer: [32KiB, 64KiB]\n"));
  const HardwareSpace& hw = s.hardware;
  ASSERT_EQ(hw.component_genes.size(), 3u);
  EXPECT_EQ(hw.gene_names().back(), "pe.weight_buffer");
  EXPECT_EQ(hw.component_genes[2].choices, (std::vector<std::int64_t>{32768, 65536}));
  EXPECT_EQ(hw.choices[0], (std::vector<std::int64_t>{32, 64}));
  // The reference is the core as described.
  EXPECT_EQ(hw.reference[8], 1);
  EXPECT_EQ(hw.reference[10], 1);
  EXPECT_EQ(hw.reference_config().digital_cores[0].rows, 16);
  EXPECT_DOUBLE_EQ(hw.size(), 2.0 * 16384 * 3 * 3 * 2);  // DRAM_bw 2, six more of 4, the genes 3 x 3 x 2
}

TEST(ComponentGenesSection, TheTemplateHasNoGenes) {
  const Scenario s = parse("space:\n  name: ofa-mbv3\n");
  EXPECT_TRUE(s.hardware.component_genes.empty());
  EXPECT_EQ(s.hardware.gene_names(), hw_param_names());
}

TEST(ComponentGenesSection, ABadGeneFailsAtItsLineNamingWhatIsAllowed) {
  EXPECT_EQ(input_error([] { parse(with_choices("    pu.rows: [8, 16]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pu.rows: no digital core is named 'pu' (did you mean 'pe'?); cores: pe");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.pipeline: [2, 4]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.pipeline: 'pipeline' is not a searchable field of digital core "
            "'pe'; searchable: rows, cols, weight_buffer, input_buffer, output_buffer, port");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.rows: [8, 32]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.rows: the core's own rows (16) is the reference design and must "
            "be one of the choices; allowed: a list that includes 16, got 8, 32");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.rows: [16, 100000]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.rows[1]: digital core 'pe': rows: expected a count in 1..65536, "
            "got 100000");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.cols: [16, 8]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.cols[1]: choices must be strictly ascending, but 8 follows 16");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.cols: [16, 16]\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.cols[1]: 16 is listed twice (a repeated choice would be sampled "
            "twice as often)");
  EXPECT_EQ(input_error([] { parse(with_choices("    pe.cols: []\n")); }),
            "t.yaml:5: scenario.hardware.choices.pe.cols: needs at least one choice");
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv3\nhardware:\n  choices:\n    pe.rows: [16]\n"); }),
            "t.yaml:5: scenario.hardware.choices.pe.rows: 'pe' is not a digital core: this design has none (a key "
            "'<core>.<field>' sizes one of hardware: digital_cores, or a component of kind digital_core); allowed: "
            "DRAM_bw, L2_bw, L1_bw, L1_num_child, MA_bw, MA_num_child, MA_mem_size, MA_comp_per_core");
  // The reference of a gene is the core's own value, not a reference key.
  const std::string reference = input_error([] {
    parse(with_choices("    pe.rows: [8, 16]\n") + "  reference:\n    pe.rows: 8\n");
  });
  EXPECT_EQ(reference.rfind("t.yaml:9: scenario.hardware.reference.pe.rows: a digital core's reference is its own value",
                            0),
            0u)
      << reference;
  // Under components: the port is the link's bandwidth.
  const std::string port = input_error([] {
    parse("space:\n  name: ofa-mbv3\nhardware:\n  choices:\n    pe.port: [8, 16]\n  components:\n"
          "    - {name: mem, kind: dram}\n    - {name: gb, kind: buffer}\n    - {name: simd, kind: vector_unit}\n"
          "    - {name: pe, kind: digital_core}\n  links:\n    - {from: mem, to: gb}\n    - {from: gb, to: simd}\n"
          "    - {from: gb, to: pe, bandwidth: 8}\n");
  });
  EXPECT_EQ(port, "t.yaml:5: scenario.hardware.choices.pe.port: a component's port is its link's bandwidth, not a gene "
                  "(give the link a bandwidth); searchable: rows, cols, weight_buffer, input_buffer, output_buffer");
}

// The printed description of a space (`cimnet hardware --format components`) writes the genes, so that
// reading it back gives the same space, genes included.
TEST(ComponentGenesSection, TheComponentsDescriptionKeepsTheGenes) {
  const Scenario s = load_scenario((test::source_dir() / "scenarios/experiments/ofa-mbv3-digital-grid.yaml").string());
  ASSERT_EQ(s.hardware.gene_names().size(), kHwParamCount + 2);
  const std::string described = components_yaml(s.hardware, "");
  EXPECT_NE(described.find("    pe.rows: [8, 16, 32]\n    pe.cols: [8, 16, 32]\n"), std::string::npos) << described;
  const Scenario back = parse("space:\n  name: ofa-mbv3\n" + described);
  EXPECT_EQ(back.hardware.gene_names(), s.hardware.gene_names());
  EXPECT_EQ(back.hardware.reference, s.hardware.reference);
  EXPECT_EQ(components_yaml(back.hardware, ""), described);
  HwGenome g = s.hardware.largest();
  EXPECT_EQ(back.hardware.config(g).digital_cores[0].pes(), 32 * 32);
}

}  // namespace
}  // namespace cimnet
