#pragma once
// The timing of a graph of tile-level computation nodes (issue 15: a depth-first stack's bands, row_bands.hpp)
// on resources that each run one node at a time: a node starts when its dependencies have finished and
// its resource is free, and a resource takes its nodes in the order they are listed (a list schedule
// with a fixed order, as the SystemC controller issues a program's ops by their dependencies).
//
// Shared resources. Besides its own resource, a node may keep resources every node shares busy for part
// of its duration (a band's DRAM, L2-link, global-buffer-port and vector-unit cycles): `shared[r]` cycles
// of its `duration`, at a rate of shared[r] ÷ duration per cycle when it runs alone. Nodes running at
// once share them as a fluid: while the rates asked of a resource sum to L > 1, every node using it
// progresses at 1 ⁄ L of its own pace (the largest such slowdown over the resources it uses), so no
// resource ever serves more than one cycle per cycle. With no shared cycles this is the plain list
// schedule, in whole cycles.
//
// This is the analytical model's schedule of a stack: node durations and shared cycles come from the
// per-layer cost model (for the band, on the layer's arrays); the resources are the layers' disjoint
// array sets and the vector unit. It knows nothing of layers: what a node is and which resource it needs
// is the caller's.
//
// Closed forms (tests/mapping/tile_schedule_test.cpp): a chain of stages on their own resources, each
// taking the same time s per tile, finishes T tiles at (stages − 1 + T)·s — fill, then one tile per s;
// with stage times s_i, at Σ s_i + (T − 1)·max s_i. Two nodes that each keep a shared resource busy all
// their duration d, run at once, both finish at 2d.
#include <array>
#include <cstdint>
#include <vector>

namespace cimnet {

inline constexpr std::size_t kSharedResources = 4;  // DRAM, the L2 link, the global buffer's port, the vector unit

struct TileNode {
  int resource = 0;
  std::int64_t duration = 0;
  std::vector<int> deps;  // indices of earlier nodes
  std::array<double, kSharedResources> shared{};  // cycles of `duration` each shared resource is busy
};

struct TileSchedule {
  std::vector<std::int64_t> start, finish;  // per node (whole cycles: contended times rounded up)
  std::int64_t makespan = 0;                // the last finish (0 for no nodes)
  // Per resource: the sum of its nodes' durations — over a stream of inputs whose graphs overlap, the
  // busiest resource sets the interval between consecutive outputs (contention aside).
  std::vector<std::int64_t> busy;
  std::int64_t period() const;  // the largest of `busy`
};

// The schedule of `nodes` (listed so that every dependency comes first; std::logic_error otherwise)
// on resources 0 .. resources − 1.
TileSchedule schedule_tiles(const std::vector<TileNode>& nodes, int resources);

}  // namespace cimnet
