#include "predict/encoding.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "predict/training_data.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

// Depth 2 in the first stage: blocks 2 and 3 of stage 0 (genes 2, 3 of ks and e) are inactive.
const char* const kNet =
    "ks=3-5-7-7-5-5-5-5-3-3-3-3-7-7-7-7-5-5-5-5:e=3-4-6-6-4-4-4-4-3-3-3-3-6-6-6-6-4-4-4-4:d=2-4-4-4-4";

TEST(Encoding, FeatureCountIsTheSumOfChoicesOfMultiChoiceGroups) {
  const auto space = make_space("ofa-mbv3");
  // ks and e: 20 genes × 3 choices; d: 5 × 3; r (224 only) contributes nothing.
  EXPECT_EQ(Encoder(*space, {}).feature_count(), 135u);
  const HardwareSpace hw = HardwareSpace::defaults();
  EXPECT_EQ(Encoder(*space, EncodingSpec{true, false, {}}, &hw).feature_count(), 135u + 8 * 4);
  const Encoder full(*space, EncodingSpec{true, true, {"est_cycles"}}, &hw);
  ASSERT_EQ(full.feature_count(), 135u + 32 + 2);
  EXPECT_EQ(full.feature_names()[0], "ks0=3");
  EXPECT_EQ(full.feature_names()[134], "d4=4");
  EXPECT_EQ(full.feature_names()[135], "DRAM_bw=" + std::to_string(hw.choices[0][0]));
  EXPECT_EQ(full.feature_names()[167], "log_macs");
  EXPECT_EQ(full.feature_names()[168], "est_cycles");
  // Two resolutions make r a multi-choice group.
  SpaceOptions two;
  two.resolutions = {192, 224};
  EXPECT_EQ(Encoder(*make_space("ofa-mbv3", two), {}).feature_count(), 137u);
  EXPECT_NE(test::input_error([&] { Encoder(*space, EncodingSpec{true, false, {}}); }).find("no hardware space"),
            std::string::npos);
}

TEST(Encoding, InactiveGenesAreMasked) {
  const auto space = make_space("ofa-mbv3");
  const Encoder encoder(*space, {});
  const Genome a = space->parse(kNet);
  Genome b = a;
  b[2] = 0;        // ks of block 2 in stage 0: inactive at depth 2
  b[20 + 3] = 2;   // e of block 3 in stage 0: inactive
  ASSERT_NE(a, b);
  ASSERT_TRUE(space->equivalent(a, b));
  const Eigen::RowVectorXd ea = encoder.encode(a);
  EXPECT_EQ(ea, encoder.encode(b));
  // The masked genes' columns are all zero; an active gene has exactly one 1.
  EXPECT_EQ(ea.segment(2 * 3, 2 * 3).sum(), 0.0);
  EXPECT_EQ(ea.segment(0, 3).sum(), 1.0);
  EXPECT_EQ(ea.sum(), 2.0 * (2 + 4 * 4) + 5);  // 18 active blocks × (ks, e) + 5 depths

  Genome c = a;
  c[1] = (c[1] + 1) % 3;  // ks of block 1 in stage 0: active
  EXPECT_NE(ea, encoder.encode(c));

  // DyNAS-T's plain one-hot (the dynast baseline): every gene keeps its 1, so two encodings of one
  // network differ in the inactive genes' columns.
  EncodingSpec plain;
  plain.mask_inactive = false;
  const Encoder unmasked(*space, plain);
  const Eigen::RowVectorXd ua = unmasked.encode(a);
  EXPECT_EQ(ua.sum(), 2.0 * 20 + 5);  // all 20 blocks × (ks, e) + 5 depths
  EXPECT_EQ(ua.segment(2 * 3, 2 * 3).sum(), 2.0);
  EXPECT_NE(ua, unmasked.encode(b));
}

TEST(Encoding, HardwareAndNumericColumns) {
  const auto space = make_space("ofa-mbv3");
  const HardwareSpace hw = HardwareSpace::defaults();
  const Encoder encoder(*space, EncodingSpec{true, true, {"x"}}, &hw);
  const Genome g = space->parse(kNet);
  HwGenome h(kHwParamCount, 1);
  h[7] = 3;
  const Eigen::RowVectorXd row = encoder.encode(g, &h, {42.0});
  for (std::size_t p = 0; p < kHwParamCount; ++p) {
    const auto block = row.segment(static_cast<Eigen::Index>(135 + 4 * p), 4);
    EXPECT_EQ(block.sum(), 1.0);
    EXPECT_EQ(block[h[p]], 1.0);
  }
  EXPECT_DOUBLE_EQ(row[167], std::log(static_cast<double>(space->build(g).total_macs())));
  EXPECT_EQ(row[168], 42.0);
  // The batch form gives the same rows.
  Eigen::MatrixXd extra(2, 1);
  extra << 42.0, 1.0;
  const Eigen::MatrixXd batch = encoder.encode({g, space->smallest()}, {h, hw.reference}, extra);
  EXPECT_EQ(Eigen::RowVectorXd(batch.row(0)), row);
}

TEST(Encoding, TrainingDataDeduplicatesByCanonicalGenome) {
  const auto space = make_space("ofa-mbv3");
  const auto dir = test::scratch_dir("cimnet_predict_encoding_test");
  const std::string path = (dir / "train.csv").string();
  {
    std::ofstream f(path);
    Genome b = space->parse(kNet);
    b[2] = 0;  // an alias of kNet
    f << "Sub-network,acc\n\"" << space->to_dynast_dict(space->parse(kNet)) << "\",70\n"
      << "\"" << space->format(b) << "\",71\nmin,60\n";
  }
  TrainingColumns columns;
  columns.target = "acc";
  const TrainingData data = read_training_data(path, *space, columns);
  ASSERT_EQ(data.size(), 3u);
  const TrainingData unique = deduplicate(data);
  ASSERT_EQ(unique.size(), 2u);
  EXPECT_DOUBLE_EQ(unique.target[0], 70.5);
  EXPECT_DOUBLE_EQ(unique.target[1], 60.0);
  EXPECT_EQ(unique.origin[1], path + ":4");
}

TEST(Encoding, BadTrainingCsvsNameFileAndLine) {
  const auto space = make_space("ofa-mbv3");
  const auto dir = test::scratch_dir("cimnet_predict_encoding_test");
  const auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  };
  TrainingColumns columns;
  columns.target = "acc";
  const std::string no_target = write("no_target.csv", "Sub-network,top1\nmin,1\n");
  EXPECT_NE(test::input_error([&] { read_training_data(no_target, *space, columns); })
                .find(no_target + ": no column 'acc'"),
            std::string::npos);
  const std::string bad_net = write("bad_net.csv", "Sub-network,acc\nmin,1\nks=9,2\n");
  EXPECT_NE(test::input_error([&] { read_training_data(bad_net, *space, columns); })
                .find(bad_net + ":3: column 'Sub-network': "),
            std::string::npos);
  const std::string bad_value = write("bad_value.csv", "Sub-network,acc\nmin,1\nmax,high\n");
  EXPECT_EQ(test::input_error([&] { read_training_data(bad_value, *space, columns); }),
            bad_value + ":3: column 'acc': 'high' is not a finite number");
  // A ResNet-50 sub-network in a MobileNetV3 file: the wrong space.
  const auto resnet = make_space("ofa-resnet50");
  const std::string wrong_space = write("wrong_space.csv", "Sub-network,acc\n\"" + resnet->format(resnet->largest()) + "\",1\n");
  EXPECT_NE(test::input_error([&] { read_training_data(wrong_space, *space, columns); }).find(wrong_space + ":2:"),
            std::string::npos);
}

}  // namespace
}  // namespace cimnet
