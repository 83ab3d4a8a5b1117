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
  // `of`: the decoders all stages divide (kMaxStreamStages shares of the buffer without arrays).
  StageOptions(const Network& net, const HardwareConfig& hw, MapperCache& cache, const std::vector<MappedLayer>& layers,
               std::int64_t d, std::int64_t of, StageOptions* fewer)
      : net_(net), hw_(hw), cache_(cache), layers_(layers), fewer_(fewer), decoders_(d),
        stage_(hw.cim_arrays ? stage_hardware(hw, d) : hw), budget_(hw.fixed.gb_bytes * d / of),
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
      if (m.digital >= 0) {
        // On its digital core, from DRAM to DRAM through the core's own buffers, as costed alone.
        slot->core = m.digital;
        slot->cold = slot->warm = m.cost.cycles;
      } else if (m.mac) {
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
        slot->cold = slot->warm = m.cost.cycles;
        if (slot->gb_bytes > budget_) {
          // Within the stage's share of the buffer: fewer of its chunks in flight at once.
          HardwareConfig share = hw_;
          share.fixed.gb_bytes = budget_;
          slot->gb_bytes = single_layer_gb_bytes(layer, nullptr, share);
          if (slot->gb_bytes > budget_) return nullptr;
          slot->gb_share = budget_;
          slot->single.cost = estimate_vector_layer(layer, share);
          slot->cold = slot->warm = slot->single.cost.cycles;
        }
      }
    }
    return slot->cold < 0 ? nullptr : &*slot;
  }

  // Whether layer i may be in a stack: on the arrays, and not a matmul (stack_scheduler.hpp).
  bool stackable(int i) const {
    return hw_.cim_arrays && layers_[static_cast<std::size_t>(i)].digital < 0 &&
           net_.layers[static_cast<std::size_t>(i)].kind != LayerKind::MatMul;
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
      if (!options.stackable(i)) break;
      if (const StreamSegment* s = options.stack(i, j - 1)) offer(i, warm ? s->warm : s->cold, true);
    }
  }
  return p;
}

}  // namespace

void share_single(StreamSegment& seg, const Cost& c) {
  seg.shared.dram = c.busy.dram;
  seg.shared.l2 = c.busy.l2;
  seg.shared.gb = c.busy.gb;
  seg.shared.vector = c.busy.vector;
  seg.link_classes = link_classes(c.busy, c.load_busy, c.write_back_busy);
}

void restate(StreamSchedule& out) {
  out.cold = out.slowest_stage = 0;
  out.shared = ResourceBusy{};
  for (StreamStage& st : out.stages) {
    st.cycles = 0;
    st.shared = ResourceBusy{};
    for (std::size_t s = st.first; s <= st.last; ++s) {
      const StreamSegment& seg = out.segments[s];
      st.cycles += seg.warm;
      out.cold += seg.cold;
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
}

StreamSchedule schedule_stream(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                               const std::vector<MappedLayer>& layers) {
  const int n = static_cast<int>(net.layers.size());
  // Without arrays, stages divide kMaxStreamStages equal shares (of the global buffer alone) instead.
  const std::int64_t D = hw.cim_arrays ? hw.l1_decoders() : kMaxStreamStages;
  const std::int64_t per_decoder = hw.get(HwParam::MA_num_child) * hw.get(HwParam::MA_mem_size);
  std::vector<std::int64_t> weight_prefix(static_cast<std::size_t>(n) + 1, 0);
  for (int i = 0; i < n; ++i) {
    const Layer& l = net.layers[static_cast<std::size_t>(i)];
    weight_prefix[static_cast<std::size_t>(i) + 1] =
        weight_prefix[static_cast<std::size_t>(i)] +
        (l.is_mac_layer() && l.kind != LayerKind::MatMul && layers[static_cast<std::size_t>(i)].digital < 0 ? l.weight_bytes() : 0);
  }
  // Per decoder count and first layer: the stage programmes, once warm and cold. A stage counts its
  // stacks warm when its arrays could hold every weight of its layers (one copy each); else cold.
  std::vector<StageOptions> options;
  options.reserve(static_cast<std::size_t>(D));  // no reallocation: each holds the previous one's address
  for (std::int64_t d = 1; d <= D; ++d) options.emplace_back(net, hw, cache, layers, d, D, d > 1 ? &options.back() : nullptr);
  // Every stack on every decoder count, stack by stack: the decoder counts share its tilings, which are
  // then made once and dropped when the next stack starts (the programmes below ask for every stack).
  for (int first = 0; first < n; ++first) {
    for (int last = first; last < std::min(n, first + kMaxStackLayers); ++last) {
      if (!options.front().stackable(last)) break;
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
      st.decoders = hw.cim_arrays ? cut.decoders : 0;  // without arrays, a share of the buffer alone
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
        } else if (layers[static_cast<std::size_t>(seg.segment.first)].mac && seg.core < 0) {
          w.plans.push_back(seg.single.plan);
        }
        weights.push_back(std::move(w));
        out.segments.push_back(std::move(seg));
      }
      st.last = out.segments.size() - 1;
      base += st.decoders;
      out.stages.push_back(st);
    }
    out.residency = choose_stack_residency(hw, weights);
    const StackResidency& residency = out.residency;
    for (StreamStage& st : out.stages) {
      for (std::size_t s = st.first; s <= st.last; ++s) {
        StreamSegment& seg = out.segments[s];
        seg.stays = residency.stays[s] != 0;
        if (!seg.stays) seg.warm = seg.cold;
        if (seg.segment.stack) {
          const StackTiling tiling = tile_stack(net, seg.segment.first, seg.segment.last, seg.segment.tiles);
          StackRun run = run_stack(net, tiling, seg.segment.layout, hw, seg.stays ? StackWeights::Resident : StackWeights::Load);
          seg.shared = run.shared;
          seg.bands = std::move(run.nodes);
          seg.band_resources = seg.segment.last - seg.segment.first + 2;
          seg.link_classes = link_classes(run.shared, run.shared_loads, run.shared_write_backs);
        } else {
          share_single(seg, (layers[static_cast<std::size_t>(seg.segment.first)].mac && seg.core < 0) || seg.gb_share > 0
                                ? seg.single.cost
                                : layers[static_cast<std::size_t>(seg.segment.first)].cost);
        }
      }
    }
    restate(out);
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
