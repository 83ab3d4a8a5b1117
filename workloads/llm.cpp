#include "workloads/llm.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {
namespace {

// A token-major activation: `rows` tokens of `features`, batched over `batch` heads (NetworkBuilder's
// view: channels × h). Attention regroups a projection's output into heads without moving it.
Tensor tokens(const Tensor& of, std::int64_t batch, std::int64_t features, std::int64_t rows) {
  Tensor t = of;
  t.batch = batch;
  t.channels = features;
  t.h = rows;
  t.w = 1;
  return t;
}

// One pass of the model over `rows` new tokens whose attention reads `keys` tokens. `cached`: the keys
// and values come from the KV cache in DRAM (decode) rather than from this pass's projections (prefill).
Network build(const LlmConfig& c, const std::string& name, std::int64_t rows, std::int64_t keys, bool cached) {
  c.validate();
  const std::int64_t hd = c.head_width(), q_width = c.heads * hd, kv_width = c.kv_heads * hd;
  const std::int64_t group = c.heads / c.kv_heads;
  Tensor input;  // the embedded tokens (a lookup, done by the host): the network input
  input.channels = c.width;
  input.h = rows;
  NetworkBuilder b(name, input);
  Tensor x = b.input();
  Tensor cache;  // the KV cache in DRAM: producer -1
  cache.batch = c.kv_heads;
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = "l" + std::to_string(i) + ".";
    const Tensor n1 = b.layer_norm(p + "norm1", x, c.rms_norm);
    Tensor q = b.linear(p + "q", n1, q_width, c.biases);
    Tensor k = b.linear(p + "k", n1, kv_width, c.biases);
    const Tensor v = b.linear(p + "v", n1, kv_width, c.biases);
    if (c.learned_positions == 0) {
      q = b.activation(p + "rope_q", q, ActivationOp::Rotary);
      k = b.activation(p + "rope_k", k, ActivationOp::Rotary);
    }
    // Q·Kᵀ per key/value head: its g query heads' rows against the keys (stationary: keys × head width).
    const Tensor keys_of = tokens(cached ? cache : k, c.kv_heads, hd, keys);
    const Tensor scores = b.matmul(p + "qk", tokens(q, c.kv_heads, hd, group * rows), keys_of);
    const Tensor probs = b.softmax(p + "softmax", scores);
    // A·V: the scores against the values (stationary: head width × keys).
    const Tensor values_of = tokens(cached ? cache : v, c.kv_heads, keys, hd);
    const Tensor context = b.matmul(p + "av", probs, values_of);
    const Tensor o = b.linear(p + "o", tokens(context, 1, q_width, rows), c.width, c.biases);
    x = b.add(p + "attn_add", o, x);
    const Tensor n2 = b.layer_norm(p + "norm2", x, c.rms_norm);
    Tensor down;
    if (c.gated) {
      const Tensor gate = b.linear(p + "gate", n2, c.ffn, c.biases);
      const Tensor up = b.linear(p + "up", n2, c.ffn, c.biases);
      const Tensor silu = b.activation(p + "silu", gate, ActivationOp::SiLU);
      down = b.linear(p + "down", b.multiply(p + "gate_mul", silu, up), c.width, c.biases);
    } else {
      const Tensor fc = b.linear(p + "fc", n2, c.ffn, c.biases);
      down = b.linear(p + "proj", b.activation(p + "gelu", fc, ActivationOp::GELU), c.width, c.biases);
    }
    x = b.add(p + "mlp_add", down, x);
  }
  const Tensor final_norm = b.layer_norm("norm_final", x, c.rms_norm);
  b.linear("head", tokens(final_norm, 1, c.width, 1), c.vocabulary, false);  // the last token's logits only
  Network net = b.finish();
  // The cached keys and values are the same from one decode step to the next, but for the row each step
  // appends: state, not a new activation (Layer::persistent_stationary).
  for (Layer& l : net.layers) {
    if (cached && l.kind == LayerKind::MatMul && !l.inputs.empty() && l.inputs.back() < 0) l.persistent_stationary = true;
  }
  return net;
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
  // Bounds far beyond the largest published models (Llama-3-405B: 126 layers, width 16 384, 128 heads,
  // feed-forward 53 248, 128 256 words), yet small enough that a pass is built in bounded time and
  // memory and its counts stay exact.
  auto within = [&](const char* field, std::int64_t value, std::int64_t most) {
    if (value <= 0 || value > most) {
      throw InputError("model '" + name + "': " + field + " must be 1.." + std::to_string(most) + ", got " +
                       std::to_string(value));
    }
  };
  within("layers", layers, 1024);
  within("width", width, std::int64_t{1} << 17);
  within("heads", heads, 4096);
  within("kv_heads", kv_heads, 4096);
  within("ffn", ffn, std::int64_t{1} << 20);
  within("vocabulary", vocabulary, std::int64_t{1} << 22);
  within("context", context, std::int64_t{1} << 20);
  if (learned_positions > (std::int64_t{1} << 20)) {
    throw InputError("model '" + name + "': learned_positions must be 0.." + std::to_string(std::int64_t{1} << 20) +
                     ", got " + std::to_string(learned_positions));
  }
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
