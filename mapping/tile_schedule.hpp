#pragma once
// The timing of a graph of tile-level computation nodes (issue 15: a depth-first stack's bands, row_bands.hpp)
// on resources that each run one node at a time: a node starts when its dependencies have finished and
// its resource is free, and a resource takes its nodes in the order they are listed (a list schedule
// with a fixed order, as the SystemC controller issues a program's ops by their dependencies).
//
// This is the analytical model's schedule of a stack: node durations come from the per-layer cost model
// (for the band, on the layer's arrays); the resources are the layers' disjoint array sets and the
// vector unit. It knows nothing of layers: what a node is and which resource it needs is the caller's.
//
// Closed forms (tests/mapping/tile_schedule_test.cpp): a chain of stages on their own resources, each
// taking the same time s per tile, finishes T tiles at (stages − 1 + T)·s — fill, then one tile per s;
// with stage times s_i, at Σ s_i + (T − 1)·max s_i.
#include <cstdint>
#include <vector>

namespace cimnet {

struct TileNode {
  int resource = 0;
  std::int64_t duration = 0;
  std::vector<int> deps;  // indices of earlier nodes
};

struct TileSchedule {
  std::vector<std::int64_t> start, finish;  // per node
  std::int64_t makespan = 0;                // the last finish (0 for no nodes)
  // Per resource: the sum of its nodes' durations — over a stream of inputs whose graphs overlap, the
  // busiest resource sets the interval between consecutive outputs.
  std::vector<std::int64_t> busy;
  std::int64_t period() const;  // the largest of `busy`
};

// The schedule of `nodes` (listed so that every dependency comes first; std::logic_error otherwise)
// on resources 0 .. resources − 1.
TileSchedule schedule_tiles(const std::vector<TileNode>& nodes, int resources);

}  // namespace cimnet
