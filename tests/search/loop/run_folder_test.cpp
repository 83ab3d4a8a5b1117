// The run folder refuses, before any evaluation and in one line, a path that cannot be a folder and a
// folder another process holds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/error.hpp"
#include "common/output_lock.hpp"
#include "search/loop/search.hpp"
#include "tests/search/loop/formula_evaluator.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::loop {
namespace {

struct Fixture {
  std::unique_ptr<SearchSpace> space = make_space("ofa-mbv3");
  HardwareSpace hw = HardwareSpace::defaults();
  CoSpace co{*space, hw, Mode::Joint, "max", 1.0};
};

SearchOptions options(const std::string& dir) {
  SearchOptions o;
  o.methods = {"linas", "random"};
  o.seeds = {2};
  o.budget = 20;
  o.initial = 8;
  o.batch = 6;
  o.population = 12;
  o.generations = 4;
  o.out = dir;
  o.verbose = false;
  o.config.add("scenario", "abc");
  o.config.add("budget", "20");
  o.config.add("seeds", "2");
  return o;
}

// The InputError of a run on `o`, with the number of real evaluations it made ("" when none).
std::string refusal(Fixture& f, const SearchOptions& o, std::size_t* evaluated = nullptr) {
  FormulaEvaluator ev(f.co);
  try {
    run_search(f.co, ev, fake_accuracy(*f.space), o);
  } catch (const InputError& e) {
    if (evaluated) *evaluated = ev.evaluated;
    return e.what();
  }
  if (evaluated) *evaluated = ev.evaluated;
  return "";
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(RunFolder, APathThatCannotBeAFolderIsRefusedBeforeAnyWork) {
  Fixture f;
  const auto root = test::scratch_dir("folder-path");
  const std::string file = (root / "a-file").string();
  write(file, "x");
  std::size_t evaluated = 1;
  const std::string e = refusal(f, options(file), &evaluated);
  EXPECT_EQ(e, "--out " + file + ": is a file, not a folder; name a run folder (it is created when missing)");
  EXPECT_EQ(evaluated, 0u);
  const std::string below = refusal(f, options(file + "/run"));
  EXPECT_EQ(below, "--out " + file + "/run: cannot be created: " + file + " is a file, not a folder");
  EXPECT_THROW(check_run_folder(file), InputError);
  EXPECT_NO_THROW(check_run_folder((root / "new" / "run").string()));
  if (geteuid() != 0) {  // root writes anywhere; the binary test runs this case as another user
    const std::string locked = (root / "read-only").string();
    std::filesystem::create_directories(locked);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const std::string r = refusal(f, options(locked));
    EXPECT_NE(r.find("--out " + locked + ": the folder is not writable"), std::string::npos) << r;
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
  }
  std::filesystem::remove_all(root);
}

TEST(RunFolder, AFolderHeldByAnotherWriterIsRefusedNamingItsPid) {
  Fixture f;
  const std::string dir = test::scratch_dir("folder-held").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    const OutputLock held = OutputLock::for_folder(dir);
    std::size_t evaluated = 1;
    const std::string e = refusal(f, options(dir), &evaluated);
    EXPECT_NE(e.find("(pid " + std::to_string(getpid()) + ")"), std::string::npos) << e;
    EXPECT_EQ(evaluated, 0u);
    EXPECT_FALSE(std::filesystem::exists(dir + "/evaluations.csv")) << "nothing is written by the refused run";
  }
  EXPECT_EQ(refusal(f, options(dir)), "");  // released: the folder is free again
}

}  // namespace
}  // namespace cimnet::loop
