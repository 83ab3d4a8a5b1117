// Golden numbers: every case of golden_cases.hpp maps, estimates and simulates to exactly the ops,
// analytical cycles and SystemC cycles written in tests/mapping/golden/cycles.csv. One test per case
// (each its own process; the simulation runs in a forked child). A change of timing fails here until
// the file is rewritten on purpose (golden_write, docs/model.md "Golden numbers").
#include <gtest/gtest.h>

#include <map>

#include "tests/mapping/golden_cases.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using golden::Case;
using golden::Row;

class Golden : public ::testing::TestWithParam<Case> {};

const Row* find(const std::vector<Row>& rows, const Case& c) {
  for (const auto& r : rows) {
    if (r.c.network == c.network && r.c.hardware == c.hardware) return &r;
  }
  return nullptr;
}

TEST_P(Golden, CyclesAreExactlyTheGoldenOnes) {
  const auto rows = golden::read(test::source_dir() / golden::kFile);
  const Row* want = find(rows, GetParam());
  ASSERT_NE(want, nullptr) << GetParam().network << " on " << GetParam().hardware << " is not in " << golden::kFile
                           << ": run golden_write (docs/model.md, Golden numbers)";
  const Row got = golden::compute(GetParam(), test::source_dir());
  EXPECT_EQ(got.ops, want->ops) << golden::format(got);
  EXPECT_EQ(got.analytical_cycles, want->analytical_cycles) << golden::format(got);
  EXPECT_EQ(got.simulated_cycles, want->simulated_cycles) << golden::format(got);
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(golden::cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return golden::test_name(p.param); });

// The file holds exactly the cases, in order: none forgotten, none left over from a removed case.
TEST(GoldenFile, ListsEveryCaseOnce) {
  const auto rows = golden::read(test::source_dir() / golden::kFile);
  const auto cases = golden::cases();
  ASSERT_EQ(rows.size(), cases.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].c.network, cases[i].network) << "row " << i;
    EXPECT_EQ(rows[i].c.hardware, cases[i].hardware) << "row " << i;
  }
}

// The figures docs/mapping.md and docs/model.md publish for the largest sub-networks.
TEST(GoldenFile, HoldsThePublishedLargestNetworks) {
  const auto rows = golden::read(test::source_dir() / golden::kFile);
  const std::map<std::string, std::int64_t> published = {
      {"ofa-mbv3:max", 889338}, {"ofa-resnet50:max", 2976385}, {"vit-b16:max", 5705381}};
  for (const auto& [network, cycles] : published) {
    const Row* r = find(rows, {network, "reference"});
    ASSERT_NE(r, nullptr) << network;
    EXPECT_EQ(r->simulated_cycles, cycles) << network;
  }
}

}  // namespace
}  // namespace cimnet
