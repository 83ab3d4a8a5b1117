// The file format: preamble, one physical line per row, torn-last-line detection, merge checks.
#include <gtest/gtest.h>

#include <sstream>

#include "common/csv.hpp"
#include "common/csv_line.hpp"
#include "common/text.hpp"
#include "dataset/dataset_file.hpp"
#include "dataset/merge.hpp"
#include "dataset/preamble.hpp"
#include "tests/dataset/driver_runner.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet::dataset {
namespace {

// Files written before issue 14 have no `execution=`: they were measured layer by layer and still
// resume and merge as such; an unknown policy is refused naming the line.
TEST(DatasetPreamble, ExecutionDefaultsToLayerByLayer) {
  const std::string old_line = "# cimnet dataset v1 scenario=abc space=ofa-mbv3 mode=joint seed=5 n=5 points=sampled shard=all\n";
  EXPECT_EQ(parse_meta(old_line, "d.csv").execution, "layer-by-layer");
  const std::string fused = "# cimnet dataset v1 scenario=abc space=ofa-mbv3 mode=joint seed=5 n=5 points=sampled "
                            "shard=all execution=fused\n";
  const Meta m = parse_meta(fused, "d.csv");
  EXPECT_EQ(m.execution, "fused");
  EXPECT_FALSE(m.same_run(parse_meta(old_line, "d.csv")));
  EXPECT_NE(test::input_error([] {
              parse_meta("# cimnet dataset v1 scenario=abc space=s mode=joint seed=5 n=5 points=sampled shard=all "
                         "execution=fusion\n",
                         "d.csv");
            }).find("d.csv:1: execution: unknown execution policy 'fusion'"),
            std::string::npos);
}

// Files written before the choice of cycles have no `cycles_of=`: they read as steady (the default),
// and a file of cold cycles is another run.
TEST(DatasetPreamble, CyclesOfDefaultsToSteady) {
  const std::string old_line = "# cimnet dataset v1 scenario=abc space=ofa-mbv3 mode=joint seed=5 n=5 points=sampled "
                               "shard=all execution=fused\n";
  EXPECT_EQ(parse_meta(old_line, "d.csv").cycles_of, "steady");
  const Meta cold = parse_meta(old_line.substr(0, old_line.size() - 1) + " cycles_of=cold\n", "d.csv");
  EXPECT_EQ(cold.cycles_of, "cold");
  EXPECT_FALSE(cold.same_run(parse_meta(old_line, "d.csv")));
  EXPECT_EQ(cold.difference(parse_meta(old_line, "d.csv")), "cycles_of=cold vs cycles_of=steady");
  EXPECT_NE(test::input_error([&] { parse_meta(old_line.substr(0, old_line.size() - 1) + " cycles_of=warm\n", "d.csv"); })
                .find("d.csv:1: cycles_of: unknown choice of cycles 'warm' (allowed: cold, steady, stream)"),
            std::string::npos);
}

// A latency bound (the pipelined scheduler's least-memory objective) is written only when there is one:
// files without it read as none, and a file scheduled within a bound is another run.
TEST(DatasetPreamble, ALatencyBoundIsRecordedOnlyWhenThereIsOne) {
  const std::string line = "# cimnet dataset v1 scenario=abc space=ofa-mbv3 mode=joint seed=5 n=5 points=sampled "
                           "shard=all execution=pipelined cycles_of=cold\n";
  const Meta none = parse_meta(line, "d.csv");
  EXPECT_EQ(none.latency_bound, "none");
  EXPECT_EQ(none.describe() + "\n", line.substr(std::string("# cimnet dataset v1 ").size()));
  const Meta bounded = parse_meta(line.substr(0, line.size() - 1) + " latency_bound=1.2x\n", "d.csv");
  EXPECT_EQ(bounded.latency_bound, "1.2x");
  EXPECT_FALSE(bounded.same_run(none));
  EXPECT_EQ(bounded.difference(none), "latency_bound=1.2x vs latency_bound=none");
  EXPECT_EQ(none.difference(bounded), "latency_bound=none vs latency_bound=1.2x");
  EXPECT_NE(test::input_error([&] { parse_meta(line.substr(0, line.size() - 1) + " latency_bound=fast\n", "d.csv"); })
                .find("d.csv:1: latency_bound: latency bound 'fast' is neither"),
            std::string::npos);
}

// The allocation objective (designs with digital cores) likewise: written only when not latency, and a
// file allocated for energy is another run, whatever else it records beside it.
TEST(DatasetPreamble, AnAllocationObjectiveIsRecordedOnlyWhenNotLatency) {
  const std::string line = "# cimnet dataset v1 scenario=abc space=ofa-mbv3 mode=joint seed=5 n=5 points=sampled "
                           "shard=all execution=layer-by-layer cycles_of=steady\n";
  const std::string stem = line.substr(0, line.size() - 1);
  const Meta latency = parse_meta(line, "d.csv");
  EXPECT_EQ(latency.allocation, "latency");
  const Meta energy = parse_meta(stem + " allocation=energy\n", "d.csv");
  EXPECT_EQ(energy.allocation, "energy");
  EXPECT_EQ(energy.describe() + "\n", (stem + " allocation=energy\n").substr(std::string("# cimnet dataset v1 ").size()));
  EXPECT_FALSE(energy.same_run(latency));
  EXPECT_EQ(energy.difference(latency), "allocation=energy vs allocation=latency");
  const Meta both = parse_meta(stem + " latency_bound=1.2x allocation=energy-delay\n", "d.csv");
  EXPECT_EQ(both.difference(energy), "latency_bound=1.2x allocation=energy-delay vs latency_bound=none allocation=energy");
  EXPECT_EQ(latency.difference(both), "latency_bound=none allocation=latency vs latency_bound=1.2x allocation=energy-delay");
  EXPECT_NE(test::input_error([&] { parse_meta(stem + " allocation=power\n", "d.csv"); })
                .find("d.csv:1: allocation: unknown allocation objective 'power' (allowed: latency, energy, energy-delay)"),
            std::string::npos);
}

// What an earlier cimnet wrote: without `gone` columns (their description lines, header names and
// cells) and, when `bare_meta`, no execution= nor cycles_of= in the metadata line.
std::string as_written_without(const std::string& text, const std::vector<std::string>& gone, bool bare_meta) {
  const auto is_gone = [&](const std::string& name) { return std::find(gone.begin(), gone.end(), name) != gone.end(); };
  std::string out, body;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (starts_with(line, "# cimnet dataset")) {
      out += (bare_meta ? line.substr(0, line.find(" execution=")) : line) + "\n";
    } else if (starts_with(line, "# column ")) {
      if (!is_gone(line.substr(9, line.find(' ', 9) - 9))) out += line + "\n";
    } else {
      body += line + "\n";
    }
  }
  const CsvTable t = parse_csv(body, "rows");
  const auto kept = [&](const std::vector<std::string>& fields) {
    std::vector<std::string> k;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      if (!is_gone(t.header[c])) k.push_back(fields[c]);
    }
    return format_csv_line(k);
  };
  out += kept(t.header);
  for (const auto& row : t.rows) out += kept(row);
  return out;
}

// Before the cold and steady columns (issue 14): neither they nor the energy columns, which came later.
std::string as_written_before_cold_steady(const std::string& text) {
  return as_written_without(text,
                            {"cold_cycles", "steady_cycles", "analytical_cold_cycles", "analytical_steady_cycles",
                             "energy_pj", "analytical_energy_pj"},
                            true);
}

// Before the energy columns (issue 16).
std::string as_written_before_energy(const std::string& text) {
  return as_written_without(text, {"energy_pj", "analytical_energy_pj"}, false);
}

// A run resumes a file of an earlier layout (`as_written` makes one from a full file) in that layout: the
// rows it adds leave the newer columns out too, and the file ends as an uninterrupted run of that
// version would have written it. `dropped`: how many columns that version lacks.
void expect_resumes_in_its_layout(const std::string& name, std::string (*as_written)(const std::string&),
                                  std::size_t dropped) {
  const auto dir = test::temp_dir(name);
  const std::string path = dir / "d.csv", clean = dir / "clean.csv";
  const std::vector<std::string> args = {"--samples", "8", "--mode", "joint", "--out", path, "-j", "2"};
  ASSERT_EQ(test::run_driver(args).status, 0);
  std::filesystem::copy_file(path, clean);
  const std::string old = as_written(test::read_all(path));
  // The preamble, the header and 5 of the 8 rows.
  std::size_t pos = 0;
  for (std::size_t non_comment = 0; non_comment < 6; pos = old.find('\n', pos) + 1) non_comment += old[pos] != '#';
  std::ofstream(path, std::ios::trunc | std::ios::binary) << old.substr(0, pos);
  std::vector<std::string> resume = args;
  resume.push_back("--resume");
  const auto r = test::run_driver(resume);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("5 points done, 3 to go"), std::string::npos) << r.err;
  EXPECT_EQ(read_dataset(path).header.size() + dropped, read_dataset(clean).header.size());
  std::ofstream(dir / "clean_old.csv", std::ios::trunc | std::ios::binary) << as_written(test::read_all(clean));
  EXPECT_EQ(test::rows_by_index(path), test::rows_by_index(dir / "clean_old.csv"));
}

TEST(DatasetFile, AFileWrittenBeforeTheColdAndSteadyColumnsResumesInItsLayout) {
  expect_resumes_in_its_layout("before_cold_steady", as_written_before_cold_steady, 6);
}

TEST(DatasetFile, AFileWrittenBeforeTheEnergyColumnsResumesInItsLayout) {
  expect_resumes_in_its_layout("before_energy", as_written_before_energy, 2);
}

TEST(DatasetCsvLine, OneLinePerRecordAndQuoting) {
  EXPECT_EQ(format_csv_line({"a", "b,c", "say \"hi\"", "two\nlines"}), "a,\"b,c\",\"say \"\"hi\"\"\",two lines\n");
}

TEST(DatasetFile, TornLastLineIsDroppedWithAWarning) {
  const auto dir = test::temp_dir("torn");
  const std::string path = dir / "d.csv";
  ASSERT_EQ(test::run_driver({"--samples", "6", "--mode", "arch", "--out", path, "-j", "2"}).status, 0);
  const std::string whole = test::read_all(path);
  std::ofstream(path, std::ios::app) << "6,ofa-mbv3,ks=3-3";  // a row cut by a crash of the machine
  const DatasetFile f = read_dataset(path);
  EXPECT_EQ(f.rows.size(), 6u);
  EXPECT_EQ(f.valid_bytes, whole.size());
  EXPECT_NE(f.warning.find("torn last line"), std::string::npos);
  // NUL bytes after the last flushed block, as a power cut can leave them, count as torn too.
  std::ofstream(path, std::ios::trunc | std::ios::binary) << whole << std::string(5, '\0') << "\n";
  EXPECT_NE(read_dataset(path).warning.find("torn"), std::string::npos);
  EXPECT_EQ(read_dataset(path).rows.size(), 6u);
}

TEST(DatasetFile, ResumeDropsATornLineAndRedoesItsPoint) {
  const auto dir = test::temp_dir("torn_resume");
  const std::string path = dir / "d.csv";
  ASSERT_EQ(test::run_driver({"--samples", "8", "--mode", "joint", "--out", path, "-j", "2"}).status, 0);
  const auto full = test::rows_by_index(path);
  // Keep the preamble and 5 rows, then half of the 6th.
  const std::string text = test::read_all(path);
  std::size_t pos = 0;
  std::size_t non_comment = 0;
  while (non_comment < 7) {  // header + 5 rows
    const std::size_t eol = text.find('\n', pos);
    if (text[pos] != '#') ++non_comment;
    pos = eol + 1;
  }
  const std::size_t next = text.find('\n', pos);
  std::ofstream(path, std::ios::trunc | std::ios::binary) << text.substr(0, pos + (next - pos) / 2);
  const auto r = test::run_driver({"--samples", "8", "--mode", "joint", "--out", path, "-j", "2", "--resume"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("torn last line"), std::string::npos) << r.err;
  EXPECT_EQ(test::rows_by_index(path), full);
}

TEST(DatasetMerge, RejectsMissingDoubledAndForeignShards) {
  const auto dir = test::temp_dir("merge_bad");
  const auto run = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"--samples", "10", "--mode", "joint", "--out", (dir / name).string(), "-j", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::run_driver(args);
    ASSERT_EQ(r.status, 0) << r.err;
  };
  run("s0.csv", {"--shard", "0/2"});
  run("s1.csv", {"--shard", "1/2"});
  run("other_seed.csv", {"--shard", "1/2", "--seed", "9"});
  const std::string s0 = dir / "s0.csv";
  const std::string s1 = dir / "s1.csv";
  const auto e1 = test::input_error([&] { merge_datasets(dir / "m1.csv", {s0}); });
  EXPECT_NE(e1.find("5 of 10 points are missing"), std::string::npos) << e1;
  const auto e2 = test::input_error([&] { merge_datasets(dir / "m2.csv", {s0, s1, s0}); });
  EXPECT_NE(e2.find("appears twice"), std::string::npos) << e2;
  const auto e3 = test::input_error([&] { merge_datasets(dir / "m3.csv", {s0, dir / "other_seed.csv"}); });
  EXPECT_NE(e3.find("different runs"), std::string::npos) << e3;
  EXPECT_NE(e3.find("seed=9"), std::string::npos) << e3;
  EXPECT_FALSE(std::filesystem::exists(dir / "m1.csv"));
  const auto e4 = test::input_error([&] { merge_datasets(s1, {s0, s1}); });
  EXPECT_NE(e4.find("exists"), std::string::npos) << e4;
  // The command line: exit 2 with one line.
  const auto r = test::run_driver({"merge", (dir / "m5.csv").string(), s0});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cimnet::dataset
