#include "mapping/mapspace.hpp"

#include <algorithm>

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
  std::int64_t ops = 1;
  for (std::int64_t pass = 0; pass < p.passes; ++pass) {
    const std::int64_t gip = p.groups_in_pass(pass);
    const std::int64_t slices = m.k_split == 1 ? 1 : p.replicas * (cdiv(gip, m.k_split) + 1) * m.r_split;
    const std::int64_t loads = p.replicas == 1 ? 1 : gip * m.r_split;
    const std::int64_t outs = p.reduce ? 2 : 1;
    ops += 2 * loads + m.tiles * (slices + 1 + outs);
  }
  return ops;
}

std::int64_t MapSpace::enumerate(const std::function<void(const Plan&, bool)>& visit,
                                 std::int64_t op_budget) const {
  const std::int64_t arrays = hw.total_arrays();
  const std::int64_t per_l1 = hw.get(HwParam::MA_num_child);
  std::int64_t count = 0;
  for (std::int64_t gp : view.groups > 1 ? pow2_choices(view.groups) : std::vector<std::int64_t>{1}) {
    for (std::int64_t k : pow2_choices(view.k)) {
      for (std::int64_t r : pow2_choices(std::min(view.c, arrays))) {
        for (bool spread : {false, true}) {
          if (!spread && r > per_l1) continue;
          // Probe the placement with one replica and the fewest tiles to learn ρmax and n_min.
          Mapping base;
          base.group_pack = gp;
          base.k_split = k;
          base.r_split = r;
          base.spread = spread;
          base.half_capacity = false;
          Plan probe = make_plan(view, base, hw);
          if (!probe.feasible && probe.why.find("tile larger") == std::string::npos &&
              probe.why.find("more tiles") == std::string::npos) {
            continue;  // the tile or one position does not fit: no replica or tile count helps
          }
          std::int64_t rho_max = 1;
          if (probe.passes == 1 && probe.places >= probe.reduction_groups) {
            rho_max = std::min(probe.places / probe.reduction_groups, view.m);
          }
          std::vector<std::int64_t> rhos = pow2_choices(rho_max);
          std::reverse(rhos.begin(), rhos.end());
          for (std::int64_t rho : rhos) {
            bool new_placement = true;
            for (bool half : {false, true}) {
              for (int red = 0; red < 2; ++red) {
                if (red == 1 && (r == 1 || spread)) continue;
                Mapping m = base;
                m.replicas = rho;
                m.half_capacity = half;
                m.reduce_at = red ? ReduceLevel::L1 : ReduceLevel::L2;
                // Fewest tiles that fit half the input buffer.
                m.tiles = 1;
                Plan p = make_plan(view, m, hw);
                if (!p.feasible) {
                  if (p.why.find("tile larger") == std::string::npos) continue;
                  // m_max from the plan's own arithmetic: grow tiles until the input fits.
                  const std::int64_t ppr = cdiv(view.m, rho);
                  std::int64_t lo = 1, hi = ppr;
                  while (lo < hi) {
                    const std::int64_t mid = (lo + hi) / 2;
                    m.tiles = mid;
                    if (make_plan(view, m, hw).feasible) hi = mid; else lo = mid + 1;
                  }
                  m.tiles = lo;
                  p = make_plan(view, m, hw);
                  if (!p.feasible) continue;
                }
                const std::int64_t n_min = m.tiles;
                for (int i = 0; i < 4; ++i) {
                  const std::int64_t n = n_min << i;
                  if (i > 0) {
                    if (n > p.positions_per_replica) break;
                    m.tiles = n;
                    p = make_plan(view, m, hw);
                    if (!p.feasible) break;
                  }
                  if (op_budget > 0 && estimated_ops(p) > op_budget) break;
                  ++count;
                  visit(p, new_placement);
                  new_placement = false;
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
  return "no mapping within the program-size budget";
}

}  // namespace cimnet
