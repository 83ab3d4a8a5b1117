// ViT-B/16 elastic search space of DyNAS-T: number of encoder layers, attention heads per layer and MLP
// width per layer; hidden size 768, head size 64, 16-px patches of a 224-px image (196 patches + CLS).
//
// The gene groups carry DyNAS-T's own key names (num_layers, num_attention_heads,
// vit_intermediate_sizes), so the sub-network dicts DyNAS-T writes to its CSVs parse unchanged.
//
// Counting convention (torchprofile, like the CNN spaces): MACs of convolutions, linears and the two
// attention matmuls. Params are those of the layers only — weights, biases and LayerNorm γ/β. The CLS
// token (768) and the position embedding (197 × 768) are learned tensors but belong to no layer; they
// are not counted, so the full ViT-B/16 has 86,415,592 params here against the usual 86,567,656. Their
// element-wise work (concatenating CLS, adding position embeddings: 151 k adds) is not modelled either.
#include "workloads/vit_b16.hpp"

#include <string>

#include "common/error.hpp"

namespace cimnet {
namespace {

constexpr std::int64_t kImage = 224;
constexpr std::int64_t kPatch = 16;
constexpr std::int64_t kHidden = 768;
constexpr std::int64_t kHeadDim = 64;
constexpr std::int64_t kTokens = (kImage / kPatch) * (kImage / kPatch) + 1;  // 196 patches + CLS
constexpr int kMaxLayers = 12;
constexpr std::int64_t kClasses = 1000;

class VitB16 : public SearchSpace {
 public:
  VitB16()
      : SearchSpace("vit-b16", {
                                   {"num_layers", "number of encoder layers", {10, 11, 12}, 1, "l"},
                                   {"num_attention_heads", "attention heads of each layer", {6, 8, 10, 12},
                                    kMaxLayers, "h"},
                                   {"vit_intermediate_sizes", "MLP hidden width of each layer",
                                    {1024, 2048, 3072}, kMaxLayers, "mlp"},
                               }) {}

  Network build_layers(const Genome& genome) const override {
    check(genome);
    const int layers = static_cast<int>(gene_value(genome, "num_layers", 0));

    Tensor image;
    image.channels = 3;
    image.h = image.w = kImage;
    NetworkBuilder b(name(), image);

    // Patch embedding: a 16×16 stride-16 conv with bias and no norm; each of its 14×14 outputs is a token.
    const Tensor patches = b.conv("patch_embed", image, kHidden, kPatch, kPatch, 1, true, false, 0);
    // Flatten to a token sequence (channels = hidden, h = tokens) and prepend the CLS token; the
    // sequence is still produced by the patch embedding as far as the data flow goes.
    Tensor x = patches;
    x.h = kTokens;
    x.w = 1;

    for (int i = 0; i < layers; ++i) {
      const std::string p = "l" + std::to_string(i) + ".";
      const auto heads = static_cast<std::int64_t>(gene_value(genome, "num_attention_heads", i));
      const auto mlp = static_cast<std::int64_t>(gene_value(genome, "vit_intermediate_sizes", i));
      const std::int64_t attn_width = heads * kHeadDim;

      const Tensor ln1 = b.layer_norm(p + "ln1", x);
      const Tensor q = b.linear(p + "q", ln1, attn_width, true);
      const Tensor k = b.linear(p + "k", ln1, attn_width, true);
      const Tensor v = b.linear(p + "v", ln1, attn_width, true);

      // Split heads: batch = heads, 64 features × 197 tokens each (a view, no layer).
      Tensor qh = q;
      qh.batch = heads;
      qh.channels = kHeadDim;
      Tensor kh = k;
      kh.batch = heads;
      kh.channels = kHeadDim;
      // QKᵀ: K is the stationary operand, written into the arrays at run time.
      const Tensor scores = b.matmul(p + "qk", qh, kh);  // heads × 197 keys (channels) × 197 queries (h)
      const Tensor probs = b.softmax(p + "softmax", scores);
      // AV: the stationary operand is Vᵀ, i.e. per head 197 tokens (reduction) × 64 features (columns).
      Tensor vt = v;
      vt.batch = heads;
      vt.channels = kTokens;
      vt.h = kHeadDim;
      const Tensor context = b.matmul(p + "av", probs, vt);  // heads × 64 features × 197 queries

      // Merge heads back into one 64h-wide token sequence.
      Tensor merged = context;
      merged.batch = 1;
      merged.channels = attn_width;
      const Tensor proj = b.linear(p + "proj", merged, kHidden, true);
      x = b.add(p + "attn_add", proj, x);

      const Tensor ln2 = b.layer_norm(p + "ln2", x);
      Tensor h = b.linear(p + "fc1", ln2, mlp, true);
      h = b.activation(p + "gelu", h, ActivationOp::GELU);
      h = b.linear(p + "fc2", h, kHidden, true);
      x = b.add(p + "mlp_add", h, x);
    }

    const Tensor ln = b.layer_norm("ln_final", x);
    // The head reads the CLS token only.
    Tensor cls = ln;
    cls.h = 1;
    b.linear("head", cls, kClasses, true);
    return b.finish();
  }

  std::vector<bool> active_genes(const Genome& genome) const override {
    check(genome);
    std::vector<bool> active(gene_count(), true);
    const int layers = static_cast<int>(gene_value(genome, "num_layers", 0));
    for (const char* group : {"num_attention_heads", "vit_intermediate_sizes"}) {
      const std::size_t start = group_offset(group);
      for (int i = layers; i < kMaxLayers; ++i) active[start + static_cast<std::size_t>(i)] = false;
    }
    return active;
  }
};

}  // namespace

std::unique_ptr<SearchSpace> make_vit_b16(std::vector<int> resolutions) {
  for (int r : resolutions) {
    if (r != kImage) {
      throw InputError("vit-b16: resolution " + std::to_string(r) +
                       " is not supported; the token count is fixed by 224 px and 16 px patches (allowed: 224)");
    }
  }
  return std::make_unique<VitB16>();
}

}  // namespace cimnet
