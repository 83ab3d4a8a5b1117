#pragma once
// Throughput over a stream of inferences under `pipelined` (issue 15, `cycles: stream`;
// docs/pipelined.md, "A stream of inferences"): the network cut into stages, each a run of consecutive
// layers on L1 decoders of its own, so that successive inferences overlap — inference n + 1 runs a stage
// while inference n runs a later one. Deterministic and analytical.
//
// A stage runs its layers as segments one after another (stacks, or single layers as under
// layer-by-layer; stack_scheduler.hpp), each laid out, tiled and mapped on hardware of the stage's
// decoders, and takes the next inference once it has finished the previous one (and the next stage
// the one before that: two inferences' activations between stages, double buffered). Once warm the time
// between two inferences is then the slowest stage — each stage slowed by the share the others take of
// the resources every stage shares (DRAM, the L2 link, the global buffer's port, the vector unit;
// stream_period) — or the busiest of those resources over all stages, when that is longer.
//
// The search, two dynamic programmes:
// - within a stage on d decoders from layer i: the segmentation programme of stack_scheduler.hpp
//   (single layers, and stacks of at most kMaxStackLayers layers at their fastest tiling once warm),
//   giving stage(i, j, d), the fewest cycles of layers i .. j − 1, for every j;
// - over stages: slowest(j, u) = the least slowest stage over layers 0 .. j − 1 on u decoders, the
//   minimum over a last stage of layers i .. j − 1 on d decoders of max(slowest(i, u − d),
//   stage(i, j, d)) (least_slowest_stage; StreamSchedule.TheProgrammeFindsTheBestStagesAsBruteForceDoes).
// The programmes count each stage alone, and narrow stages move more through DRAM: the outer programme
// runs once per least number of decoders a stage gets, and the fewest cycles between inferences with
// the shared resources counted (stream_period) is kept.
// What it cannot find: stages of non-contiguous decoders; stages that share decoders; a stage's share of
// the global buffer other than its decoders' share (stages run at once, so their claims must add up to
// at most the buffer); a stage whose weights do not all fit its arrays counted warm (its stacks are then
// counted cold; which stacks do stay is chosen after, stack_residency.hpp); single layers that keep
// their weights (they load them every inference, as under the other objectives); cuts that balance a
// digital core's layers between stages (the programmes count each stage alone; the period counts the
// core shared).
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/stack_residency.hpp"
#include "mapping/stack_scheduler.hpp"
#include "mapping/stream_order.hpp"
#include "mapping/tile_schedule.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// At most this many stages: a stream's program holds 2 × stages + 2 inferences (pipelined_network.hpp),
// and validate()'s proof over inferences that overlap grows with the square of its allocations.
inline constexpr std::int64_t kMaxStreamStages = 4;

// One segment as it runs in its stage.
struct StreamSegment {
  Segment segment;   // a stack: its tiling and its layout, first decoders from the stage's first decoder
  ScoredPlan single;  // a single MAC layer on the arrays: its plan on the stage's decoders (decoder_base set)
  int core = -1;      // a single layer on a digital core: that core, which every stage shares
  // A vector layer whose chunks in flight (program_builder.hpp, vector_chunks) would claim more than the
  // stage's share of the global buffer: that share, which it is then costed (single.cost) and built
  // with; 0 when it runs as alone.
  std::int64_t gb_share = 0;
  bool stays = false;  // a stack whose weights stay in the arrays
  std::int64_t cold = 0, warm = 0;  // its estimate on an idle chip, and once warm
  std::int64_t gb_bytes = 0;        // the global buffer it claims at once
  ResourceBusy shared;              // what it keeps busy once warm of the resources every stage shares
  // A stack's bands once warm (tile_schedule.hpp), to time them when other stages share the resources.
  std::vector<TileNode> bands;
  int band_resources = 0;
  // Its busy cycles once warm on DRAM ([0]) and the L2 link ([1]) by the links' service class
  // (docs/model.md, "The links' service rule"): kActivations, kWeightLoads, kWriteBacks.
  std::array<std::array<double, 3>, 2> link_classes{};
  static constexpr std::size_t kActivations = 0, kWeightLoads = 1, kWriteBacks = 2;
};

struct StreamStage {
  std::size_t first = 0, last = 0;  // its segments
  std::int64_t first_decoder = 0, decoders = 0;
  std::int64_t cycles = 0;  // one inference through it once warm, alone: Σ its segments' warm estimates
  ResourceBusy shared;      // what its segments keep busy, once warm, of the resources every stage shares
};

struct StreamSchedule {
  std::vector<StreamSegment> segments;
  std::vector<StreamStage> stages;
  std::int64_t slowest_stage = 0;
  ResourceBusy shared;      // Σ over the stages, once warm
  std::int64_t period = 0;  // once warm: stream_period()
  std::int64_t cold = 0;    // the first inference, its segments one after another: Σ cold estimates
  std::int64_t stack_options = 0;  // (stack, decoders) pairs scored
  StackResidency residency;        // per segment: its weights stay (stacks only)
};

// The cycles between inferences once warm: the least P ≥ the busiest shared resource (Σ over the
// stages) with P ≥ every stage's cycles while the others run beside it. Beside them, a stage has
// 1 − (busy_r − busy_g,r) ⁄ P of DRAM, the L2 link and the global buffer's port, which serve bursts in
// turn: each of its single layers runs as long as its own estimate or as its use of r at that
// capacity, and each stack's bands are scheduled again (tile_schedule.hpp) with their shared cycles
// counted at that capacity — the fluid sharing of tile_schedule.hpp, one level up. The vector unit
// serves an op whole, so each vector op of the stage (a band's, a single layer's) waits instead, with
// the probability that the others keep the unit busy, for the size-biased rest of their ops
// (Σ d² ⁄ 2 Σ d). And its write-backs, served last on the links, wait for the others' weight loads,
// which DRAM serves a whole op at a time at the pace of the load's narrowest link: for loading ⁄ P of
// the period a load takes φ of link r, and a segment needing u of r for its write-backs runs meanwhile
// at min(1, (1 − φ) ⁄ u) (link_classes; docs/pipelined.md, "A stream of inferences"). No fitted
// constant. One stage: its cycles. With digital cores (a core serves one layer at a time, whichever
// stage it belongs to) P is at least each core's layers summed over the stages, and the stages' cycles
// so stretched are replayed segment by segment in the program's order of issue (stream_order.hpp),
// each layer on a core waiting for it: P covers the replay's interval between inferences
// (stream_period.cpp). Without digital cores the replay gives the slowest stage, as above.
std::int64_t stream_period(const std::vector<StreamStage>& stages, const std::vector<StreamSegment>& segments,
                           const ResourceBusy& total);

// The order in which the stream's program issues its segments (stream_order.hpp; `by_slot` with digital
// cores), from each segment's warm estimate: the program (pipelined_network.cpp) and stream_period's
// replay both follow it, for 2 × stages warm inferences.
std::vector<StreamStep> stream_issue_order(const std::vector<StreamStage>& stages, const std::vector<StreamSegment>& segments,
                                           bool by_slot);

// A single-layer segment's use of the resources every stage shares, and its link classes, from its cost.
void share_single(StreamSegment& segment, const Cost& cost);
// A schedule's stages' cycles, its cold cycles, the shared totals and the period, from its segments as
// they now are (after a segment changed: stream_allocation.hpp).
void restate(StreamSchedule& schedule);

// `layers`: every layer's layer-by-layer mapping (what a vector layer, or a layer on a digital core,
// costs alone). A layer on a digital core is a single-layer segment of whichever stage holds it; the
// stages share the core (docs/heterogeneous.md, "A stream with digital cores"). A design without arrays
// has no decoders to divide: its stages (at most kMaxStreamStages) divide the layers alone, a stage of
// d shares taking d ⁄ kMaxStreamStages of the global buffer. Returns no stages when none works (a
// segment that fits no stage).
StreamSchedule schedule_stream(const Network& network, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<MappedLayer>& layers);

// The programme's core, exposed for the brute-force test: stage(i, j, d) is the cycles of segments
// i .. j − 1 as one stage on d decoders (negative: not a stage). Returns the stages (first, last
// segment, decoders) of the least slowest stage over `segments` segments on at most `decoders` decoders,
// fewest stages on ties; empty when none exists.
struct StageCut {
  std::size_t first = 0, last = 0;
  std::int64_t decoders = 0;
};
// Stages get at least `min_decoders` decoders each.
std::vector<StageCut> least_slowest_stage(std::size_t segments, std::int64_t decoders,
                                          const std::function<std::int64_t(std::size_t, std::size_t, std::int64_t)>& stage,
                                          std::int64_t min_decoders = 1);

}  // namespace cimnet
