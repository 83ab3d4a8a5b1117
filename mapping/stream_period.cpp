// The cycles between inferences of a stream once warm (stream_schedule.hpp, stream_period): the
// stages' contention for the resources every stage shares, modelled fluidly one level above the tile
// schedule, and with digital cores a replay of the stream in the program's order of issue. Its own
// file because it is its own model: the stage programmes never call it, and it is what
// docs/pipelined.md, "A stream of inferences", and docs/heterogeneous.md, "A stream with digital
// cores", describe term by term.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "mapping/stream_order.hpp"
#include "mapping/stream_schedule.hpp"

namespace cimnet {

std::vector<StreamStep> stream_issue_order(const std::vector<StreamStage>& stages, const std::vector<StreamSegment>& segments,
                                           bool by_slot) {
  const std::size_t G = stages.size();
  std::vector<std::size_t> first(G), end(G);
  std::vector<std::int64_t> offset(segments.size(), 0);  // a segment's estimated start in its stage, warm
  for (std::size_t g = 0; g < G; ++g) {
    first[g] = stages[g].first;
    end[g] = stages[g].last + 1;
    std::int64_t at = 0;
    for (std::size_t s = first[g]; s < end[g]; ++s) {
      offset[s] = at;
      at += segments[s].warm;
    }
  }
  return stream_order(first, end, offset, static_cast<int>(2 * G), by_slot);
}

namespace {

// With digital cores: the stream replayed segment by segment in the order its program issues them
// (stream_order.hpp), each segment taking `stretched[s]` cycles, each starting once its stage has
// finished the previous segment, or, first in its stage, once the inference's previous stage and the
// gates of pipelined_network.cpp allow, and a segment on a digital core once the core has finished the
// previous layer issued to it. The first warm inference runs alone first (its segments at their warm
// estimates). Returns the mean interval between the ends of warm inferences G − 1 and G + 1 (of 2G
// after it), the window the simulation measures (NetworkMapping::stream_measured_from).
double replay(const std::vector<StreamStage>& stages, const std::vector<StreamSegment>& segments,
              const std::vector<StreamStep>& order, std::size_t cores, const std::vector<double>& stretched) {
  const std::size_t G = stages.size();
  const int N = static_cast<int>(2 * G);
  std::vector<std::vector<double>> finished(G, std::vector<double>(static_cast<std::size_t>(N) + 1, 0));
  double t = 0;  // the first warm inference, alone
  for (std::size_t g = 0; g < G; ++g) {
    for (std::size_t s = stages[g].first; s <= stages[g].last; ++s) t += static_cast<double>(segments[s].warm);
    finished[g][0] = t;
  }
  std::vector<double> core_free(cores, t), stage_clock(G, 0);
  for (const StreamStep& step : order) {
    const std::size_t g = step.stage, s = step.segment;
    const auto k = static_cast<std::size_t>(step.inference);
    double start = stage_clock[g];
    if (s == stages[g].first) {
      start = finished[g][k - 1];
      if (g > 0) start = std::max(start, finished[g - 1][k]);
      if (g + 1 < G && k >= 2) start = std::max(start, finished[g + 1][k - 2]);
    }
    const int core = segments[s].core;
    if (core >= 0) start = std::max(start, core_free[static_cast<std::size_t>(core)]);
    stage_clock[g] = start + stretched[s];
    if (core >= 0) core_free[static_cast<std::size_t>(core)] = stage_clock[g];
    if (s == stages[g].last) finished[g][k] = stage_clock[g];
  }
  return (finished[G - 1][G + 1] - finished[G - 1][G - 1]) / 2;
}

}  // namespace

std::int64_t stream_period(const std::vector<StreamStage>& stages, const std::vector<StreamSegment>& segments,
                           const ResourceBusy& total) {
  const auto shares = [](const ResourceBusy& b) {
    return std::array<double, 4>{b.dram, b.l2, b.gb, b.vector};
  };
  const std::array<double, 4> all = shares(total);
  std::int64_t lo = static_cast<std::int64_t>(std::ceil(*std::max_element(all.begin(), all.end())));
  for (const StreamStage& st : stages) lo = std::max(lo, st.cycles);
  // A stage's cycles when the others run beside it at period P: the others hold (busy_r − busy_g,r) ⁄ P
  // of each shared resource r; each of its segments (each band of a stack) runs as long as its own
  // work, or as its use of r at the capacity the others leave, whichever is longer.
  // The vector unit serves an op whole (models/controller.cpp): an op of one stage that finds it busy
  // with another stage's op waits for that op's rest, on average its size-biased residual Σ d² ⁄ 2 Σ d
  // over the others' ops, with the probability that the unit is busy with them. Per stage: Σ d, Σ d².
  std::vector<double> ops_d(stages.size(), 0), ops_d2(stages.size(), 0);
  for (std::size_t g = 0; g < stages.size(); ++g) {
    for (std::size_t s = stages[g].first; s <= stages[g].last; ++s) {
      const StreamSegment& seg = segments[s];
      if (seg.bands.empty()) {
        ops_d[g] += seg.shared.vector;
        ops_d2[g] += seg.shared.vector * seg.shared.vector;
      }
      for (const TileNode& b : seg.bands) {
        ops_d[g] += b.shared[3];
        ops_d2[g] += b.shared[3] * b.shared[3];
      }
    }
  }
  // Per stage, its segments' weight loads: each one's loading time (its narrowest link's busy) and the
  // share φ of DRAM and of L2 it takes meanwhile — for the other stages' write-backs, below.
  struct Load {
    double loading = 0;
    std::array<double, 2> share{};
  };
  std::vector<std::vector<Load>> loads(stages.size());
  for (std::size_t g = 0; g < stages.size(); ++g) {
    for (std::size_t s = stages[g].first; s <= stages[g].last; ++s) {
      const auto& c = segments[s].link_classes;
      const double dram = c[0][StreamSegment::kWeightLoads], l2 = c[1][StreamSegment::kWeightLoads];
      const double loading = std::max(dram, l2);
      if (loading > 0) loads[g].push_back({loading, {dram / loading, l2 / loading}});
    }
  }
  double all_d = 0, all_d2 = 0;
  for (std::size_t g = 0; g < stages.size(); ++g) {
    all_d += ops_d[g];
    all_d2 += ops_d2[g];
  }
  // Digital cores: each serves one layer at a time (the program orders a core's layers), so P covers
  // each core's layers over every stage; how long a layer then waits for its core is the replay's.
  std::size_t cores = 0;
  for (const StreamSegment& seg : segments) cores = std::max(cores, static_cast<std::size_t>(seg.core + 1));
  std::vector<double> core_d(cores, 0);
  for (const StreamSegment& seg : segments) {
    if (seg.core >= 0) core_d[static_cast<std::size_t>(seg.core)] += static_cast<double>(seg.warm);
  }
  for (double d : core_d) lo = std::max(lo, static_cast<std::int64_t>(std::ceil(d)));
  std::vector<double> stretched(segments.size(), 0);  // per segment, at the period asked
  const std::vector<StreamStep> order = cores > 0 ? stream_issue_order(stages, segments, true) : std::vector<StreamStep>{};
  const auto contended = [&](std::int64_t period) {
    double slowest = 0;
    for (std::size_t g = 0; g < stages.size(); ++g) {
      const StreamStage& st = stages[g];
      const std::array<double, 4> mine = shares(st.shared);
      std::array<double, 4> left{};
      for (std::size_t r = 0; r < mine.size(); ++r) left[r] = 1.0 - (all[r] - mine[r]) / static_cast<double>(period);
      const double others_d = all_d - ops_d[g];
      const double vector_wait =
          others_d > 0 ? (others_d / static_cast<double>(period)) * (all_d2 - ops_d2[g]) / (2 * others_d) : 0;
      left[3] = 1.0;  // the vector unit: waits per op instead
      double cycles = 0;
      for (std::size_t s = st.first; s <= st.last; ++s) {
        const StreamSegment& seg = segments[s];
        // Work on a resource at the capacity the others leave: at least use ⁄ left cycles.
        const auto at_most = [&](double own, const std::array<double, 4>& use) {
          for (std::size_t r = 0; r < use.size(); ++r) {
            if (use[r] <= 0) continue;
            own = left[r] <= 0 ? std::numeric_limits<double>::infinity() : std::max(own, use[r] / left[r]);
          }
          return own;
        };
        double longest = at_most(static_cast<double>(seg.warm), shares(seg.shared));
        if (seg.bands.empty() && seg.shared.vector > 0) longest += vector_wait;
        if (!seg.bands.empty() && longest < std::numeric_limits<double>::infinity()) {
          // A stack: its bands scheduled again (tile_schedule.hpp) with their shared cycles counted at
          // the capacity the others leave, so that its own bands share what is left, and each vector
          // op waiting its turn.
          std::vector<TileNode> bands = seg.bands;
          for (TileNode& b : bands) {
            for (std::size_t r = 0; r < kSharedResources; ++r) {
              if (b.shared[r] <= 0) continue;
              b.shared[r] /= left[r];
              b.duration = std::max(b.duration, static_cast<std::int64_t>(std::ceil(b.shared[r])));
            }
            if (b.shared[3] > 0) b.duration += static_cast<std::int64_t>(std::ceil(vector_wait));
          }
          longest = std::max(longest, static_cast<double>(schedule_tiles(bands, seg.band_resources).makespan));
        }
        if (longest < std::numeric_limits<double>::infinity()) {
          // Write-backs behind the other stages' weight loads: DRAM serves a load whole (by op) and at
          // the pace of its narrowest link, where it takes the link for as long as it runs; on link r it
          // takes φ = its busy on r ⁄ its narrowest link's. For loading ⁄ P of the period the segment's
          // write-backs then get 1 − φ of r: where that is less than they need at full speed (u), the
          // segment runs at (1 − φ) ⁄ u meanwhile — not at all beside a load on its narrowest link.
          double worst = 0;
          for (std::size_t r = 0; r < seg.link_classes.size(); ++r) {
            const double wb = seg.link_classes[r][StreamSegment::kWriteBacks] / std::max(1.0, static_cast<double>(seg.warm));
            if (wb <= 0) continue;
            double lost = 0;
            for (std::size_t h = 0; h < stages.size(); ++h) {
              if (h == g) continue;
              for (const Load& load : loads[h]) {
                lost += load.loading / static_cast<double>(period) * (1.0 - std::min(1.0, (1.0 - load.share[r]) / wb));
              }
            }
            worst = std::max(worst, lost);
          }
          longest = worst >= 1 ? std::numeric_limits<double>::infinity() : longest / (1.0 - worst);
        }
        cycles += longest;
        stretched[s] = longest;
      }
      slowest = std::max(slowest, cycles);
    }
    return cores == 0 ? slowest : replay(stages, segments, order, cores, stretched);
  };
  // contended() falls as the period grows: the least period that covers it, by doubling then bisection.
  if (contended(lo) <= static_cast<double>(lo)) return lo;
  std::int64_t hi = 2 * lo;
  while (contended(hi) > static_cast<double>(hi)) hi *= 2;
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (contended(mid) <= static_cast<double>(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace cimnet
