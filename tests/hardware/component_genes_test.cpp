// Component genes (hardware/component_genes.hpp; issue 17): a digital core's size as a gene of the
// hardware space, after the eight parameters. HardwareSpace::config is the one function that turns a
// genome into a configuration, genome_of its inverse; with no genes the space is the CiMNet template's.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "hardware/area_model.hpp"
#include "hardware/hardware.hpp"
#include "tests/support/grid_genes.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

TEST(ComponentGenes, WithoutGenesTheSpaceIsTheEightParameters) {
  const HardwareSpace s = HardwareSpace::defaults();
  EXPECT_EQ(s.gene_count(), kHwParamCount);
  EXPECT_EQ(s.gene_names(), hw_param_names());
  EXPECT_EQ(s.reference, (HwGenome{2, 2, 2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(s.smallest(), HwGenome(8, 0));
  EXPECT_EQ(s.largest(), HwGenome(8, 3));
  EXPECT_DOUBLE_EQ(s.size(), 65536.0);  // 4^8, as before the genes
  const HardwareConfig ref = s.reference_config();
  const auto values = s.gene_values(ref);
  EXPECT_EQ(values, std::vector<std::int64_t>(ref.values.begin(), ref.values.end()));
}

TEST(ComponentGenes, NamesFollowTheEightAndTheSpaceMultiplies) {
  const HardwareSpace s = test::defaults_with_grid_genes();
  EXPECT_EQ(s.gene_count(), kHwParamCount + 2);
  const auto names = s.gene_names();
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 8), hw_param_names());
  EXPECT_EQ(names[8], "pe.rows");
  EXPECT_EQ(names[9], "pe.cols");
  EXPECT_DOUBLE_EQ(s.size(), 65536.0 * 3 * 3);
  // The reference is the core as described: 16 is the second choice of each.
  EXPECT_EQ(s.reference[8], 1);
  EXPECT_EQ(s.reference[9], 1);
  EXPECT_EQ(s.gene_choices(9), (std::vector<std::int64_t>{8, 16, 32}));
  EXPECT_NO_THROW(s.validate());
}

TEST(ComponentGenes, ConfigAppliesTheValuesAndGenomeOfInvertsIt) {
  const HardwareSpace s = test::defaults_with_grid_genes();
  HwGenome g = s.reference;
  g[8] = 2;  // 32 rows
  g[9] = 0;  // 8 columns
  const HardwareConfig c = s.config(g);
  ASSERT_EQ(c.digital_cores.size(), 1u);
  EXPECT_EQ(c.digital_cores[0].rows, 32);
  EXPECT_EQ(c.digital_cores[0].cols, 8);
  // Nothing else of the core changes, and the space's own core stays the reference.
  EXPECT_EQ(c.digital_cores[0].weight_buffer_bytes, s.digital_cores[0].weight_buffer_bytes);
  EXPECT_EQ(s.digital_cores[0].rows, 16);
  EXPECT_EQ(s.genome_of(c), g);
  EXPECT_EQ(s.gene_values(c)[8], 32);
  EXPECT_EQ(s.genome_of_values(s.gene_values(c)), g);
  Rng rng(3);
  std::set<std::pair<int, int>> grids;
  for (int i = 0; i < 200; ++i) {
    const HwGenome r = s.sample(rng);
    ASSERT_EQ(r.size(), s.gene_count());
    EXPECT_EQ(s.genome_of(s.config(r)), r);
    grids.insert({r[8], r[9]});
  }
  EXPECT_EQ(grids.size(), 9u) << "sampling covers every grid";
  EXPECT_EQ(s.config(s.largest()).digital_cores[0].pes(), 32 * 32);
  EXPECT_EQ(s.config(s.smallest()).digital_cores[0].pes(), 8 * 8);
}

TEST(ComponentGenes, AGenomeOfTheWrongLengthIsAProgrammingError) {
  const HardwareSpace s = test::defaults_with_grid_genes();
  EXPECT_THROW(s.config(HardwareSpace::defaults().reference), std::logic_error);
  EXPECT_THROW(s.genome_of_values(std::vector<std::int64_t>(8, 1)), std::logic_error);
  HwGenome g = s.reference;
  g[9] = 3;
  EXPECT_EQ(input_error([&] { s.config(g); }), "hardware genome: pe.cols choice 3 out of range 0..2");
  HardwareConfig c = s.reference_config();
  c.digital_cores[0].rows = 12;
  EXPECT_EQ(input_error([&] { s.genome_of(c); }), "pe.rows = 12 is not one of the choices 8, 16, 32");
}

TEST(ComponentGenes, AGeneIsRefusedNamingWhatIsWrong) {
  HardwareSpace s = test::defaults_with_grid_genes();
  EXPECT_EQ(input_error([&] { s.add_component_gene({"pu", CoreField::Rows, {16}}); }),
            "no digital core is named 'pu'; cores: pe");
  EXPECT_EQ(input_error([&] { s.add_component_gene({"pe", CoreField::Port, {4, 32}}); }),
            "the core's own port (8) is the reference design and must be one of the choices; allowed: a list that "
            "includes 8, got 4, 32");
  EXPECT_EQ(input_error([&] { s.add_component_gene({"pe", CoreField::Rows, {16}}); }), "is given twice");
  EXPECT_EQ(input_error([&] { s.add_component_gene({"pe", CoreField::WeightBuffer, {65536, 1}}); }),
            "choices must be strictly ascending without repeats, got 65536, 1");
  EXPECT_EQ(input_error([&] { s.add_component_gene({"pe", CoreField::InputBuffer, {1, 65536}}); }),
            "digital core 'pe': input_buffer_bytes: expected bytes in 2..1099511627776, got 1");
  EXPECT_EQ(s.gene_count(), kHwParamCount + 2) << "a refused gene is not added";
  // validate() says which gene, for a space built by hand.
  s.component_genes[0].choices = {16, 100000};
  EXPECT_EQ(input_error([&] { s.validate("t"); }),
            "t: hardware.choices.pe.rows: digital core 'pe': rows: expected a count in 1..65536, got 100000");
}

// The area model counts the core's PEs: a larger grid costs more area, the rest equal.
TEST(ComponentGenes, ALargerGridCostsMoreArea) {
  const HardwareSpace s = test::defaults_with_grid_genes();
  const AreaModel model(s.reference_config());
  EXPECT_DOUBLE_EQ(model.area(s.reference_config()), 1.0);
  for (std::size_t gene : {std::size_t{8}, std::size_t{9}}) {
    for (int c = 0; c < 2; ++c) {
      HwGenome lo = s.reference, hi = s.reference;
      lo[gene] = c;
      hi[gene] = c + 1;
      EXPECT_LT(model.area(s.config(lo)), model.area(s.config(hi))) << s.gene_names()[gene];
    }
  }
}

TEST(ComponentGenes, HwOverridesSetACoresSize) {
  HardwareConfig c = test::defaults_with_grid_genes().reference_config();
  apply_hw_override(c, "pe.rows=32");
  apply_hw_override(c, "pe.weight_buffer=128KiB");
  EXPECT_EQ(c.digital_cores[0].rows, 32);
  EXPECT_EQ(c.digital_cores[0].weight_buffer_bytes, 128 * 1024);
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "pu.rows=8"); }), "--hw pu.rows: no digital core is named 'pu'; cores: pe");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "pe.pipeline=8"); }),
            "--hw pe.pipeline: 'pipeline' is not a size of a digital core; allowed: rows, cols, weight_buffer, "
            "input_buffer, output_buffer, port");
  EXPECT_EQ(input_error([&] { apply_hw_override(c, "pe.cols=0"); }), "--hw pe.cols must be positive, got 0");
}

}  // namespace
}  // namespace cimnet
