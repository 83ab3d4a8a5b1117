// The ONNX importer against the fixtures scripts/onnx_fixtures.py writes at build time: every supported
// operator, whole networks with published MAC and parameter counts, and damaged or unsupported files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.hpp"
#include "workloads/llm.hpp"
#include "workloads/onnx_import.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

std::string fixture(const std::string& name) { return std::string(CIMNET_ONNX_FIXTURES) + "/" + name + ".onnx"; }

Network load(const std::string& name, const OnnxDims& dims = {}) { return load_onnx_file(fixture(name), dims); }

// The message of the InputError loading `name` throws ("" when it loads).
std::string error_of(const std::string& name, const OnnxDims& dims = {}) {
  try {
    load(name, dims);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<int> inputs(const Network& n, std::size_t layer) { return n.layers.at(layer).inputs; }

// Two layers that do the same work: kind, dimensions, MACs, vector operations and parameters.
void expect_same_work(const Layer& a, const Layer& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.in_channels, b.in_channels);
  EXPECT_EQ(a.out_channels, b.out_channels);
  EXPECT_EQ(a.in_h, b.in_h);
  EXPECT_EQ(a.out_h, b.out_h);
  EXPECT_EQ(a.macs(), b.macs());
  EXPECT_EQ(a.vector_ops(), b.vector_ops());
  EXPECT_EQ(a.params(), b.params());
  EXPECT_EQ(a.bias, b.bias);
}

// --- whole networks: published counts, exactly --------------------------------------------------------

TEST(OnnxImport, TorchvisionResNet18HasItsPublishedMacsAndParameters) {
  const Network n = load("net-resnet18");
  EXPECT_EQ(n.total_macs(), 1'814'073'344);
  EXPECT_EQ(n.total_params(), 11'689'512);
  EXPECT_EQ(n.mac_layer_count(), 21);  // 20 convs (3 of them downsampling shortcuts) and the classifier
}

TEST(OnnxImport, TorchvisionResNet50HasItsPublishedMacsAndParameters) {
  const Network n = load("net-resnet50");
  EXPECT_EQ(n.total_macs(), 4'089'184'256);
  EXPECT_EQ(n.total_params(), 25'557'032);
  EXPECT_EQ(n.mac_layer_count(), 54);
}

TEST(OnnxImport, TorchvisionMobileNetV2HasItsPublishedMacsAndParameters) {
  const Network n = load("net-mobilenet-v2");
  EXPECT_EQ(n.total_macs(), 300'774'272);
  EXPECT_EQ(n.total_params(), 3'504'872);
  EXPECT_EQ(n.mac_layer_count(), 53);
}

TEST(OnnxImport, ABatchSizeMultipliesTheMacsNotTheParameters) {
  OnnxDims dims;
  dims.batch = 4;
  const Network n = load("net-resnet18", dims);
  EXPECT_EQ(n.total_macs(), 4 * 1'814'073'344LL);
  EXPECT_EQ(n.total_params(), 11'689'512);
}

// The encoder layer as written with LayerNormalization and Gelu nodes, and as PyTorch exports it at
// opset 14 (both written as their arithmetic): each is the vit-b16 space's layer, layer by layer.
TEST(OnnxImport, AViTB16EncoderLayerIsTheSpacesLayerLayerByLayer) {
  const Network space = make_space("vit-b16")->build(make_space("vit-b16")->largest());
  for (const char* file : {"net-vit-b16-encoder-layer", "net-vit-b16-encoder-layer-opset14"}) {
    SCOPED_TRACE(file);
    const Network onnx = load(file);
    ASSERT_EQ(onnx.layers.size(), 14u);
    for (std::size_t i = 0; i < onnx.layers.size(); ++i) {
      const Layer& a = onnx.layers[i];
      const Layer& b = space.layers[i + 1];  // the space's layer 0 is the patch embedding
      SCOPED_TRACE(b.name);
      expect_same_work(a, b);
      EXPECT_EQ(a.activation, b.activation);
      ASSERT_EQ(a.inputs.size(), b.inputs.size());
      for (std::size_t k = 0; k < a.inputs.size(); ++k) EXPECT_EQ(a.inputs[k] + 1, b.inputs[k]);  // input = patches
    }
  }
}

// --- one fixture per operator -------------------------------------------------------------------------

TEST(OnnxImport, ConvReadsPlainGroupedDepthwiseAndStridedConvolutions) {
  const Network n = load("op-conv");
  ASSERT_EQ(n.layers.size(), 4u);
  const Layer& plain = n.layers[0];
  EXPECT_EQ(plain.kind, LayerKind::Conv);
  EXPECT_EQ(plain.macs(), 16LL * 8 * 9 * 16 * 16);
  EXPECT_EQ(plain.params(), 16 * 8 * 9 + 16);  // with its bias
  EXPECT_EQ(plain.padding, 1);
  EXPECT_EQ(n.layers[1].groups, 4);
  EXPECT_EQ(n.layers[1].macs(), 16LL * 4 * 9 * 16 * 16);
  EXPECT_EQ(n.layers[2].groups, 16);  // depthwise
  EXPECT_EQ(n.layers[2].kernel_h, 5);
  EXPECT_EQ(n.layers[2].padding, 2);
  EXPECT_EQ(n.layers[3].stride, 2);
  EXPECT_EQ(n.layers[3].out_h, 8);
  EXPECT_EQ(n.layers[3].out_channels, 32);
  EXPECT_EQ(inputs(n, 3), std::vector<int>{2});
}

TEST(OnnxImport, BatchNormalizationFoldsIntoTheConvBeforeIt) {
  const Network n = load("op-batchnormalization");
  ASSERT_EQ(n.layers.size(), 1u);
  EXPECT_TRUE(n.layers[0].batch_norm);
  EXPECT_EQ(n.layers[0].params(), 16 * 8 * 9 + 2 * 16);  // γ and β; the running statistics are not parameters
}

TEST(OnnxImport, GemmIsALinearOverItsRows) {
  const Network n = load("op-gemm");
  ASSERT_EQ(n.layers.size(), 1u);
  EXPECT_EQ(n.layers[0].kind, LayerKind::Linear);
  EXPECT_EQ(n.layers[0].in_channels, 64);
  EXPECT_EQ(n.layers[0].out_channels, 32);  // transB: the weight is 32 x 64
  EXPECT_EQ(n.layers[0].macs(), 2 * 64 * 32);
  EXPECT_EQ(n.layers[0].params(), 64 * 32 + 32);
}

TEST(OnnxImport, MatMulByAConstantIsALinearAndBetweenActivationsABatchedProduct) {
  const Network n = load("op-matmul");
  ASSERT_EQ(n.layers.size(), 2u);
  EXPECT_EQ(n.layers[0].kind, LayerKind::Linear);
  EXPECT_EQ(n.layers[0].out_h, 10);
  const Layer& scores = n.layers[1];  // 4 heads of (10 x 16) · (16 x 10), through Reshape and Transpose
  EXPECT_EQ(scores.kind, LayerKind::MatMul);
  EXPECT_EQ(scores.batch, 4);
  EXPECT_EQ(scores.in_h, 10);
  EXPECT_EQ(scores.in_channels, 16);
  EXPECT_EQ(scores.out_channels, 10);
  EXPECT_EQ(scores.macs(), 4 * 10 * 16 * 10);
  EXPECT_EQ(inputs(n, 1), (std::vector<int>{0, 0}));
}

TEST(OnnxImport, QLinearConvAndQLinearMatMulTakeTheirPrecisionsFromTheirTypes) {
  const Network conv = load("op-qlinearconv");
  ASSERT_EQ(conv.layers.size(), 1u);
  EXPECT_EQ(conv.layers[0].kind, LayerKind::Conv);
  EXPECT_EQ(conv.layers[0].weight_bits, 8);  // INT8
  EXPECT_EQ(conv.layers[0].input_bits, 8);   // UINT8
  EXPECT_EQ(conv.layers[0].output_bits, 8);  // INT8 output zero point
  EXPECT_TRUE(conv.layers[0].bias);          // INT32 bias
  const Network mm = load("op-qlinearmatmul");
  ASSERT_EQ(mm.layers.size(), 1u);
  EXPECT_EQ(mm.layers[0].kind, LayerKind::Linear);
  EXPECT_EQ(mm.layers[0].macs(), 10 * 32 * 16);
  EXPECT_EQ(mm.layers[0].weight_bytes(), 32 * 16);
}

TEST(OnnxImport, EveryActivationBecomesItsVectorOperation) {
  const std::vector<std::pair<const char*, ActivationOp>> cases = {
      {"op-relu", ActivationOp::ReLU},       {"op-clip", ActivationOp::Clip},       {"op-hardsigmoid", ActivationOp::HSigmoid},
      {"op-hardswish", ActivationOp::HSwish}, {"op-sigmoid", ActivationOp::Sigmoid}, {"op-tanh", ActivationOp::Tanh},
      {"op-silu", ActivationOp::SiLU},       {"op-gelu", ActivationOp::GELU},       {"op-gelu-opset20", ActivationOp::GELU},
      {"op-neg", ActivationOp::MulConstant}};
  for (const auto& [file, op] : cases) {
    SCOPED_TRACE(file);
    const Network n = load(file);
    ASSERT_EQ(n.layers.size(), 2u);  // SiLU: Mul(x, Sigmoid(x)) is one layer
    EXPECT_EQ(n.layers[1].kind, LayerKind::Activation);
    EXPECT_EQ(n.layers[1].activation, op);
    EXPECT_EQ(n.layers[1].vector_ops(), n.layers[0].output_elements());
    EXPECT_EQ(inputs(n, 1), std::vector<int>{0});
  }
}

// Below opset 20 exporters write GELU as x · 0.5 · (1 + erf(x / √2)), or its tanh approximation: in
// either order of the products, that chain is the GELU layer the Gelu node gives, named after its last
// node.
TEST(OnnxImport, AGeluWrittenWithErfIsOneGeluLayer) {
  const Network gelu = load("op-gelu");
  for (const char* file : {"op-gelu-erf", "op-gelu-erf-half-first", "op-gelu-tanh"}) {
    SCOPED_TRACE(file);
    const Network chain = load(file);
    ASSERT_EQ(chain.layers.size(), gelu.layers.size());
    for (std::size_t k = 0; k < chain.layers.size(); ++k) {
      expect_same_work(chain.layers[k], gelu.layers[k]);
      EXPECT_EQ(chain.layers[k].activation, gelu.layers[k].activation);
      EXPECT_EQ(chain.layers[k].inputs, gelu.layers[k].inputs);
    }
    EXPECT_EQ(chain.layers.at(1).activation, ActivationOp::GELU);
    EXPECT_EQ(chain.layers.at(1).name, std::string(file) == "op-gelu-erf" ? "half" : "product");  // the last node
  }
}

// Rotary embeddings written as q · cos + rotate_half(q) · sin are one rope layer named after the Add,
// reading q, one vector pass over it (as the generator's `--llm` models have it); Slices that do not halve
// the last axis are no rotation: node by node (a negation, two products by constants, an add).
TEST(OnnxImport, RotaryEmbeddingsWrittenAsArithmeticAreOneRopeLayer) {
  const Network n = load("op-rotary");
  ASSERT_EQ(n.layers.size(), 2u);
  EXPECT_EQ(n.layers[1].name, "rope");
  EXPECT_EQ(n.layers[1].kind, LayerKind::Activation);
  EXPECT_EQ(n.layers[1].activation, ActivationOp::Rotary);
  EXPECT_EQ(n.layers[1].inputs, (std::vector<int>{0}));
  EXPECT_EQ(n.layers[1].vector_ops(), 2 * 4 * 8);
  const Network uneven = load("op-rotary-uneven");
  ASSERT_EQ(uneven.layers.size(), 5u);  // the linear, −second, t · cos, rotated · sin, the sum
  EXPECT_EQ(uneven.layers[1].activation, ActivationOp::MulConstant);
  EXPECT_EQ(uneven.layers[4].kind, LayerKind::Eltwise);
}

// Erf alone is an activation layer; a GELU chain whose intermediate something else reads converts node by
// node, one vector layer per step.
TEST(OnnxImport, ErfAloneOrInAChainReadElsewhereIsOneVectorLayerPerStep) {
  const Network erf = load("op-erf");
  ASSERT_EQ(erf.layers.size(), 2u);
  EXPECT_EQ(erf.layers[1].activation, ActivationOp::Erf);
  const Network n = load("op-gelu-erf-read");
  ASSERT_EQ(n.layers.size(), 6u);  // the linear, then x / √2, erf, + 1, x · (…), · 0.5
  EXPECT_EQ(n.layers[1].activation, ActivationOp::MulConstant);
  EXPECT_EQ(n.layers[2].activation, ActivationOp::Erf);
  EXPECT_EQ(n.layers[3].activation, ActivationOp::AddConstant);
  EXPECT_EQ(n.layers[4].kind, LayerKind::Eltwise);
  EXPECT_EQ(n.layers[4].inputs, (std::vector<int>{0, 3}));
  EXPECT_EQ(n.layers[5].activation, ActivationOp::MulConstant);
}

TEST(OnnxImport, ElementWiseOpsTakeEqualShapesOneValuePerChannelOrAConstant) {
  const std::vector<std::tuple<const char*, EltwiseOp, ActivationOp>> cases = {
      {"op-add", EltwiseOp::Add, ActivationOp::AddConstant},
      {"op-sub", EltwiseOp::Subtract, ActivationOp::AddConstant},
      {"op-mul", EltwiseOp::Multiply, ActivationOp::MulConstant},
      {"op-div", EltwiseOp::Divide, ActivationOp::MulConstant}};
  for (const auto& [file, op, constant_op] : cases) {
    SCOPED_TRACE(file);
    const Network n = load(file);
    ASSERT_EQ(n.layers.size(), 6u);
    const Layer& both = n.layers[2];
    EXPECT_EQ(both.kind, LayerKind::Eltwise);
    EXPECT_EQ(both.eltwise, op);
    EXPECT_EQ(both.input_elements(), 2 * 8 * 16 * 16);
    EXPECT_EQ(inputs(n, 2), (std::vector<int>{0, 1}));
    const Layer& per_channel = n.layers[4];
    EXPECT_TRUE(per_channel.broadcast_second);
    EXPECT_EQ(per_channel.input_elements(), 8 * 16 * 16 + 8);
    EXPECT_EQ(inputs(n, 4), (std::vector<int>{2, 3}));
    EXPECT_EQ(n.layers[5].kind, LayerKind::Activation);  // times or plus a constant: one operand streams
    EXPECT_EQ(n.layers[5].activation, constant_op);
    EXPECT_EQ(n.layers[5].input_elements(), 8 * 16 * 16);
  }
}

TEST(OnnxImport, PoolsKeepTheirWindowsAndGlobalAveragePoolCoversTheWholeMap) {
  const Layer max = load("op-maxpool").layers.at(1);
  EXPECT_EQ(max.pool, PoolOp::Max);
  EXPECT_EQ(max.kernel_h, 3);
  EXPECT_EQ(max.stride, 2);
  EXPECT_EQ(max.padding, 1);
  EXPECT_EQ(max.vector_ops(), 8 * 8 * 8 * 9);
  const Layer avg = load("op-averagepool").layers.at(1);
  EXPECT_EQ(avg.pool, PoolOp::Average);
  EXPECT_EQ(avg.out_h, 8);
  const Layer global = load("op-globalaveragepool").layers.at(1);
  EXPECT_EQ(global.pool, PoolOp::GlobalAverage);
  EXPECT_EQ(global.kernel_h * global.kernel_w, 16 * 16);
  EXPECT_EQ(global.output_elements(), 8);
}

TEST(OnnxImport, SoftmaxAndLayerNormalizationAreVectorLayersOverTheFeatures) {
  const Network s = load("op-softmax");
  EXPECT_EQ(s.layers.at(1).kind, LayerKind::Softmax);
  EXPECT_EQ(s.layers.at(1).vector_ops(), 3 * 10 * 16);
  const Network ln = load("op-layernormalization");
  EXPECT_EQ(ln.layers.at(0).kind, LayerKind::LayerNorm);
  EXPECT_EQ(ln.layers.at(0).in_channels, 32);
  EXPECT_EQ(ln.layers.at(0).params(), 2 * 32);
  EXPECT_EQ(inputs(ln, 1), std::vector<int>{0});
}

// Below opset 17 exporters write a layer norm as its arithmetic (ReduceMean, Sub, Pow, ReduceMean, Add,
// Sqrt, Div, Mul by γ, Add of β): the chain is the same LayerNorm layer as LayerNormalization's, named
// after its last node, and the matmul after it reads it.
TEST(OnnxImport, ADecomposedLayerNormIsTheLayerNormalizationLayer) {
  const Network fused = load("op-layernormalization");
  const Network chain = load("op-layernorm-decomposed");
  ASSERT_EQ(chain.layers.size(), fused.layers.size());
  for (std::size_t k = 0; k < chain.layers.size(); ++k) {
    SCOPED_TRACE(k);
    expect_same_work(chain.layers[k], fused.layers[k]);
    EXPECT_EQ(chain.layers[k].inputs, fused.layers[k].inputs);
  }
  EXPECT_EQ(chain.layers.at(0).name, "shift");
  EXPECT_EQ(chain.layers.at(0).params(), 2 * 32);
  EXPECT_EQ(chain.layers.at(0).vector_ops(), 4 * 10 * 32);
}

TEST(OnnxImport, ADecomposedLayerNormWithoutItsAffineOrWithAnIntermediateReadElsewhereIsRefused) {
  const std::string plain = error_of("op-layernorm-decomposed-plain");
  EXPECT_NE(plain.find("node 'mean' (ReduceMean): it starts a layer normalisation"), std::string::npos) << plain;
  EXPECT_NE(plain.find("without a scale by a constant"), std::string::npos) << plain;
  // The mean is a graph output as well: not one layer norm, so converted node by node.
  const std::string read = error_of("op-layernorm-decomposed-mean-read");
  EXPECT_NE(read.find("node 'mean' (ReduceMean): operator not supported"), std::string::npos) << read;
}

TEST(OnnxImport, LayoutOnlyOperatorsAreEdgesBetweenTheLayersAroundThem) {
  for (const char* file : {"op-reshape", "op-flatten", "op-identity", "op-dropout", "op-squeeze"}) {
    SCOPED_TRACE(file);
    const Network n = load(file);
    ASSERT_EQ(n.layers.size(), 2u);  // the conv and the classifier; the edge is no layer
    EXPECT_EQ(n.layers[1].kind, LayerKind::Linear);
    EXPECT_EQ(n.layers[1].in_channels, 8 * 16 * 16);
    EXPECT_EQ(inputs(n, 1), std::vector<int>{0});
  }
  const Network t = load("op-transpose");  // NCHW -> NHWC, then a linear over each pixel's channels
  ASSERT_EQ(t.layers.size(), 2u);
  EXPECT_EQ(t.layers[1].in_channels, 8);
  EXPECT_EQ(t.layers[1].in_h, 16 * 16);
  EXPECT_EQ(inputs(t, 1), std::vector<int>{0});
}

TEST(OnnxImport, ConcatSliceAndGatherAreEdgesTooWithTheRightShapes) {
  const Network concat = load("op-concat");
  ASSERT_EQ(concat.layers.size(), 3u);
  EXPECT_EQ(concat.layers[2].in_channels, 16);  // both convs' 8 channels
  EXPECT_EQ(inputs(concat, 2), (std::vector<int>{0, 1}));
  const Network slice = load("op-slice");
  ASSERT_EQ(slice.layers.size(), 2u);
  EXPECT_EQ(slice.layers[1].in_channels, 4);  // the first 4 of 8 channels
  EXPECT_EQ(inputs(slice, 1), std::vector<int>{0});
  const Network gather = load("op-gather");
  ASSERT_EQ(gather.layers.size(), 2u);
  EXPECT_EQ(gather.layers[1].macs(), 16 * 5);  // one token of ten
  EXPECT_EQ(inputs(gather, 1), std::vector<int>{0});
}

// Split: every output reads the projection (a fused q, k, v split three ways); the products see 16
// features each: q · kᵀ is 10 × 16 · 16 × 10 and the scores · v 10 × 10 · 10 × 16. Cast: an edge.
TEST(OnnxImport, SplitAndCastAreEdges) {
  const Network split = load("op-split");
  ASSERT_EQ(split.layers.size(), 3u);
  EXPECT_EQ(split.layers[0].macs(), 10 * 32 * 48);
  EXPECT_EQ(split.layers[1].kind, LayerKind::MatMul);
  EXPECT_EQ(split.layers[1].macs(), 10 * 16 * 10);
  EXPECT_EQ(split.layers[1].inputs, (std::vector<int>{0, 0}));
  EXPECT_EQ(split.layers[2].macs(), 10 * 10 * 16);
  EXPECT_EQ(split.layers[2].inputs, (std::vector<int>{1, 0}));
  const Network cast = load("op-cast");
  ASSERT_EQ(cast.layers.size(), 2u);
  EXPECT_EQ(cast.layers[1].in_channels, 16);
  EXPECT_EQ(inputs(cast, 1), std::vector<int>{0});
}

// Where with a constant condition (a causal mask) is a masked fill of the scores: one vector operation
// per element. A condition computed at run time is refused, naming the node.
TEST(OnnxImport, WhereWithAConstantMaskIsAMaskedFill) {
  const Network n = load("op-where");
  ASSERT_EQ(n.layers.size(), 3u);
  EXPECT_EQ(n.layers[2].kind, LayerKind::Activation);
  EXPECT_EQ(n.layers[2].activation, ActivationOp::Mask);
  EXPECT_EQ(n.layers[2].vector_ops(), 10 * 10);
  EXPECT_EQ(inputs(n, 2), std::vector<int>{1});
  const std::string e = error_of("bad-where-runtime");
  EXPECT_NE(e.find("node 'relu_by_where' (Where): its condition is computed at run time"), std::string::npos) << e;
}

// GPT-2 as Hugging Face exports it at opset 14 (layer norms and gelu_new as arithmetic, Conv1D as Gemm
// between Reshapes, q, k, v Split, the causal mask a Where, the head tied): it imports whole, and its
// work is the language-model generator's prefill of the same 32 tokens, but for the head, which the
// export applies to every token and the generator to the last one only. Its parameters are GPT-2's
// published 124 439 808 but for the position table behind a Gather (1 024 × 768), which cimnet does not
// count (docs/onnx.md); the tied token table counts once, as the head's weights.
TEST(OnnxImport, AGpt2ExportDoesTheWorkOfTheGeneratorsPrefill) {
  const Network onnx = load("net-gpt2-opset14");
  const Network prefill = llm_prefill(llm_preset("gpt2"), 32);
  const std::int64_t head_per_token = 768LL * 50257;
  EXPECT_EQ(onnx.total_macs(), prefill.total_macs() + 31 * head_per_token);
  EXPECT_EQ(onnx.total_params() + 1024 * 768, 124'439'808);
  EXPECT_EQ(onnx.total_params(), prefill.total_params());
  std::size_t gelus = 0, masks = 0, norms = 0;
  for (const Layer& l : onnx.layers) {
    gelus += l.kind == LayerKind::Activation && l.activation == ActivationOp::GELU;
    masks += l.kind == LayerKind::Activation && l.activation == ActivationOp::Mask;
    norms += l.kind == LayerKind::LayerNorm;
  }
  EXPECT_EQ(gelus, 12u);
  EXPECT_EQ(masks, 12u);
  EXPECT_EQ(norms, 25u);
}

// A small Llama as Hugging Face exports it at opset 14 (RMSNorm as arithmetic with its casts, rotary
// embeddings through Slice, Neg and Concat, the causal mask added, SiLU as Mul by Sigmoid): it imports
// whole, each RMSNorm chain is the generator's RMSNorm layer, each rotary chain its rope layer, and its work and parameters are those of
// the generator's prefill of a Llama configured alike, but for the head on the 15 tokens before the last.
TEST(OnnxImport, ALlamaExportDoesTheWorkOfTheGeneratorsPrefill) {
  // With two key/value heads for four query heads (grouped-query attention), the export repeats them
  // with Unsqueeze, Expand and Reshape: each query head then reads its group's keys, as the generator's.
  for (const int kv_heads : {4, 2}) {
    SCOPED_TRACE(kv_heads);
    const Network onnx = load(kv_heads == 4 ? "net-llama-small-opset14" : "net-llama-small-gqa-opset14");
    LlmConfig config = llm_preset("llama-2-7b");
    config.name = "llama-small";
    config.layers = 2;
    config.width = 256;
    config.heads = 4;
    config.kv_heads = kv_heads;
    config.ffn = 688;
    config.vocabulary = 1000;
    const Network prefill = llm_prefill(config, 16);
    EXPECT_EQ(onnx.total_macs(), prefill.total_macs() + 15 * 256 * 1000);
    EXPECT_EQ(onnx.total_params(), prefill.total_params());
    std::size_t rms = 0;
    for (const Layer& l : onnx.layers) rms += l.kind == LayerKind::LayerNorm && l.rms_norm;
    EXPECT_EQ(rms, 5u);  // two per layer and the final one
    // Each rotary chain (two Slices, Neg, Concat, two Muls by the cos and sin tables, Add) is one rope
    // layer on the queries or the keys, doing the generator's rope layers' work; no negation is left.
    const auto rope_work = [](const Network& net, std::size_t& count) {
      std::int64_t ops = 0;
      for (const Layer& l : net.layers) {
        if (l.kind != LayerKind::Activation || l.activation != ActivationOp::Rotary) continue;
        ++count;
        ops += l.vector_ops();
      }
      return ops;
    };
    std::size_t ropes = 0, generated = 0;
    EXPECT_EQ(rope_work(onnx, ropes), rope_work(prefill, generated));
    EXPECT_EQ(ropes, 4u);
    EXPECT_EQ(ropes, generated);
    for (const Layer& l : onnx.layers) EXPECT_EQ(l.name.find("Neg"), std::string::npos) << l.name;
  }
}

// --- bad files ----------------------------------------------------------------------------------------

TEST(OnnxImport, DamagedFilesAreInputErrorsNamingTheFile) {
  for (const char* file : {"bad-truncated", "bad-not-a-model"}) {
    const std::string message = error_of(file);
    EXPECT_NE(message.find(fixture(file)), std::string::npos) << message;
    EXPECT_NE(message.find("not an ONNX model"), std::string::npos) << message;
  }
  EXPECT_NE(error_of("no-such-file").find("no such ONNX file"), std::string::npos);
}

TEST(OnnxImport, AnUnsupportedOperatorOrAttributeNamesTheNodeAndItsType) {
  const std::string op = error_of("bad-unsupported-op");
  EXPECT_NE(op.find(fixture("bad-unsupported-op") + ": node 'norm' (LpNormalization): operator not supported"),
            std::string::npos)
      << op;
  const std::string attribute = error_of("bad-dilated-conv");
  EXPECT_NE(attribute.find("node 'dilated' (Conv): attribute 'dilations' [2,2] is not supported"), std::string::npos)
      << attribute;
}

TEST(OnnxImport, ASymbolicDimensionNeedsASizeByName) {
  const std::string message = error_of("bad-symbolic-dim");
  EXPECT_NE(message.find("input 'x' dimension 1 is symbolic ('sequence'); give it a size with --onnx-dim sequence=N"),
            std::string::npos)
      << message;
  OnnxDims dims;
  dims.by_name["sequence"] = 7;
  EXPECT_EQ(load("bad-symbolic-dim", dims).total_macs(), 7 * 32 * 16);
}

}  // namespace
}  // namespace cimnet
