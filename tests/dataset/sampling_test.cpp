// Point lists: uniform, duplicate-free, deterministic for a seed, the same whatever the shard.
#include <gtest/gtest.h>

#include <set>

#include "config/scenario.hpp"
#include "dataset/point_list.hpp"
#include "dataset/shard.hpp"
#include "tests/dataset/driver_runner.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::dataset {
namespace {

struct Fixture {
  Scenario scenario = default_scenario();
  std::unique_ptr<SearchSpace> space = make_space(scenario.space, scenario.space_options);
};

TEST(DatasetSampling, NoDuplicatesAndDeterministic) {
  Fixture f;
  for (Mode mode : {Mode::Joint, Mode::Arch, Mode::Hw}) {
    const auto a = sample_points(*f.space, f.scenario.hardware, mode, 300, 7);
    const auto b = sample_points(*f.space, f.scenario.hardware, mode, 300, 7);
    const auto c = sample_points(*f.space, f.scenario.hardware, mode, 300, 8);
    ASSERT_EQ(a.points.size(), 300u);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < a.points.size(); ++i) {
      keys.insert(point_key(*f.space, f.scenario.hardware, a.points[i]));
      EXPECT_EQ(a.points[i].genome, b.points[i].genome);
      EXPECT_EQ(a.points[i].hw, b.points[i].hw);
      EXPECT_EQ(a.points[i].genome, f.space->canonical(a.points[i].genome));
    }
    EXPECT_EQ(keys.size(), 300u) << to_string(mode);
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.points.size(); ++i) same += a.points[i].genome == c.points[i].genome && a.points[i].hw == c.points[i].hw;
    EXPECT_LT(same, 300u) << "another seed gives another list";
  }
}

TEST(DatasetSampling, ModesFixWhatTheyShould) {
  Fixture f;
  const auto arch = sample_points(*f.space, f.scenario.hardware, Mode::Arch, 50, 1);
  const auto hw = sample_points(*f.space, f.scenario.hardware, Mode::Hw, 50, 1);
  std::set<Genome> genomes;
  for (const auto& p : arch.points) {
    EXPECT_EQ(p.hw, f.scenario.hardware.reference);
    genomes.insert(p.genome);
  }
  EXPECT_EQ(genomes.size(), 50u);
  std::set<HwGenome> hws;
  for (const auto& p : hw.points) {
    EXPECT_EQ(p.genome, f.space->canonical(f.space->largest()));
    hws.insert(p.hw);
  }
  EXPECT_EQ(hws.size(), 50u);
}

TEST(DatasetSampling, ShorterListIsAPrefix) {
  Fixture f;
  const auto small = sample_points(*f.space, f.scenario.hardware, Mode::Joint, 20, 3);
  const auto large = sample_points(*f.space, f.scenario.hardware, Mode::Joint, 60, 3);
  for (std::size_t i = 0; i < small.points.size(); ++i) EXPECT_EQ(small.points[i].genome, large.points[i].genome);
}

TEST(DatasetSampling, BadCountsAndExhaustedSpace) {
  Fixture f;
  EXPECT_NE(test::input_error([&] { sample_points(*f.space, f.scenario.hardware, Mode::Joint, 0, 1); }).find("positive"),
            std::string::npos);
  EXPECT_NE(test::input_error([&] { sample_points(*f.space, f.scenario.hardware, Mode::Joint, -3, 1); }).find("positive"),
            std::string::npos);
  // 4^8 hardware configurations in mode hw.
  EXPECT_NE(test::input_error([&] { sample_points(*f.space, f.scenario.hardware, Mode::Hw, 70000, 1); }).find("exceeds"),
            std::string::npos);
}

TEST(DatasetShard, SlicesPartitionTheList) {
  for (std::size_t k = 1; k <= 5; ++k) {
    std::vector<int> owners(23, 0);
    for (std::size_t s = 0; s < k; ++s) {
      const Shard shard{s, k};
      for (std::size_t i = 0; i < owners.size(); ++i) owners[i] += shard.contains(i);
    }
    for (int o : owners) EXPECT_EQ(o, 1);
  }
  EXPECT_EQ(parse_shard("1/3").index, 1u);
  EXPECT_EQ(parse_shard("1/3").count, 3u);
  EXPECT_TRUE(parse_shard("all").whole());
  for (const char* bad : {"3/3", "-1/2", "1", "a/b", "1/0", "1/2/3", ""}) {
    EXPECT_NE(test::input_error([&] { parse_shard(bad); }).find("--shard"), std::string::npos) << bad;
  }
}

TEST(DatasetPointsFile, ReadsGenomesAndHardware) {
  Fixture f;
  const auto dir = test::temp_dir("points_ok");
  const std::string path = dir / "points.csv";
  std::ofstream(path) << "genome,DRAM_bw,MA_mem_size\nmax,16,64KiB\nmin,128,512KiB\nmin,16,64KiB\n";
  const auto list = read_points_file(path, *f.space, f.scenario.hardware);
  ASSERT_EQ(list.points.size(), 3u);
  EXPECT_EQ(list.mode, Mode::Points);
  EXPECT_EQ(list.points[0].genome, f.space->canonical(f.space->largest()));
  EXPECT_EQ(f.scenario.hardware.config(list.points[0].hw).get(HwParam::DRAM_bw), 16);
  EXPECT_EQ(f.scenario.hardware.config(list.points[0].hw).get(HwParam::MA_mem_size), 65536);
  EXPECT_EQ(list.points[0].hw[static_cast<std::size_t>(HwParam::L2_bw)],
            f.scenario.hardware.reference[static_cast<std::size_t>(HwParam::L2_bw)]);
  EXPECT_EQ(list.source.rfind("file:", 0), 0u);
}

TEST(DatasetPointsFile, MalformedFilesAreErrors) {
  Fixture f;
  const auto dir = test::temp_dir("points_bad");
  const auto check = [&](const std::string& text, const std::string& expected) {
    const std::string path = dir / "p.csv";
    std::ofstream(path) << text;
    const std::string e = test::input_error([&] { read_points_file(path, *f.space, f.scenario.hardware); });
    EXPECT_NE(e.find(expected), std::string::npos) << e;
  };
  check("genome\nmax\nmax\n", "duplicate point");
  check("genome\nks=9\n", "p.csv:2");
  check("genome,DRAM_BW\nmax,16\n", "did you mean 'DRAM_bw'");
  check("genome,DRAM_bw\nmax,17\n", "not one of the choices");
  check("genome,DRAM_bw\nmax\n", "fields");
  check("DRAM_bw\n16\n", "'genome' column");
  check("genome\n", "no points");
}

}  // namespace
}  // namespace cimnet::dataset

namespace cimnet::dataset {
namespace {

// Issue 12: building a list of millions of points was silent for minutes. The builder reports its
// progress after every kListProgressStep points and at the end (the command prints it on stderr).
TEST(DatasetSampling, ALargeListReportsItsProgress) {
  const auto space = make_space("ofa-mbv3");
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  const PointList list = sample_points(*space, HardwareSpace::defaults(), Mode::Joint, 70000, 1,
                                       [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  EXPECT_EQ(list.points.size(), 70000u);
  EXPECT_EQ(calls, (std::vector<std::pair<std::size_t, std::size_t>>{{65536, 70000}, {70000, 70000}}));
  // The same points as without a progress report.
  EXPECT_EQ(point_key(*space, HardwareSpace::defaults(), list.points.back()),
            point_key(*space, HardwareSpace::defaults(),
                      sample_points(*space, HardwareSpace::defaults(), Mode::Joint, 70000, 1).points.back()));
}

}  // namespace
}  // namespace cimnet::dataset
