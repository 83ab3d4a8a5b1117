// The list schedule of tile-level nodes (mapping/tile_schedule.hpp): pipeline fill and stage time in
// closed form.
#include <gtest/gtest.h>

#include <stdexcept>

#include "mapping/tile_schedule.hpp"

namespace cimnet {
namespace {

// A chain of stages, stage i on resource i taking stage_cycles[i] per tile; tile t of stage i waits for
// tile t of stage i − 1.
std::vector<TileNode> chain(const std::vector<std::int64_t>& stage_cycles, int tiles) {
  std::vector<TileNode> nodes;
  const int stages = static_cast<int>(stage_cycles.size());
  for (int t = 0; t < tiles; ++t) {
    for (int i = 0; i < stages; ++i) {
      TileNode n;
      n.resource = i;
      n.duration = stage_cycles[static_cast<std::size_t>(i)];
      if (i > 0) n.deps.push_back(static_cast<int>(nodes.size()) - 1);
      nodes.push_back(n);
    }
  }
  return nodes;
}

TEST(TileSchedule, TwoIdenticalStagesFillThenFinishOneTilePerStage) {
  const TileSchedule s = schedule_tiles(chain({100, 100}, 8), 2);
  EXPECT_EQ(s.makespan, (2 - 1 + 8) * 100);
  EXPECT_EQ(s.period(), 8 * 100);  // over a stream of inputs, each stage is busy 800 cycles per input
  // The second stage takes tile 0 at 100 and tile 1 at 200, as each leaves the first stage.
  EXPECT_EQ(s.start[1], 100);
  EXPECT_EQ(s.start[3], 200);
}

TEST(TileSchedule, TheSlowestStageSetsThePace) {
  EXPECT_EQ(schedule_tiles(chain({30, 100, 50}, 5), 3).makespan, 30 + 100 + 50 + (5 - 1) * 100);
  EXPECT_EQ(schedule_tiles(chain({100, 30}, 5), 2).makespan, 5 * 100 + 30);
  EXPECT_EQ(schedule_tiles(chain({30, 100, 50}, 5), 3).period(), 5 * 100);
}

TEST(TileSchedule, OneResourceRunsItsNodesOneAtATimeInOrder) {
  std::vector<TileNode> nodes(3);
  for (auto& n : nodes) n.duration = 10;
  nodes[2].resource = 1;
  nodes[2].deps = {0};
  const TileSchedule s = schedule_tiles(nodes, 2);
  EXPECT_EQ(s.finish, (std::vector<std::int64_t>{10, 20, 20}));
  EXPECT_EQ(s.busy, (std::vector<std::int64_t>{20, 10}));
}

TEST(TileSchedule, NodesSharingAResourceShareItsCycles) {
  // Two nodes of 100 cycles on their own resources, each using a shared resource all the time: together
  // they ask two cycles per cycle of it, so both run at half pace and finish at 200.
  std::vector<TileNode> nodes(2);
  for (int k = 0; k < 2; ++k) {
    nodes[static_cast<std::size_t>(k)].resource = k;
    nodes[static_cast<std::size_t>(k)].duration = 100;
    nodes[static_cast<std::size_t>(k)].shared[0] = 100;
  }
  EXPECT_EQ(schedule_tiles(nodes, 2).finish, (std::vector<std::int64_t>{200, 200}));
  // Each using it a quarter of the time: half a cycle per cycle together, no slowdown.
  for (auto& n : nodes) n.shared[0] = 25;
  EXPECT_EQ(schedule_tiles(nodes, 2).finish, (std::vector<std::int64_t>{100, 100}));
  // One of 100 asking 80 cycles, one of 50 asking 40 (1.6 per cycle together): both at 1 ⁄ 1.6 pace until
  // the short one ends at 80; the long one has 50 cycles of its own left, alone: done at 130.
  nodes[0].shared[0] = 80;
  nodes[1].duration = 50;
  nodes[1].shared[0] = 40;
  EXPECT_EQ(schedule_tiles(nodes, 2).finish, (std::vector<std::int64_t>{130, 80}));
}

TEST(TileSchedule, AGraphOutOfOrderIsAProgrammingError) {
  std::vector<TileNode> nodes(2);
  nodes[0].deps = {1};
  EXPECT_THROW(schedule_tiles(nodes, 1), std::logic_error);
  nodes[0].deps.clear();
  nodes[1].resource = 2;
  EXPECT_THROW(schedule_tiles(nodes, 1), std::logic_error);
}

}  // namespace
}  // namespace cimnet
