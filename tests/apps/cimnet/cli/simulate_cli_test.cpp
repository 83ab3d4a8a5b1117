// `cimnet simulate` and `cimnet map` end to end: every error path exits 2 with one line naming the
// problem, and the success paths print and write what docs/user-guide.md promises.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_cli.hpp"
#include "tests/support/test_support.hpp"

namespace {

using cimnet::test::contains;
using cimnet::test::Result;
using cimnet::test::run;

// A small network that simulates in well under a second.
const std::string kNet = "--space ofa-mbv3 --arch min";

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("cimnet_sim_cli." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

long long count_lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

// Exit 2, one line on stderr containing every `needle`, nothing on stdout.
void expect_one_line_error(const std::string& args, const std::vector<std::string>& needles) {
  const Result r = run(args);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << args << ": " << r.err;
  for (const auto& n : needles) EXPECT_TRUE(contains(r.err, n)) << args << ": '" << n << "' not in " << r.err;
  EXPECT_EQ(r.out, "") << args;
}

// The first layer of the kNet network without MACs, and the layer count (from `cimnet network`).
std::pair<int, int> vector_layer_and_count() {
  const Result r = run("network --format json " + kNet);
  EXPECT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  int vector = -1, i = 0;
  for (const auto& l : j["layers"]) {
    if (vector < 0 && l["macs"].get<long long>() == 0) vector = i;
    ++i;
  }
  return {vector, i};
}

TEST(SimulateCli, ErrorsExitTwoWithOneClearLine) {
  expect_one_line_error("simulate --space ofa-mbv4 --arch min", {"unknown search space 'ofa-mbv4'", "ofa-mbv3"});
  expect_one_line_error("simulate " + kNet + " --engine gpu", {"--engine", "gpu", "systemc"});
  expect_one_line_error("simulate " + kNet + " --hw DRAM_bw=0", {"DRAM_bw", "positive"});
  expect_one_line_error("simulate " + kNet + " --hw L2_bandwidth=64", {"L2_bandwidth", "did you mean 'L2_bw'"});
  expect_one_line_error("simulate --network /nonexistent/net.yaml", {"/nonexistent/net.yaml"});
  expect_one_line_error("simulate --network /nonexistent/net.yaml --space ofa-mbv3",
                        {"--network cannot be combined with --space"});
  expect_one_line_error("simulate " + kNet + " --engine analytical --trace " + scratch("t.json"),
                        {"--trace needs --engine systemc or both"});
  expect_one_line_error("simulate " + kNet + " --timeout 0", {"--timeout must be positive"});
  expect_one_line_error("simulate " + kNet + " --bogus", {"--bogus"});
  expect_one_line_error("simulate --space ofa-mbv3 --arch 'ks=3'", {"ks"});
  // A layer that fits no mapping is named with the constraint (one position needs more input than
  // half the input buffer).
  expect_one_line_error("simulate " + kNet + " --engine analytical --hw input_buffer_bytes=2",
                        {"cannot be mapped", "input_buffer_bytes"});
}

TEST(MapCli, ErrorsExitTwoWithOneClearLine) {
  const auto [vector, layers] = vector_layer_and_count();
  ASSERT_GE(vector, 0);
  expect_one_line_error("map " + kNet, {"--layer is required"});
  expect_one_line_error("map " + kNet + " --layer " + std::to_string(layers),
                        {"--layer '" + std::to_string(layers) + "': no such layer",
                         "0.." + std::to_string(layers - 1)});
  expect_one_line_error("map " + kNet + " --layer -1", {"no such layer"});
  expect_one_line_error("map " + kNet + " --layer no.such.layer", {"'no.such.layer': no such layer"});
  expect_one_line_error("map " + kNet + " --layer " + std::to_string(vector), {"has no MACs", "vector unit"});
  expect_one_line_error("map " + kNet + " --layer 1 --top 0", {"--top must be 1..100"});
  expect_one_line_error("map --space ofa-mbv4 --arch min --layer 1", {"unknown search space 'ofa-mbv4'"});
  expect_one_line_error("map " + kNet + " --layer 1 --hw MA_bw=0", {"MA_bw", "positive"});
  expect_one_line_error("map --network /nonexistent/net.yaml --layer 1", {"/nonexistent/net.yaml"});
  expect_one_line_error("map --network x.yaml --arch max --layer 1", {"--network cannot be combined with --arch"});
}

// Issue 16: simulate gives the inference's energy by level, in the table and the report; the levels
// add up to the total and the layers to the dynamic part; DRAM-type presets scale DRAM energy alone.
TEST(SimulateCli, EnergyByLevelAndLayer) {
  const std::string tiny = "--network " + (cimnet::test::source_dir() / "examples/networks/tiny-cnn.yaml").string();
  // The trace's power track integrates to the run's energy (layer by layer: one inference).
  double traced_pj = -1;
  auto energy_of = [&](const std::string& scenario_text) {
    const std::filesystem::path dir = cimnet::test::scratch_dir("energy-cli");
    const std::string scenario = (dir / "s.yaml").string();
    std::ofstream(scenario) << "space: {name: ofa-mbv3}\n" << scenario_text;
    const std::string report = (dir / "r.json").string(), trace = (dir / "t.json").string();
    const Result r = run("simulate " + tiny + " --scenario " + scenario + " --engine both --report " + report +
                         " --trace " + trace);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "energy:   ")) << r.out;
    EXPECT_TRUE(contains(r.out, "pJ/MAC")) << r.out;
    const nlohmann::json j = nlohmann::json::parse(std::ifstream(report))["energy"];
    std::vector<std::pair<double, double>> power;  // (µs, mW)
    const nlohmann::json events = nlohmann::json::parse(std::ifstream(trace))["traceEvents"];
    for (const auto& e : events) {
      if (e["name"] == "power (mW)") power.emplace_back(e["ts"].get<double>(), e["args"]["mW"].get<double>());
    }
    traced_pj = 0;
    EXPECT_GT(power.size(), 2u);
    for (std::size_t i = 0; i + 1 < power.size(); ++i) {
      traced_pj += power[i].second * (power[i + 1].first - power[i].first) * 1e3;  // mW × ns = pJ
    }
    std::filesystem::remove_all(dir);
    return j;
  };
  const nlohmann::json lp = energy_of("");
  EXPECT_NEAR(traced_pj, lp["total_pj"].get<double>(), 1e-6 * traced_pj);
  double levels = 0;
  for (const auto& [name, pj] : lp["levels"].items()) levels += pj.get<double>();
  EXPECT_NEAR(levels, lp["total_pj"].get<double>(), 1e-6 * levels);
  double layers = lp["unattributed_pj"].get<double>();
  for (const auto& pj : lp["layers_pj"]) layers += pj.get<double>();
  EXPECT_NEAR(layers, lp["dynamic_pj"].get<double>(), 1e-6 * layers);
  EXPECT_EQ(lp["table"]["preset"], "lpddr4");
  const nlohmann::json ddr3 = energy_of("energy: {preset: ddr3}\n");
  EXPECT_NEAR(ddr3["levels"]["dram"].get<double>(), lp["levels"]["dram"].get<double>() * 70 / 8,
              1e-9 * ddr3["levels"]["dram"].get<double>());
  EXPECT_DOUBLE_EQ(ddr3["levels"]["compute"].get<double>(), lp["levels"]["compute"].get<double>());
  // Static power over the simulated cycles: 1 mW per array for `cycles` ns at 1 GHz.
  const nlohmann::json leaky = energy_of("energy: {preset: lpddr4, static_per_array_mw: 1}\n");
  EXPECT_NEAR(leaky["static_pj"].get<double>(), 64.0 * leaky["cycles"].get<double>(), 1e-9 * leaky["static_pj"].get<double>());
}

// The report holds every layer with its analytical and simulated cycles, summing to the totals; the
// table's total row prints the same totals; the trace is JSON.
TEST(SimulateCli, ReportAndTraceMatchTheTable) {
  const std::string report = scratch("report.json"), trace = scratch("trace.json");
  const Result r = run("simulate " + kNet + " --report " + report + " --trace " + trace);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(report));
  const auto& layers = j["layers"];
  ASSERT_GT(layers.size(), 10u);
  long long analytical = 0, simulated = 0, macs = 0;
  for (const auto& l : layers) {
    ASSERT_TRUE(l.contains("analytical") && l.contains("simulated")) << l.dump();
    analytical += l["analytical"]["cycles"].get<long long>();
    simulated += l["simulated"]["cycles"].get<long long>();
    macs += l["macs"].get<long long>();
    EXPECT_GE(l["simulated"]["cycles"].get<long long>(), 0);
    if (l["macs"].get<long long>() > 0) {
      EXPECT_TRUE(l.contains("mapping")) << l["name"];
    }
  }
  const auto& t = j["totals"];
  EXPECT_EQ(t["analytical_cycles"].get<long long>(), analytical);
  EXPECT_EQ(t["simulated_cycles"].get<long long>(), simulated);
  EXPECT_EQ(t["macs"].get<long long>(), macs);
  EXPECT_TRUE(j.contains("levels"));
  // The total row shows the same numbers (thousands separated, as the table prints them).
  auto thousands = [](long long v) {
    std::string s = std::to_string(v), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i && (s.size() - i) % 3 == 0) out += ',';
      out += s[i];
    }
    return out;
  };
  std::string total_row;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, " total ")) total_row = line;
  }
  ASSERT_FALSE(total_row.empty()) << r.out;
  EXPECT_TRUE(contains(total_row, thousands(analytical))) << total_row << " vs " << analytical;
  EXPECT_TRUE(contains(total_row, thousands(simulated))) << total_row << " vs " << simulated;
  EXPECT_TRUE(contains(total_row, std::to_string(layers.size()) + " layers")) << total_row;
  // One table row per layer, between the header and the total.
  for (const auto& l : layers) EXPECT_TRUE(contains(r.out, l["name"].get<std::string>())) << l["name"];
  // The trace: valid JSON with trace events.
  const auto tj = nlohmann::json::parse(slurp(trace));
  const auto& events = tj.is_array() ? tj : tj["traceEvents"];
  EXPECT_GT(events.size(), 0u);
}

TEST(SimulateCli, AnalyticalEngineSkipsTheSimulation) {
  const std::string report = scratch("analytical.json");
  const Result r = run("simulate " + kNet + " --engine analytical --report " + report);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "simulated")) << r.out;
  EXPECT_TRUE(contains(r.out, "analytical")) << r.out;
  const auto j = nlohmann::json::parse(slurp(report));
  EXPECT_FALSE(j["totals"].contains("simulated_cycles"));
  long long analytical = 0;
  for (const auto& l : j["layers"]) {
    EXPECT_FALSE(l.contains("simulated"));
    analytical += l["analytical"]["cycles"].get<long long>();
  }
  EXPECT_EQ(j["totals"]["analytical_cycles"].get<long long>(), analytical);
}

// Issue 14: under fused the table marks the layers whose weights stay (res), ends in a cold and a
// steady total and says what they are; the report gives both per layer and in the totals. Layer by
// layer there is one total, and the footnote says cold = steady.
TEST(SimulateCli, FusedShowsResidentLayersAndColdAndSteadyTotals) {
  const std::string tiny = "--network " + (cimnet::test::source_dir() / "examples/networks/tiny-cnn.yaml").string();
  const std::string report = scratch("cold-steady.json");
  const Result r = run("simulate " + tiny + " --execution fused --cycles cold --report " + report);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "cycles:   cold")) << r.out;
  const auto header_of = [](const std::string& out) {  // the table's header line
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      if (contains(line, " name ") && contains(line, " bound")) return line;
    }
    return std::string();
  };
  EXPECT_TRUE(contains(header_of(r.out), " res ")) << r.out;
  EXPECT_TRUE(contains(r.out, "cold = the first inference, every weight loaded; steady = one inference once warm"))
      << r.out;
  const auto j = nlohmann::json::parse(slurp(report));
  const auto& t = j["totals"];
  EXPECT_EQ(t["cycles_of"], "cold");
  EXPECT_EQ(t["simulated_cycles"], t["simulated_cold_cycles"]);
  EXPECT_LE(t["simulated_steady_cycles"].get<long long>(), t["simulated_cold_cycles"].get<long long>());
  std::string cold_row, steady_row;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, "cold total")) cold_row = line;
    if (contains(line, "steady total")) steady_row = line;
  }
  const auto thousands = [](long long v) {
    std::string s = std::to_string(v), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i && (s.size() - i) % 3 == 0) out += ',';
      out += s[i];
    }
    return out;
  };
  EXPECT_TRUE(contains(cold_row, thousands(t["simulated_cold_cycles"].get<long long>()))) << cold_row;
  EXPECT_TRUE(contains(steady_row, thousands(t["simulated_steady_cycles"].get<long long>()))) << steady_row;
  int resident = 0;
  for (const auto& l : j["layers"]) {
    if (!l["resident"].get<bool>()) continue;
    ++resident;
    EXPECT_LE(l["steady"]["analytical_cycles"].get<long long>(), l["cold"]["analytical_cycles"].get<long long>())
        << l["name"];
  }
  EXPECT_GT(resident, 0);

  const Result lbl = run("simulate " + tiny + " --engine analytical");
  ASSERT_EQ(lbl.status, 0) << lbl.err;
  EXPECT_FALSE(contains(header_of(lbl.out), " res ")) << lbl.out;
  EXPECT_FALSE(contains(lbl.out, "cold total")) << lbl.out;
  EXPECT_TRUE(contains(lbl.out, "cold = steady: no weights stay in the arrays between inferences.")) << lbl.out;
}

TEST(MapCli, ShowsTheBestKSortedByCycles) {
  const Result r = run("map " + kNet + " --layer 0 --top 3");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "searched: ")) << r.out;
  // Rows 1..3 in rank order, cycles non-decreasing (the sixth column).
  std::vector<long long> cycles;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.size() < 8 || w[0] != std::to_string(cycles.size() + 1)) continue;
    // rank, mapping words..., passes, tile B, pos/tile, cycles: find cycles as the 4th number after
    // the mapping (the mapping has no bare numbers).
    std::size_t k = 1;
    while (k < w.size() && !std::all_of(w[k].begin(), w[k].end(), [](char c) { return std::isdigit(c) || c == ','; })) ++k;
    ASSERT_LT(k + 3, w.size()) << line;
    std::string c = w[k + 3];
    c.erase(std::remove(c.begin(), c.end(), ','), c.end());
    cycles.push_back(std::stoll(c));
  }
  ASSERT_EQ(cycles.size(), 3u) << r.out;
  EXPECT_TRUE(std::is_sorted(cycles.begin(), cycles.end())) << r.out;
}

}  // namespace

namespace {

// The shipped heterogeneous experiment (issue 17; docs/heterogeneous.md): `hardware` lists its digital
// core, `simulate` runs the pointwise convolutions of the largest MobileNetV3 on it and says so per
// layer; fused and pipelined run it too (without a stream of overlapping inferences).
TEST(SimulateCli, TheHeterogeneousExperimentPutsPointwiseLayersOnTheDigitalCore) {
  const std::string scenario =
      "--scenario " + (cimnet::test::source_dir() / "scenarios/experiments/ofa-mbv3-heterogeneous.yaml").string();
  const Result hw = run("hardware --format json " + scenario);
  ASSERT_EQ(hw.status, 0) << hw.err;
  const auto h = nlohmann::json::parse(hw.out);
  ASSERT_EQ(h["digital_cores"].size(), 1U);
  EXPECT_EQ(h["digital_cores"][0]["name"], "pe");
  EXPECT_EQ(h["digital_cores"][0]["unrolling"], nlohmann::json({"K", "Q"}));
  EXPECT_EQ(h["derived"]["peak_macs_per_cycle"], 64);

  const std::string report = scratch("heterogeneous.json");
  const Result r = run("simulate --engine analytical --arch max --report " + report + " " + scenario);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "digital=pe")) << r.out;
  EXPECT_TRUE(contains(r.out, "digital pe: ")) << r.out;
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  int on_core = 0;
  for (const auto& layer : j["layers"]) {
    if (!layer.contains("core")) continue;
    if (layer["core"] == "pe") {
      ++on_core;
      EXPECT_EQ(layer["kind"], "conv") << layer["name"];
      EXPECT_TRUE(layer.contains("digital")) << layer["name"];
    } else {
      EXPECT_EQ(layer["core"], "arrays");
    }
  }
  EXPECT_EQ(on_core, 43);  // the pointwise convolutions (HeterogeneousNetwork.EachLayerRunsWhereItIsFastestAlone)

  const Result fused = run("simulate --engine analytical --arch min --execution fused " + scenario);
  EXPECT_EQ(fused.status, 0) << fused.err;
  EXPECT_TRUE(contains(fused.out, "digital=pe")) << fused.out;
  const Result stream = run("simulate --engine analytical --arch min --execution pipelined --cycles stream " + scenario);
  EXPECT_EQ(stream.status, 0) << stream.err;
  EXPECT_TRUE(contains(stream.out, "on digital cores, ")) << stream.out;  // its stages share the core
}

// --allocation: the objective of the choice of core, shown and recorded; refused where there is no choice.
TEST(SimulateCli, AllocationForEnergyMovesMoreLayersOntoTheDigitalCore) {
  const std::string scenario =
      "--scenario " + (cimnet::test::source_dir() / "scenarios/experiments/ofa-mbv3-heterogeneous.yaml").string();
  const std::string report = scratch("allocation.json");
  const Result r = run("simulate --engine analytical --arch max --allocation energy --report " + report + " " + scenario);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "allocation: energy")) << r.out;
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["allocation"], "energy");
  int on_core = 0;
  for (const auto& layer : j["layers"]) on_core += layer.contains("core") && layer["core"] == "pe";
  EXPECT_EQ(on_core, 62);  // docs/heterogeneous.md, "Allocation"

  const Result plain = run("simulate --engine analytical --space ofa-mbv3 --arch min --allocation energy");
  EXPECT_EQ(plain.status, 2);
  EXPECT_TRUE(contains(plain.err, "--allocation: applies only to designs with digital cores")) << plain.err;
  const Result unknown = run("simulate --engine analytical --arch min --allocation power " + scenario);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(contains(unknown.err, "latency, energy, energy-delay")) << unknown.err;
  // A dataset takes it too, and refuses it on a design without digital cores (the embedded default
  // scenario) before any output.
  const std::string out = scratch("allocation.csv");
  const Result refused = run("dataset --mode joint --samples 2 --allocation energy --out " + out);
  EXPECT_EQ(refused.status, 2);
  EXPECT_TRUE(contains(refused.err, "--allocation: applies only to designs with digital cores")) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace

// A design without CiM arrays (the DIANA-like scenario): --inner-precision deploys a network at narrower
// precision inside, bad text and a layer no core can run are exit 2 with one line, before any simulation.
// A design without arrays streams on its cores: its stages have no decoders to name, only how many of
// their layers run on a digital core.
TEST(SimulateCli, ADesignWithoutArraysStreamsOnItsCores) {
  const std::string scenario =
      "--scenario " + (cimnet::test::source_dir() / "scenarios/experiments/diana-like.yaml").string() +
      " --network " + (cimnet::test::source_dir() / "examples/networks/resnet18.yaml").string();
  const std::string report = scratch("stream.json");
  const Result stream =
      run("simulate --engine analytical --execution pipelined --cycles stream --report " + report + " " + scenario);
  ASSERT_EQ(stream.status, 0) << stream.err;
  EXPECT_TRUE(contains(stream.out, "stage:    layers conv1 .. conv1, 1 on digital cores, ")) << stream.out;
  EXPECT_FALSE(contains(stream.out, "on decoders")) << stream.out;
  const nlohmann::json j = nlohmann::json::parse(std::ifstream(report));
  ASSERT_GE(j["stream_stages"].size(), 2u);
  int on_cores = 0;
  for (const auto& st : j["stream_stages"]) {
    EXPECT_EQ(st["decoders"], 0);
    on_cores += st["layers_on_digital_cores"].get<int>();
  }
  EXPECT_EQ(on_cores, 21);  // ResNet-18's 20 convolutions and its classifier, each on a core
}

TEST(SimulateCli, ADesignWithoutArraysRefusesALayerNoCoreCanRun) {
  const std::string scenario =
      "--scenario " + (cimnet::test::source_dir() / "scenarios/experiments/diana-like.yaml").string();
  const Result inner = run("simulate --engine analytical --arch max --inner-precision 2/7 " + scenario);
  ASSERT_EQ(inner.status, 0) << inner.err;
  EXPECT_TRUE(contains(inner.out, "aimc")) << inner.out;
  const Result bad = run("simulate --engine analytical --arch max --inner-precision 2/99 " + scenario);
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, "cimnet simulate: --inner-precision: expected WEIGHT_BITS/ACTIVATION_BITS in 1..32, e.g. 2/7, "
                     "got '2/99'\n");
  const std::string wide = scratch("wide.yaml");
  std::ofstream(wide) << "name: wide\ninput: {channels: 3, height: 8, width: 8}\nprecision: {weights: 16}\n"
                         "layers:\n  - {name: conv, type: conv, out_channels: 8, kernel: 3}\n";
  const Result none = run("simulate --network " + wide + " " + scenario);
  EXPECT_EQ(none.status, 2);
  EXPECT_TRUE(contains(none.err, "layer 'conv' can run on no core of this design")) << none.err;
  EXPECT_TRUE(contains(none.err, "digital core 'aimc'")) << none.err;
  EXPECT_TRUE(contains(none.err, "digital core 'digital'")) << none.err;
  EXPECT_EQ(std::count(none.err.begin(), none.err.end(), '\n'), 1) << none.err;
  // A dataset or a search of a space one of whose layers no core can take refuses before any output.
  std::ifstream in((cimnet::test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string eight = "      precisions: [2, 4, 8]\n";
  ASSERT_NE(text.find(eight), std::string::npos);
  text.replace(text.find(eight), eight.size(), "      precisions: [2, 4]\n");  // no core takes 8-bit weights
  const std::string narrow = scratch("narrow.yaml");
  std::ofstream(narrow) << text;
  const std::string out = scratch("narrow.csv");
  const Result dataset = run("dataset --scenario " + narrow + " --mode arch --samples 2 --out " + out);
  EXPECT_EQ(dataset.status, 2);
  EXPECT_TRUE(contains(dataset.err, "layer 'first_conv' can run on no core of this design")) << dataset.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  const std::string folder = scratch("narrow-run");
  const Result search = run("search --scenario " + narrow + " --out " + folder);
  EXPECT_EQ(search.status, 2);
  EXPECT_TRUE(contains(search.err, "layer 'first_conv' can run on no core of this design")) << search.err;
  EXPECT_FALSE(std::filesystem::exists(folder));
}

// A scenario may give its hardware as components and links (issue 17): `hardware --format components`
// prints any scenario's that way, the printed design simulates exactly as the original, and a dangling
// link exits 2 naming the file, line and link before any work.
TEST(SimulateCli, AHardwareDescriptionOfComponentsRunsTheSameDesign) {
  const std::string original =
      "--scenario " + (cimnet::test::source_dir() / "scenarios/experiments/ofa-mbv3-heterogeneous.yaml").string();
  const Result described = run("hardware --format components " + original);
  ASSERT_EQ(described.status, 0) << described.err;
  EXPECT_TRUE(contains(described.out, "kind: digital_core")) << described.out;
  const std::string file = scratch("components.yaml");
  std::ofstream(file) << "name: components\nspace: {name: ofa-mbv3}\n" << described.out;
  const std::string sim = "simulate --engine analytical --arch max --allocation latency ";
  const Result a = run(sim + original);
  const Result b = run(sim + "--scenario " + file);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);

  std::string text = described.out;
  const std::string link = "to: pe,";
  ASSERT_NE(text.find(link), std::string::npos) << text;
  text.replace(text.find(link), link.size(), "to: pe2,");
  const std::string dangling = scratch("dangling.yaml");
  std::ofstream(dangling) << "name: dangling\nspace: {name: ofa-mbv3}\n" << text;
  const Result bad = run(sim + "--scenario " + dangling);
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.err, dangling + ":")) << bad.err;
  EXPECT_TRUE(contains(bad.err, "link from 'l2' to 'pe2' is dangling: no component is named 'pe2'")) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  EXPECT_EQ(run("hardware --format components --hw DRAM_bw=16").status, 2);
}
