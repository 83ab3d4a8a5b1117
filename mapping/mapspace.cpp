#include "mapping/mapspace.hpp"

#include <algorithm>
#include <stdexcept>

namespace cimnet {

namespace {
std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
}  // namespace

std::vector<std::int64_t> pow2_choices(std::int64_t limit) {
  std::vector<std::int64_t> v;
  for (std::int64_t x = 1; x < limit; x *= 2) v.push_back(x);
  v.push_back(std::max<std::int64_t>(1, limit));
  return v;
}

std::int64_t estimated_ops(const Plan& p) {
  const Mapping& m = p.mapping;
  // Every pass but a partial last one has `places` groups: count one full pass and the last.
  auto pass_ops = [&](std::int64_t gip) {
    const std::int64_t slices = m.k_split == 1 ? 1 : p.replicas * (cdiv(gip, m.k_split) + 1) * m.r_split;
    const std::int64_t loads = (p.replicas == 1 ? 1 : gip * m.r_split) * p.slices;
    // Outputs per tile (program_builder.cpp): a write-back; or reduce at L2, requantise, store and two
    // frees; or at L1 a forwarding reduce, counted once per decoder it covers (the timed model runs each
    // decoder's reduction and move on its own: the count stands for simulation work), then requantise,
    // store and two frees.
    const std::int64_t decoders = std::min(gip * p.replicas, p.l1_decoders);
    const std::int64_t outs = !p.reduce ? 1 : m.reduce_at == ReduceLevel::L2 ? 5 : decoders + 4;
    // Sub-passes: each streams its tiles again (staged: plus a move and a free per tile), or keeps the
    // one tile.
    // The first-tile order computes the first tile in `slices` pieces and every other tile in one.
    const std::int64_t streamed = p.staged ? p.slices * m.tiles * slices + 2 * m.tiles : m.tiles * slices;
    const std::int64_t pieces = p.first_tile ? m.tiles - 1 + p.slices : p.slices * m.tiles;
    return 2 * loads + streamed + pieces * (1 + outs);
  };
  if (p.passes <= 0) return 1;
  return 1 + (p.passes - 1) * pass_ops(p.places) + pass_ops(p.groups_in_pass(p.passes - 1));
}

std::vector<std::int64_t> smaller_places(std::int64_t l1_decoders, std::int64_t per_l1, std::int64_t r_split,
                                         bool spread) {
  std::vector<std::int64_t> v;
  if (spread) {
    for (std::int64_t a = 1; a <= l1_decoders * per_l1; a *= 2) {
      if (a >= r_split) v.push_back(a / r_split);
    }
  } else {
    for (std::int64_t d = 1; d <= l1_decoders; d *= 2) {
      for (std::int64_t n = r_split; n <= per_l1; n *= 2) v.push_back(d * (n / r_split));
    }
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::int64_t MapSpace::enumerate(const std::function<void(const Plan&, bool)>& visit) const {
  const std::int64_t arrays = hw.total_arrays();
  const std::int64_t per_l1 = hw.get(HwParam::MA_num_child);
  const std::int64_t half_buffer = hw.fixed.input_buffer_bytes / 2;
  std::int64_t count = 0;
  for (std::int64_t gp : view.groups > 1 ? pow2_choices(view.groups) : std::vector<std::int64_t>{1}) {
    for (std::int64_t k : pow2_choices(view.k)) {
      for (std::int64_t r : pow2_choices(std::min(view.c, arrays))) {
        for (bool spread : {false, true}) {
          if (!spread && r > per_l1) continue;
          // Probe the placement with one replica and one tile to learn the places and n_min.
          Mapping base;
          base.group_pack = gp;
          base.k_split = k;
          base.r_split = r;
          base.spread = spread;
          base.half_capacity = false;
          const Plan probe = make_plan(view, base, hw, false);
          if (!probe.feasible && probe.reason != Infeasible::InputTile && probe.reason != Infeasible::ResultBuffer) {
            continue;  // the tile or one position does not fit: no replica or tile count helps
          }
          const std::int64_t groups = probe.reduction_groups;
          // Weight slices: powers of two up to kMaxWeightSlices and the tile's output columns.
          std::vector<std::int64_t> slice_choices;
          for (std::int64_t w = 1; w <= std::min(kMaxWeightSlices, gp * probe.kt); w *= 2) slice_choices.push_back(w);
          const std::vector<std::int64_t> smaller = smaller_places(hw.l1_decoders(), per_l1, r, spread);
          // Pass sizes: the hardware's places (0), then every smaller configuration's places below the
          // group count, largest first (fewer passes first).
          std::vector<std::int64_t> caps = {0};
          for (auto it = smaller.rbegin(); it != smaller.rend(); ++it) {
            if (*it >= 1 && *it < groups && *it < probe.places) caps.push_back(*it);
          }
          // Positions per tile: the fewest tiles whose input fits half the input buffer is
          // ceil(positions / m_max) (make_plan checks the same arithmetic).
          const std::int64_t pos_num = gp * probe.ct * view.in_num * view.input_bits;
          const std::int64_t m_max = half_buffer * view.in_den * 8 / pos_num;
          for (std::int64_t cap : caps) {
            std::vector<std::int64_t> rhos = {1};
            if (cap == 0 && probe.passes == 1 && probe.places >= groups) {
              // ρmax, the powers of two below it and the ρmax of every smaller configuration (so that
              // a larger one offers the same replica counts).
              rhos = pow2_choices(std::min(probe.places / groups, view.m));
              for (std::int64_t s : smaller) {
                if (s >= groups) rhos.push_back(std::min(s / groups, view.m));
              }
              std::sort(rhos.begin(), rhos.end());
              rhos.erase(std::unique(rhos.begin(), rhos.end()), rhos.end());
              std::reverse(rhos.begin(), rhos.end());
            }
            for (std::int64_t rho : rhos) {
              bool new_placement = true;
              const std::int64_t n_min = m_max >= 1 ? cdiv(cdiv(view.m, rho), m_max) : 1;
              for (bool half : {false, true}) {
                for (int red = 0; red < 2; ++red) {
                  if (red == 1 && (r == 1 || spread)) continue;
                  Mapping m = base;
                  m.pass_groups = cap;
                  m.replicas = rho;
                  m.half_capacity = half;
                  m.reduce_at = red ? ReduceLevel::L1 : ReduceLevel::L2;
                  for (int i = 0; i < 4; ++i) {
                    m.tiles = n_min << i;
                    if (i > 0 && m.tiles > cdiv(view.m, rho)) break;
                    bool more_tiles = true, sub_passes = true, one_slice_failed = false;
                    for (std::int64_t slices : slice_choices) {
                      if (one_slice_failed) break;
                      m.weight_slices = slices;
                      // Sub-passes, then (several tiles) the slices pacing the first tile only.
                      for (const bool first_tile : {false, true}) {
                        if (first_tile && (slices == 1 || m.tiles == 1)) continue;
                        if (!first_tile && !sub_passes) continue;
                        m.first_tile_slices = first_tile;
                        const Plan p = make_plan(view, m, hw, false);
                        if (!p.feasible) {
                          // One slice: more tiles give smaller results, nothing else helps. Sub-passes:
                          // a staged input that does not fit (more slices cannot help either); the
                          // first-tile order stages nothing and fails only as one slice would.
                          if (slices == 1) {
                            if (p.reason != Infeasible::ResultBuffer) more_tiles = false;
                            one_slice_failed = true;
                            break;
                          }
                          if (!first_tile) sub_passes = false;
                          continue;
                        }
                        ++count;
                        visit(p, new_placement);
                        new_placement = false;
                      }
                    }
                    m.first_tile_slices = false;
                    if (!more_tiles) break;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return count;
}

std::string MapSpace::infeasibility() const {
  // The most favourable mapping: every split at its maximum, so tiles are as small as they get.
  Mapping m;
  m.group_pack = 1;
  m.k_split = view.k;
  m.r_split = std::min(view.c, hw.total_arrays());
  m.spread = true;
  m.tiles = view.m;
  const Plan p = make_plan(view, m, hw);
  if (!p.feasible) return p.why;
  // The enumeration holds this split with its fewest tiles, which fits whenever this plan does.
  throw std::logic_error("MapSpace::infeasibility: the smallest tile of layer '" + view.layer +
                         "' fits, yet the enumeration found no plan");
}

}  // namespace cimnet
