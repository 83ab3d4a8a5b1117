#include "workloads/ofa_mobilenet_v3.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "common/text.hpp"
#include "workloads/make_divisible.hpp"

namespace cimnet {
namespace {

constexpr int kStages = 5;          // elastic stages after the fixed first block
constexpr int kMaxBlocks = 4;       // blocks per stage at the largest depth
constexpr int kGenesPerGroup = kStages * kMaxBlocks;

// Base widths: first conv, first block, stages 1..5, final expand, feature mix.
constexpr std::array<int, 9> kBaseWidths = {16, 16, 24, 40, 80, 112, 160, 960, 1280};
constexpr std::array<int, kStages> kStrides = {2, 2, 2, 1, 2};
constexpr std::array<bool, kStages> kHSwish = {false, false, true, true, true};
constexpr std::array<bool, kStages> kSqueezeExcite = {false, true, false, true, true};

std::vector<int> allowed_resolutions(int lowest) {
  std::vector<int> r;
  for (int v = lowest; v <= 224; v += 16) r.push_back(v);
  return r;
}

std::string list_text(const std::vector<int>& values) {
  std::vector<std::string> parts;
  for (int v : values) parts.push_back(std::to_string(v));
  return join(parts, ", ");
}

class OfaMobileNetV3 final : public SearchSpace {
 public:
  OfaMobileNetV3(std::string name, std::vector<GeneGroup> groups, double width_mult)
      : SearchSpace(std::move(name), std::move(groups), {"wid"}) {
    for (std::size_t i = 0; i < kBaseWidths.size(); ++i) widths_[i] = make_divisible(kBaseWidths[i] * width_mult);
  }

  Network build_layers(const Genome& genome) const override {
    check(genome);
    const auto resolution = static_cast<std::int64_t>(gene_value(genome, "r", 0));
    NetworkBuilder b(name() + "[" + format(canonical(genome)) + "]", Tensor{-1, 1, 3, resolution, resolution});

    Tensor x = b.conv("first_conv", b.input(), widths_[0], 3, 2);
    x = b.activation("first_conv.act", x, ActivationOp::HSwish);

    // The first block has expand ratio 1, so it has no expand conv (OFA's fixed first MBConv).
    {
      const Tensor in = x;
      x = b.conv("first_block.dw", x, x.channels, 3, 1, x.channels);
      x = b.activation("first_block.dw.act", x, ActivationOp::ReLU);
      x = b.conv("first_block.project", x, widths_[1], 1);
      if (in.channels == x.channels) x = b.add("first_block.add", x, in);
    }

    for (int s = 0; s < kStages; ++s) {
      const auto depth = static_cast<int>(gene_value(genome, "d", s));
      const std::int64_t out_channels = widths_[2 + s];
      const ActivationOp act = kHSwish[s] ? ActivationOp::HSwish : ActivationOp::ReLU;
      for (int j = 0; j < depth; ++j) {
        const int gene = s * kMaxBlocks + j;
        const auto kernel = static_cast<std::int64_t>(gene_value(genome, "ks", gene));
        const double expand = gene_value(genome, "e", gene);
        const std::int64_t stride = j == 0 ? kStrides[s] : 1;
        const std::string p = "stage" + std::to_string(s + 1) + ".block" + std::to_string(j + 1) + ".";

        const Tensor in = x;
        // OFA sizes the middle width from the block's input width, so a stage's first block expands
        // the previous stage's width.
        const std::int64_t mid = make_divisible(std::round(static_cast<double>(in.channels) * expand));
        x = b.conv(p + "expand", x, mid, 1);
        x = b.activation(p + "expand.act", x, act);
        x = b.conv(p + "dw", x, mid, kernel, stride, mid);
        x = b.activation(p + "dw.act", x, act);
        if (kSqueezeExcite[s]) {
          const std::int64_t reduced = make_divisible(static_cast<double>(mid / 4));
          Tensor se = b.global_pool(p + "se.pool", x);
          se = b.conv(p + "se.reduce", se, reduced, 1, 1, 1, /*bias=*/true, /*batch_norm=*/false);
          se = b.activation(p + "se.reduce.act", se, ActivationOp::ReLU);
          se = b.conv(p + "se.expand", se, mid, 1, 1, 1, /*bias=*/true, /*batch_norm=*/false);
          se = b.activation(p + "se.expand.act", se, ActivationOp::HSigmoid);
          x = b.scale_channels(p + "se.scale", x, se);
        }
        x = b.conv(p + "project", x, out_channels, 1);
        if (stride == 1 && in.channels == out_channels) x = b.add(p + "add", x, in);
      }
    }

    x = b.conv("final_expand", x, widths_[7], 1);
    x = b.activation("final_expand.act", x, ActivationOp::HSwish);
    x = b.global_pool("global_pool", x);
    // OFA's feature-mix conv has neither batch norm nor bias.
    x = b.conv("feature_mix", x, widths_[8], 1, 1, 1, /*bias=*/false, /*batch_norm=*/false);
    x = b.activation("feature_mix.act", x, ActivationOp::HSwish);
    b.linear("classifier", x, 1000, /*bias=*/true);
    return b.finish();
  }

  std::vector<bool> active_genes(const Genome& genome) const override {
    check(genome);
    std::vector<bool> active(gene_count(), true);
    const std::size_t ks = group_offset("ks");
    const std::size_t e = group_offset("e");
    for (int s = 0; s < kStages; ++s) {
      const auto depth = static_cast<int>(gene_value(genome, "d", s));
      for (int j = depth; j < kMaxBlocks; ++j) {
        const auto gene = static_cast<std::size_t>(s * kMaxBlocks + j);
        active[ks + gene] = false;
        active[e + gene] = false;
      }
    }
    return active;
  }

 private:
  std::array<std::int64_t, kBaseWidths.size()> widths_{};
};

}  // namespace

std::unique_ptr<SearchSpace> make_ofa_mobilenet_v3(double width_mult, std::vector<int> resolutions) {
  const bool wide = std::fabs(width_mult - 1.2) < 1e-9;
  if (!wide && std::fabs(width_mult - 1.0) >= 1e-9) {
    throw InputError("OFA-MobileNetV3: width multiplier " + format_number(width_mult) +
                     " has no super-network; allowed: 1.0, 1.2");
  }
  const std::string name = wide ? "ofa-mbv3-w12" : "ofa-mbv3";
  // The super-networks were trained only on these resolutions (OFA's elastic resolution range).
  const std::vector<int> allowed = allowed_resolutions(wide ? 160 : 128);
  if (resolutions.empty()) resolutions = {224};
  std::sort(resolutions.begin(), resolutions.end());
  resolutions.erase(std::unique(resolutions.begin(), resolutions.end()), resolutions.end());
  for (int r : resolutions) {
    if (std::find(allowed.begin(), allowed.end(), r) == allowed.end()) {
      throw InputError(name + ": input resolution " + std::to_string(r) + " is not supported; allowed: " +
                       list_text(allowed));
    }
  }

  std::vector<GeneGroup> groups;
  groups.push_back({"ks", "kernel size of each block", {3, 5, 7}, kGenesPerGroup});
  groups.push_back({"e", "expand ratio of each block", {3, 4, 6}, kGenesPerGroup});
  groups.push_back({"d", "depth (blocks) of each stage", {2, 3, 4}, kStages});
  groups.push_back({"r", "input resolution", std::vector<double>(resolutions.begin(), resolutions.end()), 1});
  return std::make_unique<OfaMobileNetV3>(name, std::move(groups), width_mult);
}

}  // namespace cimnet
