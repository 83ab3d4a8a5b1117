// Users' network files: the shipped examples (MACs counted by hand) and every error path.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "common/error.hpp"
#include "workloads/network_file.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;
using test::source_dir;

namespace fs = std::filesystem;

Network parse(const std::string& text) { return parse_network_yaml(text, "n.yaml"); }

std::string error_of(const std::string& text) { return input_error([&] { parse(text); }); }

const Layer& layer(const Network& n, const std::string& name) {
  for (const auto& l : n.layers) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

// The first lines of a small valid image network; tests append layers.
const std::string kImage = "input: {channels: 3, height: 8, width: 8}\nlayers:\n";

TEST(NetworkFile, TinyCnnExample) {
  const Network n = load_network_file((source_dir() / "examples" / "networks" / "tiny-cnn.yaml").string());
  EXPECT_EQ(n.name, "tiny-cnn");
  ASSERT_EQ(n.layers.size(), 14u);
  // conv1 3->16, 3x3, 32x32 out:                16·3·9·1024  =   442368
  // conv2, conv3 16->16, 3x3, 32x32 out:        16·16·9·1024 =  2359296 each
  // conv4 16->32, 3x3 stride 2, 16x16 out:      32·16·9·256  =  1179648
  // dw5 depthwise 32, 3x3, 16x16 out:           32·1·9·256   =    73728
  // fc 32->10:                                  10·32        =      320
  EXPECT_EQ(layer(n, "conv1").macs(), 442368);
  EXPECT_EQ(layer(n, "conv2").macs(), 2359296);
  EXPECT_EQ(layer(n, "conv4").macs(), 1179648);
  EXPECT_EQ(layer(n, "dw5").macs(), 73728);
  EXPECT_EQ(layer(n, "fc").macs(), 320);
  EXPECT_EQ(n.total_macs(), 442368 + 2 * 2359296 + 1179648 + 73728 + 320);
  // Params: weights + 2 per channel of batch norm (+ bias for fc).
  EXPECT_EQ(n.total_params(), (432 + 32) + 2 * (2304 + 32) + (4608 + 64) + (288 + 64) + (320 + 10));
  EXPECT_EQ(n.mac_layer_count(), 6);

  const Layer& res = layer(n, "res");
  EXPECT_EQ(res.kind, LayerKind::Eltwise);
  ASSERT_EQ(res.inputs.size(), 2u);
  EXPECT_EQ(n.layers[static_cast<std::size_t>(res.inputs[0])].name, "conv3");
  EXPECT_EQ(n.layers[static_cast<std::size_t>(res.inputs[1])].name, "act1");
  EXPECT_EQ(layer(n, "dw5").groups, 32);
  EXPECT_EQ(layer(n, "pool5").out_h, 8);
  EXPECT_EQ(layer(n, "gap").pool, PoolOp::GlobalAverage);
  EXPECT_EQ(layer(n, "act4").activation, ActivationOp::HSwish);
}

TEST(NetworkFile, TransformerBlockExample) {
  const Network n = load_network_file((source_dir() / "examples" / "networks" / "transformer-block.yaml").string());
  EXPECT_EQ(n.name, "transformer-block");
  // 64 tokens, 128 features, 4 heads of 32, MLP 512:
  //   q, k, v, proj: 64·128·128 = 1048576 each
  //   scores (Q·Kᵀ): 4 heads · 64 rows · 64 cols · 32 = 524288
  //   context (A·V): 4 heads · 64 rows · 32 cols · 64 = 524288
  //   fc1, fc2:      64·128·512 = 4194304 each
  EXPECT_EQ(layer(n, "q").macs(), 1048576);
  EXPECT_EQ(layer(n, "scores").macs(), 524288);
  EXPECT_EQ(layer(n, "context").macs(), 524288);
  EXPECT_EQ(layer(n, "fc1").macs(), 4194304);
  EXPECT_EQ(n.total_macs(), 4 * 1048576 + 2 * 524288 + 2 * 4194304);
  // Params: 4 × (128·128 + 128), fc1 128·512 + 512, fc2 512·128 + 128, two layer norms 2·128 each.
  EXPECT_EQ(n.total_params(), 4 * 16512 + 66048 + 65664 + 2 * 256);

  const Layer& scores = layer(n, "scores");
  EXPECT_EQ(scores.kind, LayerKind::MatMul);
  EXPECT_EQ(scores.batch, 4);
  EXPECT_EQ(scores.in_channels, 32);   // reduction: features per head
  EXPECT_EQ(scores.out_channels, 64);  // columns: key tokens
  EXPECT_EQ(scores.out_h, 64);
  EXPECT_EQ(scores.stationary_elements(), 4 * 64 * 32);  // K, written into the arrays at run time
  const Layer& context = layer(n, "context");
  EXPECT_EQ(context.in_channels, 64);   // reduction: key tokens
  EXPECT_EQ(context.out_channels, 32);  // columns: features per head
  EXPECT_EQ(n.layers[static_cast<std::size_t>(context.inputs[1])].name, "v");
  // Heads are concatenated again: the softmax sees 64 tokens × 4·64 scores, proj 64 × 128.
  EXPECT_EQ(layer(n, "attn").output_elements(), 64 * 256);
  EXPECT_EQ(layer(n, "proj").in_channels, 128);
  EXPECT_EQ(layer(n, "res1").inputs[1], -1);  // 'input' is the network input
  EXPECT_EQ(layer(n, "gelu").activation, ActivationOp::GELU);
}

// A layer's own precision: its weights and the outputs it writes; each layer reads its input at the
// precision its producer wrote it in (a DIANA-like network: 8-bit first and last layers, ternary ones
// stored in 2 bits between them).
TEST(NetworkFile, ALayersOwnPrecisionOverridesTheNetworks) {
  const Network n = parse(
      "input: {channels: 3, height: 8, width: 8}\n"
      "precision: {weights: 2, activations: 7}\n"
      "layers:\n"
      "  - {name: first, type: conv, out_channels: 16, kernel: 3, precision: {weights: 8}}\n"
      "  - {name: mid, type: conv, out_channels: 16, kernel: 3}\n"
      "  - {name: act, type: activation, op: relu, precision: {activations: 4}}\n"
      "  - {name: fc, type: linear, flatten: true, out_features: 10, precision: {weights: 8, activations: 8}}\n"
      "  - {name: sm, type: softmax}\n");
  const auto bits = [&](const char* name) {
    const Layer& l = layer(n, name);
    return std::vector<int>{l.weight_bits, l.input_bits, l.output_bits};
  };
  EXPECT_EQ(bits("first"), (std::vector<int>{8, 7, 7}));  // the network input at the network's 7 bits
  EXPECT_EQ(bits("mid"), (std::vector<int>{2, 7, 7}));
  EXPECT_EQ(bits("act"), (std::vector<int>{2, 7, 4}));
  EXPECT_EQ(bits("fc"), (std::vector<int>{8, 4, 8}));
  EXPECT_EQ(bits("sm"), (std::vector<int>{2, 8, 7}));  // the network's precision again, reading fc's 8 bits
  EXPECT_EQ(layer(n, "mid").weight_bytes(), 16 * 16 * 9 * 2 / 8);
  EXPECT_EQ(layer(n, "fc").input_bytes(), 16 * 8 * 8 * 4 / 8);
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 8, kernel: 3, precision: {weights: 33}}\n"),
            "n.yaml:3: network.layers[0](c).precision.weights: expected an integer from 1 to 32, got 33");
}

// The shipped ResNet-18 (DIANA-like precisions): torchvision's parameter count, and its MACs in closed
// form — the 7x7 stem, two 3x3 convolutions per block, 1x1 projections where a stage halves the map,
// the classifier.
TEST(NetworkFile, TheShippedResNet18IsTorchvisions) {
  const Network n = load_network_file((source_dir() / "examples" / "networks" / "resnet18.yaml").string());
  const auto conv = [](std::int64_t c, std::int64_t k, std::int64_t kernel, std::int64_t out) {
    return c * k * kernel * kernel * out * out;
  };
  std::int64_t macs = conv(3, 64, 7, 112) + 4 * conv(64, 64, 3, 56) + 512 * 1000;
  for (std::int64_t width : {128, 256, 512}) {
    const std::int64_t out = 56 * 64 / width;  // 28, 14, 7
    macs += conv(width / 2, width, 3, out) + 3 * conv(width, width, 3, out) + conv(width / 2, width, 1, out);
  }
  EXPECT_EQ(n.total_macs(), macs);
  EXPECT_EQ(n.total_macs(), 1814073344);
  EXPECT_EQ(n.total_params(), 11689512);  // torchvision's resnet18
  EXPECT_EQ(layer(n, "conv1").weight_bits, 8);
  EXPECT_EQ(layer(n, "layer2.1.conv1").weight_bits, 2);
  EXPECT_EQ(layer(n, "layer2.1.conv1").input_bits, 7);
  EXPECT_EQ(layer(n, "fc").weight_bits, 8);
  EXPECT_EQ(layer(n, "fc").output_bits, 8);
}

TEST(NetworkFile, DefaultsAndOptions) {
  const Network n = parse(
      "input: {channels: 4, height: 8, width: 8}\n"
      "precision: {weights: 4}\n"
      "layers:\n"
      "  - {name: c, type: conv, out_channels: 8, kernel: 3, stride: 2, padding: 0, groups: 2, bias: true}\n"
      "  - {name: p, type: pool, op: avg, kernel: 3}\n"
      "  - {name: fc, type: linear, out_features: 5, flatten: true, bias: false}\n");
  EXPECT_EQ(n.name, "n");  // the file stem
  const Layer& c = n.layers[0];
  EXPECT_EQ(c.out_h, 3);  // (8 − 3) / 2 + 1
  EXPECT_EQ(c.groups, 2);
  EXPECT_EQ(c.macs(), 8 * 2 * 9 * 9);
  EXPECT_EQ(c.params(), 8 * 2 * 9 + 8);
  EXPECT_EQ(c.weight_bits, 4);
  EXPECT_EQ(c.input_bits, 8);
  EXPECT_EQ(n.layers[1].stride, 3);  // stride defaults to the kernel
  EXPECT_EQ(n.layers[1].out_h, 1);
  EXPECT_EQ(n.layers[2].in_channels, 8);  // flattened 8×1×1
  EXPECT_EQ(n.layers[2].params(), 40);
  EXPECT_EQ(n.layers[0].inputs, std::vector<int>{-1});
  EXPECT_EQ(n.layers[1].inputs, std::vector<int>{0});
}

TEST(NetworkFile, ScaleIsSqueezeExcite) {
  const Network n = parse(kImage +
                          "  - {name: c, type: conv, out_channels: 8, kernel: 1}\n"
                          "  - {name: g, type: pool, op: global_avg}\n"
                          "  - {name: s, type: linear, out_features: 8}\n"
                          "  - {name: h, type: activation, op: hsigmoid}\n"
                          "  - {name: x, type: scale, inputs: [c, h]}\n");
  const Layer& x = n.layers[4];
  EXPECT_EQ(x.eltwise, EltwiseOp::Multiply);
  EXPECT_TRUE(x.broadcast_second);
  EXPECT_EQ(x.output_elements(), 8 * 64);
}

// --- errors ------------------------------------------------------------------------------------

TEST(NetworkFile, UnknownTypeAndKeys) {
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: convv, out_channels: 8, kernel: 3}\n"),
            "n.yaml:3: network.layers[0](c).type: unknown value 'convv' (did you mean 'conv'?); allowed: conv, "
            "linear, matmul, pool, add, scale, activation, softmax, layernorm");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 8, kernel: 3, stide: 2}\n"),
            "n.yaml:3: unknown key 'stide' in 'network.layers[0](c)' (did you mean 'stride'?); allowed: name, type, "
            "inputs, out_channels, kernel, stride, padding, groups, bias, batch_norm, precision");
  // A key of another type is unknown for this one.
  EXPECT_EQ(error_of(kImage + "  - {name: g, type: pool, op: global_avg, kernel: 2}\n"),
            "n.yaml:3: unknown key 'kernel' in 'network.layers[0](g)'; allowed: name, type, inputs, op, precision");
  EXPECT_EQ(error_of("input: {channels: 3, height: 8, width: 8}\nlayer: []\n"),
            "n.yaml:2: unknown key 'layer' in 'network' (did you mean 'layers'?); allowed: name, description, "
            "input, precision, layers");
  EXPECT_EQ(error_of("input: {channels: 3, hieght: 8, width: 8}\nlayers: []\n"),
            "n.yaml:1: unknown key 'hieght' in 'network.input' (did you mean 'height'?); allowed: channels, height, "
            "width, tokens, features");
  EXPECT_EQ(error_of(kImage + "  - {name: a, type: activation, op: relu6}\n"),
            "n.yaml:3: network.layers[0](a).op: unknown value 'relu6' (did you mean 'relu'?); allowed: relu, hswish, "
            "hsigmoid, gelu, clip, sigmoid, tanh, silu");
  EXPECT_EQ(error_of(kImage + "  - {name: a, out_channels: 3}\n"),
            "n.yaml:3: missing required key 'type' in 'network.layers[0](a)'; allowed: conv, linear, matmul, pool, "
            "add, scale, activation, softmax, layernorm");
}

TEST(NetworkFile, UnknownInputName) {
  EXPECT_EQ(error_of(kImage +
                     "  - {name: conv1, type: conv, out_channels: 3, kernel: 3}\n"
                     "  - {name: res, type: add, inputs: [conv1, conv0]}\n"),
            "n.yaml:4: network.layers[1](res).inputs[1]: unknown input 'conv0' (did you mean 'conv1'?); inputs name "
            "an earlier layer or 'input' (the network input)");
  EXPECT_EQ(error_of(kImage +
                     "  - {name: a, type: activation, op: relu, inputs: [b]}\n"
                     "  - {name: b, type: activation, op: relu}\n"),
            "n.yaml:3: network.layers[0](a).inputs[0]: input 'b' is defined later, at line 4; list layers in "
            "execution order");
  EXPECT_EQ(error_of(kImage + "  - {name: a, type: add, inputs: [input]}\n"),
            "n.yaml:3: network.layers[0](a).inputs: a add layer takes 2 inputs, got 1");
  EXPECT_EQ(error_of(kImage + "  - {name: m, type: matmul}\n"),
            "n.yaml:3: network.layers[0](m): a matmul layer needs 'inputs' naming its two operands ([streamed, "
            "stationary])");
}

TEST(NetworkFile, DuplicateOrReservedLayerName) {
  EXPECT_EQ(error_of(kImage +
                     "  - {name: a, type: activation, op: relu}\n"
                     "  - {name: a, type: softmax}\n"),
            "n.yaml:4: network.layers[1](a).name: duplicate layer name 'a' (first at line 3)");
  EXPECT_EQ(error_of(kImage + "  - {name: input, type: softmax}\n"),
            "n.yaml:3: network.layers[0](input).name: 'input' is reserved for the network input; choose another "
            "name");
  EXPECT_EQ(error_of(kImage + "  - {type: softmax}\n"),
            "n.yaml:3: missing required key 'name' in 'network.layers[0]'");
}

TEST(NetworkFile, ShapeMismatches) {
  EXPECT_EQ(error_of(kImage +
                     "  - {name: c, type: conv, out_channels: 8, kernel: 3}\n"
                     "  - {name: r, type: add, inputs: [c, input]}\n"),
            "n.yaml:4: network.layers[1](r): operands differ in shape: 8x8x8 and 3x8x8 (channels x height x width)");
  EXPECT_EQ(error_of(kImage +
                     "  - {name: c, type: conv, out_channels: 8, kernel: 3}\n"
                     "  - {name: s, type: scale, inputs: [c, input]}\n"),
            "n.yaml:4: network.layers[1](s): the second input must hold one value per channel of the first (8x1x1), "
            "got 3x8x8");
  EXPECT_EQ(error_of("input: {tokens: 10, features: 64}\nlayers:\n"
                     "  - {name: q, type: linear, out_features: 64}\n"
                     "  - {name: k, type: linear, out_features: 32, inputs: input}\n"
                     "  - {name: s, type: matmul, inputs: [q, k]}\n"),
            "n.yaml:5: network.layers[2](s): the operands do not agree: the reduction is 64 (features per head of "
            "the first) but the second gives 32 (its features per head)");
  EXPECT_EQ(error_of("input: {tokens: 10, features: 64}\nlayers:\n"
                     "  - {name: s, type: matmul, inputs: [input, input], heads: 3}\n"),
            "n.yaml:3: network.layers[0](s): heads (3) must divide the features of both operands (64 and 64)");
  EXPECT_EQ(error_of(kImage + "  - {name: s, type: matmul, inputs: [input, input]}\n"),
            "n.yaml:3: network.layers[0](s): matmul operands must be token sequences (tokens x features), got an "
            "image 3x8x8; flatten it with a linear first");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 4, kernel: 3, groups: 2}\n"),
            "n.yaml:3: network.layers[0](c).groups: groups (2) must divide the input channels (3) and out_channels "
            "(4)");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 3, kernel: 3, groups: dw}\n"),
            "n.yaml:3: network.layers[0](c).groups: expected a positive integer or 'depthwise', got 'dw'");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 3, kernel: 3, groups: 0}\n"),
            "n.yaml:3: network.layers[0](c).groups: expected a positive integer or 'depthwise', got '0'");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 4, kernel: 11, padding: 1}\n"),
            "n.yaml:3: network.layers[0](c): kernel 11 does not fit the input height 8 with padding 1");
  EXPECT_EQ(error_of(kImage + "  - {name: p, type: pool, op: max, kernel: 9}\n"),
            "n.yaml:3: network.layers[0](p): kernel 9 does not fit the input height 8 with padding 0");
}

TEST(NetworkFile, NonPositiveDimensions) {
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 0, kernel: 3}\n"),
            "n.yaml:3: network.layers[0](c).out_channels: expected an integer from 1 to 1048576, got 0");
  EXPECT_EQ(error_of(kImage + "  - {name: c, type: conv, out_channels: 4, kernel: 3, stride: -1}\n"),
            "n.yaml:3: network.layers[0](c).stride: expected an integer from 1 to 1024, got -1");
  EXPECT_EQ(error_of("input: {channels: 3, height: 0, width: 8}\nlayers: []\n"),
            "n.yaml:1: network.input.height: expected an integer from 1 to 1048576, got 0");
  EXPECT_EQ(error_of(kImage + "  - {name: f, type: linear, out_features: ten}\n"),
            "n.yaml:3: network.layers[0](f).out_features: expected an integer from 1 to 1048576, got 'ten'");
  EXPECT_EQ(error_of("input: {channels: 3, height: 8, width: 8}\nprecision: {weights: 0}\nlayers: []\n"),
            "n.yaml:2: network.precision.weights: expected an integer from 1 to 32, got 0");
}

TEST(NetworkFile, FileLevelErrors) {
  EXPECT_EQ(error_of("input: {channels: 3, height: 8, width: 8}\nlayers: []\n"),
            "n.yaml:2: network.layers: needs at least one layer");
  EXPECT_EQ(error_of("input: {channels: 3, tokens: 8}\nlayers: []\n"),
            "n.yaml:1: network.input: give either channels, height and width (an image) or tokens and features (a "
            "sequence)");
  EXPECT_EQ(error_of("layers: []\n"), "n.yaml:1: missing required key 'input' in 'network'");
  EXPECT_EQ(error_of(kImage + "  - relu\n"),
            "n.yaml:3: network.layers[0]: expected a layer (a mapping with name, type, ...), got 'relu'");
  EXPECT_EQ(error_of(kImage + "  - {name: b, type: conv, out_channels: 3, kernel: 1, bias: maybe}\n"),
            "n.yaml:3: network.layers[0](b).bias: expected true or false, got 'maybe'");
  EXPECT_EQ(error_of("").rfind("n.yaml:1: the network file is empty", 0), 0u);
  EXPECT_EQ(error_of("input: {channels: 3\n").rfind("n.yaml:", 0), 0u);
  EXPECT_NE(error_of("input: {channels: 3\n").find("malformed YAML"), std::string::npos);
  EXPECT_EQ(input_error([] { load_network_file("/nonexistent/net.yaml"); }),
            "cannot open network file '/nonexistent/net.yaml': No such file or directory");
}

// Issue 12, defect 5: within the documented dimension limits, counts used to wrap around (negative
// weight bytes; a flattening linear with "MACs 0.000 M"). Now the layer is named, with its line.
TEST(NetworkFile, CountsBeyondTwoToThe53AreErrorsNamingTheLayer) {
  const std::string huge = "input: {channels: 1048576, height: 1048576, width: 1048576}\nlayers:\n";
  // 2^20 x 2^20 x 1024 x 1024 = 2^60 weights; MACs 2^60 x (2^20 + 1)^2, about 1.27e30.
  EXPECT_EQ(error_of(huge + "  - {name: big, type: conv, out_channels: 1048576, kernel: 1024}\n"),
            "n.yaml:3: network.layers[0](big): its MAC count (about 1.27e+30) exceeds 2^53 = 9007199254740992, the "
            "largest count cimnet keeps exactly");
  // Flattened: 2^60 input features (the reduction), 16 outputs: 2^64 MACs, which wrapped to 0.
  EXPECT_EQ(error_of(huge + "  - {name: fc, type: linear, out_features: 16, flatten: true}\n"),
            "n.yaml:3: network.layers[0](fc): its reduction length (about 1.15e+18) exceeds 2^53 = 9007199254740992, the "
            "largest count cimnet keeps exactly");
  // Large but within the limit: exact counts.
  const std::string wide = "input: {channels: 1048576, height: 1, width: 1}\nlayers:\n";
  const Network ok = parse(wide + "  - {name: fc, type: linear, out_features: 1048576, bias: false}\n");
  EXPECT_EQ(ok.layers[0].weight_bytes(), std::int64_t{1} << 40);
  EXPECT_EQ(ok.total_macs(), std::int64_t{1} << 40);
}

TEST(NetworkFile, NetworkTotalsBeyondTwoToThe53AreErrors) {
  // Each layer has 2^52 MACs (fine); three of them total 3 x 2^52 > 2^53.
  std::string text = "input: {channels: 65536, height: 1024, width: 1024}\nlayers:\n";
  for (const char* name : {"a", "b", "c"}) {
    text += std::string("  - {name: ") + name + ", type: conv, out_channels: 65536, kernel: 1, inputs: input}\n";
  }
  // Two of them total exactly 2^53, the largest count allowed.
  const std::size_t third = text.rfind("  - {name: c");
  EXPECT_EQ(parse(text.substr(0, third)).total_macs(), kMaxCount);
  EXPECT_EQ(error_of(text),
            "n.yaml: network 'n': its total MAC count exceeds 2^53 = 9007199254740992, the largest count cimnet keeps "
            "exactly");
}

TEST(Network, ValidateNamesTheLayerWhoseCountsOverflow) {
  Network n;
  n.name = "hand";
  Layer l;
  l.name = "wide";
  l.kind = LayerKind::Linear;
  l.in_channels = std::int64_t{1} << 40;
  l.out_channels = std::int64_t{1} << 20;
  l.inputs = {-1};
  n.layers.push_back(l);
  EXPECT_EQ(input_error([&] { n.validate(); }),
            "network 'hand', layer 0 'wide': its MAC count (about 1.15e+18) exceeds 2^53 = 9007199254740992, the "
            "largest count cimnet keeps exactly");
}

}  // namespace
}  // namespace cimnet
