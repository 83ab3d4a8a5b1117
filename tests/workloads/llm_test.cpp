// Decoder-only language models: the presets' parameter counts equal the published ones exactly, and the
// prefill and decode networks have the closed-form MACs and KV-cache operands of their phases.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "workloads/llm.hpp"

namespace cimnet {
namespace {

TEST(Llm, PresetsHaveTheirPublishedParameterCounts) {
  // Hugging Face's counts (GPT-2 with its tied head and 1024 learned positions; Llama untied).
  EXPECT_EQ(llm_parameters(llm_preset("gpt2")).total(), 124'439'808);
  EXPECT_EQ(llm_parameters(llm_preset("gpt2-medium")).total(), 354'823'168);
  EXPECT_EQ(llm_parameters(llm_preset("gpt2-large")).total(), 774'030'080);
  EXPECT_EQ(llm_parameters(llm_preset("gpt2-xl")).total(), 1'557'611'200);
  EXPECT_EQ(llm_parameters(llm_preset("llama-2-7b")).total(), 6'738'415'616);
  EXPECT_EQ(llm_parameters(llm_preset("llama-3-8b")).total(), 8'030'261'248);
  // The tables a lookup reads are no layer: Llama's untied token table, GPT-2's position table.
  EXPECT_EQ(llm_parameters(llm_preset("llama-2-7b")).embeddings, 32'000LL * 4096);
  EXPECT_EQ(llm_parameters(llm_preset("gpt2")).embeddings, 1024LL * 768);
}

// MACs of one pass over `rows` new tokens attending to `keys` tokens, in closed form.
std::int64_t pass_macs(const LlmConfig& c, std::int64_t rows, std::int64_t keys) {
  const std::int64_t hd = c.width / c.heads, kv = c.kv_heads * hd;
  const std::int64_t projections = c.width * c.width * 2 + c.width * kv * 2 + (c.gated ? 3 : 2) * c.width * c.ffn;
  const std::int64_t attention = 2 * c.heads * keys * hd;  // Q·Kᵀ and A·V per row
  return c.layers * rows * (projections + attention) + c.width * c.vocabulary;  // the head: one row
}

TEST(Llm, PrefillAndDecodeHaveTheirClosedFormMacs) {
  for (const char* name : {"gpt2", "llama-2-7b", "llama-3-8b"}) {
    SCOPED_TRACE(name);
    const LlmConfig c = llm_preset(name);
    EXPECT_EQ(llm_prefill(c, 512).total_macs(), pass_macs(c, 512, 512));
    EXPECT_EQ(llm_decode(c, 300).total_macs(), pass_macs(c, 1, 301));
  }
}

TEST(Llm, ADecodeStepReadsTheKvCacheFromDramOncePerKeyValueHead) {
  const LlmConfig c = llm_preset("llama-3-8b");  // 32 query heads share 8 key/value heads of 128
  const Network n = llm_decode(c, 99);
  const Layer* qk = nullptr;
  const Layer* av = nullptr;
  for (const auto& l : n.layers) {
    if (l.name == "l0.qk") qk = &l;
    if (l.name == "l0.av") av = &l;
  }
  ASSERT_TRUE(qk && av);
  EXPECT_EQ(qk->batch, 8);
  EXPECT_EQ(qk->in_h, 4);                      // the 4 query heads of a group, one token each
  EXPECT_EQ(qk->inputs.at(1), -1);             // keys: the cache in DRAM
  EXPECT_EQ(qk->weight_bytes(), 8 * 100 * 128);  // 100 cached keys (99 earlier, its own) of 8 heads, 8-bit
  EXPECT_EQ(av->inputs.at(1), -1);
  EXPECT_EQ(av->weight_bytes(), 8 * 100 * 128);
}

TEST(Llm, APrefillAttendsToItsOwnKeysAndEmitsOneTokensLogits) {
  const Network n = llm_prefill(llm_preset("gpt2"), 64);
  const Layer& qk = n.layers.at(4);
  EXPECT_EQ(qk.name, "l0.qk");
  EXPECT_EQ(qk.inputs, (std::vector<int>{1, 2}));  // this pass's q and k
  EXPECT_EQ(qk.out_channels, 64);
  const Layer& head = n.layers.back();
  EXPECT_EQ(head.name, "head");
  EXPECT_EQ(head.out_h, 1);
  EXPECT_EQ(head.macs(), 768LL * 50257);
}

TEST(Llm, BadNamesAndPositionsAreInputErrors) {
  EXPECT_THROW(llm_preset("gpt3"), InputError);
  EXPECT_THROW(llm_prefill(llm_preset("gpt2"), 0), InputError);
  EXPECT_THROW(llm_prefill(llm_preset("gpt2"), 1025), InputError);
  EXPECT_THROW(llm_decode(llm_preset("gpt2"), 1024), InputError);
  LlmConfig odd = llm_preset("llama-3-8b");
  odd.kv_heads = 5;
  EXPECT_THROW(llm_decode(odd, 0), InputError);
}

}  // namespace
}  // namespace cimnet

namespace cimnet {
namespace {

TEST(Llm, TheKvCacheHoldsKeysAndValuesOfEveryLayerAndKeyValueHead) {
  // Llama-3-8B: 32 layers x 8 key/value heads x 128 x 2 (keys, values) = 65 536 bytes per token at 8 bits.
  EXPECT_EQ(llm_kv_cache_bytes(llm_preset("llama-3-8b"), 1), 65'536);
  EXPECT_EQ(llm_kv_cache_bytes(llm_preset("llama-2-7b"), 4096, 16), 2LL * 32 * 4096 * 4096 * 2);  // 2 GiB in fp16
  // A decode step's cache operands are exactly the cache of its t + 1 tokens.
  const Network step = llm_decode(llm_preset("gpt2"), 41);
  std::int64_t cache = 0;
  for (const auto& l : step.layers) {
    if (l.kind == LayerKind::MatMul) cache += l.weight_bytes();
  }
  EXPECT_EQ(cache, llm_kv_cache_bytes(llm_preset("gpt2"), 42));
}

}  // namespace
}  // namespace cimnet
