#include "mapping/stream_schedule.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "common/error.hpp"
#include "mapping/row_bands.hpp"
#include "mapping/single_layer_memory.hpp"
#include "mapping/stack_program.hpp"
#include "mapping/stack_residency.hpp"

namespace cimnet {

std::vector<StageCut> least_slowest_stage(std::size_t segments, std::int64_t decoders,
                                          const std::function<std::int64_t(std::size_t, std::size_t, std::int64_t)>& stage,
                                          std::int64_t min_decoders) {
  constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
  const std::size_t D = static_cast<std::size_t>(std::max<std::int64_t>(0, decoders));
  // slowest[j][u], stages[j][u]: over segments 0 .. j − 1 on exactly u decoders; from[j][u]: the last stage.
  std::vector<std::vector<std::int64_t>> slowest(segments + 1, std::vector<std::int64_t>(D + 1, kNone));
  std::vector<std::vector<std::size_t>> stages(segments + 1, std::vector<std::size_t>(D + 1, 0));
  std::vector<std::vector<StageCut>> from(segments + 1, std::vector<StageCut>(D + 1));
  slowest[0][0] = 0;
  for (std::size_t j = 1; j <= segments; ++j) {
    for (std::size_t u = 1; u <= D; ++u) {
      for (std::size_t i = 0; i < j; ++i) {
        for (std::size_t d = static_cast<std::size_t>(std::max<std::int64_t>(1, min_decoders)); d <= u; ++d) {
          const std::int64_t before = slowest[i][u - d];
          if (before == kNone) continue;
          const std::int64_t c = stage(i, j, static_cast<std::int64_t>(d));
          if (c < 0) continue;
          const std::int64_t value = std::max(before, c);
          const std::size_t count = stages[i][u - d] + 1;
          if (value < slowest[j][u] || (value == slowest[j][u] && count < stages[j][u])) {
            slowest[j][u] = value;
            stages[j][u] = count;
            from[j][u] = StageCut{i, j - 1, static_cast<std::int64_t>(d)};
          }
        }
      }
    }
  }
  std::size_t best_u = 0;
  for (std::size_t u = 1; u <= D; ++u) {
    const std::int64_t v = slowest[segments][u];
    if (v == kNone) continue;
    if (best_u == 0 || v < slowest[segments][best_u] ||
        (v == slowest[segments][best_u] && stages[segments][u] < stages[segments][best_u])) {
      best_u = u;
    }
  }
  std::vector<StageCut> out;
  if (segments == 0 || best_u == 0) return out;
  for (std::size_t j = segments, u = best_u; j > 0;) {
    const StageCut cut = from[j][u];
    out.push_back(cut);
    j = cut.first;
    u -= static_cast<std::size_t>(cut.decoders);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

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
      }
      slowest = std::max(slowest, cycles);
    }
    return slowest;
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

namespace {

// A segment's DRAM and L2 busy split by service class: the weight loads, the write-backs, and the
// rest (activations).
std::array<std::array<double, 3>, 2> link_classes(const ResourceBusy& all, const ResourceBusy& loads,
                                                  const ResourceBusy& write_backs) {
  const auto split = [](double total, double load, double wb) {
    load = std::min(load, total);
    wb = std::min(wb, total - load);
    std::array<double, 3> c{};
    c[StreamSegment::kActivations] = total - load - wb;
    c[StreamSegment::kWeightLoads] = load;
    c[StreamSegment::kWriteBacks] = wb;
    return c;
  };
  return {split(all.dram, loads.dram, write_backs.dram), split(all.l2, loads.l2, write_backs.l2)};
}

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max() / 4;

void shift(StreamSegment& s, std::int64_t base) {
  for (std::size_t k = 0; k < s.segment.layout.first_decoder.size(); ++k) {
    if (s.segment.layout.decoders[k] > 0) s.segment.layout.first_decoder[k] += base;
  }
  s.single.plan.decoder_base = base;
}

// Every segment a stage on d decoders may run: stacks of layers (first, last) and single layers, laid
// out from decoder 0, each within the stage's share of the global buffer; scored when first asked.
class StageOptions {
 public:
  // `fewer`: the options on d − 1 decoders (nullptr for d = 1), whose results carry over when they
  // cannot change.
  StageOptions(const Network& net, const HardwareConfig& hw, MapperCache& cache, const std::vector<MappedLayer>& layers,
               std::int64_t d, StageOptions* fewer)
      : net_(net), hw_(hw), cache_(cache), layers_(layers), fewer_(fewer), decoders_(d), stage_(stage_hardware(hw, d)),
        budget_(hw.fixed.gb_bytes * d / hw.l1_decoders()),
        stacks_(layers.size(), std::vector<std::optional<StreamSegment>>(static_cast<std::size_t>(kMaxStackLayers))),
        unconstrained_(layers.size() * static_cast<std::size_t>(kMaxStackLayers), 0),
        singles_(layers.size()) {}

  // The stack of layers first .. last (nullptr when it is none here), at its fastest tiling once warm.
  // `tilings` (optional): the stack's, shared with the other decoder counts.
  const StreamSegment* stack(int first, int last, StackTilings* tilings = nullptr) {
    auto& slot = stacks_[static_cast<std::size_t>(first)][static_cast<std::size_t>(last - first)];
    if (!slot && fewer_) {
      // A stack that left decoders unused on d − 1 decoders, at its fastest tiling within that share of
      // the buffer, is the same on d: best_stack gives a layer one more decoder only while it shortens
      // the layer, and the larger share admits the same tiling.
      const auto& before = fewer_->stacks_[static_cast<std::size_t>(first)][static_cast<std::size_t>(last - first)];
      if (before && before->cold >= 0 && fewer_->unconstrained_[key(first, last)]) {
        std::int64_t used = 0;
        for (std::int64_t k : before->segment.layout.decoders) used += k;
        if (used < decoders_ - 1) {
          slot = before;
          unconstrained_[key(first, last)] = 1;
        }
      }
    }
    if (!slot) {
      slot = StreamSegment{};
      slot->cold = -1;
      WarmWithin within{budget_, false, tilings};
      slot->segment = best_stack(net_, first, last, stage_, cache_, nullptr, nullptr, nullptr, &within);
      ++scored;
      if (!slot->segment.stack) return nullptr;
      unconstrained_[key(first, last)] = within.bound ? 0 : 1;
      slot->cold = slot->segment.cycles;
      slot->warm = slot->segment.warm_cycles;
      slot->gb_bytes = slot->segment.gb_bytes;
    }
    return slot->cold < 0 ? nullptr : &*slot;
  }

  // Layer i alone, as under layer-by-layer on the stage's decoders (nullptr when it cannot run there).
  const StreamSegment* single(int i) {
    auto& slot = singles_[static_cast<std::size_t>(i)];
    if (!slot) {
      slot = StreamSegment{};
      slot->cold = -1;
      slot->segment.first = slot->segment.last = i;
      const MappedLayer& m = layers_[static_cast<std::size_t>(i)];
      const Layer& layer = net_.layers[static_cast<std::size_t>(i)];
      if (m.mac) {
        if (m.digital >= 0) return nullptr;
        try {
          LayerMapping lm = cache_.map(layer, stage_, 1, false);
          if (lm.best.empty()) return nullptr;
          slot->single = lm.best.front();
        } catch (const InputError&) {
          return nullptr;  // no plan on so few decoders
        }
        slot->gb_bytes = single_layer_gb_bytes(layer, &slot->single.plan, stage_);
        if (slot->gb_bytes > budget_) return nullptr;
        slot->cold = slot->warm = slot->single.cost.cycles;
      } else {
        slot->gb_bytes = single_layer_gb_bytes(layer, nullptr, hw_);
        if (slot->gb_bytes > budget_) return nullptr;
        slot->cold = slot->warm = m.cost.cycles;
      }
    }
    return slot->cold < 0 ? nullptr : &*slot;
  }

  std::int64_t scored = 0;

 private:
  const Network& net_;
  const HardwareConfig& hw_;
  MapperCache& cache_;
  const std::vector<MappedLayer>& layers_;
  StageOptions* fewer_;
  std::int64_t decoders_;
  HardwareConfig stage_;
  std::int64_t budget_;
  static std::size_t key(int first, int last) {
    return static_cast<std::size_t>(first) * static_cast<std::size_t>(kMaxStackLayers) + static_cast<std::size_t>(last - first);
  }
  std::vector<std::vector<std::optional<StreamSegment>>> stacks_;
  std::vector<char> unconstrained_;  // per stack: its fastest tiling once warm, within the share
  std::vector<std::optional<StreamSegment>> singles_;
};

// The segmentation programme of stack_scheduler.hpp within one stage: from layer `from`, the fewest
// cycles of layers from .. j − 1 for every j, once warm (every stack's weights staying) or cold, and the
// last segment of each (its first layer, and whether it is a stack).
struct StageProgramme {
  std::vector<std::int64_t> best;
  std::vector<int> last_first;
  std::vector<char> last_stack;
};

StageProgramme stage_programme(const Network& net, StageOptions& options, int from, bool warm) {
  const int n = static_cast<int>(net.layers.size());
  StageProgramme p;
  p.best.assign(static_cast<std::size_t>(n) + 1, kNever);
  p.last_first.assign(static_cast<std::size_t>(n) + 1, -1);
  p.last_stack.assign(static_cast<std::size_t>(n) + 1, 0);
  p.best[static_cast<std::size_t>(from)] = 0;
  for (int j = from + 1; j <= n; ++j) {
    auto offer = [&](int first, std::int64_t cycles, bool stack) {
      const std::int64_t before = p.best[static_cast<std::size_t>(first)];
      if (before >= kNever || before + cycles >= p.best[static_cast<std::size_t>(j)]) return;
      p.best[static_cast<std::size_t>(j)] = before + cycles;
      p.last_first[static_cast<std::size_t>(j)] = first;
      p.last_stack[static_cast<std::size_t>(j)] = stack;
    };
    if (const StreamSegment* s = options.single(j - 1)) offer(j - 1, s->cold, false);
    for (int i = j - 1; i >= std::max(from, j - kMaxStackLayers); --i) {
      if (net.layers[static_cast<std::size_t>(i)].kind == LayerKind::MatMul) break;
      if (const StreamSegment* s = options.stack(i, j - 1)) offer(i, warm ? s->warm : s->cold, true);
    }
  }
  return p;
}

}  // namespace

StreamSchedule schedule_stream(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<MappedLayer>& layers) {
  const int n = static_cast<int>(net.layers.size());
  const std::int64_t D = hw.l1_decoders();
  const std::int64_t per_decoder = hw.get(HwParam::MA_num_child) * hw.get(HwParam::MA_mem_size);
  std::vector<std::int64_t> weight_prefix(static_cast<std::size_t>(n) + 1, 0);
  for (int i = 0; i < n; ++i) {
    const Layer& l = net.layers[static_cast<std::size_t>(i)];
    weight_prefix[static_cast<std::size_t>(i) + 1] =
        weight_prefix[static_cast<std::size_t>(i)] + (l.is_mac_layer() && l.kind != LayerKind::MatMul ? l.weight_bytes() : 0);
  }
  // Per decoder count and first layer: the stage programmes, once warm and cold. A stage counts its
  // stacks warm when its arrays could hold every weight of its layers (one copy each); else cold.
  std::vector<StageOptions> options;
  options.reserve(static_cast<std::size_t>(D));  // no reallocation: each holds the previous one's address
  for (std::int64_t d = 1; d <= D; ++d) options.emplace_back(net, hw, cache, layers, d, d > 1 ? &options.back() : nullptr);
  // Every stack on every decoder count, stack by stack: the decoder counts share its tilings, which are
  // then made once and dropped when the next stack starts (the programmes below ask for every stack).
  for (int first = 0; first < n; ++first) {
    for (int last = first; last < std::min(n, first + kMaxStackLayers); ++last) {
      if (net.layers[static_cast<std::size_t>(last)].kind == LayerKind::MatMul) break;
      StackTilings tilings(net, first, last);
      for (StageOptions& o : options) o.stack(first, last, &tilings);
    }
  }
  std::vector<std::vector<StageProgramme>> warm(static_cast<std::size_t>(D)), cold(static_cast<std::size_t>(D));
  for (std::int64_t d = 1; d <= D; ++d) {
    for (int i = 0; i < n; ++i) {
      warm[static_cast<std::size_t>(d - 1)].push_back(stage_programme(net, options[static_cast<std::size_t>(d - 1)], i, true));
      cold[static_cast<std::size_t>(d - 1)].push_back(stage_programme(net, options[static_cast<std::size_t>(d - 1)], i, false));
    }
  }
  auto holds_all = [&](std::size_t i, std::size_t j, std::int64_t d) {
    return weight_prefix[j] - weight_prefix[i] <= d * per_decoder;
  };
  auto stage = [&](std::size_t i, std::size_t j, std::int64_t d) -> std::int64_t {
    const auto& programmes = holds_all(i, j, d) ? warm : cold;
    const std::int64_t c = programmes[static_cast<std::size_t>(d - 1)][i].best[j];
    return c >= kNever ? -1 : c;
  };
  // Stages' segments placed on their decoders; which stacks' weights stay (over every stage's arrays at
  // once: stages have arrays of their own); the stages' cycles with them, and the shared resources.
  auto realise = [&](const std::vector<StageCut>& cuts) {
    StreamSchedule out;
    std::int64_t base = 0;
    std::vector<SegmentWeights> weights;
    for (const StageCut& cut : cuts) {
      StreamStage st;
      st.first_decoder = base;
      st.decoders = cut.decoders;
      st.first = out.segments.size();
      const std::size_t k = static_cast<std::size_t>(cut.decoders - 1);
      const StageProgramme& p = (holds_all(cut.first, cut.last + 1, cut.decoders) ? warm : cold)[k][cut.first];
      std::vector<StreamSegment> mine;
      for (int j = static_cast<int>(cut.last) + 1; j > static_cast<int>(cut.first);) {
        const int first = p.last_first[static_cast<std::size_t>(j)];
        const StreamSegment* s = p.last_stack[static_cast<std::size_t>(j)] ? options[k].stack(first, j - 1)
                                                                           : options[k].single(j - 1);
        mine.push_back(*s);
        j = first;
      }
      std::reverse(mine.begin(), mine.end());
      for (StreamSegment& seg : mine) {
        shift(seg, base);
        SegmentWeights w;
        w.stack = seg.segment.stack;
        if (w.stack) {
          w.plans = placed_plans(net, seg.segment);
          w.saving = seg.cold - seg.warm;
        } else if (layers[static_cast<std::size_t>(seg.segment.first)].mac) {
          w.plans.push_back(seg.single.plan);
        }
        weights.push_back(std::move(w));
        out.segments.push_back(std::move(seg));
      }
      st.last = out.segments.size() - 1;
      base += cut.decoders;
      out.stages.push_back(st);
    }
    out.residency = choose_stack_residency(hw, weights);
    const StackResidency& residency = out.residency;
    for (StreamStage& st : out.stages) {
      for (std::size_t s = st.first; s <= st.last; ++s) {
        StreamSegment& seg = out.segments[s];
        seg.stays = residency.stays[s] != 0;
        if (!seg.stays) seg.warm = seg.cold;
        st.cycles += seg.warm;
        out.cold += seg.cold;
        if (seg.segment.stack) {
          const StackTiling tiling = tile_stack(net, seg.segment.first, seg.segment.last, seg.segment.tiles);
          StackRun run = run_stack(net, tiling, seg.segment.layout, hw, seg.stays ? StackWeights::Resident : StackWeights::Load);
          seg.shared = run.shared;
          seg.bands = std::move(run.nodes);
          seg.band_resources = seg.segment.last - seg.segment.first + 2;
          seg.link_classes = link_classes(run.shared, run.shared_loads, run.shared_write_backs);
        } else {
          const Cost& c = layers[static_cast<std::size_t>(seg.segment.first)].mac
                              ? seg.single.cost
                              : layers[static_cast<std::size_t>(seg.segment.first)].cost;
          seg.shared.dram = c.busy.dram;
          seg.shared.l2 = c.busy.l2;
          seg.shared.gb = c.busy.gb;
          seg.shared.vector = c.busy.vector;
          seg.link_classes = link_classes(c.busy, c.load_busy, c.write_back_busy);
        }
        st.shared.dram += seg.shared.dram;
        st.shared.l2 += seg.shared.l2;
        st.shared.gb += seg.shared.gb;
        st.shared.vector += seg.shared.vector;
      }
      out.slowest_stage = std::max(out.slowest_stage, st.cycles);
    }
    for (const StreamStage& st : out.stages) {
      out.shared.dram += st.shared.dram;
      out.shared.l2 += st.shared.l2;
      out.shared.gb += st.shared.gb;
      out.shared.vector += st.shared.vector;
    }
    out.period = stream_period(out.stages, out.segments, out.shared);
    return out;
  };
  // The programme minimises the slowest stage, but narrow stages run more segments alone and so move
  // more through DRAM, which every stage shares: each least number of decoders per stage is tried (from
  // the one that leaves at most kMaxStreamStages stages) and the fewest cycles between inferences,
  // shared resources included, is kept (ties: fewer stages).
  StreamSchedule best;
  for (std::int64_t m = (D + kMaxStreamStages - 1) / kMaxStreamStages; m <= D; ++m) {
    const std::vector<StageCut> cuts = least_slowest_stage(static_cast<std::size_t>(n), D, stage, m);
    if (cuts.empty()) continue;
    StreamSchedule candidate = realise(cuts);
    if (best.stages.empty() || candidate.period < best.period ||
        (candidate.period == best.period && candidate.stages.size() < best.stages.size())) {
      best = std::move(candidate);
    }
  }
  for (const StageOptions& o : options) best.stack_options += o.scored;
  return best;
}

}  // namespace cimnet
