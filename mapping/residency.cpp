#include "mapping/residency.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "mapping/cost_model.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapper.hpp"

namespace cimnet {

namespace {

struct Candidate {
  int layer = 0;
  Plan plan;                  // one slice, unturned
  std::int64_t saving = 0;    // estimated cycles saved per inference once warm
  std::int64_t bytes = 0;     // weights over all arrays
  std::vector<std::int64_t> decoder, slot;  // its arrays, unturned
};

// Occupancy of every array by resident weights, and the rotation that places a plan best.
class ArrayLoad {
 public:
  explicit ArrayLoad(const HardwareConfig& hw)
      : decoders_(hw.l1_decoders()), per_(hw.get(HwParam::MA_num_child)),
        bytes_(static_cast<std::size_t>(hw.total_arrays()), 0) {}

  // The rotation (decoder offset, slot offset) with the lowest fullest array after adding `tile` to
  // each of the candidate's arrays, and that fullest array. On very large configurations only a
  // spread of at most 64 × 64 rotations is tried (any rotation is valid; the fit is checked exactly).
  std::int64_t best(const Candidate& c, std::int64_t tile, std::int64_t& d_best, std::int64_t& s_best) const {
    const std::int64_t d_step = std::max<std::int64_t>(1, decoders_ / 64);
    const std::int64_t s_step = std::max<std::int64_t>(1, per_ / 64);
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (std::int64_t d = 0; d < decoders_; d += d_step) {
      for (std::int64_t s = 0; s < per_; s += s_step) {
        std::int64_t fullest = 0;
        for (std::size_t i = 0; i < c.decoder.size() && fullest < best; ++i) {
          fullest = std::max(fullest, at(c.decoder[i] + d, c.slot[i] + s) + tile);
        }
        if (fullest < best) {
          best = fullest;
          d_best = d;
          s_best = s;
        }
      }
    }
    return best;
  }
  void add(const Candidate& c, std::int64_t tile, std::int64_t d, std::int64_t s) {
    for (std::size_t i = 0; i < c.decoder.size(); ++i) at(c.decoder[i] + d, c.slot[i] + s) += tile;
  }
  std::int64_t fullest() const { return *std::max_element(bytes_.begin(), bytes_.end()); }

 private:
  std::int64_t& at(std::int64_t decoder, std::int64_t slot) {
    return bytes_[static_cast<std::size_t>((decoder % decoders_) * per_ + slot % per_)];
  }
  std::int64_t at(std::int64_t decoder, std::int64_t slot) const {
    return bytes_[static_cast<std::size_t>((decoder % decoders_) * per_ + slot % per_)];
  }
  std::int64_t decoders_, per_;
  std::vector<std::int64_t> bytes_;
};

}  // namespace

std::vector<Residency> residency_options(const Network& net, const HardwareConfig& hw, const std::vector<Plan>& plans,
                                         MapperCache& cache, const std::vector<std::vector<PostOp>>& chains,
                                         std::size_t count, const StepCycles* step_cycles) {
  // A layer's cycles once warm with a plan: in its step's context when the caller knows it, else alone
  // (a resident plan's warm estimate as its search scored it).
  // `scored`: the plan's cycles as its search scored them alone (−1: not scored).
  auto cycles_of = [&](std::size_t i, const Plan& plan, bool resident, std::int64_t scored) {
    if (step_cycles) return (*step_cycles)(i, plan, resident);
    return scored >= 0 ? scored : estimate(plan, hw, net.layers[i].macs()).cycles;
  };
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  const std::int64_t per = hw.get(HwParam::MA_num_child);
  Residency out;
  out.resident.assign(net.layers.size(), 0);
  out.replanned.assign(net.layers.size(), 0);
  out.plans = plans;
  // Every MAC layer's need; the candidates with their saving.
  std::vector<std::int64_t> need(net.layers.size(), 0);
  std::vector<Candidate> candidates;
  std::vector<int> candidate_of(net.layers.size(), -1);  // its fastest resident plan
  std::vector<std::vector<int>> variants_of(net.layers.size());  // that and its compact variants
  std::int64_t most_needed = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.is_mac_layer() || !plans[i].feasible) continue;  // not on the arrays (a digital core runs it)
    const Plan& p = plans[i];
    need[i] = weight_need(p);
    most_needed = std::max(most_needed, need[i]);
    if (l.kind == LayerKind::MatMul && !l.persistent_stationary) continue;  // its operand is new every inference
    const LayerMapping warm = cache.map_carrying(l, hw, true, i < chains.size() ? chains[i] : std::vector<PostOp>{});
    if (warm.best.empty()) continue;  // no plan holds all its weights at once
    const std::int64_t loaded = cycles_of(i, p, false, -1);
    // A resident plan and its cycles once warm (as the savings count them).
    auto add_with = [&](const Plan& plan, std::int64_t resident_cycles) {
      Candidate c;
      c.layer = static_cast<int>(i);
      c.plan = plan;
      c.saving = loaded - resident_cycles;
      const std::int64_t units = c.plan.groups_in_pass(0) * c.plan.replicas;
      for (std::int64_t u = 0; u < units; ++u) {
        for (std::int64_t r = 0; r < c.plan.mapping.r_split; ++r) {
          const std::int64_t a = c.plan.array_of(u, r);
          c.decoder.push_back(a / per);
          c.slot.push_back(a % per);
        }
      }
      c.bytes = c.plan.tile_bytes * static_cast<std::int64_t>(c.decoder.size());
      variants_of[i].push_back(static_cast<int>(candidates.size()));
      candidates.push_back(std::move(c));
    };
    auto add = [&](const ScoredPlan& s) { add_with(s.plan, cycles_of(i, s.plan, true, s.cost.cycles)); };
    candidate_of[i] = static_cast<int>(candidates.size());
    add(warm.best.front());
    // Compact variants: the fastest resident plan may hold its weights several times over (replicas)
    // or in large tiles, for a few per cent of speed; on faster cores that doubled the bytes of
    // ViT-B/16's resident layers and left half of them out. From the layer's (bytes, cycles) front,
    // the most compact plan and the fastest needing at most half the bytes; a fill takes at most one
    // variant of a layer.
    const std::vector<PostOp>& chain = i < chains.size() ? chains[i] : std::vector<PostOp>{};
    const PlanLimits limits{chain, hw.fixed.gb_bytes};
    const LayerMapping front = cache.resident_by_bytes(l, hw, chain.empty() ? nullptr : &limits);
    const std::int64_t primary = candidates[static_cast<std::size_t>(candidate_of[i])].bytes;
    const ScoredPlan* half = nullptr;
    for (const ScoredPlan& s : front.best) {
      if (2 * resident_bytes(s.plan) <= primary) half = &s;
    }
    if (!front.best.empty() && resident_bytes(front.best.front().plan) < primary) add(front.best.front());
    if (half && half != &front.best.front()) add(*half);
    // In a step's context (step_cycles given) the plan fastest alone may not be the fastest: with its
    // input and output in the global buffer a plan with other tiles can win. The front's plan fastest
    // in context is offered too when it saves more than every variant above.
    if (step_cycles && !front.best.empty()) {
      const ScoredPlan* fastest = nullptr;
      std::int64_t fastest_cycles = 0;
      for (const ScoredPlan& s : front.best) {
        const std::int64_t c = (*step_cycles)(i, s.plan, true);
        if (!fastest || c < fastest_cycles) {
          fastest = &s;
          fastest_cycles = c;
        }
      }
      bool better = true;
      for (int v : variants_of[i]) {
        const Candidate& c = candidates[static_cast<std::size_t>(v)];
        if (c.plan.mapping == fastest->plan.mapping || c.saving >= loaded - fastest_cycles) better = false;
      }
      if (better) add_with(fastest->plan, fastest_cycles);
    }
  }
  if (candidates.empty()) {
    out.reserve = most_needed;
    return {out};
  }
  std::vector<std::int64_t> reserves = {0};
  for (std::int64_t n : need) {
    if (n > 0) reserves.push_back(n);
  }
  std::sort(reserves.begin(), reserves.end(), std::greater<>());
  reserves.erase(std::unique(reserves.begin(), reserves.end()), reserves.end());

  // (saving, option), the best `count` kept, best first; reserves descend, so ties keep the larger.
  std::vector<std::pair<std::int64_t, Residency>> kept;
  std::vector<std::int64_t> loaded_cycles(net.layers.size(), -1);  // a layer's own plan's cycles, once asked
  // A layer's (need, cycles) front, asked of the cache once per call: the cache hands out copies, and
  // the reserve × layer loop below would otherwise copy each front once per reserve.
  std::vector<std::optional<LayerMapping>> fronts(net.layers.size());
  for (std::int64_t reserve : reserves) {
    const std::int64_t budget = cap - reserve;
    // First with every candidate above the reserve resident (no per-layer front to search); only when
    // those do not fit, again with plans within the reserve offered to them (their fronts are an
    // exhaustive search per layer shape, which would otherwise triple the mapping of a network).
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool candidates_within = attempt == 1;
      // A layer needing more than the reserve either stays resident or takes its best plan within the
      // reserve (its Pareto front of (need, cycles), `MapperCache::by_need`), what that costs it counting
      // against the reserve's saving. A layer that cannot be resident (a matmul's operand, no plan of one
      // pass) must take a plan within; a candidate with no plan within must be resident. A candidate with
      // both is offered like the others, its saving counted from the plan within (second attempt). (Before, every
      // candidate above the reserve had to be resident: on faster cores a few layers' best plans need
      // more, the reserves below them became infeasible, and MobileNetV3's steady estimate rose 4.85 %
      // when MA_comp_per_core was raised, `Residency.ALayerWhoseLoadNothingHidesStaysResidentOnFasterCores`.)
      std::vector<int> must;
      std::vector<std::pair<std::size_t, ScoredPlan>> within;
      std::vector<std::int64_t> saving_of(candidates.size());
      for (std::size_t ci = 0; ci < candidates.size(); ++ci) saving_of[ci] = candidates[ci].saving;
      std::int64_t loss = 0;
      bool possible = true;
      for (std::size_t i = 0; i < need.size() && possible; ++i) {
        if (need[i] <= reserve) continue;
        if (candidate_of[i] >= 0 && !candidates_within) {
          must.push_back(candidate_of[i]);
          continue;
        }
        if (!fronts[i]) {
          const PlanLimits limits{i < chains.size() ? chains[i] : std::vector<PostOp>{}, hw.fixed.gb_bytes};
          fronts[i] = cache.by_need(net.layers[i], hw, limits.post.empty() ? nullptr : &limits);
        }
        const LayerMapping& front = *fronts[i];
        const ScoredPlan* fit = nullptr;  // the best needing at most the reserve: the front's last such
        for (const ScoredPlan& s : front.best) {
          if (weight_need(s.plan) <= reserve) fit = &s;
        }
        if (!fit) {
          if (candidate_of[i] >= 0) {
            must.push_back(candidate_of[i]);
            continue;
          }
          possible = false;
          break;
        }
        if (loaded_cycles[i] < 0) loaded_cycles[i] = cycles_of(i, plans[i], false, -1);
        const std::int64_t cost = cycles_of(i, fit->plan, false, fit->cost.cycles) - loaded_cycles[i];
        loss += cost;
        within.emplace_back(i, *fit);
        for (int v : variants_of[i]) saving_of[static_cast<std::size_t>(v)] += cost;
      }
      if (!possible) break;  // a layer that cannot be resident has no plan within: whatever the candidates do
      std::stable_sort(must.begin(), must.end(), [&](int a, int b) {
        return candidates[static_cast<std::size_t>(a)].plan.tile_bytes >
               candidates[static_cast<std::size_t>(b)].plan.tile_bytes;
      });
      // The orders candidates are offered in, each filling what the must-be-resident layers leave: the
      // most cycles saved per byte first, and the most cycles saved first. Density alone is the greedy
      // knapsack that can lose to one large item: small layers of high density fill the arrays and the
      // one layer whose load nothing hides (MobileNetV3's 1.2 MB feature_mix) no longer fits. Each
      // reserve keeps the better fill.
      const auto order_by = [&](auto better) {
        std::vector<int> order(candidates.size());
        for (std::size_t i = 0; i < candidates.size(); ++i) order[i] = static_cast<int>(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
          return better(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
        });
        return order;
      };
      const std::vector<std::vector<int>> orders = {
          order_by([&](std::size_t x, std::size_t y) {
            // saving / bytes, compared without division
            return static_cast<long double>(saving_of[x]) * static_cast<long double>(candidates[y].bytes) >
                   static_cast<long double>(saving_of[y]) * static_cast<long double>(candidates[x].bytes);
          }),
          order_by([&](std::size_t x, std::size_t y) { return saving_of[x] > saving_of[y]; }),
      };
      // One fill: the must-be-resident layers, then the others in `order` while they fit.
      struct Fill {
        ArrayLoad load;
        std::vector<char> taken, layer_taken;
        std::vector<std::pair<std::int64_t, std::int64_t>> turn;
        std::int64_t saving;
        bool possible = true;
      };
      const auto fill = [&](const std::vector<int>& order) {
        Fill f{ArrayLoad(hw), std::vector<char>(candidates.size(), 0), std::vector<char>(net.layers.size(), 0),
               std::vector<std::pair<std::int64_t, std::int64_t>>(candidates.size()), -loss};
        auto offer = [&](int ci) {
          const Candidate& c = candidates[static_cast<std::size_t>(ci)];
          if (f.layer_taken[static_cast<std::size_t>(c.layer)]) return false;
          std::int64_t d = 0, s = 0;
          if (f.load.best(c, c.plan.tile_bytes, d, s) > budget) return false;
          f.load.add(c, c.plan.tile_bytes, d, s);
          f.taken[static_cast<std::size_t>(ci)] = 1;
          f.layer_taken[static_cast<std::size_t>(c.layer)] = 1;
          f.turn[static_cast<std::size_t>(ci)] = {d, s};
          f.saving += saving_of[static_cast<std::size_t>(ci)];
          return true;
        };
        for (int ci : must) {  // the fastest resident plan, else a compact one
          bool placed = false;
          for (int v : variants_of[static_cast<std::size_t>(candidates[static_cast<std::size_t>(ci)].layer)]) {
            if ((placed = offer(v))) break;
          }
          if (!placed) {
            f.possible = false;
            return f;
          }
        }
        for (int ci : order) {
          if (!f.taken[static_cast<std::size_t>(ci)] && saving_of[static_cast<std::size_t>(ci)] > 0) offer(ci);
        }
        return f;
      };
      Fill chosen = fill(orders.front());
      if (!chosen.possible) continue;  // the must-be-resident layers do not fit: whatever the order
      for (std::size_t o = 1; o < orders.size(); ++o) {
        Fill other = fill(orders[o]);
        if (other.saving > chosen.saving) chosen = std::move(other);  // ties keep the earlier order
      }
      const std::int64_t saving = chosen.saving;
      const ArrayLoad& load = chosen.load;
      const std::vector<char>& taken = chosen.taken;
      const auto& turn = chosen.turn;
      if (kept.size() == count && saving <= kept.back().first) break;  // not among the best: next reserve
      out.reserve = reserve;
      out.resident.assign(net.layers.size(), 0);
      out.plans = plans;
      out.replanned.assign(net.layers.size(), 0);
      for (const auto& [i, fit] : within) {
        out.plans[i] = fit.plan;
        out.replanned[i] = 1;
      }
      out.resident_bytes = 0;
      out.fullest_array = load.fullest();
      for (std::size_t ci = 0; ci < candidates.size(); ++ci) {
        if (!taken[ci]) continue;
        const Candidate& c = candidates[ci];
        Plan p = c.plan;
        p.decoder_offset = turn[ci].first;
        p.slot_offset = turn[ci].second;
        out.resident[static_cast<std::size_t>(c.layer)] = 1;
        out.replanned[static_cast<std::size_t>(c.layer)] = 0;  // resident, not the plan within the reserve
        out.plans[static_cast<std::size_t>(c.layer)] = p;
        out.resident_bytes += c.bytes;
      }
      const auto at = std::find_if(kept.begin(), kept.end(), [&](const auto& k) { return saving > k.first; });
      kept.insert(at, std::make_pair(saving, out));
      if (kept.size() > count) kept.pop_back();
      break;
    }
  }
  std::vector<Residency> options;
  for (auto& k : kept) options.push_back(std::move(k.second));
  if (options.empty()) {  // no reserve is feasible: nothing resident, the plans as they are
    out = Residency{};
    out.resident.assign(net.layers.size(), 0);
    out.replanned.assign(net.layers.size(), 0);
    out.plans = plans;
    options.push_back(out);
  }
  return options;
}

Residency choose_residency(const Network& net, const HardwareConfig& hw, const std::vector<Plan>& plans,
                           MapperCache& cache, const std::vector<std::vector<PostOp>>& chains) {
  return residency_options(net, hw, plans, cache, chains, 1).front();
}

}  // namespace cimnet
