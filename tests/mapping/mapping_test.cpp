// Acceptance tests of the mapper (issue 4): physical lower bounds, analytical-vs-SystemC agreement,
// monotonicity of the search in every hardware parameter, whole networks end to end, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <tuple>

#include "common/error.hpp"
#include "common/random.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/mapper.hpp"
#include "mapping/mapspace.hpp"
#include "mapping/placement.hpp"
#include "mapping/cost_model.hpp"
#include "tests/mapping/sim_support.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

using test::simulate_network;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double rel_error(std::int64_t estimate, std::int64_t truth) {
  return std::abs(static_cast<double>(estimate - truth)) / std::max<double>(1.0, static_cast<double>(truth));
}

// Bytes that must cross the DRAM interface for a layer whatever the mapping: layers communicate
// through DRAM, so its inputs are read, its outputs written and its stationary operand loaded once.
std::int64_t unavoidable_dram_bytes(const Layer& l) {
  return l.input_bytes() + l.output_bytes() + (l.is_mac_layer() ? l.weight_bytes() : 0);
}

void check_lower_bounds(const std::string& space_name) {
  const auto space = make_space(space_name);
  const HardwareSpace hs = HardwareSpace::defaults();
  for (const Genome& g : {space->smallest(), space->largest()}) {
    const Network net = space->build(g);
    for (const HwGenome& hg : {hs.smallest(), hs.reference, hs.largest()}) {
      const HardwareConfig hw = hs.config(hg);
      const auto s = simulate_network(net, hw);
      ASSERT_TRUE(s.result.ok());
      std::int64_t sum = 0;
      for (const auto& ml : s.mapping.layers) {
        const Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
        const auto compute = (l.macs() + hw.peak_macs_per_cycle() - 1) / hw.peak_macs_per_cycle();
        const auto dram = (unavoidable_dram_bytes(l) + hw.get(HwParam::DRAM_bw) - 1) / hw.get(HwParam::DRAM_bw);
        EXPECT_GE(ml.sim_cycles, std::max(compute, dram))
            << space_name << " " << net.name << " layer " << l.name << " on " << hw.summary();
        EXPECT_GE(ml.sim_end - ml.sim_start, std::max(compute, dram)) << l.name;
        sum += ml.sim_cycles;
      }
      // The attribution partitions the run.
      EXPECT_EQ(sum, s.result.total_cycles);
    }
  }
}

TEST(LowerBound, OfaMbv3) { check_lower_bounds("ofa-mbv3"); }
TEST(LowerBound, OfaResnet50) { check_lower_bounds("ofa-resnet50"); }
TEST(LowerBound, VitB16) { check_lower_bounds("vit-b16"); }

// What docs/mapping.md publishes ("Agreement with the SystemC model") for 30 random (sub-network,
// hardware) pairs per space with a fixed seed: the layers compared and the median and worst absolute
// errors, in percent, as printed (two decimals). The test holds the run to them: a figure may only get
// better (a worse one must be published, with the golden numbers it comes with). Whatever is
// published, issue 13's acceptance bounds hold too: median per network ≤ 5 %, worst network ≤ 10 %,
// median per layer ≤ 10 %.
struct PublishedAgreement {
  std::size_t layers;
  double median_layer, median_network, worst_network;
};

// Under `fused` a layer run in a MAC layer's output path has no cycles of its own (its step's are the
// MAC layer's): the layers compared are the steps. Where weights stay resident the run holds two
// inferences, and both are compared: every step cold and once warm, the network cold and steady
// (so `layers` counts steps of both and the network figures cover both totals).
// Under `pipelined` a stack's cycles are its last layer's: the layers compared are the segments (a
// stack, or a layer alone), and issue 15's bars apply (median per network ≤ 10 %, worst ≤ 20 %); the
// segmentation is the throughput objective's, the default (stack_scheduler.hpp).
void check_agreement(const std::string& space_name, std::uint64_t seed, const PublishedAgreement& published,
                     Execution execution = Execution::LayerByLayer) {
  const auto space = make_space(space_name);
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(seed);
  std::vector<double> layer_errors, network_errors;
  for (int i = 0; i < 30; ++i) {
    const Genome g = space->sample(rng);
    const HardwareConfig hw = hs.config(hs.sample(rng));
    const Network net = space->build(g);
    // Pipelined as users run it by default: segmented for throughput (the scenario's `cycles: steady`).
    const auto s = simulate_network(net, hw, execution,
                                    execution == Execution::Pipelined ? CyclesOf::Steady : CyclesOf::Cold);
    ASSERT_TRUE(s.result.ok());
    for (const auto& ml : s.mapping.layers) {
      if (ml.stack_first >= 0 && ml.stack_last != ml.index) continue;  // a stack's cycles are its last layer's
      if (ml.fused_into < 0) layer_errors.push_back(rel_error(ml.cost.cycles, ml.sim_cycles));
      if (ml.fused_into < 0 && s.mapping.two_inferences) {
        layer_errors.push_back(rel_error(ml.steady_cost.cycles, ml.sim_steady_cycles));
      }
    }
    // Cold: the first inference; steady: one inference once warm (the same run when nothing is resident).
    network_errors.push_back(rel_error(s.mapping.analytical_cycles, s.mapping.sim_cold_cycles));
    if (s.mapping.two_inferences) {
      network_errors.push_back(rel_error(s.mapping.analytical_steady_cycles, s.mapping.sim_steady_cycles));
      EXPECT_EQ(s.mapping.sim_cold_cycles + s.mapping.sim_steady_cycles, s.result.total_cycles);
    } else {
      EXPECT_EQ(s.mapping.sim_cold_cycles, s.result.total_cycles);
    }
  }
  const double ml = 100 * median(layer_errors), mn = 100 * median(network_errors);
  const double worst = 100 * *std::max_element(network_errors.begin(), network_errors.end());
  std::printf("[agreement] %s %s: median |error| per layer %.2f%% (%zu layers), per network %.2f%% (max %.2f%%)\n",
              space_name.c_str(), to_string(execution), ml, layer_errors.size(), mn, worst);
  EXPECT_EQ(layer_errors.size(), published.layers) << space_name;
  // A published figure is the true one rounded to two decimals: allow that rounding, nothing more.
  constexpr double kRounding = 0.005;
  EXPECT_LE(ml, published.median_layer + kRounding) << space_name << ": median error per layer";
  EXPECT_LE(mn, published.median_network + kRounding) << space_name << ": median error per network";
  EXPECT_LE(worst, published.worst_network + kRounding) << space_name << ": worst network";
  if (execution == Execution::Pipelined) {
    EXPECT_LE(mn, 10.0) << space_name << ": issue 15 accepts a median error per network of at most 10 %";
    EXPECT_LE(worst, 20.0) << space_name << ": issue 15 accepts a worst network of at most 20 %";
    return;
  }
  EXPECT_LE(mn, 5.0) << space_name << ": issue 13 accepts a median error per network of at most 5 %";
  // Issue 14 holds `fused` to the same bar.
  EXPECT_LE(worst, 10.0) << space_name << ": issues 13 and 14 accept a worst network of at most 10 %";
  EXPECT_LE(ml, 10.0) << space_name << ": issue 13 accepts a median error per layer of at most 10 %";
}

TEST(Agreement, OfaMbv3) { check_agreement("ofa-mbv3", 101, {4566, 0.00, 0.26, 1.87}); }
TEST(Agreement, OfaResnet50) { check_agreement("ofa-resnet50", 202, {3478, 0.00, 0.38, 1.11}); }
TEST(Agreement, VitB16) { check_agreement("vit-b16", 303, {4682, 0.00, 0.33, 2.70}); }
// The same pairs under `fused` (docs/mapping.md, "Execution policies"); the bar is the same.
TEST(Agreement, FusedOfaMbv3) { check_agreement("ofa-mbv3", 101, {4716, 0.00, 0.50, 4.71}, Execution::Fused); }
TEST(Agreement, FusedOfaResnet50) { check_agreement("ofa-resnet50", 202, {3216, 0.01, 0.16, 6.03}, Execution::Fused); }
TEST(Agreement, FusedVitB16) { check_agreement("vit-b16", 303, {6809, 0.00, 0.06, 4.34}, Execution::Fused); }
// And under `pipelined` (docs/pipelined.md, "Agreement with the SystemC model"): per segment, per network.
TEST(Agreement, PipelinedOfaMbv3) { check_agreement("ofa-mbv3", 101, {3116, 0.41, 3.30, 11.08}, Execution::Pipelined); }
TEST(Agreement, PipelinedOfaResnet50) { check_agreement("ofa-resnet50", 202, {3194, 0.02, 1.67, 7.38}, Execution::Pipelined); }
TEST(Agreement, PipelinedVitB16) { check_agreement("vit-b16", 303, {5314, 0.09, 1.10, 8.12}, Execution::Pipelined); }

// Raising any one hardware parameter to its next choice never raises the best estimate of a layer.
void check_monotonic(const std::string& space_name, std::uint64_t seed, int cases) {
  const auto space = make_space(space_name);
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(seed);
  int checked = 0;
  while (checked < cases) {
    const Network net = space->build(space->sample(rng));
    const Layer& l = net.layers[rng.uniform_int(net.layers.size())];
    if (!l.is_mac_layer()) continue;
    HwGenome g = hs.sample(rng);
    const std::size_t p = rng.uniform_int(kHwParamCount);
    if (g[p] + 1 >= static_cast<int>(hs.choices[p].size())) continue;
    const auto before = map_layer(l, hs.config(g), 1).best.front();
    ++g[p];
    const auto after = map_layer(l, hs.config(g), 1).best.front();
    EXPECT_LE(after.cost.cycles, before.cost.cycles)
        << space_name << " layer " << l.name << " raising " << hw_param_infos()[p].name << " on "
        << hs.config(g).summary() << ": " << before.plan.mapping.summary() << " -> " << after.plan.mapping.summary();
    ++checked;
  }
}

TEST(Monotonic, OfaMbv3) { check_monotonic("ofa-mbv3", 7, 150); }
TEST(Monotonic, OfaResnet50) { check_monotonic("ofa-resnet50", 8, 150); }
TEST(Monotonic, VitB16) { check_monotonic("vit-b16", 9, 150); }

// The property behind monotonicity: every plan of a smaller configuration (one parameter one choice
// lower) has a counterpart in the larger one's mapspace — the same mapping, with its passes pinned to
// the smaller one's places when it needed several — whose estimate is not higher.
void check_containment(const std::string& space_name, std::uint64_t seed, int cases) {
  const auto space = make_space(space_name);
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(seed);
  int checked = 0;
  while (checked < cases) {
    const Network net = space->build(space->sample(rng));
    const Layer& l = net.layers[rng.uniform_int(net.layers.size())];
    if (!l.is_mac_layer()) continue;
    HwGenome g = hs.sample(rng);
    const std::size_t p = rng.uniform_int(kHwParamCount);
    if (g[p] + 1 >= static_cast<int>(hs.choices[p].size())) continue;
    const HardwareConfig small = hs.config(g);
    ++g[p];
    const HardwareConfig large = hs.config(g);
    const GemmView view = gemm_view(l);
    // The whole mapspace, as the mapper searches it (sorted: looked up once per smaller plan).
    auto key = [](const Mapping& m) {
      return std::make_tuple(m.group_pack, m.k_split, m.r_split, m.replicas, m.tiles, m.half_capacity, m.spread,
                             static_cast<int>(m.reduce_at), m.pass_groups, m.weight_slices, m.first_tile_slices);
    };
    std::vector<decltype(key(Mapping{}))> large_plans;
    MapSpace(view, large).enumerate([&](const Plan& q, bool) { large_plans.push_back(key(q.mapping)); });
    std::sort(large_plans.begin(), large_plans.end());
    int compared = 0;
    const auto small_plans = MapSpace(view, small).enumerate([&](const Plan& q, bool) {
      Mapping m = q.mapping;
      if (m.pass_groups == 0 && q.passes > 1) m.pass_groups = q.places;
      Mapping uncapped = m;
      uncapped.pass_groups = 0;
      // A cap of at least the groups (one pass) or of the hardware's places is the uncapped plan.
      if (m.pass_groups >= make_plan(view, m, large).reduction_groups ||
          m.pass_groups == make_plan(view, uncapped, large).places) {
        m.pass_groups = 0;
      }
      const bool listed = std::binary_search(large_plans.begin(), large_plans.end(), key(m));
      EXPECT_TRUE(listed) << l.name << " " << q.mapping.summary() << " raising " << hw_param_infos()[p].name;
      if (!listed) return;
      const auto before = estimate(q, small, l.macs()).cycles;
      const auto after = estimate(make_plan(view, m, large), large, l.macs()).cycles;
      EXPECT_LE(after, before) << l.name << " " << q.mapping.summary() << " raising " << hw_param_infos()[p].name
                               << " on " << large.summary();
      ++compared;
    });
    EXPECT_EQ(compared, small_plans) << l.name;
    ++checked;
  }
}

TEST(Monotonic, LargerMapspaceContainsSmallerPlansAtNoHigherCost) {
  check_containment("ofa-mbv3", 17, 25);
  check_containment("ofa-resnet50", 18, 25);
  check_containment("vit-b16", 19, 25);
}

// Regression (issue 4, op-budget tiers): a random run found ViT fc layers whose best estimate rose
// with the hardware because the mapper searched only plans of ≤ 160 ops unless none fitted. Here
// (seed 12345 of a wider run) the smaller configuration needs more than 160 ops, the one with twice
// the MA_mem_size fits within it, and its best plan within that budget is 30 % slower than the smaller
// configuration's best. The mapper now searches every plan (fewer ops only break ties); the budget
// survives only here, as a filter of the test, to show that the case is the cross-tier one.
TEST(Monotonic, OpBudgetTierDoesNotDependOnHardware) {
  constexpr std::int64_t kOldOpBudget = 160;
  Layer l;
  l.name = "l8.fc2";
  l.kind = LayerKind::Linear;
  l.in_channels = 3072;
  l.out_channels = 768;
  l.in_h = l.out_h = 197;  // tokens
  l.bias = true;
  HardwareConfig small = HardwareSpace::defaults().reference_config();
  const std::pair<HwParam, std::int64_t> values[] = {
      {HwParam::DRAM_bw, 16},      {HwParam::L2_bw, 512},        {HwParam::L1_bw, 32},
      {HwParam::L1_num_child, 2},  {HwParam::MA_bw, 16},         {HwParam::MA_num_child, 16},
      {HwParam::MA_mem_size, 65536}, {HwParam::MA_comp_per_core, 64}};
  for (const auto& [param, value] : values) small.set(param, value);
  HardwareConfig large = small;
  large.set(HwParam::MA_mem_size, 131072);
  const GemmView view = gemm_view(l);
  auto best_within = [&](const HardwareConfig& hw, std::int64_t budget) {
    std::int64_t best = -1;
    MapSpace(view, hw).enumerate([&](const Plan& q, bool) {
      if (budget > 0 && estimated_ops(q) > budget) return;
      const auto c = estimate(q, hw, l.macs()).cycles;
      if (best < 0 || c < best) best = c;
    });
    return best;
  };
  // The case is the cross-tier one: nothing within the budget on the smaller configuration, a plan
  // within it on the larger, and the budgeted best of the larger worse than the smaller's best.
  ASSERT_EQ(best_within(small, kOldOpBudget), -1);
  const std::int64_t large_budgeted = best_within(large, kOldOpBudget);
  ASSERT_GT(large_budgeted, 0);
  const auto before = map_layer(l, small).best.front();
  const auto after = map_layer(l, large).best.front();
  EXPECT_GT(large_budgeted, before.cost.cycles);  // what the tiered search returned (493 862 vs 379 963)
  EXPECT_LE(after.cost.cycles, before.cost.cycles)
      << before.plan.mapping.summary() << " -> " << after.plan.mapping.summary();
  // The search's result is the best of the whole mapspace, on both.
  EXPECT_EQ(before.cost.cycles, best_within(small, 0));
  EXPECT_EQ(after.cost.cycles, best_within(large, 0));
}

// The shortcuts of the default search (branch and bound, twin costs, the per-shape cache) return
// exactly what scoring every plan returns: same best plans, same cycles, in the same order.
TEST(Mapper, PrunedAndCachedSearchEqualsExhaustive) {
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(4242);
  int layers = 0;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    for (int i = 0; i < 4; ++i) {
      const Network net = space->build(i == 0 ? space->largest() : space->sample(rng));
      const HardwareConfig hw = i == 0 ? hs.reference_config() : hs.config(hs.sample(rng));
      MapperCache cache;
      // Scoring every plan is the slow part: done once per layer shape (ViT-B/16 repeats 12 blocks), for
      // the top 4; the exhaustive top 1 is its first (both keep the earliest-enumerated of equal keys).
      std::map<std::vector<std::int64_t>, LayerMapping> exhaustive_of;
      for (const Layer& l : net.layers) {
        if (!l.is_mac_layer()) continue;
        const GemmView v = gemm_view(l);
        const std::vector<std::int64_t> shape{v.groups, v.k, v.c, v.rs, v.m, v.in_num, v.in_den, v.weight_bits,
                                              v.input_bits, v.output_bits, v.stationary_is_activation, l.macs()};
        auto found = exhaustive_of.find(shape);
        if (found == exhaustive_of.end()) {
          found = exhaustive_of.emplace(shape, map_layer(l, hw, 4, SearchMode::Exhaustive)).first;
        }
        for (std::size_t top_k : {std::size_t{1}, std::size_t{4}}) {
          LayerMapping exhaustive = found->second;
          if (exhaustive.best.size() > top_k) exhaustive.best.resize(top_k);
          const auto pruned = map_layer(l, hw, top_k, SearchMode::Pruned);
          const auto cached = cache.map(l, hw, top_k);
          for (const auto* other : {&pruned, &cached}) {
            ASSERT_EQ(other->best.size(), exhaustive.best.size()) << name << " " << l.name;
            for (std::size_t k = 0; k < exhaustive.best.size(); ++k) {
              EXPECT_TRUE(other->best[k].plan.mapping == exhaustive.best[k].plan.mapping)
                  << name << " " << l.name << " rank " << k << ": " << other->best[k].plan.mapping.summary()
                  << " vs " << exhaustive.best[k].plan.mapping.summary();
              EXPECT_EQ(other->best[k].cost.cycles, exhaustive.best[k].cost.cycles) << name << " " << l.name;
              EXPECT_EQ(other->best[k].plan.view.layer, l.name);
            }
          }
          EXPECT_EQ(pruned.enumerated, exhaustive.enumerated) << l.name;
          EXPECT_LE(pruned.evaluated, exhaustive.evaluated) << l.name;
          ++layers;
        }
      }
      EXPECT_GT(cache.hits(), 0) << name << ": repeated shapes should hit the cache";
    }
  }
  EXPECT_GT(layers, 200);
}

// The (need, cycles) fronts of the residency (MapperCache::by_need, and resident_by_bytes for the
// plans that keep their weights) with their shortcuts — placements dominated by their lower bound,
// half_capacity plans by their twins — equal the fronts of every plan scored: the same plans, needs
// and cycles, with and without the post-ops a fused step carries.
TEST(Mapper, PrunedNeedFrontEqualsExhaustive) {
  const HardwareSpace hs = HardwareSpace::defaults();
  Rng rng(4343);
  int fronts = 0;
  std::int64_t pruned_scored = 0, all_scored = 0;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    for (int i = 0; i < 2; ++i) {
      const Network net = space->build(i == 0 ? space->largest() : space->sample(rng));
      const HardwareConfig hw = i == 0 ? hs.reference_config() : hs.config(hs.sample(rng));
      const std::vector<std::vector<PostOp>> chains = fusable_chains(net);
      for (std::size_t li = 0; li < net.layers.size(); li += 7) {  // every seventh layer: the suite's time
        const Layer& l = net.layers[li];
        if (!l.is_mac_layer()) continue;
        const PlanLimits limits{chains[li], hw.fixed.gb_bytes};
        for (int variant = 0; variant < 4; ++variant) {
          const PlanLimits* lim = variant % 2 ? &limits : nullptr;
          const bool resident = variant >= 2;
          if (lim && lim->post.empty()) continue;
          const auto exhaustive = map_layer_by_need(l, hw, lim, SearchMode::Exhaustive, resident);
          const auto pruned = map_layer_by_need(l, hw, lim, SearchMode::Pruned, resident);
          if (resident && !lim && !exhaustive.best.empty()) {
            // The front's fastest end is the resident search's best.
            const auto best = map_layer_resident(l, hw);
            ASSERT_FALSE(best.best.empty()) << l.name;
            EXPECT_EQ(exhaustive.best.back().cost.cycles, best.best.front().cost.cycles) << name << " " << l.name;
          }
          ASSERT_EQ(pruned.best.size(), exhaustive.best.size()) << name << " " << l.name;
          for (std::size_t k = 0; k < exhaustive.best.size(); ++k) {
            EXPECT_TRUE(pruned.best[k].plan.mapping == exhaustive.best[k].plan.mapping)
                << name << " " << l.name << " entry " << k << ": " << pruned.best[k].plan.mapping.summary() << " vs "
                << exhaustive.best[k].plan.mapping.summary();
            EXPECT_EQ(pruned.best[k].cost.cycles, exhaustive.best[k].cost.cycles) << name << " " << l.name;
            EXPECT_EQ(weight_need(pruned.best[k].plan), weight_need(exhaustive.best[k].plan)) << name << " " << l.name;
            EXPECT_EQ(resident_bytes(pruned.best[k].plan), resident_bytes(exhaustive.best[k].plan)) << l.name;
          }
          EXPECT_EQ(pruned.enumerated, exhaustive.enumerated) << l.name;
          pruned_scored += pruned.evaluated;
          all_scored += exhaustive.evaluated;
          ++fronts;
        }
      }
    }
  }
  EXPECT_GT(fronts, 30);
  std::printf("[need front] %d fronts: %lld plans scored pruned, %lld exhaustive\n", fronts,
              static_cast<long long>(pruned_scored), static_cast<long long>(all_scored));
  EXPECT_LT(pruned_scored, all_scored);
}

// The largest networks run end to end on the reference design (the lower-bound tests cover them too;
// this one also checks the program's shape: one program, every layer attributed).
TEST(EndToEnd, LargestNetworksOnReference) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (const char* name : {"vit-b16", "ofa-resnet50", "ofa-mbv3"}) {
    const auto space = make_space(name);
    const Network net = space->build(space->largest());
    const auto s = simulate_network(net, hw);
    ASSERT_TRUE(s.result.ok()) << name;
    EXPECT_EQ(s.mapping.layers.size(), net.layers.size());
    EXPECT_GT(s.result.total_cycles, 0);
    std::printf("[e2e] %s: %zu layers, %zu ops, simulated %lld cycles, analytical %lld, SystemC wall %.3f s\n", name,
                net.layers.size(), s.mapping.program.ops.size(), static_cast<long long>(s.result.total_cycles),
                static_cast<long long>(s.mapping.analytical_cycles), s.result.wall_seconds);
  }
}

TEST(BadInput, LayerThatFitsNoMappingNamesLayerAndConstraint) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.fixed.input_buffer_bytes = 4;  // half a buffer holds 2 bytes; a stride-2 position needs 4 pixels
  Layer l;
  l.name = "big.conv";
  l.kind = LayerKind::Conv;
  l.in_channels = 64;
  l.out_channels = 64;
  l.in_h = l.in_w = 16;
  l.out_h = l.out_w = 8;
  l.stride = 2;
  l.kernel_h = l.kernel_w = 3;
  try {
    map_layer(l, hw);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("big.conv"), std::string::npos) << m;
    EXPECT_NE(m.find("input_buffer_bytes"), std::string::npos) << m;
  }
  // Capacity: a depthwise tap count no array can hold.
  HardwareConfig tiny = HardwareSpace::defaults().reference_config();
  tiny.set(HwParam::MA_mem_size, 16);
  Layer d = l;
  d.name = "wide.dw";
  d.groups = 64;
  d.kernel_h = d.kernel_w = 5;  // 25 taps > 16 bytes
  try {
    map_layer(d, tiny);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("wide.dw"), std::string::npos) << m;
    EXPECT_NE(m.find("MA_mem_size"), std::string::npos) << m;
  }
}

TEST(Mapper, DeterministicAndTopKSorted) {
  const auto space = make_space("ofa-resnet50");
  const Network net = space->build(space->largest());
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (const Layer& l : net.layers) {
    if (!l.is_mac_layer()) continue;
    const auto a = map_layer(l, hw, 5), b = map_layer(l, hw, 5);
    ASSERT_EQ(a.best.size(), b.best.size());
    for (std::size_t i = 0; i < a.best.size(); ++i) {
      EXPECT_TRUE(a.best[i].plan.mapping == b.best[i].plan.mapping);
      if (i) {
        EXPECT_LE(a.best[i - 1].cost.cycles, a.best[i].cost.cycles);
      }
    }
    EXPECT_GT(a.evaluated, 0);
  }
}

}  // namespace
}  // namespace cimnet
