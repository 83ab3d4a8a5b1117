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
    EXPECT_LT(steady.simulated_cycles, cold.simulated_cycles);
    EXPECT_LT(steady.analytical_cycles, cold.analytical_cycles);
    std::int64_t analytical = 0, simulated = 0;
    int resident = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const MappedLayer& ml = run.mapping.layers[i];
      EXPECT_EQ(lines[i].resident, ml.resident) << lines[i].name;
      if (ml.resident) {
        ++resident;
        EXPECT_LT(ml.steady_cost.cycles, ml.cost.cycles) << lines[i].name;
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

}  // namespace
}  // namespace cimnet::evaluation
