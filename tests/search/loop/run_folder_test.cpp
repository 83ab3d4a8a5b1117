// The run folder refuses what it cannot trust, before any evaluation and in one line: a path that
// cannot be a folder, a folder another process holds, a resume of another search (naming each setting
// that differs), a point recorded twice, and garbage (quoted short and escaped, never echoed).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/csv.hpp"
#include "common/csv_line.hpp"
#include "common/error.hpp"
#include "common/output_lock.hpp"
#include "evaluation/schema.hpp"
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

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

bool one_printable_line(const std::string& message) {
  for (unsigned char c : message) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

std::string finished_run(Fixture& f, const std::string& name) {
  const std::string dir = test::scratch_dir(name).string();
  std::filesystem::remove_all(dir);
  FormulaEvaluator ev(f.co);
  run_search(f.co, ev, fake_accuracy(*f.space), options(dir));
  return dir;
}

TEST(RunFolder, ADuplicatedRowIsRefusedNamingTheLineAndThePoint) {
  Fixture f;
  const std::string dir = finished_run(f, "folder-duplicate");
  const std::string path = dir + "/evaluations.csv";
  const std::string text = read(path);
  // Lines 1-2 are the settings and the header, line 3 the reference point, line 4 linas's first point.
  std::istringstream lines(text);
  std::string line, fourth;
  for (int i = 1; i <= 4 && std::getline(lines, line); ++i) fourth = line;
  write(path, text + fourth + "\n");  // after the reference and 2 × 20 points: line 44
  auto o = options(dir);
  o.resume = true;
  std::size_t evaluated = 1;
  const std::string e = refusal(f, o, &evaluated);
  EXPECT_NE(e.find(path + ":44: point "), std::string::npos) << e;
  EXPECT_NE(e.find("appears twice for method 'linas' seed 2 (first at line 4)"), std::string::npos) << e;
  EXPECT_NE(e.find("DRAM_bw="), std::string::npos) << e;
  EXPECT_EQ(evaluated, 0u);
  EXPECT_TRUE(one_printable_line(e)) << e;
}

TEST(RunFolder, GarbageIsQuotedShortAndEscapedNeverEchoed) {
  Fixture f;
  const std::string dir = test::scratch_dir("folder-garbage").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string garbage;
  for (int i = 0; i < 3000; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  auto o = options(dir);
  o.resume = true;
  write(dir + "/evaluations.csv", garbage);
  const std::string first = refusal(f, o);
  EXPECT_NE(first.find(dir + "/evaluations.csv: is not an evaluations file of this version of cimnet search"),
            std::string::npos) << first;
  EXPECT_TRUE(one_printable_line(first)) << first;
  EXPECT_LT(first.size(), 400u) << first;
  EXPECT_NE(first.find("\\x"), std::string::npos) << first;

  // The right first line, then garbage where the header should be.
  write(dir + "/evaluations.csv", "# cimnet search v1 " + o.config.line() + "\n" + garbage);
  const std::string header = refusal(f, o);
  EXPECT_NE(header.find("evaluations.csv:2: the header differs from this version's (column 1 is '"),
            std::string::npos) << header;
  EXPECT_TRUE(one_printable_line(header)) << header;
  EXPECT_LT(header.size(), 400u) << header;

  // A good file with garbage in one cell.
  const std::string good = finished_run(f, "folder-garbage-cell");
  std::string text = read(good + "/evaluations.csv");
  const std::string bad_cell = "\"" + std::string(200, 'x') + "\x01\x02\"";
  const std::size_t third_line = text.find('\n', text.find('\n') + 1) + 1;
  const std::size_t genome = text.find(",ofa-mbv3,", third_line) + std::string(",ofa-mbv3,").size();
  text.replace(genome, text.find(',', genome) - genome, bad_cell);
  write(good + "/evaluations.csv", text);
  auto g = options(good);
  g.resume = true;
  const std::string cell = refusal(f, g);
  EXPECT_NE(cell.find("evaluations.csv:3: column 'genome': not a sub-network of ofa-mbv3: 'xxxx"), std::string::npos)
      << cell;
  EXPECT_TRUE(one_printable_line(cell)) << cell;
  EXPECT_LT(cell.size(), 300u) << cell;
}

TEST(RunFolder, ARefusedResumeNamesEachDifferingSettingWithBothValues) {
  Fixture f;
  const std::string dir = finished_run(f, "folder-settings");
  SearchOptions o = options(dir);
  o.resume = true;
  o.config = RunSettings();
  o.config.add("scenario", "abc");
  o.config.add("budget", "40");
  o.config.add("seeds", "3");
  std::size_t evaluated = 1;
  const std::string e = refusal(f, o, &evaluated);
  EXPECT_NE(e.find(dir + "/evaluations.csv: belongs to a search with other settings: budget 20 in the run folder, "
                         "40 now; seeds 2 in the run folder, 3 now; resume with the same settings"),
            std::string::npos) << e;
  EXPECT_EQ(e.find("scenario"), std::string::npos) << "an equal setting is not named: " << e;
  EXPECT_EQ(evaluated, 0u);

  // checkpoint.json is checked too (naming a setting it lacks).
  std::string checkpoint = read(dir + "/checkpoint.json");
  const std::string line = options(dir).config.line();
  checkpoint.replace(checkpoint.find(line), line.size(), "scenario=abc budget=20");
  write(dir + "/checkpoint.json", checkpoint);
  SearchOptions same = options(dir);
  same.resume = true;
  const std::string c = refusal(f, same);
  EXPECT_NE(c.find(dir + "/checkpoint.json: belongs to a search with other settings: seeds (none) in the run folder, 2 now"),
            std::string::npos) << c;
}

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

namespace cimnet::loop {
namespace {

bool is_energy(const std::string& name) { return name == evaluation::col::kEnergy || name == evaluation::col::kAnalyticalEnergy; }

// An evaluations file as an earlier cimnet wrote it, with its first `rows` rows: before the energy
// columns (`cold_steady` false), or before the cold and steady ones too.
std::string as_written_before(const std::string& text, std::size_t rows, bool cold_steady) {
  const std::size_t first_line = text.find('\n') + 1;
  const CsvTable t = parse_csv(text.substr(first_line), "evaluations.csv");
  const auto kept = [&](const std::vector<std::string>& fields) {
    std::vector<std::string> k;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      const std::string& name = t.header[c];
      if (!is_energy(name) && !(cold_steady && evaluation::is_cold_steady_column(name))) k.push_back(fields[c]);
    }
    return format_csv_line(k);
  };
  std::string out = text.substr(0, first_line) + kept(t.header);
  for (std::size_t r = 0; r < rows && r < t.rows.size(); ++r) out += kept(t.rows[r]);
  return out;
}

// Such a file resumes in its own layout: the rows the resumed search adds leave the new columns out
// too, and the search ends with the same evaluated set. Both earlier layouts.
TEST(RunFolder, AnEvaluationsFileOfBeforeTheColdAndSteadyColumnsResumesInItsLayout) {
  Fixture f;
  const std::string dir = finished_run(f, "folder-before-cold-steady");
  const std::string path = dir + "/evaluations.csv";
  const std::string finished = read(path);
  const CsvTable all = parse_csv(finished.substr(finished.find('\n') + 1), path);
  ASSERT_EQ(all.rows.size(), 41u);  // the reference and 2 x 20
  for (const bool cold_steady : {true, false}) {
    write(path, as_written_before(finished, 25, cold_steady));
    auto o = options(dir);
    o.resume = true;
    FormulaEvaluator ev(f.co);
    run_search(f.co, ev, fake_accuracy(*f.space), o);
    EXPECT_EQ(ev.evaluated, 16u) << cold_steady;
    const std::string resumed = read(path);
    EXPECT_EQ(resumed, as_written_before(finished, 41, cold_steady)) << cold_steady;
  }
}

}  // namespace
}  // namespace cimnet::loop
