// pass_traffic() counts arrays, weight tiles and stream slices per L1 decoder with closed loops and
// scratch tables; here it is checked against the definition — sets of (decoder, key) built from
// Plan::array_of — on every plan of the mapspaces of random layers on random hardware.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/random.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapper.hpp"
#include "mapping/mapspace.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

PassTraffic by_definition(const Plan& p, std::int64_t pass) {
  const Mapping& map = p.mapping;
  const std::int64_t r = map.r_split, gip = p.groups_in_pass(pass), units = gip * p.replicas;
  std::map<std::int64_t, std::int64_t> arrays_on;
  std::map<std::int64_t, std::set<std::int64_t>> tiles_on, slices_on;
  std::set<std::int64_t> slices_all, tiles_all;
  for (std::int64_t u = 0; u < units; ++u) {
    const std::int64_t g = u % gip, rep = u / gip;
    const std::int64_t pack = (pass * p.places + g) / map.k_split;  // absolute pack number
    for (std::int64_t i = 0; i < r; ++i) {
      const std::int64_t d = p.array_of(u, i) / p.per_l1_arrays;
      ++arrays_on[d];
      tiles_on[d].insert(g * r + i);  // a tile is shared by its replicas
      tiles_all.insert(g * r + i);
      // A stream slice is shared by the k tiles of a pack (k_split = 1: every array its own).
      const std::int64_t slice = map.k_split == 1 ? u * r + i : (rep * (p.packs + 1) + pack) * r + i;
      slices_on[d].insert(slice);
      slices_all.insert(slice);
    }
  }
  PassTraffic s;
  s.arrays = units * r;
  for (const auto& [d, n] : arrays_on) s.arrays_l1_max = std::max(s.arrays_l1_max, n);
  std::int64_t tiles_max = 0, slices_max = 0;
  for (const auto& [d, keys] : tiles_on) tiles_max = std::max<std::int64_t>(tiles_max, keys.size());
  for (const auto& [d, keys] : slices_on) slices_max = std::max<std::int64_t>(slices_max, keys.size());
  s.decoders_used = static_cast<std::int64_t>(arrays_on.size());
  s.load_dram = static_cast<std::int64_t>(tiles_all.size()) * p.tile_bytes;
  s.load_l1_max = tiles_max * p.tile_bytes;
  s.stream_dram = static_cast<std::int64_t>(slices_all.size()) * p.stream_bytes;
  s.stream_l1_max = slices_max * p.stream_bytes;
  return s;
}

TEST(PassTraffic, EqualsTheDefinitionOnEveryPlanOfRandomMapspaces) {
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(31);
  std::int64_t plans = 0;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    for (int c = 0; c < 12; ++c) {
      const Network net = space->build(space->sample(rng));
      const Layer& l = net.layers[rng.uniform_int(net.layers.size())];
      if (!l.is_mac_layer()) continue;
      const HardwareConfig hw = hs.config(hs.sample(rng));
      MapSpace(gemm_view(l), hw).enumerate([&](const Plan& p, bool new_placement) {
        if (!new_placement) return;  // traffic depends on the placement and the tile size only
        for (std::int64_t pass : {std::int64_t{0}, p.passes - 1}) {
          const PassTraffic got = pass_traffic(p, pass), want = by_definition(p, pass);
          const std::string what = l.name + " " + p.mapping.summary() + " pass " + std::to_string(pass);
          EXPECT_EQ(got.arrays, want.arrays) << what;
          EXPECT_EQ(got.arrays_l1_max, want.arrays_l1_max) << what;
          EXPECT_EQ(got.decoders_used, want.decoders_used) << what;
          EXPECT_EQ(got.load_dram, want.load_dram) << what;
          EXPECT_EQ(got.load_l1_max, want.load_l1_max) << what;
          EXPECT_EQ(got.stream_dram, want.stream_dram) << what;
          EXPECT_EQ(got.stream_l1_max, want.stream_l1_max) << what;
        }
        ++plans;
      });
    }
  }
  EXPECT_GT(plans, 1000);
}

// The mapper walks a placement's arrays once and scores each plan of it with the placement's flows at
// the plan's own sizes (traffic_for): every plan it keeps costs exactly what the estimate gives with
// the plan's own traffic. (It once used the first plan's bytes for all: a plan with twice the tiles was
// scored with twice its streams, +39 % for a depthwise layer of MobileNetV3: docs/mapping.md.)
TEST(PassTraffic, TheMapperScoresEveryPlanWithItsOwnTraffic) {
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(47);
  std::int64_t plans = 0;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    for (int c = 0; c < 8; ++c) {
      const Network net = space->build(space->sample(rng));
      const Layer& l = net.layers[rng.uniform_int(net.layers.size())];
      const HardwareConfig hw = hs.config(hs.sample(rng));
      if (!l.is_mac_layer()) continue;
      for (const ScoredPlan& s : map_layer(l, hw, 64).best) {
        EXPECT_EQ(s.cost.cycles, estimate(s.plan, hw, l.macs()).cycles) << l.name << " " << s.plan.mapping.summary();
        ++plans;
      }
    }
  }
  EXPECT_GT(plans, 500);
}

}  // namespace
}  // namespace cimnet
