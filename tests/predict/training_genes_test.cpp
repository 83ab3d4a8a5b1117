// Training data of a hardware space with component genes (issue 17): the gene columns ("pe.rows") are
// read after the eight into each row's hardware genome, and a file without one is refused naming it.
#include <gtest/gtest.h>

#include <string>

#include "predict/training_data.hpp"
#include "tests/support/grid_genes.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

const std::string kHeader = "genome,DRAM_bw,L2_bw,L1_bw,L1_num_child,MA_bw,MA_num_child,MA_mem_size,MA_comp_per_core";
const std::string kEight = "max,64,256,128,8,64,8,256KiB,64";

TEST(TrainingGenes, TheGeneColumnsFollowTheEightInEachGenome) {
  const auto space = make_space("ofa-mbv3");
  const HardwareSpace hw = test::defaults_with_grid_genes();
  const CsvTable table = parse_csv(kHeader + ",pe.rows,pe.cols,cycles\n" + kEight + ",32,8,1000\n" + kEight +
                                       ",16,16,2000\n",
                                   "t.csv");
  TrainingColumns columns;
  columns.network = "genome";
  columns.target = "cycles";
  columns.hardware = true;
  const TrainingData data = read_training_table(table, *space, columns, &hw);
  ASSERT_EQ(data.hardware.size(), 2u);
  EXPECT_EQ(data.hardware[0], (HwGenome{2, 2, 2, 2, 2, 2, 2, 2, 2, 0}));
  EXPECT_EQ(data.hardware[1], hw.reference);
  const Encoder encoder(*space, EncodingSpec{true, false, {}}, &hw);
  const auto& names = encoder.feature_names();
  ASSERT_GE(names.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(names.end() - 6, names.end()),
            (std::vector<std::string>{"pe.rows=8", "pe.rows=16", "pe.rows=32", "pe.cols=8", "pe.cols=16", "pe.cols=32"}));
  const Eigen::RowVectorXd row = encoder.encode(data.genomes[0], &data.hardware[0]);
  EXPECT_EQ(row.tail(6), (Eigen::RowVectorXd(6) << 0, 0, 1, 1, 0, 0).finished());

  const CsvTable without = parse_csv(kHeader + ",pe.cols,cycles\n" + kEight + ",8,1000\n", "u.csv");
  const std::string e = test::input_error([&] { read_training_table(without, *space, columns, &hw); });
  EXPECT_NE(e.find("pe.rows"), std::string::npos) << e;
  const CsvTable off = parse_csv(kHeader + ",pe.rows,pe.cols,cycles\n" + kEight + ",12,8,1000\n", "v.csv");
  const std::string not_choice = test::input_error([&] { read_training_table(off, *space, columns, &hw); });
  EXPECT_NE(not_choice.find("v.csv:2"), std::string::npos) << not_choice;
  EXPECT_NE(not_choice.find("12 is not one of the hardware space's choices"), std::string::npos) << not_choice;
}

}  // namespace
}  // namespace cimnet
