#include "mapping/layer_io.hpp"

#include <algorithm>

#include "mapping/transfer_time.hpp"

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

std::int64_t largest_piece(const Plan& plan, const LayerIo& io, std::int64_t* kept_total) {
  const std::int64_t all = output_values(plan);
  std::int64_t before = 0, largest = 0, kept = 0;
  for_each_piece(plan, [&](const Plan::Slice& slice, std::int64_t units) {
    const std::int64_t values = slice.outputs * units;
    std::int64_t last = plan.reduce ? bits_to_bytes(values, plan.view.output_bits) : slice.out_bytes * units;
    std::int64_t sum = last + (plan.reduce ? slice.out_bytes * units : 0);
    for (const PostOp& post : io.post) {
      auto share = [&](std::int64_t total) { return piece_share(total, before, values, all); };
      if (!post.other_in_gb) sum += share(post.other_bytes);
      last = std::max<std::int64_t>(1, share(post.out_bytes));
      sum += last;
    }
    before += values;
    kept += last;
    largest = std::max(largest, sum);
  });
  if (kept_total) *kept_total = kept;
  return largest;
}


bool chain_fits(const Plan& plan, const std::vector<PostOp>& post, std::int64_t gb_capacity) {
  if (post.empty()) return true;
  LayerIo io;
  io.output_to_gb = io.keep_output = true;
  io.post = post;
  return fused_working_set(plan, io) <= gb_capacity;
}

std::int64_t fused_working_set(const Plan& plan, const LayerIo& io) {
  return plan.staged_bytes + 2 * largest_piece(plan, io);
}

std::int64_t piece_share(std::int64_t total, std::int64_t before, std::int64_t values, std::int64_t all) {
  __extension__ typedef __int128 Wide;  // total · values may exceed 64 bits
  const Wide hi = static_cast<Wide>(total) * (before + values) / all;
  const Wide lo = static_cast<Wide>(total) * before / all;
  return static_cast<std::int64_t>(hi - lo);
}

}  // namespace cimnet
