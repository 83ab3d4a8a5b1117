// Every scenario shipped under scenarios/, at any depth (the experiment scenarios behind the published
// results included), loads through the strict reader and describes something that can run: its
// hardware space and reference design validate, its space builds the reference sub-network and the
// extremes of the space, and every hardware extreme validates. Nothing is skipped: a scenario that
// cannot be checked fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(test::source_dir() / "scenarios")) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void check_scenario(const fs::path& file) {
  SCOPED_TRACE(file.string());
  const Scenario s = load_scenario(file.string());
  EXPECT_EQ(s.name, file.stem().string());
  EXPECT_FALSE(s.description.empty());
  EXPECT_NO_THROW(s.hardware.validate("scenario"));
  for (const HwGenome& g : {s.hardware.reference, s.hardware.smallest(), s.hardware.largest()}) {
    EXPECT_NO_THROW(s.hardware.config(g).validate("scenario"));
  }
  const auto space = make_space(s.space, s.space_options);
  const Genome reference = space->canonical(space->parse(s.search.reference_network));
  for (const Genome& g : {reference, space->smallest(), space->largest()}) {
    const Network net = space->build(g);
    EXPECT_NO_THROW(net.validate()) << space->format(g);
    EXPECT_GT(net.total_macs(), 0) << space->format(g);
  }
  EXPECT_GE(s.search.budget, s.search.initial);
}

TEST(AllScenarios, EveryShippedScenarioAtAnyDepthLoadsAndValidates) {
  const auto files = shipped_scenarios();
  std::set<std::string> folders;
  for (const auto& f : files) {
    check_scenario(f);
    folders.insert(fs::relative(f.parent_path(), test::source_dir()).string());
  }
  // The four top-level scenarios and the six experiments of docs/search.md, at least.
  EXPECT_GE(files.size(), 10u);
  EXPECT_EQ(folders, (std::set<std::string>{"scenarios", "scenarios/experiments"}));
}

// The experiment scenarios are the ones the published results come from: name each so that a
// renamed or deleted one fails here rather than leaving the results unbacked.
TEST(AllScenarios, TheExperimentScenariosArePresent) {
  for (const char* name : {"ofa-mbv3-arch", "ofa-mbv3-joint", "ofa-resnet50-arch", "ofa-resnet50-joint",
                           "vit-b16-arch", "vit-b16-joint", "ofa-mbv3-energy"}) {
    const fs::path file = test::source_dir() / "scenarios" / "experiments" / (std::string(name) + ".yaml");
    EXPECT_TRUE(fs::exists(file)) << file;
  }
}

}  // namespace
}  // namespace cimnet
