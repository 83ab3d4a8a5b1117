#pragma once
// Decoder-only transformers (GPT-2, Llama) as cimnet networks, for their two phases of inference:
//   prefill  P prompt tokens at once, ending in the logits of the last one (the first generated token);
//   decode   one token at position t (0-based), whose attention reads the keys and values of t + 1
//            tokens: the t cached by earlier steps and its own.
// The KV cache is an operand in DRAM (cimnet's network input, producer -1): earlier steps wrote it, and
// a 7B model's cache outgrows any chip's arrays after a few hundred tokens. Each step writes its own
// token's keys and values as the outputs of its k and v projections.
//
// Grouped-query attention (kv_heads < heads) multiplies each key/value head by the g = heads / kv_heads
// query heads that share it: a matmul batched over kv_heads with g · tokens rows, so that the cache is
// read once per group, as GQA kernels do. Attention over a prefill computes the full P × P scores (the
// causal mask saves no MACs in a dense kernel).
//
// Token and position embeddings are lookups, not layers: their tables count in llm_parameters() beside
// the network's layers, and a tied output head shares the token table (it is counted once, as the head).
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/network.hpp"

namespace cimnet {

struct LlmConfig {
  std::string name;
  int layers = 12;
  std::int64_t width = 768;          // model (hidden) width
  int heads = 12;                    // query heads
  int kv_heads = 12;                 // key/value heads (grouped-query attention when fewer)
  std::int64_t ffn = 3072;           // feed-forward width
  bool gated = false;                // SwiGLU: gate and up projections, SiLU, their product, down
  std::int64_t vocabulary = 50257;
  bool tied_embeddings = true;       // the output head reuses the token embedding table
  std::int64_t learned_positions = 1024;  // rows of a learned position table (GPT-2); 0: rotary (Llama)
  bool biases = true;                // biases in every projection (GPT-2); none in Llama
  bool rms_norm = false;             // RMSNorm (γ only) instead of LayerNorm (γ and β)
  std::int64_t context = 1024;       // longest sequence the model takes

  std::int64_t head_width() const { return width / heads; }
  // InputError naming the field for an inconsistent configuration.
  void validate() const;
};

// GPT-2 (gpt2, gpt2-medium, gpt2-large, gpt2-xl), Llama-2-7B (llama-2-7b), Llama-3-8B (llama-3-8b).
std::vector<std::string> llm_names();
// InputError naming the allowed presets for an unknown name.
LlmConfig llm_preset(const std::string& name);

struct LlmParameters {
  std::int64_t layers = 0;      // the network's layers (projections, norms, the output head)
  std::int64_t embeddings = 0;  // token table unless tied, and the learned position table
  std::int64_t total() const { return layers + embeddings; }
};
LlmParameters llm_parameters(const LlmConfig& config);

// Bytes of the KV cache holding `tokens` tokens: keys and values of every layer and key/value head, at
// `bits` per element (8 unless the deployment says otherwise).
std::int64_t llm_kv_cache_bytes(const LlmConfig& config, std::int64_t tokens, int bits = 8);

// The prefill of `prompt` tokens (1..context) and the decode step at `position` (0..context − 1).
Network llm_prefill(const LlmConfig& config, std::int64_t prompt);
Network llm_decode(const LlmConfig& config, std::int64_t position);

}  // namespace cimnet
