// Scenario files: the embedded default, the shipped scenarios, and every way a file can be wrong.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <string>

#include "common/error.hpp"
#include "config/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;
using test::source_dir;

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A minimal valid scenario with `extra` appended (hardware sections under test).
std::string with(const std::string& extra) { return "space:\n  name: ofa-mbv3\n" + extra; }

Scenario parse(const std::string& text) { return parse_scenario(text, "t.yaml"); }

void expect_default_hardware(const HardwareSpace& hw) {
  const HardwareSpace d = HardwareSpace::defaults();
  EXPECT_EQ(hw.choices, d.choices);
  EXPECT_EQ(hw.reference, d.reference);
  for (const auto& name : fixed_param_names()) EXPECT_EQ(get_fixed(hw.fixed, name), get_fixed(d.fixed, name)) << name;
}

// The execution policy (issue 14): layer-by-layer unless the scenario names another, or `searched` (the
// co-search picks each candidate's); an unknown one names the file, the line, the key and the allowed
// values.
TEST(Scenario, ExecutionPolicy) {
  EXPECT_EQ(parse(with("")).execution.policy, Execution::LayerByLayer);
  EXPECT_FALSE(parse(with("")).execution.searched);
  EXPECT_EQ(parse(with("execution: fused\n")).execution.policy, Execution::Fused);
  EXPECT_EQ(parse(with("execution: layer-by-layer\n")).execution.policy, Execution::LayerByLayer);
  EXPECT_FALSE(parse(with("execution: fused\n")).execution.searched);
  EXPECT_TRUE(parse(with("execution: searched\n")).execution.searched);
  const std::string e = input_error([] { parse(with("execution: fusion\n")); });
  EXPECT_NE(e.find("t.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("fusion"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed: layer-by-layer, fused, pipelined, searched"), std::string::npos) << e;
}

// Which inference's cycles count (issue 14): steady unless the scenario names cold; an unknown choice
// names the file, the line, the key and the allowed values.
TEST(Scenario, CyclesOf) {
  EXPECT_EQ(parse(with("")).cycles_of, CyclesOf::Steady);
  EXPECT_EQ(parse(with("cycles: cold\n")).cycles_of, CyclesOf::Cold);
  EXPECT_EQ(parse(with("cycles: steady\n")).cycles_of, CyclesOf::Steady);
  EXPECT_EQ(default_scenario().cycles_of, CyclesOf::Steady);
  const std::string e = input_error([] { parse(with("cycles: warm\n")); });
  EXPECT_NE(e.find("t.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("scenario.cycles"), std::string::npos) << e;
  EXPECT_NE(e.find("warm"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed: cold, steady"), std::string::npos) << e;
}

// The pipelined scheduler's least-memory objective (issue 15): key `latency_bound`, a factor or cycles,
// only beside `execution: pipelined`; refusals name the file, the line and the key.
TEST(Scenario, LatencyBound) {
  EXPECT_FALSE(parse(with("")).latency_bound.active());
  const Scenario s = parse(with("execution: pipelined\nlatency_bound: 1.2x\n"));
  EXPECT_EQ(s.latency_bound.factor, 1.2);
  EXPECT_EQ(parse(with("execution: pipelined\nlatency_bound: 450000\n")).latency_bound.cycles, 450000);
  std::string e = input_error([] { parse(with("execution: pipelined\nlatency_bound: fast\n")); });
  EXPECT_NE(e.find("t.yaml:4: scenario.latency_bound: latency bound 'fast' is neither"), std::string::npos) << e;
  e = input_error([] { parse(with("latency_bound: 1.2x\n")); });
  EXPECT_NE(e.find("t.yaml:3: scenario.latency_bound: applies only under execution: pipelined (this scenario's "
                   "execution is layer-by-layer)"),
            std::string::npos)
      << e;
  e = input_error([] { parse(with("execution: searched\nlatency_bound: 1.2x\n")); });
  EXPECT_NE(e.find("execution is searched"), std::string::npos) << e;
}

// Section `energy:` (issue 16): a preset with overrides, or every entry; a missing, negative or non-finite
// entry and an unknown preset are refused naming the file, the line and the key.
TEST(Scenario, EnergyTable) {
  EXPECT_EQ(parse(with("")).energy.preset, "lpddr4");
  const Scenario s = parse(with("energy:\n  preset: hbm2\n  mac_8b: 0.1\n"));
  EXPECT_EQ(s.energy.preset, "hbm2");
  EXPECT_DOUBLE_EQ(s.energy.dram_read, 3.9 * 8);
  EXPECT_DOUBLE_EQ(s.energy.mac_8b, 0.1);
  std::string e = input_error([] { parse(with("energy:\n  preset: ddr5\n")); });
  EXPECT_NE(e.find("t.yaml:4: scenario.energy.preset: unknown energy preset 'ddr5' (allowed: lpddr4, ddr3, gddr5, hbm2)"),
            std::string::npos)
      << e;
  e = input_error([] { parse(with("energy:\n  preset: lpddr4\n  dram_read: -3\n")); });
  EXPECT_NE(e.find("t.yaml:5: scenario.energy.dram_read: expected a finite number >= 0 (pJ/byte), got -3"),
            std::string::npos)
      << e;
  e = input_error([] { parse(with("energy:\n  preset: lpddr4\n  vector_op: .inf\n")); });
  EXPECT_NE(e.find("scenario.energy.vector_op"), std::string::npos) << e;
  e = input_error([] { parse(with("energy:\n  dram_read: 64\n")); });
  EXPECT_NE(e.find("scenario.energy: missing 'dram_write' (pJ/byte, a byte written to DRAM): give every entry, or a "
                   "preset (lpddr4, ddr3, gddr5, hbm2) to override"),
            std::string::npos)
      << e;
  e = input_error([] { parse(with("energy:\n  preset: lpddr4\n  dram_reed: 1\n")); });
  EXPECT_NE(e.find("dram_reed"), std::string::npos) << e;
  EXPECT_NE(e.find("dram_read"), std::string::npos) << e;  // did you mean
}

TEST(Scenario, EmbeddedDefaultParses) {
  const Scenario s = default_scenario();
  EXPECT_EQ(s.origin, "<embedded default scenario>");
  EXPECT_EQ(s.name, "default");
  EXPECT_FALSE(s.description.empty());
  EXPECT_EQ(s.space, "ofa-mbv3");
  EXPECT_EQ(s.space_options.resolutions, std::vector<int>{224});
  EXPECT_EQ(s.text, default_scenario_text());
  // The default file spells out HardwareSpace::defaults(), so a user copying it starts from them.
  expect_default_hardware(s.hardware);
}

TEST(Scenario, DefaultFileOnDiskIsTheEmbeddedOne) {
  const fs::path path = source_dir() / "scenarios" / "default.yaml";
  EXPECT_EQ(read_file(path), default_scenario_text());
}

TEST(Scenario, DefaultFileOnDiskLoads) {
  const fs::path path = source_dir() / "scenarios" / "default.yaml";
  const Scenario s = load_scenario(path.string());
  EXPECT_EQ(s.origin, path.string());
  EXPECT_EQ(s.name, "default");
  EXPECT_EQ(s.text, default_scenario_text());
  expect_default_hardware(s.hardware);
}

TEST(Scenario, EveryShippedScenarioParses) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(source_dir() / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    const std::string text = read_file(entry.path());
    // Which space a file names decides whether it can be checked yet.
    std::smatch match;
    ASSERT_TRUE(std::regex_search(text, match, std::regex("\n  name: ([a-z0-9-]+)"))) << entry.path();
    const std::string space = match[1];
    ASSERT_FALSE(space.empty()) << entry.path();
    SCOPED_TRACE(entry.path().string());
    const Scenario s = load_scenario(entry.path().string());
    EXPECT_EQ(s.name, entry.path().stem().string());
    EXPECT_EQ(s.space, space);
    EXPECT_NO_THROW(s.hardware.validate());
    // Every shipped scenario keeps the paper's reference design, so results compare across them.
    const HardwareConfig ref = s.hardware.reference_config();
    const HardwareConfig paper = HardwareSpace::defaults().reference_config();
    EXPECT_EQ(ref.values, paper.values);
  }
  EXPECT_GE(count, 4);
}

TEST(Scenario, ShippedScenariosSearchThePapersHardwareChoices) {
  // CiMNet's experiments: four choices per parameter, the reference at the third.
  const HardwareSpace paper = HardwareSpace::defaults();
  for (const char* file : {"default.yaml", "ofa-mbv3-w12.yaml", "ofa-resnet50.yaml", "vit-b16.yaml"}) {
    const Scenario s = load_scenario((source_dir() / "scenarios" / file).string());
    EXPECT_EQ(s.hardware.choices, paper.choices) << file;
    EXPECT_EQ(s.hardware.reference, paper.reference) << file;
  }
  EXPECT_EQ(load_scenario((source_dir() / "scenarios" / "ofa-mbv3-w12.yaml").string()).space_options.resolutions,
            (std::vector<int>{160, 176, 192, 208, 224}));
}

TEST(Scenario, NameDefaultsToTheFileStemAndTextIsKept) {
  const std::string text = "# comment\n" + with("hardware:\n  reference: {DRAM_bw: 32}\n");
  const Scenario s = parse_scenario(text, "dir/my-experiment.yaml");
  EXPECT_EQ(s.name, "my-experiment");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.text, text);
  EXPECT_EQ(s.hardware.reference_config().get(HwParam::DRAM_bw), 32);
  EXPECT_TRUE(s.space_options.resolutions.empty());
}

TEST(Scenario, HardwareSectionOverrides) {
  const Scenario s = parse(with(
      "hardware:\n"
      "  reference: {L2_bw: 512}\n"   // before choices in the file: still checked against them
      "  choices:\n"
      "    MA_mem_size: [32KiB, 1MiB]\n"
      "    L2_bw: [128, 256, 512]\n"
      "    DRAM_bw: [8, 16, 32, 64, 128, 256]\n"
      "  fixed: {dram_latency: 200, clock_ghz: 1.5}\n"));
  const HardwareSpace& hw = s.hardware;
  EXPECT_EQ(hw.choices[static_cast<std::size_t>(HwParam::MA_mem_size)], (std::vector<std::int64_t>{32768, 1048576}));
  // Replaced choices without a reference: the third choice, or the last of fewer than three.
  const HardwareConfig ref = hw.reference_config();
  EXPECT_EQ(ref.get(HwParam::MA_mem_size), 1048576);
  EXPECT_EQ(ref.get(HwParam::DRAM_bw), 32);
  EXPECT_EQ(ref.get(HwParam::L2_bw), 512);
  EXPECT_EQ(ref.get(HwParam::L1_bw), 128);  // untouched
  EXPECT_EQ(hw.fixed.dram_latency, 200);
  EXPECT_EQ(hw.fixed.clock_ghz, 1.5);
  EXPECT_EQ(hw.fixed.l2_latency, MicroArch{}.l2_latency);
}

// --- unknown keys, at every level -------------------------------------------------------------

TEST(Scenario, UnknownTopLevelKey) {
  EXPECT_EQ(input_error([] { parse("name: x\nhardwre: {}\nspace: {name: ofa-mbv3}\n"); }),
            "t.yaml:2: unknown key 'hardwre' in 'scenario' (did you mean 'hardware'?); allowed: name, "
            "description, space, hardware, execution, cycles, latency_bound, allocation, energy, accuracy, search");
  // Keys of features that do not exist are unknown like any other.
  EXPECT_EQ(input_error([] { parse(with("optimise:\n  generations: 3\n")); }),
            "t.yaml:3: unknown key 'optimise' in 'scenario'; allowed: name, description, space, hardware, execution, "
            "cycles, latency_bound, allocation, energy, accuracy, search");
}

TEST(Scenario, SearchSection) {
  const Scenario d = parse(with(""));
  EXPECT_EQ(d.search.mode, "joint");
  EXPECT_DOUBLE_EQ(d.search.area_budget, 1.0);
  const Scenario s = parse(with("search:\n  mode: arch\n  methods: [linas, random]\n  budget: 40\n  generations: 3\n"
                                "  seeds: [4, 5]\n  objectives: [accuracy, cycles, area]\n  area_budget: 0\n"));
  EXPECT_EQ(s.search.mode, "arch");
  EXPECT_EQ(s.search.methods, (std::vector<std::string>{"linas", "random"}));
  EXPECT_EQ(s.search.budget, 40);
  EXPECT_EQ(s.search.generations, 3);
  EXPECT_EQ(s.search.rerank, 4);
  EXPECT_EQ(s.search.seeds, (std::vector<long long>{4, 5}));
  EXPECT_EQ(s.search.objectives.size(), 3u);
  EXPECT_DOUBLE_EQ(s.search.area_budget, 0.0);
  EXPECT_NE(input_error([] { parse(with("search:\n  generation: 3\n")); }).find("did you mean 'generations'"),
            std::string::npos);
  // Any two or more of the five; one alone, or a name outside them, is refused naming the allowed ones.
  EXPECT_EQ(parse(with("search:\n  objectives: [cycles, energy]\n")).search.objectives,
            (std::vector<std::string>{"cycles", "energy"}));
  EXPECT_EQ(parse(with("search:\n  objectives: [accuracy, edp, area]\n")).search.objectives.size(), 3u);
  EXPECT_NE(input_error([] { parse(with("search:\n  objectives: [accuracy]\n")); }).find("needs two or more"),
            std::string::npos);
  const std::string unknown = input_error([] { parse(with("search:\n  objectives: [accuracy, power]\n")); });
  EXPECT_NE(unknown.find("accuracy, cycles, energy, edp, area"), std::string::npos) << unknown;
  EXPECT_NE(input_error([] { parse(with("search:\n  methods: [linas, linas]\n")); }).find("listed twice"),
            std::string::npos);
  const std::string misspelt = input_error([] { parse(with("search:\n  methods: [linas, dynst]\n")); });
  EXPECT_NE(misspelt.find("t.yaml:"), std::string::npos) << misspelt;
  EXPECT_NE(misspelt.find("did you mean 'dynast'"), std::string::npos) << misspelt;
  EXPECT_NE(misspelt.find("linas, nsga2, random, dynast"), std::string::npos) << misspelt;
  EXPECT_EQ(parse(with("search:\n  methods: [dynast]\n")).search.methods, (std::vector<std::string>{"dynast"}));
}

TEST(Scenario, UnknownKeyInSpace) {
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv3\n  resolution: [224]\n"); }),
            "t.yaml:3: unknown key 'resolution' in 'scenario.space' (did you mean 'resolutions'?); allowed: "
            "name, resolutions, inner_precision");
}

TEST(Scenario, UnknownKeyInHardware) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choice: {}\n")); }),
            "t.yaml:4: unknown key 'choice' in 'scenario.hardware' (did you mean 'choices'?); allowed: choices, "
            "reference, fixed, digital_cores, cim_arrays, components, links");
}

TEST(Scenario, UnknownKeyInChoicesReferenceFixed) {
  const std::string choices = input_error([] { parse(with("hardware:\n  choices:\n    DRAM_bw: [1]\n    L2bw: [1]\n")); });
  EXPECT_EQ(choices, "t.yaml:6: unknown key 'L2bw' in 'scenario.hardware.choices' (did you mean 'L2_bw'?); allowed: "
                     "DRAM_bw, L2_bw, L1_bw, L1_num_child, MA_bw, MA_num_child, MA_mem_size, MA_comp_per_core");
  const std::string reference = input_error([] { parse(with("hardware:\n  reference:\n    ma_mem_size: 64KiB\n")); });
  EXPECT_EQ(reference.rfind("t.yaml:5: unknown key 'ma_mem_size' in 'scenario.hardware.reference' (did you mean "
                            "'MA_mem_size'?); allowed: DRAM_bw,",
                            0),
            0u)
      << reference;
  const std::string fixed = input_error([] { parse(with("hardware:\n  fixed:\n    dram_latncy: 5\n")); });
  EXPECT_EQ(fixed.rfind("t.yaml:5: unknown key 'dram_latncy' in 'scenario.hardware.fixed' (did you mean "
                        "'dram_latency'?); allowed: clock_ghz, dram_latency,",
                        0),
            0u)
      << fixed;
}

TEST(Scenario, DuplicateKey) {
  EXPECT_EQ(input_error([] { parse("space: {name: ofa-mbv3}\nname: a\nname: b\n"); }),
            "t.yaml:3: duplicate key 'name' in 'scenario' (first at line 2)");
}

// --- bad values --------------------------------------------------------------------------------

TEST(Scenario, ZeroOrNegativeBandwidth) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    DRAM_bw: [0, 16]\n")); }),
            "t.yaml:5: scenario.hardware.choices.DRAM_bw[0]: expected a positive integer with an optional size "
            "suffix (B, KiB, MiB, GiB), got '0'");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  reference: {MA_bw: -64}\n")); }),
            "t.yaml:4: scenario.hardware.reference.MA_bw: expected a positive integer with an optional size suffix "
            "(B, KiB, MiB, GiB), got '-64'");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    MA_mem_size: [64KB]\n")); }),
            "t.yaml:5: scenario.hardware.choices.MA_mem_size[0]: expected a positive integer with an optional "
            "size suffix (B, KiB, MiB, GiB), got '64KB'");
}

TEST(Scenario, ReferenceNotAmongChoices) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  reference:\n    DRAM_bw: 48\n")); }),
            "t.yaml:5: scenario.hardware.reference.DRAM_bw: 48 is not one of the choices of DRAM_bw: 16, 32, 64, 128");
  EXPECT_EQ(input_error([] {
              parse(with("hardware:\n  choices: {MA_mem_size: [64KiB, 1MiB]}\n  reference: {MA_mem_size: 256KiB}\n"));
            }),
            "t.yaml:5: scenario.hardware.reference.MA_mem_size: 256 KiB is not one of the choices of MA_mem_size: "
            "64 KiB, 1 MiB");
}

TEST(Scenario, UnsortedOrEmptyChoices) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    L1_bw: [32, 128, 64]\n")); }),
            "t.yaml:5: scenario.hardware.choices.L1_bw[2]: choices must be strictly ascending, but 64 follows 128");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    L1_bw: [32, 32]\n")); }),
            "t.yaml:5: scenario.hardware.choices.L1_bw[1]: 32 is listed twice (a repeated choice would be sampled "
            "twice as often)");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    L1_bw: []\n")); }),
            "t.yaml:5: scenario.hardware.choices.L1_bw: needs at least one choice");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    L1_bw: 64\n")); }),
            "t.yaml:5: scenario.hardware.choices.L1_bw: expected a list ([a, b] or '- a' lines), got '64'");
}

TEST(Scenario, FixedParameterOutOfRangeOrWrongType) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  fixed:\n    weight_bits: 64\n")); }),
            "t.yaml:5: scenario.hardware.fixed.weight_bits: weight_bits = 64 is out of range; allowed 1 to 32 bits");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  fixed:\n    dram_latency: 1.5\n")); }),
            "t.yaml:5: scenario.hardware.fixed.dram_latency: dram_latency must be a whole number, got 1.5");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  fixed:\n    clock_ghz: fast\n")); }),
            "t.yaml:5: scenario.hardware.fixed.clock_ghz: expected a number, got 'fast'");
}

TEST(Scenario, HardwareThatCannotWork) {
  // Each value is fine alone; together an array cannot hold one 16-bit weight.
  EXPECT_EQ(input_error([] {
              parse(with("hardware:\n  choices: {MA_mem_size: [1B]}\n  fixed: {weight_bits: 16}\n"));
            }),
            "t.yaml:4: MA_mem_size (1 bytes) cannot hold a single weight");
}

// Issue 12, defect 4: choices beyond any sensible chip were accepted.
TEST(Scenario, HardwareChoicesBeyondTheBounds) {
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    L1_num_child: [2, 4, 4294967297]\n")); }),
            "t.yaml:5: scenario.hardware.choices.L1_num_child[2]: L1_num_child = 4294967297 is out of range; "
            "allowed 1 to 65536 (count)");
  EXPECT_EQ(input_error([] { parse(with("hardware:\n  choices:\n    MA_mem_size: [64KiB, 1000000GiB]\n")); }),
            "t.yaml:5: scenario.hardware.choices.MA_mem_size[1]: MA_mem_size = 1073741824000000 is out of range; "
            "allowed 1 to 1024 MiB (bytes)");
  EXPECT_EQ(input_error([] {
              parse(with("hardware:\n  choices:\n    L1_num_child: [2, 512]\n    MA_num_child: [2, 256]\n"));
            }),
            "t.yaml:4: hardware.choices: the largest choices give L1_num_child x MA_num_child = 512 x 256 = 131072 "
            "memory arrays; at most 65536 are allowed");
}

// Issue 12, defect 8: a repeated choice was kept and sampled twice as often.
TEST(Scenario, RepeatedResolutionsAndSeedsAreErrors) {
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv3\n  resolutions: [192, 224, 224]\n"); }),
            "t.yaml:3: scenario.space.resolutions[2]: 224 is listed twice (a repeated choice would be sampled twice "
            "as often)");
  EXPECT_EQ(input_error([] { parse(with("search:\n  seeds: [1, 2, 1]\n")); }),
            "t.yaml:4: scenario.search.seeds[2]: seed 1 is listed twice (it would run the same search twice)");
  EXPECT_EQ(input_error([] { parse(with("search:\n  methods: [linas, random, linas]\n")); }),
            "t.yaml:4: scenario.search.methods[2]: method listed twice");
}

TEST(Scenario, UnknownSpace) {
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv\n"); }),
            "t.yaml:2: scenario.space.name: unknown value 'ofa-mbv' (did you mean 'ofa-mbv3'?); allowed: ofa-mbv3, "
            "ofa-mbv3-w12, ofa-resnet50, vit-b16");
}

TEST(Scenario, BadResolution) {
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv3\n  resolutions: [0]\n"); }),
            "t.yaml:3: scenario.space.resolutions[0]: expected an integer from 1 to 100000, got 0");
  EXPECT_EQ(input_error([] { parse("space:\n  name: ofa-mbv3\n  resolutions: []\n"); }),
            "t.yaml:3: scenario.space.resolutions: needs at least one resolution (or leave the key out)");
  // A resolution the space does not offer: the space's own message, at the resolutions line.
  const std::string e = input_error([] { parse("space:\n  name: ofa-mbv3\n  resolutions: [225]\n"); });
  EXPECT_EQ(e.rfind("t.yaml:3: scenario.space.resolutions: ", 0), 0u) << e;
  EXPECT_NE(e.find("225"), std::string::npos) << e;
  const std::string v = input_error([] { parse("\nspace: {name: vit-b16, resolutions: [160]}\n"); });
  EXPECT_EQ(v.rfind("t.yaml:2: scenario.space.resolutions: ", 0), 0u) << v;
  EXPECT_NE(v.find("160"), std::string::npos) << v;
}

TEST(Scenario, MissingRequiredKeys) {
  EXPECT_EQ(input_error([] { parse("name: x\n"); }), "t.yaml:1: missing required key 'space' in 'scenario'");
  EXPECT_EQ(input_error([] { parse("space:\n  resolutions: [224]\n"); }),
            "t.yaml:2: missing required key 'name' in 'scenario.space'");
  EXPECT_EQ(input_error([] { parse(""); }), "t.yaml:1: the scenario is empty; it needs at least a 'space' section");
  EXPECT_EQ(input_error([] { parse("- a\n- b\n"); }),
            "t.yaml:1: scenario: expected a mapping (key: value lines), got a list");
}

TEST(Scenario, MissingFile) {
  EXPECT_EQ(input_error([] { load_scenario("/nonexistent/x.yaml"); }),
            "cannot open scenario file '/nonexistent/x.yaml': No such file or directory");
  EXPECT_EQ(input_error([] { load_scenario("/tmp"); }), "cannot open scenario file '/tmp': Is a directory");
}

TEST(Scenario, MalformedYaml) {
  const std::string e = input_error([] { parse("space:\n  name: [ofa-mbv3\nhardware: {}\n"); });
  EXPECT_EQ(e.rfind("t.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find("malformed YAML"), std::string::npos) << e;
  EXPECT_EQ(input_error([] { parse("space: {name: ofa-mbv3}\n  bad: indentation\n"); }).rfind("t.yaml:2: malformed YAML: ", 0), 0u);
  EXPECT_EQ(input_error([] { parse("space: {name: ofa-mbv3}\n---\nname: x\n"); }),
            "t.yaml:3: the file holds more than one YAML document ('---'); expected one");
}

TEST(Scenario, WrongTypes) {
  EXPECT_EQ(input_error([] { parse("space: ofa-mbv3\n"); }),
            "t.yaml:1: scenario.space: expected a mapping (key: value lines), got 'ofa-mbv3'");
  EXPECT_EQ(input_error([] { parse("name: [a]\nspace: {name: ofa-mbv3}\n"); }),
            "t.yaml:1: scenario.name: expected a string, got a list");
  EXPECT_EQ(input_error([] { parse("name:\nspace: {name: ofa-mbv3}\n"); }),
            "t.yaml:1: scenario.name: expected a string, got nothing");
  EXPECT_EQ(input_error([] { parse("space: {name: ofa-mbv3, resolutions: [two]}\n"); }),
            "t.yaml:1: scenario.space.resolutions[0]: expected an integer from 1 to 100000, got 'two'");
}

}  // namespace
TEST(Scenario, AccuracySection) {
  EXPECT_EQ(parse(with("")).accuracy.source, "auto");
  const Scenario t = parse_scenario(with("accuracy:\n  source: table\n  path: measured.csv\n"), "dir/s.yaml");
  EXPECT_EQ(t.accuracy.source, "table");
  EXPECT_EQ(t.accuracy.path, "dir/measured.csv");  // relative to the scenario file
  const Scenario c = parse(with("accuracy:\n  source: command\n  command: python3 eval.py\n  timeout: 30\n"));
  EXPECT_EQ(c.accuracy.command, "python3 eval.py");
  EXPECT_DOUBLE_EQ(c.accuracy.timeout, 30);

  EXPECT_EQ(input_error([] { parse(with("accuracy:\n  source: tabel\n")); }).rfind("t.yaml:4: scenario.accuracy.source", 0),
            0u);
  EXPECT_NE(input_error([] { parse(with("accuracy:\n  source: table\n")); }).find("needs a path"), std::string::npos);
  EXPECT_NE(input_error([] { parse(with("accuracy:\n  source: command\n")); }).find("needs a command"),
            std::string::npos);
  EXPECT_NE(input_error([] { parse(with("accuracy:\n  source: proxy\n  path: x.csv\n")); }).find("take a path"),
            std::string::npos);
  EXPECT_NE(input_error([] { parse(with("accuracy:\n  source: command\n  command: x\n  timeout: 0\n")); })
                .find("scenario.accuracy.timeout"),
            std::string::npos);
  EXPECT_NE(input_error([] { parse(with("accuracy:\n  sorce: auto\n")); }).find("did you mean 'source'"),
            std::string::npos);
}

}  // namespace cimnet
