// Training files: format detection, the dataset preamble, status and space columns, ln() features.
#include "predict/data_layout.hpp"

#include <gtest/gtest.h>

#include "predict/training_data.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

// A dataset-format text of ofa-mbv3 sub-networks (no genes or hardware columns needed for the layout).
std::string dataset_text(const std::string& second_space = "ofa-mbv3") {
  return "# cimnet dataset v1 scenario=x space=ofa-mbv3 mode=arch seed=1 n=3 points=sampled shard=all\n"
         "# column cycles [cycles]: total cycles\n"
         "index,space,genome,macs,status,cycles,analytical_cycles\n"
         "0,ofa-mbv3,max,566170656,ok,1000,900\n"
         "1," + second_space + ",min,121278672,error,,\n"
         "2,ofa-mbv3,min,121278672,ok,400,380\n";
}

TEST(DataLayout, DetectsDatasetFilesWithTheirPreamble) {
  const CsvTable t = parse_csv(dataset_text(), "d.csv", CsvComments::leading);
  ASSERT_EQ(t.comments.size(), 2u);
  EXPECT_EQ(t.row_lines.front(), 4u);  // line numbers count the preamble
  const DataLayout l = detect_layout(t);
  EXPECT_EQ(l.format, DataFormat::dataset);
  EXPECT_EQ(l.network, "genome");
  EXPECT_EQ(l.status, "status");
  EXPECT_EQ(l.space_name, "ofa-mbv3");
  EXPECT_FALSE(l.hardware);
}

TEST(DataLayout, DetectsDynastFilesAndRejectsOthers) {
  const CsvTable d = parse_csv("Sub-network,MACs,Top-1 Acc (%)\nmax,1,76\n", "a.csv");
  EXPECT_EQ(detect_layout(d).format, DataFormat::dynast);
  EXPECT_EQ(target_column(d, "accuracy"), "Top-1 Acc (%)");
  EXPECT_EQ(canonical_target("accuracy"), "top1");
  EXPECT_EQ(canonical_target("cycles"), "cycles");
  const std::string e = input_error([&] { target_column(d, "cycles"); });
  EXPECT_NE(e.find("no column 'cycles'"), std::string::npos) << e;
  const CsvTable other = parse_csv("net,acc\nmax,1\n", "o.csv");
  const std::string msg = input_error([&] { detect_layout(other); });
  EXPECT_NE(msg.find("o.csv: not a training file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Sub-network"), std::string::npos) << msg;
}

TEST(DataLayout, SkipsRowsNotOkAndTakesLogsOfExtraColumns) {
  const auto space = make_space("ofa-mbv3");
  const CsvTable t = parse_csv(dataset_text(), "d.csv", CsvComments::leading);
  const DataLayout l = detect_layout(t);
  const TrainingColumns c = training_columns(t, l, parse_feature_list("log_macs,analytical"), "cycles");
  EXPECT_EQ(c.extra, (std::vector<std::string>{"ln(analytical_cycles)"}));
  const TrainingData data = read_training_table(t, *space, c);
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data.skipped, 1u);
  EXPECT_DOUBLE_EQ(data.extra(0, 0), std::log(900.0));
  EXPECT_EQ(data.target[1], 400.0);
  EXPECT_EQ(data.origin[1], "d.csv:6");
}

TEST(DataLayout, ARowOfAnotherSpaceIsAnError) {
  const auto space = make_space("ofa-mbv3");
  // The status check comes first: a failed row of another space is skipped, an ok one is an error.
  std::string text = dataset_text();
  text += "3,vit-b16,max,1,ok,5,5\n";
  const CsvTable t = parse_csv(text, "d.csv", CsvComments::leading);
  const TrainingColumns c = training_columns(t, detect_layout(t), EncodingSpec{}, "cycles");
  const std::string e = input_error([&] { read_training_table(t, *space, c); });
  EXPECT_EQ(e, "d.csv:7: column 'space': the point is of space 'vit-b16', not 'ofa-mbv3'");
}

TEST(DataLayout, FeatureListsAndTheirErrors) {
  const EncodingSpec s = parse_feature_list("hardware, log_macs,ln(params),macs");
  EXPECT_TRUE(s.hardware);
  EXPECT_TRUE(s.log_macs);
  EXPECT_EQ(s.extra, (std::vector<std::string>{"ln(params)", "macs"}));
  const EncodingSpec none = parse_feature_list("none");
  EXPECT_FALSE(none.hardware || none.log_macs || !none.extra.empty());
  EXPECT_NE(input_error([] { parse_feature_list("none,log_macs"); }).find("cannot be combined"), std::string::npos);
  EXPECT_NE(input_error([] { parse_feature_list("log_macs,,x"); }).find("empty feature"), std::string::npos);
  EXPECT_NE(input_error([] { parse_feature_list("x,x"); }).find("twice"), std::string::npos);
  bool log = false;
  EXPECT_EQ(extra_source_column("ln(analytical_cycles)", &log), "analytical_cycles");
  EXPECT_TRUE(log);
  EXPECT_EQ(extra_source_column("macs", &log), "macs");
  EXPECT_FALSE(log);
}

TEST(DataLayout, HardwareFeaturesNeedHardwareColumns) {
  const CsvTable t = parse_csv(dataset_text(), "d.csv", CsvComments::leading);
  const std::string e =
      input_error([&] { training_columns(t, detect_layout(t), parse_feature_list("hardware"), "cycles"); });
  EXPECT_NE(e.find("missing: DRAM_bw, L2_bw"), std::string::npos) << e;
}

TEST(DataLayout, LogOfANonPositiveColumnIsAnError) {
  const auto space = make_space("ofa-mbv3");
  const CsvTable t = parse_csv("genome,cycles,analytical_cycles\nmax,5,0\n", "z.csv");
  const TrainingColumns c = training_columns(t, detect_layout(t), parse_feature_list("analytical"), "cycles");
  const std::string e = input_error([&] { read_training_table(t, *space, c); });
  EXPECT_NE(e.find("z.csv:2: column 'analytical_cycles': 0 has no logarithm"), std::string::npos) << e;
}

}  // namespace
}  // namespace cimnet
