// Measured-accuracy tables: exact lookup by canonical sub-network, clear errors for a miss.
#include "accuracy/table_source.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

namespace fs = std::filesystem;

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path dir = test::scratch_dir("cimnet_accuracy_table_test");
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Fixture {
  std::unique_ptr<SearchSpace> space = make_space("ofa-mbv3");
  Genome max = space->largest();
  Genome min = space->smallest();
};

TEST(AccuracyTable, LooksUpDynastRowsAndAveragesRepeats) {
  Fixture f;
  const std::string path = write_file(
      "dynast.csv", "Sub-network,MACs,Top-1 Acc (%)\n\"" + f.space->to_dynast_dict(f.max) + "\",1,79.0\n\"" +
                        f.space->to_dynast_dict(f.max) + "\",1,79.2\n" + f.space->format(f.min) + ",1,71.5\n");
  TableAccuracySource table(*f.space, path);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_FALSE(table.is_proxy());
  EXPECT_NE(table.label().find("dynast.csv"), std::string::npos);
  const auto v = table.top1({f.min, f.max});
  EXPECT_DOUBLE_EQ(v[0], 71.5);
  EXPECT_DOUBLE_EQ(v[1], 79.1);
  // An alias of the smallest network (a kernel changed in a skipped block) is the same network.
  Genome alias = f.min;
  const auto active = f.space->active_genes(alias);
  const auto inactive = std::find(active.begin(), active.end(), false) - active.begin();
  ASSERT_LT(static_cast<std::size_t>(inactive), active.size());
  alias[static_cast<std::size_t>(inactive)] = 2;
  EXPECT_DOUBLE_EQ(table.top1(alias), 71.5);
}

TEST(AccuracyTable, AMissingPointNamesTheSubNetworkAndTheFile) {
  Fixture f;
  const std::string path = write_file("one.csv", "genome,top1\n" + f.space->format(f.max) + ",79\n");
  TableAccuracySource table(*f.space, path);
  Rng rng(5);
  const Genome other = f.space->sample(rng);
  const std::string e = test::input_error([&] { table.top1(other); });
  EXPECT_NE(e.find(path), std::string::npos) << e;
  EXPECT_NE(e.find("no entry for sub-network " + f.space->format(other)), std::string::npos) << e;
}

TEST(AccuracyTable, BadTablesAreClearErrors) {
  Fixture f;
  const std::string no_acc = write_file("noacc.csv", "genome,cycles\nmax,5\n");
  EXPECT_NE(test::input_error([&] { TableAccuracySource t(*f.space, no_acc); }).find("no accuracy column"),
            std::string::npos);
  const std::string other_space = write_file("vit.csv", "space,genome,top1\nvit-b16,max,81\n");
  EXPECT_NE(test::input_error([&] { TableAccuracySource t(*f.space, other_space); }).find("of space 'vit-b16'"),
            std::string::npos);
  const std::string bad_arch = write_file("bad.csv", "genome,top1\nks=9,70\n");
  EXPECT_NE(test::input_error([&] { TableAccuracySource t(*f.space, bad_arch); }).find("bad.csv:2: column 'genome'"),
            std::string::npos);
}

}  // namespace
}  // namespace cimnet
