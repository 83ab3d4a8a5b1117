#include "mapping/pass_traffic.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cimnet {

namespace {

// Counts distinct keys among the keys added since the last start(): a stamp per key marks the ones
// seen in this count (the stamp changes every count, so the table is never cleared). Memory: one
// stamp per key, whatever the number of decoders.
class DistinctKeys {
 public:
  void reserve(std::int64_t keys) {
    if (stamp_.size() < static_cast<std::size_t>(keys)) stamp_.resize(static_cast<std::size_t>(keys), 0);
  }
  void start() {
    count_ = 0;
    if (++generation_ == 0) {  // wrapped: clear so that no old stamp matches
      std::fill(stamp_.begin(), stamp_.end(), 0);
      generation_ = 1;
    }
  }
  void add(std::int64_t key) {
    auto& s = stamp_[static_cast<std::size_t>(key)];
    if (s == generation_) return;
    s = generation_;
    ++count_;
  }
  std::int64_t count() const { return count_; }

 private:
  std::uint32_t generation_ = 0;
  std::int64_t count_ = 0;
  std::vector<std::uint32_t> stamp_;
};

}  // namespace

PassTraffic pass_traffic(const Plan& p, std::int64_t pass) {
  // Scratch reused across calls (the mapper calls this for every placement it scores).
  thread_local DistinctKeys tiles_on, slices_on, slices_all;
  PassTraffic s;
  const Mapping& map = p.mapping;
  const std::int64_t r = map.r_split;
  const std::int64_t gip = p.groups_in_pass(pass);
  const std::int64_t units = gip * p.replicas;
  s.arrays = units * r;
  const std::int64_t decoders = p.l1_decoders;
  // Keys: arrays are distinct by construction (array_of is one-to-one), so arrays per decoder need
  // no de-duplication; a tile is (g, i) shared by its replicas; a stream slice is (replica, pack, i)
  // shared by the k tiles of a pack (numbered from the pass's first pack).
  const std::int64_t first_pack = (pass * p.places) / map.k_split;
  const std::int64_t packs_in_pass = (pass * p.places + gip - 1) / map.k_split - first_pack + 1;
  const std::int64_t tile_keys = gip * r;
  const std::int64_t slice_keys = p.replicas * packs_in_pass * r;
  if (p.replicas > 1) tiles_on.reserve(tile_keys);
  if (map.k_split > 1) {
    slices_on.reserve(slice_keys);
    slices_all.reserve(slice_keys);
    slices_all.start();
  }
  // Decoder by decoder (Plan::array_of): packed, reduction group u sits under decoder u mod L1 with
  // all its r arrays; spread, the j-th array (j = u·r + i) under decoder j mod L1. So the arrays of
  // decoder d are u = d, d + L1, … (packed) or j = d, d + L1, … (spread), and the distinct keys per
  // decoder need one stamp table per kind of key, not one per (decoder, key): memory linear in the
  // arrays, not in decoders × arrays.
  std::int64_t tiles_l1_max = 0, slices_l1_max = 0;
  for (std::int64_t d = 0; d < decoders; ++d) {
    std::int64_t arrays_here = 0;
    if (p.replicas > 1) tiles_on.start();
    if (map.k_split > 1) slices_on.start();
    auto visit = [&](std::int64_t u, std::int64_t i) {
      ++arrays_here;
      const std::int64_t g = u % gip;
      if (p.replicas > 1) tiles_on.add(g * r + i);
      if (map.k_split > 1) {
        const std::int64_t rep = u / gip;
        const std::int64_t pack = (pass * p.places + g) / map.k_split - first_pack;
        const std::int64_t key = (rep * packs_in_pass + pack) * r + i;
        slices_on.add(key);
        slices_all.add(key);
      }
    };
    if (!map.spread) {
      for (std::int64_t u = d; u < units; u += decoders) {
        for (std::int64_t i = 0; i < r; ++i) visit(u, i);
      }
    } else {
      for (std::int64_t j = d; j < units * r; j += decoders) visit(j / r, j % r);
    }
    if (arrays_here == 0) continue;
    ++s.decoders_used;
    s.arrays_l1_max = std::max(s.arrays_l1_max, arrays_here);
    if (p.replicas > 1) tiles_l1_max = std::max(tiles_l1_max, tiles_on.count());
    if (map.k_split > 1) slices_l1_max = std::max(slices_l1_max, slices_on.count());
  }
  if (p.replicas == 1) tiles_l1_max = s.arrays_l1_max;
  const std::int64_t slices = map.k_split == 1 ? s.arrays : slices_all.count();
  if (map.k_split == 1) slices_l1_max = s.arrays_l1_max;
  s.load_dram = (p.replicas == 1 ? s.arrays : gip * r) * p.tile_bytes;
  s.load_l1_max = tiles_l1_max * p.tile_bytes;
  s.stream_dram = slices * p.stream_bytes;
  s.stream_l1_max = slices_l1_max * p.stream_bytes;
  return s;
}

PassTraffic traffic_for(const PassTraffic& of, std::int64_t of_tile_bytes, std::int64_t of_stream_bytes,
                        const Plan& plan) {
  PassTraffic s = of;
  if (of_tile_bytes > 0 && plan.tile_bytes != of_tile_bytes) {
    s.load_dram = of.load_dram / of_tile_bytes * plan.tile_bytes;
    s.load_l1_max = of.load_l1_max / of_tile_bytes * plan.tile_bytes;
  }
  if (of_stream_bytes > 0 && plan.stream_bytes != of_stream_bytes) {
    s.stream_dram = of.stream_dram / of_stream_bytes * plan.stream_bytes;
    s.stream_l1_max = of.stream_l1_max / of_stream_bytes * plan.stream_bytes;
  }
  return s;
}

}  // namespace cimnet
