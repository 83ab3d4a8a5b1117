// The real evaluator's columns (evaluation/simulation_evaluator.hpp): with weights resident over a
// stream of inferences (fused) the simulated program holds a first and a warm inference, and `cycles`
// is the inference the run chose, never the whole program.
#include <gtest/gtest.h>

#include <string>

#include "evaluation/schema.hpp"
#include "evaluation/simulation_evaluator.hpp"
#include "evaluation/simulation_report.hpp"
#include "tests/support/heterogeneous_design.hpp"
#include "tests/support/test_support.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::evaluation {
namespace {

Network tiny_cnn() { return load_network_file((test::source_dir() / "examples/networks/tiny-cnn.yaml").string()); }

std::int64_t number(const Fields& f, const std::string& column) { return std::stoll(f.at(column)); }

TEST(SimulationEvaluator, FusedColumnsHoldColdAndSteadyAndCyclesIsTheChosenOne) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{}, Execution::Fused);
  ASSERT_TRUE(run.mapping.two_inferences);  // tiny-cnn's weights fit: some stay resident
  const NetworkMapping& m = run.mapping;
  for (CyclesOf choice : {CyclesOf::Cold, CyclesOf::Steady}) {
    const Fields f = fields_from_simulation(run.result, m, choice, net, hw);
    EXPECT_EQ(number(f, col::kColdCycles), m.sim_cold_cycles);
    EXPECT_EQ(number(f, col::kSteadyCycles), m.sim_steady_cycles);
    EXPECT_EQ(number(f, col::kAnalyticalColdCycles), m.analytical_cycles);
    EXPECT_EQ(number(f, col::kAnalyticalSteadyCycles), m.analytical_steady_cycles);
    // Once warm, the resident weights are not loaded again (no slower; prefetch can hide every cold
    // load of a network this small).
    EXPECT_LE(number(f, col::kSteadyCycles), number(f, col::kColdCycles));
    EXPECT_LE(number(f, col::kAnalyticalSteadyCycles), number(f, col::kAnalyticalColdCycles));
    // Both inferences are in the run: neither is its total.
    EXPECT_EQ(m.sim_cold_cycles + m.sim_steady_cycles, run.result.total_cycles);
    const bool cold = choice == CyclesOf::Cold;
    EXPECT_EQ(f.at(col::kCycles), f.at(cold ? col::kColdCycles : col::kSteadyCycles));
    EXPECT_EQ(f.at(col::kAnalyticalCycles), f.at(cold ? col::kAnalyticalColdCycles : col::kAnalyticalSteadyCycles));
    const double utilisation = static_cast<double>(net.total_macs()) /
                               (static_cast<double>(hw.peak_macs_per_cycle()) * static_cast<double>(number(f, col::kCycles)));
    EXPECT_NEAR(std::stod(f.at(col::kUtilisation)), utilisation, 1e-6);
  }
}

TEST(SimulationEvaluator, LayerByLayerColdAndSteadyAreTheOneInference) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{});
  EXPECT_FALSE(run.mapping.two_inferences);
  const Fields f = fields_from_simulation(run.result, run.mapping, CyclesOf::Cold, net, hw);
  for (const char* c : {col::kCycles, col::kColdCycles, col::kSteadyCycles}) {
    EXPECT_EQ(number(f, c), run.result.total_cycles) << c;
  }
  for (const char* c : {col::kAnalyticalCycles, col::kAnalyticalColdCycles, col::kAnalyticalSteadyCycles}) {
    EXPECT_EQ(number(f, c), run.mapping.analytical_cycles) << c;
  }
  // Energy (issue 16): the same actions priced the same way; with no static power the simulated and
  // analytical columns are equal, with it they differ by static power times the cycles' difference.
  EXPECT_GT(std::stod(f.at(col::kEnergy)), 0);
  EXPECT_EQ(f.at(col::kEnergy), f.at(col::kAnalyticalEnergy));
  EnergyTable leaky = default_energy_table();
  leaky.static_dram_mw = 1000;  // 1 W: 1 000 pJ per cycle at 1 GHz
  const Fields g = fields_from_simulation(run.result, run.mapping, CyclesOf::Cold, net, hw, leaky);
  const double difference = std::stod(g.at(col::kEnergy)) - std::stod(g.at(col::kAnalyticalEnergy));
  EXPECT_NEAR(difference, 1000.0 * static_cast<double>(run.result.total_cycles - run.mapping.analytical_cycles),
              1e-5 * std::stod(g.at(col::kEnergy)));
}

// The re-rank's figures without a simulation (what `cimnet search` ranks shortlists by when an
// objective needs energy) are exactly the evaluator's analytical columns, under each policy and
// inference, a leaky table included.
TEST(SimulationEvaluator, AnalyticalFiguresAreTheAnalyticalColumns) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  EnergyTable leaky = default_energy_table();
  leaky.static_dram_mw = 250;
  for (Execution e : {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined}) {
    for (CyclesOf choice : {CyclesOf::Cold, CyclesOf::Steady}) {
      const NetworkMapping mapping = map_network(net, hw, nullptr, e, choice);
      SimResult finished;  // no simulation: only the analytical columns are read
      finished.status = SimStatus::Ok;
      const Fields f = fields_from_simulation(finished, mapping, choice, net, hw, leaky);
      const AnalyticalFigures a = analytical_figures(net, hw, nullptr, e, choice, leaky);
      EXPECT_EQ(std::to_string(a.cycles), f.at(col::kAnalyticalCycles)) << to_string(e);
      EXPECT_EQ(a.cycles, analytical_cycles(net, hw, nullptr, e, choice)) << to_string(e);
      EXPECT_NEAR(a.energy_pj, std::stod(f.at(col::kAnalyticalEnergy)), 1e-9 * a.energy_pj) << to_string(e);
    }
  }
}

// The evaluator itself (SystemC in this process, once): the point's choice reaches its columns.
TEST(SimulationEvaluator, ThePointsChoiceOfCyclesFillsTheCyclesColumn) {
  const auto space = make_space("ofa-mbv3");
  const Genome genome = space->canonical(space->parse("min"));
  const Network net = space->build(genome);
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Fields f = simulation_evaluator()(EvalPoint{*space, genome, hw, net, Execution::Fused, CyclesOf::Cold, LatencyBound{}});
  ASSERT_EQ(f.count("status"), 0u) << f.at("message");
  EXPECT_EQ(f.at(col::kCycles), f.at(col::kColdCycles));
  EXPECT_EQ(f.at(col::kAnalyticalCycles), f.at(col::kAnalyticalColdCycles));
  EXPECT_LT(number(f, col::kSteadyCycles), number(f, col::kColdCycles));
}

// The estimate the search's re-rank ranks by is the evaluator's analytical_cycles: the chosen
// inference's, the same with or without the program built.
TEST(SimulationEvaluator, TheAnalyticalEstimateIsTheChosenInferences) {
  const Network net = tiny_cnn();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkMapping fused = map_network(net, hw, nullptr, Execution::Fused);
  ASSERT_TRUE(fused.two_inferences);
  MapperCache cache;
  EXPECT_EQ(analytical_cycles(net, hw, &cache, Execution::Fused, CyclesOf::Cold), fused.analytical_cycles);
  EXPECT_EQ(analytical_cycles(net, hw, &cache, Execution::Fused, CyclesOf::Steady), fused.analytical_steady_cycles);
  EXPECT_LE(fused.analytical_steady_cycles, fused.analytical_cycles);  // prefetch may hide every cold load
  const NetworkMapping layer_by_layer = map_network(net, hw);
  for (CyclesOf choice : {CyclesOf::Cold, CyclesOf::Steady}) {
    EXPECT_EQ(analytical_cycles(net, hw, &cache, Execution::LayerByLayer, choice), layer_by_layer.analytical_cycles);
  }
}

// Designs with digital cores: the allocation objective reaches the analytical figures the dataset and
// the search's re-rank report (the evaluator passes the point's to the same map_network).
TEST(SimulationEvaluator, TheAllocationObjectiveReachesTheAnalyticalFigures) {
  const auto space = make_space("ofa-mbv3");
  const Network net = space->build(space->canonical(space->parse("min")));
  const HardwareConfig hw = test::small_heterogeneous();
  const EnergyTable table = default_energy_table();
  MapperCache cache;
  const auto figures = [&](CoreAllocation a) {
    return analytical_figures(net, hw, &cache, Execution::LayerByLayer, ScheduleObjective(CyclesOf::Steady, {}, a, table),
                              table);
  };
  const AnalyticalFigures latency = figures(CoreAllocation::Latency), energy = figures(CoreAllocation::Energy);
  EXPECT_LT(latency.cycles, energy.cycles);
  EXPECT_LT(energy.energy_pj, latency.energy_pj);
  EXPECT_EQ(energy.cycles, analytical_cycles(net, hw, &cache, Execution::LayerByLayer,
                                             ScheduleObjective(CyclesOf::Steady, {}, CoreAllocation::Energy, table)));
}

}  // namespace
}  // namespace cimnet::evaluation
