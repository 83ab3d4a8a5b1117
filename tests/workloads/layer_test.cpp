#include <gtest/gtest.h>

#include "common/error.hpp"
#include "workloads/layer.hpp"
#include "workloads/network.hpp"

using namespace cimnet;

TEST(Layer, ConvolutionCounts) {
  NetworkBuilder b("t", Tensor{-1, 1, 3, 224, 224});
  Tensor x = b.conv("c", b.input(), 16, 3, 2, 1, /*bias=*/false, /*bn=*/true);
  EXPECT_EQ(x.channels, 16);
  EXPECT_EQ(x.h, 112);  // (224 + 2 - 3) / 2 + 1
  const Network n = b.finish();
  const Layer& l = n.layers[0];
  EXPECT_EQ(l.reduction(), 3 * 3 * 3);
  EXPECT_EQ(l.macs(), 16LL * 27 * 112 * 112);
  EXPECT_EQ(l.params(), 16 * 27 + 2 * 16);
  EXPECT_EQ(l.weight_bytes(), 16 * 27);
  EXPECT_EQ(l.input_bytes(), 3 * 224 * 224);
  EXPECT_EQ(l.output_bytes(), 16 * 112 * 112);
}

TEST(Layer, DepthwiseAndBiasedPointwise) {
  NetworkBuilder b("t", Tensor{-1, 1, 32, 14, 14});
  Tensor dw = b.conv("dw", b.input(), 32, 5, 1, 32, false, true);
  b.conv("pw", dw, 8, 1, 1, 1, /*bias=*/true, /*bn=*/false);
  const Network n = b.finish();
  EXPECT_EQ(n.layers[0].reduction(), 25);
  EXPECT_EQ(n.layers[0].macs(), 32LL * 25 * 14 * 14);
  EXPECT_EQ(n.layers[0].params(), 32 * 25 + 64);
  EXPECT_EQ(n.layers[1].macs(), 8LL * 32 * 14 * 14);
  EXPECT_EQ(n.layers[1].params(), 8 * 32 + 8);
  EXPECT_EQ(describe_operation(n.layers[0]), "conv 5x5 dw");
}

TEST(Layer, AttentionMatmulHoldsAnActivation) {
  // QKᵀ of 12 heads over 197 tokens with head dimension 64.
  NetworkBuilder b("t", Tensor{-1, 12, 64, 197, 1});
  b.matmul("qk", b.input(), b.input());
  const Network n = b.finish();
  const Layer& l = n.layers[0];
  EXPECT_EQ(l.macs(), 12LL * 197 * 197 * 64);
  EXPECT_EQ(l.stationary_elements(), 12LL * 197 * 64);
  EXPECT_EQ(l.params(), 0);  // the stationary operand is not a parameter
  EXPECT_EQ(l.output_elements(), 12LL * 197 * 197);
}

TEST(Layer, NonMacLayersHaveVectorWorkAndNoMacs) {
  NetworkBuilder b("t", Tensor{-1, 1, 16, 8, 8});
  Tensor p = b.pool("mp", b.input(), PoolOp::Max, 3, 2, 1);
  EXPECT_EQ(p.h, 4);
  Tensor g = b.global_pool("gp", p);
  b.scale_channels("se", p, g);
  b.add("res", p, p);
  b.softmax("sm", p);
  b.layer_norm("ln", p);
  const Network n = b.finish();
  for (const auto& l : n.layers) EXPECT_EQ(l.macs(), 0) << l.name;
  EXPECT_EQ(n.layers[0].vector_ops(), 16 * 4 * 4 * 9);
  EXPECT_EQ(n.layers[1].vector_ops(), 16 * 16);
  EXPECT_EQ(n.layers[2].input_elements(), 16 * 16 + 16);  // broadcast scale: one value per channel
  EXPECT_EQ(n.layers[3].input_elements(), 2 * 16 * 16);
  EXPECT_EQ(n.layers[5].params(), 2 * 16);
}

TEST(Layer, SubBytePrecisionRoundsUpToWholeBytes) {
  NetworkBuilder b("t", Tensor{-1, 1, 3, 1, 1});
  b.set_precision(4, 4);
  b.linear("fc", b.input(), 3, false);
  const Network n = b.finish();
  EXPECT_EQ(n.layers[0].weight_bytes(), 5);  // 9 weights × 4 bits = 36 bits
  EXPECT_EQ(n.layers[0].input_bytes(), 2);
}

TEST(Layer, NamesRoundTripAndUnknownNamesAreClearErrors) {
  EXPECT_EQ(layer_kind_from_string("matmul"), LayerKind::MatMul);
  EXPECT_EQ(activation_op_from_string("hswish"), ActivationOp::HSwish);
  try {
    layer_kind_from_string("convv");
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("did you mean 'conv'"), std::string::npos) << m;
    EXPECT_NE(m.find("allowed:"), std::string::npos) << m;
  }
}

TEST(Network, ValidateRejectsForwardReferencesAndBadDims) {
  Network n;
  n.name = "bad";
  EXPECT_THROW(n.validate(), InputError);  // empty
  Layer l;
  l.name = "a";
  l.inputs = {0};  // itself: not an earlier layer
  n.layers.push_back(l);
  EXPECT_THROW(n.validate(), InputError);
  n.layers[0].inputs = {-1};
  n.layers[0].out_channels = 0;
  EXPECT_THROW(n.validate(), InputError);
  n.layers[0].out_channels = 4;
  n.layers[0].in_channels = 6;
  n.layers[0].groups = 4;
  EXPECT_THROW(n.validate(), InputError);
  n.layers[0].groups = 2;
  EXPECT_NO_THROW(n.validate());
}

TEST(Network, BuilderRejectsMismatchedOperands) {
  NetworkBuilder b("t", Tensor{-1, 1, 8, 4, 4});
  Tensor small = b.conv("c", b.input(), 4, 1);
  EXPECT_THROW(b.add("res", b.input(), small), InputError);
  EXPECT_THROW(b.scale_channels("se", b.input(), small), InputError);
}
