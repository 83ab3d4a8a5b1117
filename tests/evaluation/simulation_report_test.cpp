// The report of one simulated network (evaluation/simulation_report.hpp), as `cimnet simulate` prints
// and writes it: the lines add up to the totals, the JSON holds what docs/user-guide.md promises, and
// a SystemC warning of the run fails it.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>

#include "evaluation/simulation_report.hpp"
#include "tests/support/test_support.hpp"
#include "workloads/network_file.hpp"

namespace cimnet::evaluation {
namespace {

Network tiny_cnn() { return load_network_file((test::source_dir() / "examples/networks/tiny-cnn.yaml").string()); }

TEST(SimulationReport, LinesAddUpToTheTotalLine) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{});
  ASSERT_TRUE(run.analytical && run.simulated);
  const auto lines = report_lines(net, hw, run);
  ASSERT_EQ(lines.size(), net.layers.size() + 1);
  std::int64_t analytical = 0, simulated = 0, macs = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i].index, static_cast<int>(i));
    EXPECT_EQ(lines[i].name, net.layers[i].name);
    EXPECT_EQ(lines[i].mapping == "vector unit", !net.layers[i].is_mac_layer()) << lines[i].name;
    analytical += lines[i].analytical_cycles;
    simulated += lines[i].simulated_cycles;
    macs += lines[i].macs;
  }
  const LayerLine& total = lines.back();
  EXPECT_EQ(total.index, -1);
  EXPECT_EQ(total.name, "total");
  EXPECT_EQ(total.analytical_cycles, analytical);
  EXPECT_EQ(total.simulated_cycles, simulated);
  EXPECT_EQ(total.simulated_cycles, run.result.total_cycles);
  EXPECT_EQ(total.macs, macs);
  EXPECT_DOUBLE_EQ(total.error, (static_cast<double>(analytical) - static_cast<double>(simulated)) /
                                    static_cast<double>(simulated));
}

TEST(SimulationReport, JsonHoldsLayersTotalsLevelsAndWarnings) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{});
  const nlohmann::json j = report_json({{"network_file", "tiny-cnn.yaml"}}, net, hw, run);
  EXPECT_EQ(j.at("network_file"), "tiny-cnn.yaml");
  EXPECT_EQ(j.at("hardware"), hw.summary());
  ASSERT_EQ(j.at("layers").size(), net.layers.size());
  std::int64_t simulated = 0;
  for (const auto& l : j.at("layers")) {
    simulated += l.at("simulated").at("cycles").get<std::int64_t>();
    EXPECT_EQ(l.contains("mapping"), l.at("macs").get<std::int64_t>() > 0) << l.at("name");
    EXPECT_EQ(l.contains("roofline"), l.contains("mapping")) << l.at("name");
    if (l.contains("roofline")) {
      // The ratio is the simulated cycles over the roofline, never below 1 (a physical lower bound).
      const double roof = l.at("roofline").at("cycles").get<double>();
      EXPECT_DOUBLE_EQ(l.at("roofline").at("ratio").get<double>(),
                       l.at("simulated").at("cycles").get<double>() / roof);
      EXPECT_GE(l.at("roofline").at("ratio").get<double>(), 1.0) << l.at("name");
    }
    EXPECT_TRUE(l.at("analytical").contains("busy"));
  }
  EXPECT_EQ(j.at("totals").at("simulated_cycles").get<std::int64_t>(), simulated);
  EXPECT_EQ(j.at("totals").at("analytical_cycles").get<std::int64_t>(), run.mapping.analytical_cycles);
  EXPECT_EQ(j.at("totals").at("ops").get<std::size_t>(), run.mapping.program.ops.size());
  EXPECT_EQ(j.at("levels").at("modules").size(), run.result.modules.size());
  // The buffers' peaks: the most used array, the global buffer, one L1 buffer per decoder; tiny-cnn's
  // non-MAC layers run through the global buffer, so it held something, never more than it has.
  const auto& memories = j.at("levels").at("memories");
  ASSERT_EQ(memories.size(), 2 + static_cast<std::size_t>(hw.l1_decoders()));
  EXPECT_EQ(memories[1].at("name"), "gb");
  EXPECT_GT(memories[1].at("peak_bytes").get<std::int64_t>(), 0);
  EXPECT_LE(memories[1].at("peak_bytes").get<std::int64_t>(), hw.fixed.gb_bytes);
  EXPECT_EQ(j.at("warnings"), nlohmann::json::array());
}

TEST(SimulationReport, AnalyticalOnlyLeavesTheSimulationOut) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Analytical, SimOptions{});
  EXPECT_FALSE(run.simulated);
  const auto lines = report_lines(net, hw, run);
  EXPECT_EQ(lines.back().simulated_cycles, -1);
  EXPECT_EQ(lines.back().analytical_cycles, run.mapping.analytical_cycles);
  const nlohmann::json j = report_json({}, net, hw, run);
  EXPECT_FALSE(j.at("totals").contains("simulated_cycles"));
  EXPECT_FALSE(j.contains("levels"));
  EXPECT_FALSE(j.contains("warnings"));
  EXPECT_FALSE(j.at("layers").at(0).contains("simulated"));
}

// A warning the SystemC kernel reports in the forked child fails the run: no report is made of
// numbers SystemC found suspect (and the guard linked into this test fails the test unless expected).
TEST(SimulationReport, AWarningOfTheRunFailsIt) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  SimOptions options;
  options.test_hook = SimOptions::Hook::Warn;
  std::string message;
  EXPECT_NONFATAL_FAILURE(
      {
        try {
          run_network(net, hw, Engine::SystemC, options);
        } catch (const std::runtime_error& e) {
          message = e.what();
        }
      },
      "W571");
  EXPECT_NE(message.find("SystemC warning: (W571)"), std::string::npos) << message;
}

}  // namespace
}  // namespace cimnet::evaluation

namespace cimnet::evaluation {
namespace {

// Where each layer's data lives (issue 14): layer by layer, every layer reads from and writes to DRAM;
// fused, the post-ops name the MAC layer whose step runs them and the network's output goes to DRAM.
TEST(SimulationReport, LinesSayWhereEachLayersDataLives) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (const auto& line : report_lines(net, hw, run_network(net, hw, Engine::Analytical, SimOptions{}))) {
    if (line.index < 0) continue;
    EXPECT_EQ(line.input_from, "dram") << line.name;
    EXPECT_EQ(line.output_to, "dram") << line.name;
    EXPECT_EQ(line.fused_into, -1) << line.name;
  }
  const NetworkRun fused = run_network(net, hw, Engine::Analytical, SimOptions{}, Execution::Fused);
  const auto lines = report_lines(net, hw, fused);
  int fused_layers = 0;
  for (const auto& line : lines) {
    if (line.index < 0) continue;
    if (line.fused_into >= 0) {
      ++fused_layers;
      EXPECT_TRUE(net.layers[static_cast<std::size_t>(line.fused_into)].is_mac_layer()) << line.name;
      EXPECT_EQ(line.analytical_cycles, 0) << line.name;
    }
  }
  EXPECT_GT(fused_layers, 0);
  EXPECT_EQ(lines[net.layers.size() - 1].output_to, "dram");  // the network's output
}

}  // namespace
}  // namespace cimnet::evaluation

namespace cimnet::evaluation {
namespace {

// Cold and steady (issue 14). Under fused tiny-cnn keeps some weights in the arrays: the table ends in
// a cold and a steady total, each the sum of its inference's layer lines, the steady one lower; the
// resident layers are marked and, once warm, estimated without their weight load.
TEST(SimulationReport, FusedLinesGiveColdAndSteadyTotals) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (CyclesOf choice : {CyclesOf::Cold, CyclesOf::Steady}) {
    const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{}, Execution::Fused, choice);
    ASSERT_TRUE(run.mapping.two_inferences);
    const auto lines = report_lines(net, hw, run);
    ASSERT_EQ(lines.size(), net.layers.size() + 2);
    const LayerLine& cold = lines[net.layers.size()];
    const LayerLine& steady = lines[net.layers.size() + 1];
    EXPECT_EQ(cold.name, "cold total");
    EXPECT_EQ(steady.name, "steady total");
    EXPECT_EQ(cold.index, -1);
    EXPECT_EQ(steady.index, -1);
    // The cold total is the first inference: the last end among its ops (they come before the
    // second inference's in the program).
    std::int64_t first_end = 0;
    for (const auto& op : run.result.ops) {
      if (op.id < run.mapping.steady_first_op) first_end = std::max(first_end, op.end);
    }
    EXPECT_EQ(cold.simulated_cycles, first_end);
    EXPECT_EQ(cold.analytical_cycles, run.mapping.analytical_cycles);
    EXPECT_EQ(steady.analytical_cycles, run.mapping.analytical_steady_cycles);
    // Not below: with cross-layer prefetch the first inference can hide every load (tiny-cnn's do).
    EXPECT_LE(steady.simulated_cycles, cold.simulated_cycles);
    EXPECT_LE(steady.analytical_cycles, cold.analytical_cycles);
    std::int64_t analytical = 0, simulated = 0;
    int resident = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const MappedLayer& ml = run.mapping.layers[i];
      EXPECT_EQ(lines[i].resident, ml.resident) << lines[i].name;
      if (ml.resident) {
        ++resident;
        EXPECT_LE(ml.steady_cost.cycles, ml.cost.cycles) << lines[i].name;
      }
      analytical += lines[i].analytical_cycles;
      simulated += lines[i].simulated_cycles;
    }
    EXPECT_GT(resident, 0);
    const LayerLine& chosen = choice == CyclesOf::Cold ? cold : steady;
    EXPECT_EQ(analytical, chosen.analytical_cycles) << to_string(choice);
    EXPECT_EQ(simulated, chosen.simulated_cycles) << to_string(choice);

    // The JSON: the same per layer and in the totals, both inferences named.
    const nlohmann::json j = report_json({}, net, hw, run);
    const auto& t = j.at("totals");
    EXPECT_EQ(t.at("cycles_of"), to_string(choice));
    EXPECT_EQ(t.at("two_inferences"), true);
    EXPECT_GT(t.at("resident_bytes").get<std::int64_t>(), 0);
    EXPECT_EQ(t.at("simulated_cold_cycles").get<std::int64_t>(), cold.simulated_cycles);
    EXPECT_EQ(t.at("simulated_steady_cycles").get<std::int64_t>(), steady.simulated_cycles);
    EXPECT_EQ(t.at("analytical_cold_cycles").get<std::int64_t>(), cold.analytical_cycles);
    EXPECT_EQ(t.at("analytical_steady_cycles").get<std::int64_t>(), steady.analytical_cycles);
    EXPECT_EQ(t.at("simulated_cycles").get<std::int64_t>(), chosen.simulated_cycles);
    EXPECT_EQ(t.at("analytical_cycles").get<std::int64_t>(), chosen.analytical_cycles);
    EXPECT_EQ(t.at("run_cycles").get<std::int64_t>(), run.result.total_cycles);
    // Throughput: one inference per steady cycles at the clock, whichever inference the lines show.
    EXPECT_DOUBLE_EQ(t.at("simulated_inferences_per_second").get<double>(),
                     hw.fixed.clock_ghz * 1e9 / static_cast<double>(steady.simulated_cycles));
    EXPECT_DOUBLE_EQ(t.at("analytical_inferences_per_second").get<double>(),
                     hw.fixed.clock_ghz * 1e9 / static_cast<double>(steady.analytical_cycles));
    std::int64_t json_cold = 0, json_steady = 0, json_chosen = 0;
    int json_resident = 0;
    for (const auto& l : j.at("layers")) {
      json_resident += l.at("resident").get<bool>() ? 1 : 0;
      json_cold += l.at("cold").at("simulated_cycles").get<std::int64_t>();
      json_steady += l.at("steady").at("simulated_cycles").get<std::int64_t>();
      json_chosen += l.at("simulated").at("cycles").get<std::int64_t>();
    }
    EXPECT_EQ(json_resident, resident);
    EXPECT_EQ(json_cold, cold.simulated_cycles);
    EXPECT_EQ(json_steady, steady.simulated_cycles);
    EXPECT_EQ(json_chosen, chosen.simulated_cycles);
  }
}

// Layer by layer nothing stays: one total line, and cold = steady everywhere.
TEST(SimulationReport, LayerByLayerColdIsSteady) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{}, Execution::LayerByLayer, CyclesOf::Cold);
  const auto lines = report_lines(net, hw, run);
  ASSERT_EQ(lines.size(), net.layers.size() + 1);
  EXPECT_EQ(lines.back().name, "total");
  for (const auto& line : lines) EXPECT_FALSE(line.resident) << line.name;
  const nlohmann::json j = report_json({}, net, hw, run);
  const auto& t = j.at("totals");
  EXPECT_EQ(t.at("two_inferences"), false);
  EXPECT_EQ(t.at("resident_bytes"), 0);
  EXPECT_EQ(t.at("simulated_cold_cycles"), t.at("simulated_steady_cycles"));
  EXPECT_EQ(t.at("simulated_cold_cycles").get<std::int64_t>(), run.result.total_cycles);
  EXPECT_EQ(t.at("analytical_cold_cycles"), t.at("analytical_steady_cycles"));
  EXPECT_EQ(t.at("analytical_cold_dram_bytes"), t.at("analytical_steady_dram_bytes"));
  for (const auto& l : j.at("layers")) {
    EXPECT_EQ(l.at("resident"), false);
    EXPECT_EQ(l.at("cold"), l.at("steady")) << l.at("name");
  }
}

// The occupancy timeline (program/memory_occupancy.hpp) of a real run: its maxima are the model's own
// peaks (SimResult::memories: "gb", "l1[i].buf", the most used array; both taken at the ends of
// cycles), no level exceeds its capacity,
// and the JSON's "levels.occupancy" carries the points, thinned to window maxima with the peak intact.
// Layer by layer (weights and reductions) and fused (activations kept in the global buffer).
TEST(SimulationReport, OccupancyPeaksAreTheModelsPeaks) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (Execution execution : {Execution::LayerByLayer, Execution::Fused}) {
    SCOPED_TRACE(to_string(execution));
    const NetworkRun run = run_network(net, hw, Engine::SystemC, SimOptions{}, execution);
    const MemoryOccupancy occ = memory_occupancy(run, hw);
    EXPECT_EQ(occ.end_cycle, run.result.total_cycles);
    std::int64_t model_gb = -1, model_l1 = 0, model_array = -1;
    for (const auto& m : run.result.memories) {
      if (m.name == "gb") model_gb = m.peak_bytes;
      else if (m.name.rfind("l1[", 0) == 0) model_l1 = std::max(model_l1, m.peak_bytes);
      else model_array = m.peak_bytes;
    }
    EXPECT_EQ(occ.level("gb").peak_bytes(), model_gb);
    EXPECT_EQ(occ.level("l1_fullest").peak_bytes(), model_l1);
    EXPECT_EQ(occ.level("ma_fullest").peak_bytes(), model_array);
    EXPECT_GT(occ.level("ma_fullest").peak_bytes(), 0);  // weights were loaded
    for (const auto& level : occ.levels) {
      EXPECT_LE(level.peak_bytes(), level.capacity) << level.level;
      // Everything loaded or written into a buffer is freed by the end of an inference, but resident
      // weights (fused), which stay in the arrays.
      std::int64_t kept = 0;
      for (const auto& ml : run.mapping.layers) {
        if (ml.resident) kept += ml.plan.tile_bytes * ml.plan.groups_in_pass(0) * ml.plan.replicas * ml.plan.mapping.r_split;
      }
      if (level.level == "ma_total") {
        EXPECT_EQ(level.bytes_at(occ.end_cycle), kept);
      } else if (level.level != "ma_fullest") {
        EXPECT_EQ(level.bytes_at(occ.end_cycle), 0) << level.level;
      }
    }
    if (execution == Execution::Fused) {
      EXPECT_GT(occ.level("gb").peak_bytes(), 0);
    }

    const nlohmann::json j = report_json({}, net, hw, run).at("levels").at("occupancy");
    EXPECT_EQ(j.at("end_cycle"), occ.end_cycle);
    EXPECT_EQ(j.at("max_points"), kOccupancyPoints);
    ASSERT_EQ(j.at("levels").size(), occupancy_levels().size());
    for (std::size_t l = 0; l < occ.levels.size(); ++l) {
      const auto& level = j.at("levels")[l];
      EXPECT_EQ(level.at("level"), occupancy_levels()[l]);
      EXPECT_EQ(level.at("capacity"), occ.levels[l].capacity);
      EXPECT_EQ(level.at("peak_bytes"), occ.levels[l].peak_bytes());
      EXPECT_EQ(level.at("change_points"), occ.levels[l].steps.size());
      EXPECT_EQ(level.at("thinned"), false);  // a small network: the exact steps
      EXPECT_EQ(level.at("window_cycles"), 0);
      ASSERT_EQ(level.at("points").size(), occ.levels[l].steps.size());
      for (std::size_t k = 0; k < occ.levels[l].steps.size(); ++k) {
        EXPECT_EQ(level.at("points")[k], nlohmann::json::array({occ.levels[l].steps[k].cycle, occ.levels[l].steps[k].bytes}));
      }
    }
    // Thinned to 20 points a level: at most 20, window maxima, the peak exact.
    const nlohmann::json thin = occupancy_json(occ, 20);
    for (std::size_t l = 0; l < occ.levels.size(); ++l) {
      const auto& level = thin.at("levels")[l];
      const bool thinned = occ.levels[l].steps.size() > 20;
      EXPECT_EQ(level.at("thinned"), thinned) << occ.levels[l].level;
      EXPECT_LE(level.at("points").size(), 20U);
      std::int64_t most = 0;
      for (const auto& p : level.at("points")) most = std::max(most, p[1].get<std::int64_t>());
      EXPECT_EQ(most, occ.levels[l].peak_bytes()) << occ.levels[l].level;
      if (thinned) {
        EXPECT_EQ(level.at("window_cycles"), (occ.end_cycle + 1 + 19) / 20);
      }
    }
  }
}

}  // namespace
}  // namespace cimnet::evaluation
