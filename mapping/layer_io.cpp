#include "mapping/layer_io.hpp"

namespace cimnet {

std::int64_t output_values(const Plan& plan) {
  // Every pass computes tiles · m · gp·kt values per unit (the slices of a tile sum to its columns,
  // and in the first-tile order the first tile's pieces to one whole tile).
  return plan.reduction_groups * plan.replicas * plan.mapping.tiles * plan.whole.outputs;
}

void for_each_piece(const Plan& plan, const std::function<void(const Plan::Slice& slice, std::int64_t units)>& piece) {
  for (std::int64_t pass = 0; pass < plan.passes; ++pass) {
    const std::int64_t units = plan.groups_in_pass(pass) * plan.replicas;
    if (plan.first_tile) {
      for (std::int64_t j = 0; j < plan.slices; ++j) piece(plan.slice(j), units);
      for (std::int64_t t = 1; t < plan.mapping.tiles; ++t) piece(plan.whole, units);
    } else {
      for (std::int64_t j = 0; j < plan.slices; ++j) {
        for (std::int64_t t = 0; t < plan.mapping.tiles; ++t) piece(plan.slice(j), units);
      }
    }
  }
}

std::int64_t piece_share(std::int64_t total, std::int64_t before, std::int64_t values, std::int64_t all) {
  __extension__ typedef __int128 Wide;  // total · values may exceed 64 bits
  const Wide hi = static_cast<Wide>(total) * (before + values) / all;
  const Wide lo = static_cast<Wide>(total) * before / all;
  return static_cast<std::int64_t>(hi - lo);
}

}  // namespace cimnet
