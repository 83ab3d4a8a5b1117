// The Gantt chart's data (evaluation/schedule_chart.hpp): under pipelined the layers of a stack compute
// side by side on their own decoders; under layer-by-layer no two layers' bars ever overlap.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "evaluation/schedule_chart.hpp"
#include "evaluation/simulation_report.hpp"
#include "tests/support/small_networks.hpp"

namespace cimnet::evaluation {
namespace {

using test::two_pointwise;

// Per layer, the union span [first start, last end] of its bars over every row.
std::map<int, std::pair<std::int64_t, std::int64_t>> spans(const ScheduleChart& chart) {
  std::map<int, std::pair<std::int64_t, std::int64_t>> out;
  for (const ScheduleRow& row : chart.rows) {
    for (const ScheduleBar& b : row.bars) {
      auto [it, fresh] = out.try_emplace(b.layer, b.start, b.end);
      if (!fresh) it->second = {std::min(it->second.first, b.start), std::max(it->second.second, b.end)};
    }
  }
  return out;
}

TEST(ScheduleChart, PipelinedLayersOverlapOnTheirOwnDecoders) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = two_pointwise();
  const NetworkRun run = run_network(net, hw, Engine::Both, SimOptions{}, Execution::Pipelined);
  ASSERT_EQ(run.mapping.layers[0].stack_last, 3) << "the scheduler no longer stacks the two convs";
  const ScheduleChart chart = schedule_chart(run.mapping, run.result, hw);
  ASSERT_EQ(chart.rows.size(), static_cast<std::size_t>(hw.l1_decoders()) + 1);
  EXPECT_EQ(chart.rows.back().name, "vector unit");
  EXPECT_EQ(chart.end_cycle, run.result.total_cycles);
  // Every decoder row computes for one conv only: its decoders are its own.
  for (std::size_t d = 0; d + 1 < chart.rows.size(); ++d) {
    std::set<int> layers;
    for (const ScheduleBar& b : chart.rows[d].bars) layers.insert(b.layer);
    EXPECT_LE(layers.size(), 1u) << chart.rows[d].name;
  }
  const auto s = spans(chart);
  ASSERT_TRUE(s.count(0) && s.count(2));
  EXPECT_LT(s.at(2).first, s.at(0).second);  // b starts before a has finished
}

TEST(ScheduleChart, LayerByLayerBarsNeverOverlap) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const NetworkRun run = run_network(two_pointwise(), hw, Engine::Both, SimOptions{});
  const auto s = spans(schedule_chart(run.mapping, run.result, hw));
  ASSERT_TRUE(s.count(0) && s.count(2));
  EXPECT_LE(s.at(0).second, s.at(2).first);
}

}  // namespace
}  // namespace cimnet::evaluation
