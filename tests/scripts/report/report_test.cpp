// cimnet report end to end: a real simulate report from the cimnet binary, a synthetic search run folder
// in the documented format (docs/report.md) and predictor CSVs go through the C++ command (report_driver
// = apps/cimnet/command_report.cpp) or the script directly; every expected PNG must exist and be a valid
// PNG, and index.html must reference every figure and show the key numbers. Skipped when Debian's
// /usr/bin/python3 has no matplotlib.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"
#include "tests/support/run_cli.hpp"

namespace {

namespace fs = std::filesystem;

using Result = cimnet::test::Result;

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

Result run(const std::string& command) { return cimnet::test::run_command(command); }

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using cimnet::test::contains;

// Empty when the file is a PNG with a positive width and height, else what is wrong.
std::string png_problem(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "missing";
  std::array<unsigned char, 24> h{};
  in.read(reinterpret_cast<char*>(h.data()), h.size());
  if (in.gcount() != static_cast<std::streamsize>(h.size())) return "shorter than a PNG header";
  const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  for (int i = 0; i < 8; ++i) {
    if (h[static_cast<std::size_t>(i)] != signature[i]) return "no PNG signature";
  }
  if (std::string(h.begin() + 12, h.begin() + 16) != "IHDR") return "first chunk is not IHDR";
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t{h[at]} << 24) | (std::uint32_t{h[at + 1]} << 16) | (std::uint32_t{h[at + 2]} << 8) |
           std::uint32_t{h[at + 3]};
  };
  if (be32(16) == 0 || be32(20) == 0) return "zero width or height";
  return "";
}

// REPORT_TEST_KEEP=1 keeps the scratch folders (with their reports) for a look.
void clean(const fs::path& dir) {
  if (const char* keep = std::getenv("REPORT_TEST_KEEP"); keep && *keep) {
    std::printf("kept %s\n", dir.string().c_str());
    return;
  }
  fs::remove_all(dir);
}

bool have_matplotlib() {
  static const bool ok = run("/usr/bin/python3 -c 'import matplotlib' >/dev/null").status == 0;
  return ok;
}

#define SKIP_WITHOUT_MATPLOTLIB()                                                                         \
  if (!have_matplotlib())                                                                                 \
  GTEST_SKIP() << "Debian's /usr/bin/python3 has no matplotlib: apt-get install python3-matplotlib "      \
                  "(scripts/setup.sh does) to run the report tests"

std::string driver() { return REPORT_DRIVER_PATH; }

void expect_report(const fs::path& out, const std::vector<std::string>& figures,
                   const std::vector<std::string>& numbers) {
  const fs::path index = out / "index.html";
  ASSERT_TRUE(fs::is_regular_file(index)) << index;
  const std::string html = read_text(index);
  EXPECT_TRUE(contains(html, "<!DOCTYPE html>"));
  EXPECT_FALSE(contains(html, "http://")) << "the page must not load external assets";
  EXPECT_FALSE(contains(html, "https://")) << "the page must not load external assets";
  for (const auto& f : figures) {
    EXPECT_EQ(png_problem(out / f), "") << f;
    EXPECT_TRUE(contains(html, "src=\"" + f + "\"")) << "index.html does not show " << f;
  }
  // Every image the page shows exists.
  for (std::size_t at = html.find("src=\""); at != std::string::npos; at = html.find("src=\"", at + 1)) {
    const std::string name = html.substr(at + 5, html.find('"', at + 5) - at - 5);
    EXPECT_TRUE(fs::is_regular_file(out / name)) << name;
  }
  for (const auto& n : numbers) EXPECT_TRUE(contains(html, n)) << "index.html lacks " << n;
}

// --- A synthetic search run folder in the format docs/report.md describes --------------------------

const char* const kHw[] = {"DRAM_bw", "L2_bw", "L1_bw", "L1_num_child", "MA_bw", "MA_num_child", "MA_mem_size",
                           "MA_comp_per_core"};
const int kChoices[8][4] = {{16, 32, 64, 128},     {64, 128, 256, 512}, {32, 64, 128, 256}, {2, 4, 8, 16},
                            {16, 32, 64, 128},     {2, 4, 8, 16},       {65536, 131072, 262144, 524288},
                            {16, 32, 64, 128}};

void write_search_run(const fs::path& dir) {
  fs::create_directories(dir);
  fs::copy_file(cimnet::test::source_dir() / "scenarios" / "default.yaml", dir / "scenario.yaml",
                fs::copy_options::overwrite_existing);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::ofstream ev(dir / "evaluations.csv");
  ev << "# cimnet search v1 space=ofa-mbv3 mode=joint seed=1\n";
  ev << "index,space,genome";
  for (const char* p : kHw) ev << ',' << p;
  ev << ",status,message,cycles,analytical_cycles,accuracy,area,method,iteration,predicted_cycles,predicted_accuracy\n";
  int index = 0;
  auto row = [&](const std::string& method, int iteration, double cycles, double accuracy, bool predicted) {
    ev << index << ",ofa-mbv3,ks=3-5-7:e=4:d=2-" << index;
    for (int p = 0; p < 8; ++p) ev << ',' << kChoices[p][static_cast<int>(u(rng) * 3.999 + (p == 0 ? 0.5 : 0)) % 4];
    ev << ",ok,," << std::llround(cycles) << ',' << std::llround(cycles * 0.97) << ',' << accuracy << ','
       << 1.0 + u(rng) << ',' << method << ',' << iteration << ',';
    if (predicted) ev << std::llround(cycles * (0.9 + 0.2 * u(rng))) << ',' << accuracy - 0.3 + 0.6 * u(rng);
    else ev << ',';
    ev << '\n';
    ++index;
  };
  // The reference design: 2,000,000 cycles at 76 %.
  ev << index++ << ",ofa-mbv3,max,64,256,128,8,64,8,262144,64,ok,,2000000,1950000,76,1.0,reference,0,,\n";
  // An error row: must be skipped.
  ev << index++ << ",ofa-mbv3,min,64,256,128,8,64,8,262144,64,error,worker died,,,,,guided,1,,\n";
  for (const std::string method : {"guided", "random", "nsga2"}) {
    const double noise = method == "guided" ? 0.3 : 1.2;
    for (int it = 0; it < 5; ++it) {
      for (int k = 0; k < 10; ++k) {
        const double cycles = 3e5 * (1 + 9 * u(rng));
        // Accuracy below 76 % for every design under 1.31 M cycles (sqrt(log10(c / 3e5)) < 0.8).
        const double accuracy = 72 + 5 * std::sqrt(std::log10(cycles / 3e5)) - noise * u(rng);
        row(method, it, cycles, accuracy, method == "guided" && it > 0);
      }
    }
  }
  // The guided search's best design at iso-accuracy: 800,000 cycles, 76.5 % -> 2.50x.
  row("guided", 4, 800000, 76.5, true);
  ev.close();

  std::ofstream front(dir / "front.csv");
  front << "method,genome,cycles,accuracy,DRAM_bw,L2_bw,L1_bw,L1_num_child,MA_bw,MA_num_child,MA_mem_size,"
           "MA_comp_per_core\n"
        << "guided,a,500000,74.0,128,512,256,16,128,16,65536,128\n"
        << "guided,b,800000,76.5,128,512,128,16,64,16,131072,128\n"
        << "guided,c,2500000,76.9,64,256,128,16,64,8,262144,64\n";
  std::ofstream history(dir / "iterations.csv");  // cimnet search's name
  history << "method,iteration,evaluations,hypervolume,tau_cycles,mape_cycles,tau_accuracy,mape_accuracy\n";
  for (int it = 0; it < 5; ++it) {
    const int evals = 10 * (it + 1);
    history << "guided," << it << ',' << evals << ',' << 1e6 * (1 + it) << ",";
    if (it > 0) history << 0.7 + 0.05 * it << ',' << 20 - 3 * it << ',' << 0.6 + 0.07 * it << ',' << 0.5 - 0.05 * it;
    else history << ",,,";
    history << "\nrandom," << it << ',' << evals << ',' << 6e5 * (1 + it) << ",,,,\n";
    history << "nsga2," << it << ',' << evals << ',' << 8e5 * (1 + it) << ",,,,\n";
  }
}

}  // namespace

TEST(Report, SimulateReportFromTheCimnetBinary) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_simulate");
  const fs::path json = dir / "sim.json";
  const Result sim = run(std::string(CIMNET_BINARY_PATH) + " simulate --space ofa-mbv3 --arch min --engine both --report " +
                         quote(json.string()) + " >/dev/null");
  ASSERT_EQ(sim.status, 0) << sim.err;
  const auto report = nlohmann::json::parse(read_text(json));
  const fs::path out = dir / "out";
  const Result r = run(driver() + " " + quote(json.string()) + " --out " + quote(out.string()));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, (out / "index.html").string())) << r.out;

  auto with_commas = [](long long v) {
    std::string digits = std::to_string(v), s;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
      s += digits[i];
    }
    return s;
  };
  // The occupancy figure's table: every level with its capacity and its peak, as the JSON gives them.
  std::vector<std::string> numbers = {with_commas(report["totals"]["simulated_cycles"].get<long long>()),
                                      with_commas(report["totals"]["analytical_cycles"].get<long long>()),
                                      with_commas(report["totals"]["macs"].get<long long>()), "ideal", "write-back",
                                      "memory level", "global buffer (L2)", "fullest array&#x27;s weights at each cycle"};
  const auto& levels = report["levels"]["occupancy"]["levels"];
  ASSERT_EQ(levels.size(), 5U);
  for (const auto& level : levels) {
    numbers.push_back("<td class=\"num\">" + with_commas(level["capacity"].get<long long>()) + "</td><td class=\"num\">" +
                      with_commas(level["peak_bytes"].get<long long>()) + "</td>");
  }
  // The schedule: a row per L1 decoder and the vector unit.
  ASSERT_EQ(report["schedule"]["rows"].size(), 9U);
  numbers.push_back("L1 decoder 7");
  numbers.push_back("vector unit");
  // The energy figure's table: DRAM's share as the JSON gives it.
  const double total = report["energy"]["total_pj"].get<double>(), dram = report["energy"]["levels"]["dram"].get<double>();
  char share[64];
  std::snprintf(share, sizeof share, "<td>dram</td><td class=\"num\">%s</td><td class=\"num\">%.1f</td>",
                with_commas(std::llround(dram)).c_str(), 100 * dram / total);
  numbers.push_back(share);
  numbers.push_back("pJ/MAC");
  expect_report(out, {"sim_layers.png", "sim_levels.png", "sim_occupancy.png", "sim_schedule.png", "sim_energy.png",
                      "sim_bounds.png"},
                numbers);
  clean(dir);
}

TEST(Report, SearchRunFolder) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_search");
  const fs::path runs = dir / "run";
  write_search_run(runs);
  const Result r = run(driver() + " " + quote(runs.string()) + " --title 'synthetic search'");
  ASSERT_EQ(r.status, 0) << r.err;
  const fs::path out = runs / "report";  // the default output folder
  expect_report(out,
                {"pareto.png", "hypervolume.png", "search_predictors.png", "search_predicted_vs_actual.png",
                 "config_heatmap.png"},
                {"synthetic search", "2.50×", "800,000", "76.500", "joint: guided", "joint: random", "joint: nsga2",
                 "0.900" /* tau_cycles of iteration 4 */, "MA_comp_per_core", "Hardware choices on the front"});
  // The front file's three guided designs are the table of the front; the counts of choices add up.
  const std::string table = read_text(out / "config_table.csv");
  EXPECT_TRUE(contains(table, "DRAM_bw,128,2")) << table;
  EXPECT_TRUE(contains(table, "DRAM_bw,64,1")) << table;
  EXPECT_TRUE(contains(table, "MA_mem_size,524288,0")) << table;
  clean(dir);
}

// Issue 14: when the search chose each design's execution policy, front.csv ends with an `execution`
// column and the table of the front names each design's policy.
TEST(Report, ASearchedPolicyShowsInTheFrontTable) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_search_policy");
  const fs::path runs = dir / "run";
  write_search_run(runs);
  std::ofstream(runs / "front.csv", std::ios::trunc)
      << "method,genome,cycles,accuracy,DRAM_bw,L2_bw,L1_bw,L1_num_child,MA_bw,MA_num_child,MA_mem_size,"
         "MA_comp_per_core,execution\n"
      << "guided,a,500000,74.0,128,512,256,16,128,16,65536,128,fused\n"
      << "guided,b,800000,76.5,128,512,128,16,64,16,131072,128,layer-by-layer\n";
  const Result r = run(driver() + " " + quote(runs.string()) + " --out " + quote((dir / "out").string()));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = read_text(dir / "out" / "index.html");
  EXPECT_TRUE(contains(html, "<th>execution</th><th>sub-network</th>")) << "no execution column in the front table";
  EXPECT_TRUE(contains(html, "<td>fused</td><td>a</td>")) << html.substr(0, 400);
  EXPECT_TRUE(contains(html, "<td>layer-by-layer</td><td>b</td>"));
  clean(dir);
}

// Issue 16: a search for accuracy, cycles and energy (evaluations.csv's first line names the
// objectives) gets the figure of its 3-objective front and an energy column in the front's table; the
// same folder with the default objectives does not get the figure.
TEST(Report, AThreeObjectiveSearchShowsItsFrontInProjections) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_search_energy");
  const fs::path runs = dir / "run";
  fs::create_directories(runs);
  const auto write = [&](const std::string& objectives) {
    std::ofstream ev(runs / "evaluations.csv", std::ios::trunc);
    ev << "# cimnet search v1 space=ofa-mbv3 mode=joint" << objectives << "\n";
    ev << "index,genome,status,cycles,accuracy,area,energy_pj,method,iteration\n";
    ev << "0,max,ok,400000,77.0,1.0,750000000,reference,0\n";
    // (cycles, accuracy, energy): a, b and c are the front in three objectives; d is dominated by b.
    ev << "1,a,ok,150000,74.5,0.8,140000000,linas,0\n"
       << "2,b,ok,350000,76.5,0.9,240000000,linas,0\n"
       << "3,c,ok,200000,75.0,0.7,400000000,linas,1\n"
       << "4,d,ok,360000,76.0,0.9,250000000,linas,1\n";
    std::ofstream(runs / "front.csv", std::ios::trunc)
        << "method,seed,accuracy,cycles,area,energy_pj,speedup_vs_reference,genome\n"
        << "linas,1,74.5,150000,0.8,140000000,2.67,a\nlinas,1,75.0,200000,0.7,400000000,2,c\n"
        << "linas,1,76.5,350000,0.9,240000000,1.14,b\n";
  };
  write(" objectives=accuracy.cycles.energy");
  const Result r = run(driver() + " " + quote(runs.string()) + " --out " + quote((dir / "out").string()));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = read_text(dir / "out" / "index.html");
  EXPECT_TRUE(fs::is_regular_file(dir / "out" / "search_energy_front_1.png"));
  EXPECT_TRUE(contains(html, "3-objective front")) << html.substr(0, 400);
  EXPECT_TRUE(contains(html, "<th>energy (µJ)</th>"));
  EXPECT_TRUE(contains(html, "<td class=\"num\">140</td>")) << "design a's 140 µJ";
  write("");
  const Result plain = run(driver() + " " + quote(runs.string()) + " --out " + quote((dir / "plain").string()));
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_FALSE(fs::exists(dir / "plain" / "search_energy_front_1.png"));
  clean(dir);
}

TEST(Report, RealSearchRunFromTheCimnetBinary) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_real_search");
  // With a method variant beside its method (linas:rerank=0): a series of its own, not the main one.
  // Small sizes (one guided iteration after the initial sample) keep five methods' SystemC runs short.
  const fs::path scenario = dir / "small.yaml";
  std::ofstream(scenario) << "space:\n  name: ofa-mbv3\nsearch:\n  initial: 12\n  batch: 6\n  population: 16\n"
                             "  generations: 10\n";
  const Result search = run(std::string(CIMNET_BINARY_PATH) + " search --scenario " + quote(scenario.string()) +
                            " --method all,linas:rerank=0 --budget 18 --jobs 2 --out " + quote((dir / "run").string()) +
                            " >/dev/null");
  if (search.status != 0) {
    // The search is another area's command: its absence or failure is reported, not hidden.
    FAIL() << "cimnet search failed (status " << search.status << "): " << search.err;
  }
  const Result r = run(driver() + " " + quote((dir / "run").string()) + " --out " + quote((dir / "out").string()));
  ASSERT_EQ(r.status, 0) << r.err;
  expect_report(dir / "out", {"pareto.png", "hypervolume.png", "config_heatmap.png"},
                {"reference design", "linas", "random", "nsga2", "history file", "linas:rerank=0",
                 " (linas, " /* the front table and heatmap are the plain method's */});
  clean(dir);
}

TEST(Report, PredictorAndDatasetCsvsThroughTheScript) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_predictor");
  {
    std::ofstream s(dir / "scatter_cycles.csv");
    s << "source,arch,actual,predicted,error_pct\n";
    for (int i = 0; i < 40; ++i) s << "t.csv:" << i + 2 << ",a" << i << ',' << 1e6 + 1e4 * i << ',' << 1.1e6 + 1.1e4 * i << ",10\n";
    std::ofstream c(dir / "curve_accuracy.csv");
    c << "train_size,repeats,test_size,tau_mean,tau_sd,mape_mean,mape_sd,rmse_mean,rmse_sd\n"
      << "50,3,100,0.81,0.02,0.31,0.05,0.3,0.01\n100,3,100,0.87,0.01,0.22,0.03,0.2,0.01\n"
      << "200,3,100,0.93,0.01,0.15,0.02,0.1,0.01\n";
    std::ofstream d(dir / "data.csv");
    d << "# cimnet dataset v1 scenario=0 space=ofa-mbv3 mode=joint seed=1 n=3 points=sampled shard=all\n"
      << "index,space,genome,status,message,cycles,analytical_cycles\n"
      << "0,ofa-mbv3,g0,ok,,1000,1100\n1,ofa-mbv3,g1,ok,,2000,1900\n2,ofa-mbv3,g2,error,boom,,\n3,ofa-mbv3,g3,ok,,3000,3300\n";
  }
  const fs::path out = dir / "out";
  const Result r = run("/usr/bin/python3 -B " + std::string(REPORT_SCRIPT_PATH) + " " + quote(dir.string()) +
                       " --out " + quote(out.string()));
  ASSERT_EQ(r.status, 0) << r.err;
  expect_report(out, {"predicted_vs_actual.png", "learning_curves.png", "analytical_vs_systemc.png"},
                {"1.000 / 10.00 %", "0.930", "8.333"});  // tau / MAPE; tau at 200; MAPE of the analytical
  clean(dir);
}

TEST(Report, UnrecognisedInputExitsTwoWithOneClearLine) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_unrecognised");
  std::ofstream(dir / "notes.txt") << "nothing here\n";
  std::ofstream(dir / "other.csv") << "a,b\n1,2\n";
  const Result r = run(driver() + " " + quote(dir.string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "cimnet report: nothing to report in")) << r.err;
  EXPECT_TRUE(contains(r.err, "search run folder")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "report"));
  const Result direct = run("/usr/bin/python3 -B " + std::string(REPORT_SCRIPT_PATH) + " " + quote(dir.string()));
  EXPECT_EQ(direct.status, 2) << direct.err;
  const Result missing = run(driver() + " " + quote((dir / "absent").string()));
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "does not exist")) << missing.err;
  const Result none = run(driver());
  EXPECT_EQ(none.status, 2);
  clean(dir);
}

// Issue 12, defect 9: these printed a Python traceback and exited 1.
TEST(Report, NonUtf8TextAndAnEmptyLayerListExitTwoWithOneLine) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_damaged");
  write_search_run(dir / "run");
  std::ofstream(dir / "run" / "iterations.csv", std::ios::binary | std::ios::app) << "guided,5,60,\xff\xfe,,,,\n";
  const Result text = run(driver() + " " + quote((dir / "run").string()) + " --out " + quote((dir / "out").string()));
  EXPECT_EQ(text.status, 2) << text.err;
  EXPECT_TRUE(contains(text.err, "cimnet report: " + (dir / "run" / "iterations.csv").string() +
                                     ": not UTF-8 text (byte 0xff at offset "))
      << text.err;
  EXPECT_EQ(std::count(text.err.begin(), text.err.end(), '\n'), 1) << text.err;

  std::ofstream(dir / "sim.json") << R"({"network": "n", "layers": [], "totals": {"macs": 0}})";
  const Result empty = run(driver() + " " + quote((dir / "sim.json").string()));
  EXPECT_EQ(empty.status, 2) << empty.err;
  EXPECT_EQ(empty.err, "cimnet report: " + (dir / "sim.json").string() +
                           ": the simulate report has no layers to draw ('layers' must be a non-empty list of "
                           "objects); write it again with cimnet simulate --report\n");
  clean(dir);
}

// The layers and totals of a simulate report with one simulated conv: what a figure's own field is added to.
const std::string kOneLayerSimulated = R"("layers": [{"index": 0, "name": "c", "kind": "conv", "macs": 10, "bound": "dram",
                                           "utilisation": 0.5, "simulated": {"cycles": 100}}],
                                "totals": {"macs": 10, "simulated_cycles": 100})";

// The occupancy figure needs levels.occupancy: without it (an analytical report) there is no figure;
// a damaged one is bad input in one line, not a traceback.
TEST(Report, OccupancyFigureOnlyFromAWellFormedOccupancy) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_occupancy");
  const std::string layers = kOneLayerSimulated;
  std::ofstream(dir / "none.json") << "{\"network\": \"n\", " << layers << "}";
  const Result none = run(driver() + " " + quote((dir / "none.json").string()) + " --out " + quote((dir / "none").string()));
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_FALSE(fs::exists(dir / "none" / "sim_occupancy.png"));
  EXPECT_TRUE(fs::exists(dir / "none" / "sim_layers.png"));

  // Two levels, one exact and one thinned: the figure, and the table with both.
  std::ofstream(dir / "good.json") << "{\"network\": \"n\", " << layers << R"(, "levels": {"occupancy": {
      "end_cycle": 100, "max_points": 2000, "levels": [
        {"level": "gb", "capacity": 1048576, "peak_bytes": 4096, "change_points": 3, "thinned": false,
         "window_cycles": 0, "points": [[0, 0], [10, 4096], [90, 1024]]},
        {"level": "ma_fullest", "capacity": 262144, "peak_bytes": 131072, "change_points": 4000, "thinned": true,
         "window_cycles": 50, "points": [[0, 131072], [50, 65536]]}]}}})";
  const Result good = run(driver() + " " + quote((dir / "good.json").string()) + " --out " + quote((dir / "good").string()));
  ASSERT_EQ(good.status, 0) << good.err;
  expect_report(dir / "good", {"sim_occupancy.png"},
                {"1,048,576</td><td class=\"num\">4,096</td><td class=\"num\">0.4</td><td class=\"num\">exact",
                 "262,144</td><td class=\"num\">131,072</td><td class=\"num\">50.0</td><td class=\"num\">50"});

  std::ofstream(dir / "bad.json") << "{\"network\": \"n\", " << layers << R"(, "levels": {"occupancy": {
      "end_cycle": 100, "levels": [{"level": "gb", "capacity": 1048576, "points": [[0, "x"]]}]}}})";
  const Result bad = run(driver() + " " + quote((dir / "bad.json").string()) + " --out " + quote((dir / "bad").string()));
  EXPECT_EQ(bad.status, 2) << bad.err;
  EXPECT_EQ(bad.err, "cimnet report: " + (dir / "bad.json").string() +
                         ": levels.occupancy level 'gb' needs a non-empty list of [cycle, bytes] integer pairs; write "
                         "it again with cimnet simulate --report\n");
  clean(dir);
}

// The schedule figure needs `schedule`: without it there is no figure; a damaged one is bad input in one
// line.
TEST(Report, ScheduleFigureOnlyFromAWellFormedSchedule) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_schedule");
  const std::string layers = kOneLayerSimulated;
  std::ofstream(dir / "none.json") << "{\"network\": \"n\", " << layers << "}";
  const Result none = run(driver() + " " + quote((dir / "none.json").string()) + " --out " + quote((dir / "none").string()));
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_FALSE(fs::exists(dir / "none" / "sim_schedule.png"));

  std::ofstream(dir / "good.json") << "{\"network\": \"n\", " << layers << R"(, "schedule": {"end_cycle": 100,
      "rows": [{"name": "L1 decoder 0", "merge_gap": 0, "bars": [[0, 60, 0], [70, 90, 0]]},
               {"name": "vector unit", "merge_gap": 5, "bars": [[60, 70, 0]]}]}})";
  const Result good = run(driver() + " " + quote((dir / "good.json").string()) + " --out " + quote((dir / "good").string()));
  ASSERT_EQ(good.status, 0) << good.err;
  expect_report(dir / "good", {"sim_schedule.png"},
                {"L1 decoder 0</td><td class=\"num\">2</td><td class=\"num\">80.0</td><td class=\"num\">1</td>"
                 "<td>touching only",
                 "vector unit</td><td class=\"num\">1</td><td class=\"num\">10.0</td><td class=\"num\">1</td><td>5"});

  std::ofstream(dir / "bad.json") << "{\"network\": \"n\", " << layers << R"(, "schedule": {"end_cycle": 100,
      "rows": [{"name": "L1 decoder 0", "bars": [[50, 10, 0]]}]}})";
  const Result bad = run(driver() + " " + quote((dir / "bad.json").string()) + " --out " + quote((dir / "bad").string()));
  EXPECT_EQ(bad.status, 2) << bad.err;
  EXPECT_EQ(bad.err, "cimnet report: " + (dir / "bad.json").string() +
                         ": schedule row 'L1 decoder 0' needs [start, end, layer] integer bars with start <= end; write "
                         "it again with cimnet simulate --report\n");
  clean(dir);
}

// The energy figure needs `energy` (issue 16): without it there is no figure; a damaged one is bad input
// in one line.
TEST(Report, EnergyFigureOnlyFromAWellFormedEnergy) {
  SKIP_WITHOUT_MATPLOTLIB();
  const fs::path dir = cimnet::test::scratch_dir("report_energy");
  const std::string layers = kOneLayerSimulated;
  std::ofstream(dir / "none.json") << "{\"network\": \"n\", " << layers << "}";
  const Result none = run(driver() + " " + quote((dir / "none.json").string()) + " --out " + quote((dir / "none").string()));
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_FALSE(fs::exists(dir / "none" / "sim_energy.png"));

  std::ofstream(dir / "good.json") << "{\"network\": \"n\", " << layers << R"(, "energy": {"total_pj": 1000,
      "levels": {"dram": 750, "compute": 250, "static": 0}, "layers_pj": [1000], "pj_per_mac": 2.5,
      "tops_per_watt": 0.8, "edp_joule_seconds": 1e-12, "table": {"preset": "lpddr4"}}})";
  const Result good = run(driver() + " " + quote((dir / "good.json").string()) + " --out " + quote((dir / "good").string()));
  ASSERT_EQ(good.status, 0) << good.err;
  expect_report(dir / "good", {"sim_energy.png"},
                {"<td>dram</td><td class=\"num\">750</td><td class=\"num\">75.0</td>", "2.5 pJ/MAC; 0.8 TOPS/W"});

  std::ofstream(dir / "bad.json") << "{\"network\": \"n\", " << layers << R"(, "energy": {"total_pj": 10,
      "levels": {"dram": -1}, "layers_pj": []}})";
  const Result bad = run(driver() + " " + quote((dir / "bad.json").string()) + " --out " + quote((dir / "bad").string()));
  EXPECT_EQ(bad.status, 2) << bad.err;
  EXPECT_EQ(bad.err, "cimnet report: " + (dir / "bad.json").string() +
                         ": energy.levels must map each level to a non-negative number of pJ; write it again with "
                         "cimnet simulate --report\n");
  clean(dir);
}

TEST(Report, MissingPythonOrMatplotlibIsBadInputNamingTheFix) {
  const fs::path dir = cimnet::test::scratch_dir("report_nopython");
  write_search_run(dir / "run");
  const Result no_python = run("CIMNET_PYTHON=" + quote((dir / "no-python").string()) + " " + driver() + " " +
                               quote((dir / "run").string()));
  EXPECT_EQ(no_python.status, 2);
  EXPECT_TRUE(contains(no_python.err, "apt-get install python3-matplotlib")) << no_python.err;
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 for the matplotlib part";
  // An interpreter whose matplotlib fails to import (a stand-in module first on the path).
  fs::create_directories(dir / "fake");
  std::ofstream(dir / "fake" / "matplotlib.py") << "raise ImportError('no matplotlib here')\n";
  const Result no_matplotlib = run("PYTHONPATH=" + quote((dir / "fake").string()) + " " + driver() + " " +
                                   quote((dir / "run").string()));
  EXPECT_EQ(no_matplotlib.status, 2);
  EXPECT_TRUE(contains(no_matplotlib.err, "matplotlib is not available")) << no_matplotlib.err;
  EXPECT_TRUE(contains(no_matplotlib.err, "apt-get install python3-matplotlib")) << no_matplotlib.err;
  const Result no_script = run("CIMNET_SCRIPTS_DIR=" + quote((dir / "nowhere").string()) + " " + driver() + " " +
                               quote((dir / "run").string()));
  EXPECT_EQ(no_script.status, 2);
  EXPECT_TRUE(contains(no_script.err, "CIMNET_SCRIPTS_DIR")) << no_script.err;
  clean(dir);
}
