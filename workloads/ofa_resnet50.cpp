// OFA-ResNet-50: the elastic ResNet-50-D super-network of Once-for-All, as DyNAS-T searches it.
//
// Rules (reference/networks.md, checked against the public OFA code): depth d 5×{0,1,2} (d[0] the stem
// skip, d[1..4] blocks added to base depths [2,2,4,2]), expand ratio e 18×{0.2,0.25,0.35} (one per
// block slot, 4+4+6+4), width index w 6×{0,1,2} into multipliers [0.65,0.8,1.0] (w[0] the first two
// stem convs, w[1] the third, w[2..5] the stages), resolution r. Group names and the dict layout
// {'d': […], 'e': […], 'w': […], 'r': [224]} are DyNAS-T's.
#include "workloads/ofa_resnet50.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "common/error.hpp"
#include "common/text.hpp"
#include "workloads/make_divisible.hpp"

namespace cimnet {
namespace {

constexpr std::array<int, 4> kBaseDepth = {2, 2, 4, 2};
constexpr int kMaxExtraDepth = 2;  // largest d choice: each stage has base + 2 block slots
constexpr std::array<int, 4> kStageWidth = {256, 512, 1024, 2048};
constexpr std::array<int, 4> kStageStride = {1, 2, 2, 2};
constexpr std::array<double, 3> kWidthMult = {0.65, 0.8, 1.0};
constexpr int kStemWidth = 64;
constexpr int kClasses = 1000;

// Input resolutions OFA's ResNet-50 tooling evaluates (its tutorial and accuracy predictor use exactly
// this list; 208 is not among them, so no accuracy estimate would exist for it).
constexpr std::array<int, 8> kAllowedResolutions = {128, 144, 160, 176, 192, 224, 240, 256};

std::int64_t stem_width(int w) { return make_divisible(kStemWidth * kWidthMult[w]); }
// OFA halves the (already divisible) stem width with integer division before rounding again, which is
// why w = 0.65 and 0.8 both give 24 channels.
std::int64_t stem_mid_width(int w) { return make_divisible(static_cast<double>(stem_width(w) / 2)); }
std::int64_t stage_width(int stage, int w) { return make_divisible(kStageWidth[stage] * kWidthMult[w]); }

int total_block_slots() {
  int n = 0;
  for (int b : kBaseDepth) n += b + kMaxExtraDepth;
  return n;
}

class OfaResNet50 : public SearchSpace {
 public:
  explicit OfaResNet50(const std::vector<int>& resolutions)
      : SearchSpace("ofa-resnet50", make_groups(resolutions)) {}

  Network build_layers(const Genome& genome) const override {
    check(genome);
    const auto d = [&](int i) { return static_cast<int>(gene_value(genome, "d", i)); };
    const auto w = [&](int i) { return static_cast<int>(gene_value(genome, "w", i)); };
    const auto r = static_cast<std::int64_t>(gene_value(genome, "r", 0));

    Tensor image;
    image.channels = 3;
    image.h = image.w = r;
    NetworkBuilder b(name(), image);

    // Input stem: three 3×3 convs (BN, ReLU each); the middle one is a residual block (conv + identity,
    // no activation after the add) that only the deepest stem setting keeps.
    const std::int64_t mid = stem_mid_width(w(0));
    Tensor x = b.conv("stem.conv0", image, mid, 3, 2);
    x = b.activation("stem.conv0.relu", x, ActivationOp::ReLU);
    if (d(0) == kMaxExtraDepth) {
      Tensor y = b.conv("stem.res.conv", x, mid, 3, 1);
      y = b.activation("stem.res.relu", y, ActivationOp::ReLU);
      x = b.add("stem.res.add", y, x);
    }
    x = b.conv("stem.conv2", x, stem_width(w(1)), 3, 1);
    x = b.activation("stem.conv2.relu", x, ActivationOp::ReLU);
    x = b.pool("stem.maxpool", x, PoolOp::Max, 3, 2, 1);

    int slot = 0;  // index of the block slot, i.e. of its e gene
    for (int s = 0; s < 4; ++s) {
      const std::int64_t out = stage_width(s, w(s + 2));
      const int depth = kBaseDepth[s] + d(s + 1);
      for (int j = 0; j < kBaseDepth[s] + kMaxExtraDepth; ++j, ++slot) {
        if (j >= depth) continue;
        const std::string p = "s" + std::to_string(s + 1) + ".b" + std::to_string(j) + ".";
        const std::int64_t stride = j == 0 ? kStageStride[s] : 1;
        // Python's round() is round-half-to-even, which nearbyint matches in the default rounding mode.
        const std::int64_t mid_c =
            make_divisible(std::nearbyint(static_cast<double>(out) * gene_value(genome, "e", slot)));

        // Shortcut first, as OFA evaluates it. A stage's first block changes the width (the stem width
        // is never a stage width), so it always has the avg-pool + 1×1 conv + BN shortcut; at stride 1
        // the pool is a 1×1 identity and is left out.
        Tensor shortcut = x;
        if (j == 0) {
          if (stride > 1) {
            // ceil_mode pooling: pad one extra row/column when the size is odd, so the shortcut keeps
            // the size of the strided 3×3 conv on the main path ((h − 1) / 2 + 1).
            const std::int64_t pad = x.h % stride == 0 ? 0 : 1;
            shortcut = b.pool(p + "down.pool", shortcut, PoolOp::Average, stride, stride, pad);
          }
          shortcut = b.conv(p + "down.conv", shortcut, out, 1);
        }
        Tensor y = b.conv(p + "conv1", x, mid_c, 1);
        y = b.activation(p + "conv1.relu", y, ActivationOp::ReLU);
        y = b.conv(p + "conv2", y, mid_c, 3, stride);
        y = b.activation(p + "conv2.relu", y, ActivationOp::ReLU);
        y = b.conv(p + "conv3", y, out, 1);
        y = b.add(p + "add", y, shortcut);
        x = b.activation(p + "relu", y, ActivationOp::ReLU);
      }
    }

    x = b.global_pool("pool", x);
    b.linear("classifier", x, kClasses, true);
    return b.finish();
  }

  std::vector<bool> active_genes(const Genome& genome) const override {
    check(genome);
    std::vector<bool> active(gene_count(), true);
    const std::size_t e0 = group_offset("e");
    int slot = 0;
    for (int s = 0; s < 4; ++s) {
      const int depth = kBaseDepth[s] + static_cast<int>(gene_value(genome, "d", s + 1));
      for (int j = 0; j < kBaseDepth[s] + kMaxExtraDepth; ++j, ++slot) {
        if (j >= depth) active[e0 + static_cast<std::size_t>(slot)] = false;
      }
    }
    return active;
  }

 protected:
  void fold_aliases(Genome& genome) const override {
    // d[0] only asks "keep the stem residual block?" (yes only at 2), so 1 builds what 0 builds.
    int& d0 = genome[group_offset("d")];
    if (d0 == 1) d0 = 0;
    // w[0]: multipliers 0.65 and 0.8 both give a 24-channel stem middle width.
    int& w0 = genome[group_offset("w")];
    if (stem_mid_width(w0) == stem_mid_width(0)) w0 = 0;
  }

 private:
  static std::vector<GeneGroup> make_groups(std::vector<int> resolutions) {
    if (resolutions.empty()) resolutions = {224};
    std::sort(resolutions.begin(), resolutions.end());
    resolutions.erase(std::unique(resolutions.begin(), resolutions.end()), resolutions.end());
    std::vector<double> res;
    for (int r : resolutions) {
      if (std::find(kAllowedResolutions.begin(), kAllowedResolutions.end(), r) == kAllowedResolutions.end()) {
        std::vector<std::string> allowed;
        for (int a : kAllowedResolutions) allowed.push_back(std::to_string(a));
        throw InputError("ofa-resnet50: resolution " + std::to_string(r) + " is not supported; allowed: " +
                         join(allowed, ", "));
      }
      res.push_back(r);
    }
    return {
        {"d", "extra depth: stem residual block (d0, only 2 keeps it), blocks added to each stage", {0, 1, 2}, 5},
        {"e", "expand ratio of each bottleneck block (middle width / output width)", {0.2, 0.25, 0.35},
         total_block_slots()},
        {"w", "width multiplier index (0.65, 0.8, 1.0): stem middle, stem output, stages 1-4", {0, 1, 2}, 6},
        {"r", "input resolution", res, 1},
    };
  }
};

}  // namespace

std::unique_ptr<SearchSpace> make_ofa_resnet50(std::vector<int> resolutions) {
  return std::make_unique<OfaResNet50>(resolutions);
}

}  // namespace cimnet
