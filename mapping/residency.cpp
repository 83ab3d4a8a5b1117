#include "mapping/residency.hpp"

#include <algorithm>
#include <limits>

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

Residency choose_residency(const Network& net, const HardwareConfig& hw, const std::vector<Plan>& plans,
                           MapperCache& cache, const std::vector<std::vector<PostOp>>& chains) {
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  const std::int64_t per = hw.get(HwParam::MA_num_child);
  Residency out;
  out.resident.assign(net.layers.size(), 0);
  out.replanned.assign(net.layers.size(), 0);
  out.plans = plans;
  // Every MAC layer's need; the candidates with their saving.
  std::vector<std::int64_t> need(net.layers.size(), 0);
  std::vector<Candidate> candidates;
  std::vector<int> candidate_of(net.layers.size(), -1);
  std::int64_t most_needed = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.is_mac_layer()) continue;
    const Plan& p = plans[i];
    need[i] = weight_need(p);
    most_needed = std::max(most_needed, need[i]);
    if (l.kind == LayerKind::MatMul) continue;
    const LayerMapping warm = cache.map_carrying(l, hw, true, i < chains.size() ? chains[i] : std::vector<PostOp>{});
    if (warm.best.empty()) continue;  // no plan holds all its weights at once
    Candidate c;
    c.layer = static_cast<int>(i);
    c.plan = warm.best.front().plan;
    c.saving = estimate(p, hw, l.macs()).cycles - warm.best.front().cost.cycles;
    const std::int64_t units = c.plan.groups_in_pass(0) * c.plan.replicas;
    for (std::int64_t u = 0; u < units; ++u) {
      for (std::int64_t r = 0; r < c.plan.mapping.r_split; ++r) {
        const std::int64_t a = c.plan.array_of(u, r);
        c.decoder.push_back(a / per);
        c.slot.push_back(a % per);
      }
    }
    c.bytes = c.plan.tile_bytes * static_cast<std::int64_t>(c.decoder.size());
    candidate_of[i] = static_cast<int>(candidates.size());
    candidates.push_back(std::move(c));
  }
  if (candidates.empty()) {
    out.reserve = most_needed;
    return out;
  }
  // The order candidates are offered in: the most cycles saved per byte first.
  std::vector<int> by_density(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) by_density[i] = static_cast<int>(i);
  std::stable_sort(by_density.begin(), by_density.end(), [&](int a, int b) {
    const Candidate& x = candidates[static_cast<std::size_t>(a)];
    const Candidate& y = candidates[static_cast<std::size_t>(b)];
    // saving / bytes, compared without division
    return static_cast<long double>(x.saving) * static_cast<long double>(y.bytes) >
           static_cast<long double>(y.saving) * static_cast<long double>(x.bytes);
  });
  std::vector<std::int64_t> reserves = {0};
  for (std::int64_t n : need) {
    if (n > 0) reserves.push_back(n);
  }
  std::sort(reserves.begin(), reserves.end(), std::greater<>());
  reserves.erase(std::unique(reserves.begin(), reserves.end()), reserves.end());

  std::int64_t best_saving = std::numeric_limits<std::int64_t>::min();
  std::vector<std::int64_t> loaded_cycles(net.layers.size(), -1);  // a layer's own plan's cycles, once asked
  for (std::int64_t reserve : reserves) {
    const std::int64_t budget = cap - reserve;
    // Must be resident: every candidate needing more than the reserve. A layer that cannot be
    // resident (a matmul's operand, no plan of one pass) takes instead its best plan within the
    // reserve, and what that costs it counts against the reserve's saving.
    std::vector<int> must;
    std::vector<std::pair<std::size_t, ScoredPlan>> within;
    std::int64_t loss = 0;
    bool possible = true;
    for (std::size_t i = 0; i < need.size() && possible; ++i) {
      if (need[i] <= reserve) continue;
      if (candidate_of[i] >= 0) {
        must.push_back(candidate_of[i]);
        continue;
      }
      const PlanLimits limits{i < chains.size() ? chains[i] : std::vector<PostOp>{}, hw.fixed.gb_bytes};
      const LayerMapping front = cache.by_need(net.layers[i], hw, limits.post.empty() ? nullptr : &limits);
      const ScoredPlan* fit = nullptr;  // the best needing at most the reserve: the front's last such
      for (const ScoredPlan& s : front.best) {
        if (weight_need(s.plan) <= reserve) fit = &s;
      }
      if (!fit) {
        possible = false;
        break;
      }
      if (loaded_cycles[i] < 0) loaded_cycles[i] = estimate(plans[i], hw, net.layers[i].macs()).cycles;
      loss += fit->cost.cycles - loaded_cycles[i];
      within.emplace_back(i, *fit);
    }
    if (!possible) continue;
    std::stable_sort(must.begin(), must.end(), [&](int a, int b) {
      return candidates[static_cast<std::size_t>(a)].plan.tile_bytes >
             candidates[static_cast<std::size_t>(b)].plan.tile_bytes;
    });
    ArrayLoad load(hw);
    std::vector<char> taken(candidates.size(), 0);
    std::vector<std::pair<std::int64_t, std::int64_t>> turn(candidates.size());
    std::int64_t saving = -loss;
    auto offer = [&](int ci) {
      const Candidate& c = candidates[static_cast<std::size_t>(ci)];
      std::int64_t d = 0, s = 0;
      if (load.best(c, c.plan.tile_bytes, d, s) > budget) return false;
      load.add(c, c.plan.tile_bytes, d, s);
      taken[static_cast<std::size_t>(ci)] = 1;
      turn[static_cast<std::size_t>(ci)] = {d, s};
      saving += c.saving;
      return true;
    };
    for (int ci : must) {
      if (!offer(ci)) {
        possible = false;
        break;
      }
    }
    if (!possible) continue;
    for (int ci : by_density) {
      if (!taken[static_cast<std::size_t>(ci)] && candidates[static_cast<std::size_t>(ci)].saving > 0) offer(ci);
    }
    if (saving <= best_saving) continue;  // reserves descend: ties keep the larger
    best_saving = saving;
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
      out.plans[static_cast<std::size_t>(c.layer)] = p;
      out.resident_bytes += c.bytes;
    }
  }
  return out;
}

}  // namespace cimnet
