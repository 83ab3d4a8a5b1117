// ViT-B/16 elastic search space: MACs and params against the closed form of networks.md over random
// genomes, attention matmul operands, inactive genes and spec formats.
#include <gtest/gtest.h>

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

std::unique_ptr<SearchSpace> space() { return make_space("vit-b16"); }

Genome random_genome(const SearchSpace& sp, Rng& rng) {
  Genome g(sp.gene_count());
  for (std::size_t k = 0; k < g.size(); ++k) g[k] = static_cast<int>(rng.uniform_int(sp.group_of(k).choices.size()));
  return g;
}

// networks.md: per layer 197·768·3·64h + 2·197²·64h + 197·64h·768 + 2·197·768·I; patch embedding
// 196·768·768; head 768·1000.
std::int64_t closed_form_macs(int layers, const std::vector<double>& heads, const std::vector<double>& mlp) {
  std::int64_t m = 196LL * 768 * 768 + 768LL * 1000;
  for (int i = 0; i < layers; ++i) {
    const auto h = static_cast<std::int64_t>(heads[static_cast<std::size_t>(i)]);
    const auto ff = static_cast<std::int64_t>(mlp[static_cast<std::size_t>(i)]);
    m += 197LL * 768 * 3 * 64 * h + 2LL * 197 * 197 * 64 * h + 197LL * 64 * h * 768 + 2LL * 197 * 768 * ff;
  }
  return m;
}

// Layer parameters only (CLS token and position embedding are not counted, see vit_b16.cpp).
std::int64_t closed_form_params(int layers, const std::vector<double>& heads, const std::vector<double>& mlp) {
  std::int64_t p = (768LL * 768 + 768) + 2 * 768 + (768LL * 1000 + 1000);  // patch embed, final LN, head
  for (int i = 0; i < layers; ++i) {
    const std::int64_t a = 64 * static_cast<std::int64_t>(heads[static_cast<std::size_t>(i)]);
    const auto ff = static_cast<std::int64_t>(mlp[static_cast<std::size_t>(i)]);
    p += 2 * (2 * 768);                      // two LayerNorms
    p += 3 * (768 * a + a);                  // Q, K, V
    p += a * 768 + 768;                      // output projection
    p += (768 * ff + ff) + (ff * 768 + 768);  // MLP
  }
  return p;
}

TEST(VitB16, GeneGroups) {
  const auto sp = space();
  EXPECT_EQ(sp->name(), "vit-b16");
  ASSERT_EQ(sp->groups().size(), 3u);
  EXPECT_EQ(sp->groups()[0].name, "num_layers");
  EXPECT_EQ(sp->groups()[0].count, 1);
  EXPECT_EQ(sp->groups()[0].choices, (std::vector<double>{10, 11, 12}));
  EXPECT_EQ(sp->groups()[1].name, "num_attention_heads");
  EXPECT_EQ(sp->groups()[1].count, 12);
  EXPECT_EQ(sp->groups()[1].choices, (std::vector<double>{6, 8, 10, 12}));
  EXPECT_EQ(sp->groups()[2].name, "vit_intermediate_sizes");
  EXPECT_EQ(sp->groups()[2].count, 12);
  EXPECT_EQ(sp->groups()[2].choices, (std::vector<double>{1024, 2048, 3072}));
  EXPECT_EQ(sp->gene_count(), 25u);
}

TEST(VitB16, LargestAndSmallestExact) {
  const auto sp = space();
  const Network full = sp->build(sp->largest());
  EXPECT_EQ(full.total_macs(), 17563828224);  // networks.md: about 17.6 G
  // The well-known 86,567,656 less the CLS token (768) and position embedding (197·768).
  EXPECT_EQ(full.total_params(), 86567656 - 768 - 197 * 768);
  EXPECT_EQ(full.total_params(), 86415592);
  const Network small = sp->build(sp->smallest());
  EXPECT_EQ(small.total_macs(), 5836875264);
  EXPECT_EQ(small.total_params(), 28954088);
}

TEST(VitB16, ClosedFormOverRandomGenomes) {
  const auto sp = space();
  Rng rng(99);
  for (int i = 0; i < 300; ++i) {
    const Genome g = random_genome(*sp, rng);
    const Network n = sp->build(g);
    EXPECT_NO_THROW(n.validate());
    const int layers = static_cast<int>(sp->group_values(g, "num_layers")[0]);
    const auto heads = sp->group_values(g, "num_attention_heads");
    const auto mlp = sp->group_values(g, "vit_intermediate_sizes");
    ASSERT_EQ(n.total_macs(), closed_form_macs(layers, heads, mlp)) << sp->format(g);
    ASSERT_EQ(n.total_params(), closed_form_params(layers, heads, mlp)) << sp->format(g);

    // Per-layer MACs, by layer name prefix.
    std::map<int, std::int64_t> per_layer;
    for (const Layer& l : n.layers) {
      if (l.name[0] == 'l' && l.name.find('.') != std::string::npos && l.name.rfind("ln_", 0) != 0) {
        per_layer[std::stoi(l.name.substr(1, l.name.find('.') - 1))] += l.macs();
      }
    }
    ASSERT_EQ(static_cast<int>(per_layer.size()), layers);
    for (const auto& [idx, macs] : per_layer) {
      const std::int64_t h = static_cast<std::int64_t>(heads[static_cast<std::size_t>(idx)]);
      const std::int64_t ff = static_cast<std::int64_t>(mlp[static_cast<std::size_t>(idx)]);
      EXPECT_EQ(macs, 197LL * 768 * 3 * 64 * h + 2LL * 197 * 197 * 64 * h + 197LL * 64 * h * 768 +
                          2LL * 197 * 768 * ff);
    }
  }
}

TEST(VitB16, AttentionMatmuls) {
  const auto sp = space();
  Rng rng(3);
  const Genome g = random_genome(*sp, rng);
  const Network n = sp->build(g);
  const int layers = static_cast<int>(sp->group_values(g, "num_layers")[0]);
  const auto heads = sp->group_values(g, "num_attention_heads");
  int matmuls = 0;
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    const Layer& l = n.layers[i];
    if (l.kind != LayerKind::MatMul) continue;
    ++matmuls;
    const int idx = std::stoi(l.name.substr(1, l.name.find('.') - 1));
    const auto h = static_cast<std::int64_t>(heads[static_cast<std::size_t>(idx)]);
    SCOPED_TRACE(l.name);
    EXPECT_EQ(l.batch, h);
    EXPECT_EQ(l.stationary_elements(), h * 197 * 64);
    EXPECT_EQ(l.params(), 0);
    EXPECT_EQ(l.macs(), h * 197 * 197 * 64);
    EXPECT_EQ(l.out_h, 197);
    ASSERT_EQ(l.inputs.size(), 2u);
    const Layer& streamed = n.layers[static_cast<std::size_t>(l.inputs[0])];
    const Layer& stationary = n.layers[static_cast<std::size_t>(l.inputs[1])];
    const std::string p = "l" + std::to_string(idx) + ".";
    if (l.name == p + "qk") {
      EXPECT_EQ(l.in_channels, 64);
      EXPECT_EQ(l.out_channels, 197);
      EXPECT_EQ(streamed.name, p + "q");
      EXPECT_EQ(stationary.name, p + "k");
      EXPECT_EQ(n.layers[i + 1].kind, LayerKind::Softmax);
    } else {
      EXPECT_EQ(l.name, p + "av");
      EXPECT_EQ(l.in_channels, 197);
      EXPECT_EQ(l.out_channels, 64);
      EXPECT_EQ(streamed.name, p + "softmax");
      EXPECT_EQ(stationary.name, p + "v");
    }
  }
  EXPECT_EQ(matmuls, 2 * layers);
}

TEST(VitB16, LayerStructure) {
  const auto sp = space();
  const Network n = sp->build(sp->largest());
  const Layer& patch = n.layers.front();
  EXPECT_EQ(patch.kind, LayerKind::Conv);
  EXPECT_EQ(patch.kernel_h, 16);
  EXPECT_EQ(patch.stride, 16);
  EXPECT_EQ(patch.out_h, 14);
  EXPECT_EQ(patch.in_channels, 3);
  EXPECT_EQ(patch.out_channels, 768);
  EXPECT_TRUE(patch.bias);
  EXPECT_FALSE(patch.batch_norm);
  EXPECT_EQ(patch.macs(), 196LL * 768 * 768);

  const Layer& head = n.layers.back();
  EXPECT_EQ(head.name, "head");
  EXPECT_EQ(head.kind, LayerKind::Linear);
  EXPECT_EQ(head.out_h, 1);  // CLS token only
  EXPECT_EQ(head.macs(), 768 * 1000);
  EXPECT_EQ(n.layers[n.layers.size() - 2].kind, LayerKind::LayerNorm);

  int layernorms = 0, gelus = 0, softmaxes = 0, adds = 0, linears = 0;
  for (const Layer& l : n.layers) {
    layernorms += l.kind == LayerKind::LayerNorm;
    gelus += l.kind == LayerKind::Activation && l.activation == ActivationOp::GELU;
    softmaxes += l.kind == LayerKind::Softmax;
    adds += l.kind == LayerKind::Eltwise;
    linears += l.kind == LayerKind::Linear;
    if (l.kind == LayerKind::Linear) {
      EXPECT_TRUE(l.bias) << l.name;
      if (l.name != "head") {
        EXPECT_EQ(l.out_h, 197) << l.name;
      }
    }
    if (l.kind == LayerKind::LayerNorm) {
      EXPECT_EQ(l.params(), 2 * 768) << l.name;
    }
  }
  EXPECT_EQ(layernorms, 2 * 12 + 1);
  EXPECT_EQ(gelus, 12);
  EXPECT_EQ(softmaxes, 12);
  EXPECT_EQ(adds, 2 * 12);
  EXPECT_EQ(linears, 6 * 12 + 1);
  // Residual adds take the block input: layer 0's attention add reads the patch embedding.
  for (const Layer& l : n.layers) {
    if (l.name == "l0.attn_add") {
      ASSERT_EQ(l.inputs.size(), 2u);
      EXPECT_EQ(l.inputs[1], 0);
    }
    if (l.name == "l0.proj") {
      EXPECT_EQ(l.in_channels, 768);
    }
  }
}

TEST(VitB16, InactiveGenes) {
  const auto sp = space();
  Rng rng(8);
  for (int i = 0; i < 20; ++i) {
    Genome g = sp->sample(rng);
    const int layers = static_cast<int>(sp->group_values(g, "num_layers")[0]);
    const std::vector<bool> active = sp->active_genes(g);
    EXPECT_TRUE(active[0]);
    for (int j = 0; j < 12; ++j) {
      EXPECT_EQ(active[1 + static_cast<std::size_t>(j)], j < layers);
      EXPECT_EQ(active[13 + static_cast<std::size_t>(j)], j < layers);
    }
    Genome h = g;
    for (int j = layers; j < 12; ++j) {
      h[1 + static_cast<std::size_t>(j)] = static_cast<int>(rng.uniform_int(4));
      h[13 + static_cast<std::size_t>(j)] = static_cast<int>(rng.uniform_int(3));
    }
    expect_same_layers(sp->build(g), sp->build(h));
    EXPECT_EQ(sp->canonical(h), sp->canonical(g));
    EXPECT_EQ(sp->canonical(g), g);  // samples are canonical
    // An active head gene changes the network.
    Genome k = g;
    k[1] = (k[1] + 1) % 4;
    EXPECT_FALSE(sp->equivalent(g, k));
    EXPECT_NE(sp->build(g).total_macs(), sp->build(k).total_macs());
  }
}

TEST(VitB16, SamplingIsDeterministic) {
  const auto sp = space();
  Rng a(1), b(1);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(sp->sample(a), sp->sample(b));
  Rng r5(5);
  EXPECT_EQ(sp->parse("random:5"), sp->sample(r5));
  EXPECT_EQ(sp->parse(" random:5 "), sp->parse("random:5"));
}

TEST(VitB16, SpecRoundTrips) {
  const auto sp = space();
  Rng rng(17);
  for (int i = 0; i < 30; ++i) {
    const Genome g = random_genome(*sp, rng);
    EXPECT_EQ(sp->parse(sp->format(g)), g);
    EXPECT_EQ(sp->parse(sp->to_dynast_dict(g)), g);
  }
  EXPECT_EQ(sp->parse("min"), sp->smallest());
  EXPECT_EQ(sp->parse("max"), sp->largest());
  EXPECT_EQ(sp->group_values(sp->smallest(), "num_layers")[0], 10);
  // The largest keeps all 12 layers active; the smallest zeroes the genes of layers 10 and 11.
  EXPECT_EQ(sp->largest(), Genome({2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(sp->smallest(), Genome(25, 0));
}

TEST(VitB16, ReadsDynastDicts) {
  const auto sp = space();
  // DyNAS-T's vit_base_imagenet sub-network as it writes it to its CSV (lists) ...
  const Genome g = sp->parse(
      "{'num_layers': [11], 'num_attention_heads': [12, 10, 8, 6, 12, 10, 8, 6, 12, 10, 8, 6], "
      "'vit_intermediate_sizes': [3072, 2048, 1024, 3072, 2048, 1024, 3072, 2048, 1024, 3072, 2048, 1024]}");
  EXPECT_EQ(sp->group_values(g, "num_layers")[0], 11);
  EXPECT_EQ(sp->group_values(g, "num_attention_heads")[3], 6);
  EXPECT_EQ(sp->group_values(g, "vit_intermediate_sizes")[1], 2048);
  // ... and with the layer count as a plain number.
  const Genome h = sp->parse(
      "{'num_layers': 11, 'num_attention_heads': [12, 10, 8, 6, 12, 10, 8, 6, 12, 10, 8, 6], "
      "'vit_intermediate_sizes': [3072, 2048, 1024, 3072, 2048, 1024, 3072, 2048, 1024, 3072, 2048, 1024]}");
  EXPECT_EQ(g, h);
  EXPECT_NO_THROW(sp->build(g).validate());
}

TEST(VitB16, MalformedSpecsThrow) {
  const auto sp = space();
  const std::string heads = "num_attention_heads=6-6-6-6-6-6-6-6-6-6-6-6";
  const std::string mlp = "vit_intermediate_sizes=1024-1024-1024-1024-1024-1024-1024-1024-1024-1024-1024-1024";
  EXPECT_NO_THROW(sp->parse("num_layers=10:" + heads + ":" + mlp));
  // Short and DyNAS-T group names are interchangeable in compact specs.
  EXPECT_EQ(sp->parse("l=10:h=6-6-6-6-6-6-6-6-6-6-6-6:mlp=1024-1024-1024-1024-1024-1024-1024-1024-1024-1024-1024-1024"),
            sp->parse("num_layers=10:" + heads + ":" + mlp));
  EXPECT_EQ(sp->gene_name(1), "h0");
  EXPECT_THROW(sp->parse("num_layers=9:" + heads + ":" + mlp), InputError);
  EXPECT_THROW(sp->parse("num_layers=10:" + heads + "-6:" + mlp), InputError);
  EXPECT_THROW(sp->parse("num_layers=10:num_attention_heads=7-6-6-6-6-6-6-6-6-6-6-6:" + mlp), InputError);
  EXPECT_THROW(sp->parse("num_layers=10:" + heads), InputError);
  EXPECT_THROW(sp->parse("layers=10:" + heads + ":" + mlp), InputError);
  EXPECT_THROW(sp->parse("biggest"), InputError);
  EXPECT_THROW(sp->parse("random:"), InputError);
  EXPECT_THROW(sp->parse("{'num_layers': [10], 'num_attention_heads': [6]}"), InputError);
  EXPECT_THROW(sp->parse("{'num_layers': [10], 'vit_hidden_sizes': 768}"), InputError);
  EXPECT_THROW(sp->parse("{'num_layers': [10]"), InputError);
  EXPECT_THROW(sp->build(Genome(24, 0)), InputError);
  Genome bad(25, 0);
  bad[1] = 4;
  EXPECT_THROW(sp->build(bad), InputError);
}

// DyNAS-T reads a dict value like 1.6e+02 as a float: whole numbers must print as integers.
TEST(VitB16, FormatsLayerCountPlainly) {
  const auto sp = space();
  const std::string text = sp->to_dynast_dict(sp->smallest());
  EXPECT_EQ(text.substr(0, text.find(']') + 1), "{'num_layers': [10]");
  EXPECT_EQ(sp->format(sp->smallest()).substr(0, 5), "l=10:");
}

TEST(VitB16, ResolutionIsFixed) {
  SpaceOptions options;
  options.resolutions = {224};
  EXPECT_NO_THROW(make_space("vit-b16", options));
  options.resolutions = {384};
  EXPECT_THROW(make_space("vit-b16", options), InputError);
  options.resolutions = {224, 256};
  EXPECT_THROW(make_space("vit-b16", options), InputError);
}

}  // namespace
}  // namespace cimnet
