// cimnet search and cimnet run as a user meets them: bad method specs are refused with one line and
// exit 2 before any work.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(SearchCli, MethodSpecsAreCheckedNamingTheAllowedSettings) {
  const Result setting = run("search --method linas:rerenk=0 --out /nonexistent/never-created");
  EXPECT_EQ(setting.status, 2);
  EXPECT_TRUE(contains(setting.err, "--method: method 'linas:rerenk=0': unknown setting 'rerenk'")) << setting.err;
  EXPECT_TRUE(contains(setting.err, "allowed for linas: initial, batch, population, generations, rerank")) << setting.err;
  EXPECT_EQ(lines(setting.err), 1u) << setting.err;
  const Result method = run("search --method all,linsa:rerank=0 --out /nonexistent/never-created");
  EXPECT_EQ(method.status, 2);
  EXPECT_TRUE(contains(method.err, "did you mean 'linas'")) << method.err;
  EXPECT_TRUE(contains(method.err, "linas, nsga2, random, dynast, all")) << method.err;
  const Result twice = run("search --method all,linas --out /nonexistent/never-created");
  EXPECT_EQ(twice.status, 2);
  EXPECT_TRUE(contains(twice.err, "listed twice")) << twice.err;
  EXPECT_EQ(lines(twice.err), 1u) << twice.err;

  // In a scenario: the file and the key are named.
  const auto dir = cimnet::test::scratch_dir("search-cli-methods");
  const std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nsearch:\n  methods: [linas, \"nsga2:rerank=0\"]\n";
  const Result in_file = run("search --scenario " + scenario + " --out " + (dir / "run").string());
  EXPECT_EQ(in_file.status, 2);
  EXPECT_TRUE(contains(in_file.err, scenario + ": search.methods: method 'nsga2:rerank=0': unknown setting 'rerank'; "
                                    "allowed for nsga2: initial, batch")) << in_file.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "run")) << "refused before the run folder is made";
  std::filesystem::remove_all(dir);
}

}  // namespace
