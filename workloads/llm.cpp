#include "workloads/llm.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {
namespace {

// Appends layers whose tensors are token-major: `rows` tokens (times query heads per group in attention)
// of `channels` features, batched over `batch` heads.
class LlmBuilder {
 public:
  explicit LlmBuilder(std::string name) { net_.name = std::move(name); }

  int linear(const std::string& name, int in, std::int64_t in_features, std::int64_t out_features, std::int64_t rows,
             bool bias) {
    Layer l = base(name, LayerKind::Linear, 1, in_features, rows);
    l.out_channels = out_features;
    l.bias = bias;
    return push(std::move(l), {in});
  }
  int norm(const std::string& name, int in, std::int64_t features, std::int64_t rows, bool rms) {
    Layer l = base(name, LayerKind::LayerNorm, 1, features, rows);
    l.rms_norm = rms;
    return push(std::move(l), {in});
  }
  int activation(const std::string& name, int in, ActivationOp op, std::int64_t features, std::int64_t rows) {
    Layer l = base(name, LayerKind::Activation, 1, features, rows);
    l.activation = op;
    return push(std::move(l), {in});
  }
  int eltwise(const std::string& name, int a, int b, EltwiseOp op, std::int64_t features, std::int64_t rows) {
    Layer l = base(name, LayerKind::Eltwise, 1, features, rows);
    l.eltwise = op;
    return push(std::move(l), {a, b});
  }
  // batch × (rows × reduction) · (reduction × columns); `stationary` holds the second operand.
  int matmul(const std::string& name, int streamed, int stationary, std::int64_t batch, std::int64_t rows,
             std::int64_t reduction, std::int64_t columns) {
    Layer l = base(name, LayerKind::MatMul, batch, reduction, rows);
    l.out_channels = columns;
    return push(std::move(l), {streamed, stationary});
  }
  int softmax(const std::string& name, int in, std::int64_t batch, std::int64_t features, std::int64_t rows) {
    return push(base(name, LayerKind::Softmax, batch, features, rows), {in});
  }

  Network finish() {
    net_.validate();
    return std::move(net_);
  }

 private:
  static Layer base(const std::string& name, LayerKind kind, std::int64_t batch, std::int64_t channels, std::int64_t rows) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.batch = batch;
    l.in_channels = l.out_channels = channels;
    l.in_h = l.out_h = rows;
    return l;
  }
  int push(Layer l, std::vector<int> inputs) {
    l.inputs = std::move(inputs);
    net_.layers.push_back(std::move(l));
    return static_cast<int>(net_.layers.size()) - 1;
  }
  Network net_;
};

// One pass of the model over `rows` new tokens whose attention reads `keys` tokens. `cached`: the keys
// and values come from the KV cache in DRAM (decode) rather than from this pass's projections (prefill).
Network build(const LlmConfig& c, const std::string& name, std::int64_t rows, std::int64_t keys, bool cached) {
  c.validate();
  LlmBuilder b(name);
  const std::int64_t hd = c.head_width(), q_width = c.heads * hd, kv_width = c.kv_heads * hd;
  const std::int64_t group = c.heads / c.kv_heads;
  int x = -1;  // the embedded tokens (a lookup, done by the host): the network input
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = "l" + std::to_string(i) + ".";
    const int n1 = b.norm(p + "norm1", x, c.width, rows, c.rms_norm);
    int q = b.linear(p + "q", n1, c.width, q_width, rows, c.biases);
    int k = b.linear(p + "k", n1, c.width, kv_width, rows, c.biases);
    const int v = b.linear(p + "v", n1, c.width, kv_width, rows, c.biases);
    if (c.learned_positions == 0) {
      q = b.activation(p + "rope_q", q, ActivationOp::Rotary, q_width, rows);
      k = b.activation(p + "rope_k", k, ActivationOp::Rotary, kv_width, rows);
    }
    const int scores = b.matmul(p + "qk", q, cached ? -1 : k, c.kv_heads, group * rows, hd, keys);
    const int probs = b.softmax(p + "softmax", scores, c.kv_heads, keys, group * rows);
    const int context = b.matmul(p + "av", probs, cached ? -1 : v, c.kv_heads, group * rows, keys, hd);
    const int o = b.linear(p + "o", context, q_width, c.width, rows, c.biases);
    x = b.eltwise(p + "attn_add", o, x, EltwiseOp::Add, c.width, rows);
    const int n2 = b.norm(p + "norm2", x, c.width, rows, c.rms_norm);
    int down = -1;
    if (c.gated) {
      const int gate = b.linear(p + "gate", n2, c.width, c.ffn, rows, c.biases);
      const int up = b.linear(p + "up", n2, c.width, c.ffn, rows, c.biases);
      const int silu = b.activation(p + "silu", gate, ActivationOp::SiLU, c.ffn, rows);
      const int h = b.eltwise(p + "gate_mul", silu, up, EltwiseOp::Multiply, c.ffn, rows);
      down = b.linear(p + "down", h, c.ffn, c.width, rows, c.biases);
    } else {
      const int fc = b.linear(p + "fc", n2, c.width, c.ffn, rows, c.biases);
      const int gelu = b.activation(p + "gelu", fc, ActivationOp::GELU, c.ffn, rows);
      down = b.linear(p + "proj", gelu, c.ffn, c.width, rows, c.biases);
    }
    x = b.eltwise(p + "mlp_add", down, x, EltwiseOp::Add, c.width, rows);
  }
  const int final_norm = b.norm("norm_final", x, c.width, rows, c.rms_norm);
  b.linear("head", final_norm, c.width, c.vocabulary, 1, false);  // the last token's logits only
  return b.finish();
}

struct Preset {
  const char* name;
  LlmConfig config;
};

LlmConfig gpt2(const char* name, int layers, std::int64_t width, int heads) {
  LlmConfig c;
  c.name = name;
  c.layers = layers;
  c.width = width;
  c.heads = c.kv_heads = heads;
  c.ffn = 4 * width;
  return c;  // the rest as LlmConfig's defaults: GPT-2's vocabulary, tied head, 1024 learned positions
}

LlmConfig llama(const char* name, std::int64_t ffn, int kv_heads, std::int64_t vocabulary, std::int64_t context) {
  LlmConfig c;
  c.name = name;
  c.layers = 32;
  c.width = 4096;
  c.heads = 32;
  c.kv_heads = kv_heads;
  c.ffn = ffn;
  c.gated = true;
  c.vocabulary = vocabulary;
  c.tied_embeddings = false;
  c.learned_positions = 0;
  c.biases = false;
  c.rms_norm = true;
  c.context = context;
  return c;
}

// Sources of the figures: docs/llm.md.
const std::vector<Preset>& presets() {
  static const std::vector<Preset> all = {
      {"gpt2", gpt2("gpt2", 12, 768, 12)},
      {"gpt2-medium", gpt2("gpt2-medium", 24, 1024, 16)},
      {"gpt2-large", gpt2("gpt2-large", 36, 1280, 20)},
      {"gpt2-xl", gpt2("gpt2-xl", 48, 1600, 25)},
      {"llama-2-7b", llama("llama-2-7b", 11008, 32, 32000, 4096)},
      {"llama-3-8b", llama("llama-3-8b", 14336, 8, 128256, 8192)},
  };
  return all;
}

}  // namespace

void LlmConfig::validate() const {
  auto positive = [&](const char* field, std::int64_t value) {
    if (value <= 0) throw InputError("model '" + name + "': " + field + " must be positive, got " + std::to_string(value));
  };
  positive("layers", layers);
  positive("width", width);
  positive("heads", heads);
  positive("kv_heads", kv_heads);
  positive("ffn", ffn);
  positive("vocabulary", vocabulary);
  positive("context", context);
  if (width % heads != 0) throw InputError("model '" + name + "': heads must divide width");
  if (heads % kv_heads != 0) throw InputError("model '" + name + "': kv_heads must divide heads");
  if (learned_positions < 0) throw InputError("model '" + name + "': learned_positions must be at least 0");
}

std::vector<std::string> llm_names() {
  std::vector<std::string> names;
  for (const auto& p : presets()) names.emplace_back(p.name);
  return names;
}

LlmConfig llm_preset(const std::string& name) {
  for (const auto& p : presets()) {
    if (name == p.name) return p.config;
  }
  throw InputError("unknown language model '" + name + "'" + did_you_mean(name, llm_names()) +
                   "; allowed: " + join(llm_names(), ", "));
}

LlmParameters llm_parameters(const LlmConfig& config) {
  LlmParameters p;
  p.layers = llm_decode(config, 0).total_params();
  p.embeddings = config.learned_positions * config.width + (config.tied_embeddings ? 0 : config.vocabulary * config.width);
  return p;
}

std::int64_t llm_kv_cache_bytes(const LlmConfig& config, std::int64_t tokens, int bits) {
  return (2 * config.layers * config.kv_heads * config.head_width() * tokens * bits + 7) / 8;
}

Network llm_prefill(const LlmConfig& config, std::int64_t prompt) {
  if (prompt < 1 || prompt > config.context) {
    throw InputError("--prefill: " + config.name + " takes 1.." + std::to_string(config.context) + " prompt tokens, got " +
                     std::to_string(prompt));
  }
  return build(config, config.name + " prefill " + std::to_string(prompt), prompt, prompt, false);
}

Network llm_decode(const LlmConfig& config, std::int64_t position) {
  if (position < 0 || position >= config.context) {
    throw InputError("--decode-at: " + config.name + " takes 0.." + std::to_string(config.context - 1) + ", got " +
                     std::to_string(position));
  }
  return build(config, config.name + " decode at " + std::to_string(position), 1, position + 1, true);
}

}  // namespace cimnet
