// OFA-ResNet-50 search space: layer lists checked against closed-form MACs / params written from the
// channel table of networks.md (not from the generator), plus aliases, inactive genes and specs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "workloads/search_space.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::expect_same_layers;

std::unique_ptr<SearchSpace> space(std::vector<int> resolutions = {}) {
  SpaceOptions options;
  options.resolutions = std::move(resolutions);
  return make_space("ofa-resnet50", options);
}

// --- Independent closed form ---------------------------------------------------------------------
// Widths straight from the table in networks.md, indexed by w.
constexpr std::array<std::int64_t, 3> kStemIn = {40, 48, 64};
constexpr std::array<std::int64_t, 3> kStemMid = {24, 24, 32};
constexpr std::array<std::array<std::int64_t, 3>, 4> kStage = {{
    {168, 208, 256}, {336, 408, 512}, {664, 816, 1024}, {1328, 1640, 2048}}};
// Middle widths make_divisible(round(out × e), 8), worked out by hand for every stage width and e.
const std::map<std::int64_t, std::array<std::int64_t, 3>> kMid = {
    {168, {32, 40, 56}},     {208, {40, 56, 72}},     {256, {48, 64, 88}},     {336, {64, 88, 120}},
    {408, {80, 104, 144}},   {512, {104, 128, 176}},  {664, {136, 168, 232}},  {816, {160, 208, 288}},
    {1024, {208, 256, 360}}, {1328, {264, 336, 464}}, {1640, {328, 408, 576}}, {2048, {408, 512, 720}}};

struct Counts {
  std::int64_t macs = 0, params = 0;
};

// d, w: values 0..2; e: choice indices 0..2 (0.2, 0.25, 0.35); r: resolution.
Counts closed_form(const std::vector<int>& d, const std::vector<int>& e, const std::vector<int>& w, std::int64_t r) {
  Counts c;
  auto conv = [&](std::int64_t cin, std::int64_t cout, std::int64_t k, std::int64_t hw) {
    c.macs += cin * cout * k * k * hw * hw;
    c.params += cin * cout * k * k + 2 * cout;  // weights + folded BN
  };
  std::int64_t h = (r - 1) / 2 + 1;
  conv(3, kStemMid[w[0]], 3, h);
  if (d[0] == 2) conv(kStemMid[w[0]], kStemMid[w[0]], 3, h);
  conv(kStemMid[w[0]], kStemIn[w[1]], 3, h);
  h = (h - 1) / 2 + 1;  // max pool
  std::int64_t cin = kStemIn[w[1]];
  const int base[4] = {2, 2, 4, 2};
  int slot = 0;
  for (int s = 0; s < 4; ++s) {
    const std::int64_t out = kStage[s][w[s + 2]];
    for (int j = 0; j < base[s] + 2; ++j, ++slot) {
      if (j >= base[s] + d[s + 1]) continue;
      const std::int64_t mid = kMid.at(out)[e[slot]];
      const std::int64_t ho = (j == 0 && s > 0) ? (h - 1) / 2 + 1 : h;
      conv(cin, mid, 1, h);
      conv(mid, mid, 3, ho);
      conv(mid, out, 1, ho);
      if (j == 0) conv(cin, out, 1, ho);
      cin = out;
      h = ho;
    }
  }
  c.macs += cin * 1000;
  c.params += cin * 1000 + 1000;
  return c;
}

Counts closed_form(const SearchSpace& sp, const Genome& g) {
  std::vector<int> d, e, w;
  for (double v : sp.group_values(g, "d")) d.push_back(static_cast<int>(v));
  for (double v : sp.group_values(g, "w")) w.push_back(static_cast<int>(v));
  const std::size_t e0 = 5;  // e follows the 5 d genes
  for (std::size_t i = 0; i < 18; ++i) e.push_back(g[e0 + i]);
  return closed_form(d, e, w, static_cast<std::int64_t>(sp.group_values(g, "r")[0]));
}

bool same_layers(const Network& a, const Network& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    if (x.kind != y.kind || x.out_channels != y.out_channels || x.in_channels != y.in_channels ||
        x.out_h != y.out_h || x.inputs != y.inputs) {
      return false;
    }
  }
  return true;
}

// --- Tests ---------------------------------------------------------------------------------------

TEST(OfaResNet50, GeneGroups) {
  const auto sp = space();
  EXPECT_EQ(sp->name(), "ofa-resnet50");
  ASSERT_EQ(sp->groups().size(), 4u);
  EXPECT_EQ(sp->groups()[0].name, "d");
  EXPECT_EQ(sp->groups()[0].count, 5);
  EXPECT_EQ(sp->groups()[0].choices, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(sp->groups()[1].name, "e");
  EXPECT_EQ(sp->groups()[1].count, 18);
  EXPECT_EQ(sp->groups()[1].choices, (std::vector<double>{0.2, 0.25, 0.35}));
  EXPECT_EQ(sp->groups()[2].name, "w");
  EXPECT_EQ(sp->groups()[2].count, 6);
  EXPECT_EQ(sp->groups()[2].choices, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(sp->groups()[3].name, "r");
  EXPECT_EQ(sp->groups()[3].choices, (std::vector<double>{224}));
  EXPECT_EQ(sp->gene_count(), 30u);  // DyNAS-T's 29 + resolution
  EXPECT_EQ(sp->gene_name(5), "e0");
  EXPECT_EQ(sp->gene_name(29), "r");
}

TEST(OfaResNet50, LargestAndSmallestExact) {
  const auto sp = space();
  const Network big = sp->build(sp->largest());
  EXPECT_EQ(big.total_macs(), 7491643904);  // networks.md: about 7.49 G
  EXPECT_EQ(big.total_params(), 48105992);  // about 48.1 M
  const Network small = sp->build(sp->smallest());
  EXPECT_EQ(small.total_macs(), 962192128);  // about 0.96 G
  EXPECT_EQ(small.total_params(), 6539280);  // about 6.54 M
}

TEST(OfaResNet50, ResNet50DConfiguration) {
  // ResNet-50-D depths [3,4,6,3], e 0.25, full width. With the stem's middle conv it has the
  // 25.58 M params of the well-known ResNet-50-D (timm resnet50d); about 4.3 G MACs.
  const auto sp = space();
  const Genome plain = sp->parse("d=0-1-2-2-1:e=" + std::string("0.25") +
                                 "-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25-0.25"
                                 ":w=2-2-2-2-2-2");
  const Network n = sp->build(plain);
  EXPECT_EQ(n.total_macs(), 4213219328);
  EXPECT_EQ(n.total_params(), 25566984);
  Genome stem = plain;
  stem[0] = 2;
  const Network m = sp->build(stem);
  EXPECT_EQ(m.total_params(), 25576264);
  EXPECT_EQ(m.total_macs() - n.total_macs(), 112LL * 112 * 32 * 32 * 9);
  EXPECT_EQ(n.mac_layer_count(), 2 + 16 * 3 + 4 + 1);  // stem 2 convs, 16 blocks, 4 shortcuts, fc
}

TEST(OfaResNet50, ClosedFormOverRandomGenomes) {
  const auto sp = space({128, 144, 160, 176, 192, 224, 240, 256});
  Rng rng(2024);
  for (int i = 0; i < 300; ++i) {
    Genome g(sp->gene_count());
    for (std::size_t k = 0; k < g.size(); ++k) {
      g[k] = static_cast<int>(rng.uniform_int(sp->group_of(k).choices.size()));
    }
    const Network n = sp->build(g);
    EXPECT_NO_THROW(n.validate());
    const Counts c = closed_form(*sp, g);
    ASSERT_EQ(n.total_macs(), c.macs) << sp->format(g);
    ASSERT_EQ(n.total_params(), c.params) << sp->format(g);
  }
}

TEST(OfaResNet50, LayerStructure) {
  const auto sp = space();
  const Network n = sp->build(sp->largest());
  int convs = 0, pools = 0, adds = 0, relus = 0, linears = 0;
  for (const Layer& l : n.layers) {
    convs += l.kind == LayerKind::Conv;
    pools += l.kind == LayerKind::Pool;
    adds += l.kind == LayerKind::Eltwise && l.eltwise == EltwiseOp::Add;
    relus += l.kind == LayerKind::Activation && l.activation == ActivationOp::ReLU;
    linears += l.kind == LayerKind::Linear;
    if (l.kind == LayerKind::Conv) {
      EXPECT_TRUE(l.batch_norm) << l.name;
      EXPECT_FALSE(l.bias) << l.name;
      EXPECT_EQ(l.groups, 1) << l.name;
    }
  }
  // 18 blocks × 3 convs + 4 shortcut convs + 3 stem convs.
  EXPECT_EQ(convs, 18 * 3 + 4 + 3);
  // max pool, 3 strided shortcut avg pools (stage 1 has stride 1: no pool), global pool.
  EXPECT_EQ(pools, 1 + 3 + 1);
  EXPECT_EQ(adds, 18 + 1);
  EXPECT_EQ(relus, 18 * 3 + 3);
  EXPECT_EQ(linears, 1);

  const Layer& fc = n.layers.back();
  EXPECT_EQ(fc.kind, LayerKind::Linear);
  EXPECT_TRUE(fc.bias);
  EXPECT_EQ(fc.in_channels, 2048);
  EXPECT_EQ(fc.out_channels, 1000);

  // Spatial sizes at 224: stem 112, max pool 56, stages 56 / 28 / 14 / 7.
  std::map<std::string, const Layer*> by_name;
  for (const Layer& l : n.layers) by_name[l.name] = &l;
  EXPECT_EQ(by_name.at("stem.conv0")->out_h, 112);
  EXPECT_EQ(by_name.at("stem.maxpool")->out_h, 56);
  EXPECT_EQ(by_name.at("s1.b0.conv2")->out_h, 56);
  EXPECT_EQ(by_name.at("s2.b0.conv2")->out_h, 28);
  EXPECT_EQ(by_name.at("s2.b0.conv2")->stride, 2);
  EXPECT_EQ(by_name.at("s2.b1.conv2")->stride, 1);
  EXPECT_EQ(by_name.at("s4.b3.conv3")->out_h, 7);
  EXPECT_EQ(by_name.at("s2.b0.down.pool")->kernel_h, 2);
  EXPECT_EQ(by_name.at("s2.b0.down.pool")->pool, PoolOp::Average);
  EXPECT_EQ(by_name.count("s1.b0.down.pool"), 0u);
  EXPECT_EQ(by_name.at("s1.b0.down.conv")->in_channels, 64);
  EXPECT_EQ(by_name.at("stem.res.conv")->out_channels, 32);
  // Largest: mid = make_divisible(round(2048 × 0.35)) = 720.
  EXPECT_EQ(by_name.at("s4.b0.conv1")->out_channels, 720);
  // Identity shortcut of a later block adds the previous block's output.
  const Layer& add = *by_name.at("s1.b1.add");
  ASSERT_EQ(add.inputs.size(), 2u);
  EXPECT_EQ(n.layers[static_cast<std::size_t>(add.inputs[1])].name, "s1.b0.relu");
}

TEST(OfaResNet50, OddSizesUseCeilPooling) {
  // At 144 px the stage-4 input is 9×9: the strided 3×3 conv gives 5×5, and the ceil-mode avg pool of
  // the shortcut must too (else the residual add would not match).
  const auto sp = space({144});
  const Network n = sp->build(sp->largest());
  int found = 0;
  for (const Layer& l : n.layers) {
    found += l.name == "s4.b0.down.pool" || l.name == "s4.b0.conv2";
    if (l.name == "s4.b0.down.pool") {
      EXPECT_EQ(l.in_h, 9);
      EXPECT_EQ(l.out_h, 5);
    }
    if (l.name == "s4.b0.conv2") {
      EXPECT_EQ(l.out_h, 5);
    }
  }
  EXPECT_EQ(found, 2);
}

TEST(OfaResNet50, StemAliases) {
  const auto sp = space();
  Rng rng(5);
  for (int i = 0; i < 20; ++i) {
    Genome a = sp->sample(rng);
    Genome b = a;
    a[0] = 0;
    b[0] = 1;  // d0: only 2 keeps the stem residual block
    expect_same_layers(sp->build(a), sp->build(b));
    EXPECT_EQ(sp->canonical(a), sp->canonical(b));
    EXPECT_TRUE(sp->equivalent(a, b));
    Genome c = a;
    c[0] = 2;
    EXPECT_FALSE(same_layers(sp->build(a), sp->build(c)));
    EXPECT_FALSE(sp->equivalent(a, c));

    const std::size_t w0 = 23;  // after 5 d and 18 e genes
    Genome x = a;
    Genome y = a;
    x[w0] = 0;
    y[w0] = 1;  // 0.65 and 0.8 both give a 24-channel stem middle
    expect_same_layers(sp->build(x), sp->build(y));
    EXPECT_EQ(sp->canonical(x), sp->canonical(y));
    Genome z = a;
    z[w0] = 2;
    EXPECT_FALSE(same_layers(sp->build(x), sp->build(z)));
    EXPECT_FALSE(sp->equivalent(x, z));
    // w1 (stem output width) has no alias.
    Genome u = a;
    Genome v = a;
    u[w0 + 1] = 0;
    v[w0 + 1] = 1;
    EXPECT_FALSE(sp->equivalent(u, v));
  }
}

TEST(OfaResNet50, InactiveExpandGenes) {
  const auto sp = space();
  Genome g = sp->smallest();  // all d = 0: blocks 2, 3 of stages 1, 2, 4 and 4, 5 of stage 3 inactive
  const std::vector<bool> active = sp->active_genes(g);
  const std::vector<std::size_t> inactive = {5 + 2, 5 + 3, 5 + 6, 5 + 7, 5 + 12, 5 + 13, 5 + 16, 5 + 17};
  for (std::size_t i = 0; i < sp->gene_count(); ++i) {
    const bool expected_inactive = std::find(inactive.begin(), inactive.end(), i) != inactive.end();
    EXPECT_EQ(active[i], !expected_inactive) << sp->gene_name(i);
  }
  Genome h = g;
  for (std::size_t i : inactive) h[i] = 2;
  expect_same_layers(sp->build(g), sp->build(h));
  EXPECT_EQ(sp->canonical(h), g);
  // An active e gene changes the network.
  Genome k = g;
  k[5] = 2;
  EXPECT_FALSE(same_layers(sp->build(g), sp->build(k)));

  // d = 1 on stage 3 activates block 4 only.
  Genome m = g;
  m[3] = 1;
  const std::vector<bool> am = sp->active_genes(m);
  EXPECT_TRUE(am[5 + 12]);
  EXPECT_FALSE(am[5 + 13]);
  // Largest: everything active.
  for (bool a : sp->active_genes(sp->largest())) EXPECT_TRUE(a);
}

TEST(OfaResNet50, SamplingIsDeterministicAndCanonical) {
  const auto sp = space({160, 224});
  Rng a(42), b(42), c(43);
  bool any_differs = false;
  for (int i = 0; i < 50; ++i) {
    const Genome ga = sp->sample(a);
    EXPECT_EQ(ga, sp->sample(b));
    EXPECT_EQ(ga, sp->canonical(ga));
    any_differs = any_differs || ga != sp->sample(c);
  }
  EXPECT_TRUE(any_differs);
  EXPECT_EQ(sp->parse("random:7"), sp->parse("random:7"));
  Rng r7(7);
  EXPECT_EQ(sp->parse("random:7"), sp->sample(r7));
}

TEST(OfaResNet50, SpecRoundTrips) {
  const auto sp = space({128, 160, 224});
  Rng rng(11);
  for (int i = 0; i < 30; ++i) {
    Genome g(sp->gene_count());
    for (std::size_t k = 0; k < g.size(); ++k) g[k] = static_cast<int>(rng.uniform_int(sp->group_of(k).choices.size()));
    EXPECT_EQ(sp->parse(sp->format(g)), g);
    EXPECT_EQ(sp->parse(sp->to_dynast_dict(g)), g);
  }
  EXPECT_EQ(sp->parse("min"), sp->smallest());
  EXPECT_EQ(sp->parse("max"), sp->largest());
  EXPECT_EQ(sp->format(sp->largest()),
            "d=2-2-2-2-2:e=0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-0.35-"
            "0.35:w=2-2-2-2-2-2:r=224");
  EXPECT_EQ(sp->smallest()[sp->gene_count() - 1], 0);  // r = 128
}

TEST(OfaResNet50, ReadsDynastDicts) {
  const auto sp = space();
  // The layout DyNAS-T writes for ofa_resnet50 sub-networks (values from OFA's example configs).
  const std::string dict =
      "{'d': [0, 1, 0, 0, 2], 'e': [0.2, 0.25, 0.2, 0.25, 0.2, 0.35, 0.35, 0.25, 0.25, 0.25, 0.2, 0.25, 0.35, "
      "0.2, 0.2, 0.25, 0.2, 0.35], 'w': [0, 2, 1, 2, 1, 2], 'r': [224]}";
  const Genome g = sp->parse(dict);
  EXPECT_EQ(sp->group_values(g, "d"), (std::vector<double>{0, 1, 0, 0, 2}));
  EXPECT_EQ(sp->group_values(g, "w"), (std::vector<double>{0, 2, 1, 2, 1, 2}));
  // Without 'r' (a single choice) it reads the same.
  const std::string no_r = dict.substr(0, dict.find(", 'r'")) + "}";
  EXPECT_EQ(sp->parse(no_r), g);
  EXPECT_EQ(sp->parse(sp->to_dynast_dict(g)), g);
  EXPECT_NO_THROW(sp->build(g).validate());
}

TEST(OfaResNet50, MalformedSpecsThrow) {
  const auto sp = space();
  const std::string e18 = "e=0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2-0.2";
  EXPECT_NO_THROW(sp->parse("d=0-0-0-0-0:" + e18 + ":w=0-0-0-0-0-0"));
  EXPECT_THROW(sp->parse("d=0-0-0-0:" + e18 + ":w=0-0-0-0-0-0"), InputError);        // 4 depths
  EXPECT_THROW(sp->parse("d=0-0-0-0-3:" + e18 + ":w=0-0-0-0-0-0"), InputError);      // depth 3
  EXPECT_THROW(sp->parse("d=0-0-0-0-0:" + e18 + ":w=0-0-0-0-0-0.8"), InputError);    // w is an index
  EXPECT_THROW(sp->parse("d=0-0-0-0-0:" + e18 + ":w=0-0-0-0-0-0:r=208"), InputError);  // resolution
  EXPECT_THROW(sp->parse("d=0-0-0-0-0:w=0-0-0-0-0-0"), InputError);                    // e missing
  EXPECT_THROW(sp->parse("d=0-0-0-0-0:" + e18 + ":w=0-0-0-0-0-0:ks=3"), InputError);   // unknown group
  EXPECT_THROW(sp->parse("largest"), InputError);
  EXPECT_THROW(sp->parse("random:x"), InputError);
  EXPECT_THROW(sp->parse("{'d': [0, 0, 0, 0, 0], 'w': [0, 0, 0, 0, 0, 0]}"), InputError);
  EXPECT_THROW(sp->parse("{'d': [0, 0, 0, 0, 0], 'e': None, 'w': [0, 0, 0, 0, 0, 0]}"), InputError);
  EXPECT_THROW(sp->parse("{'d': [0, 0, 0, 0, 0"), InputError);
  EXPECT_THROW(sp->check(Genome(29, 0)), InputError);
  EXPECT_THROW(sp->build(Genome(29, 0)), InputError);
  Genome bad = sp->smallest();
  bad[0] = 3;
  EXPECT_THROW(sp->build(bad), InputError);
}

TEST(OfaResNet50, Resolutions) {
  EXPECT_THROW(space({208}), InputError);
  EXPECT_THROW(space({224, 300}), InputError);
  const auto sp = space({224, 128, 224});  // sorted, duplicates dropped
  EXPECT_EQ(sp->groups()[3].choices, (std::vector<double>{128, 224}));
  const Network n = sp->build(sp->smallest());
  EXPECT_EQ(n.total_macs(), 315079552);  // the smallest sub-network at 128 px
  EXPECT_EQ(n.total_params(), 6539280);
  const auto all = space({128, 144, 160, 176, 192, 224, 240, 256});
  const Network big = all->build(all->largest());
  EXPECT_EQ(big.total_macs(), 9784377344);  // the largest at 256 px
}

}  // namespace
}  // namespace cimnet
