// The operator handlers of the ONNX importer (workloads/onnx_import.hpp): one function per operator
// family, each turning the current node into a layer, a fold into an earlier layer, or an edge.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "common/text.hpp"
#include "workloads/onnx_converter.hpp"
#include "workloads/onnx_import.hpp"

namespace cimnet {
namespace onnx_import {
namespace {

std::int64_t product(const std::vector<std::int64_t>& dims, std::size_t from, std::size_t to) {
  std::int64_t p = 1;
  for (std::size_t k = from; k < to && k < dims.size(); ++k) p *= dims[k];
  return p;
}


// Kernel window attributes of a conv or pool, reduced to cimnet's one stride and one padding.
struct Window {
  std::int64_t stride = 1, padding = 0;
};

Window window(const Converter& c, const View& in, const View& out, std::int64_t kh, std::int64_t kw, bool ceil_mode) {
  for (auto d : c.ints_attribute("dilations")) {
    if (d != 1) c.fail("attribute 'dilations' " + shape_text(c.ints_attribute("dilations")) + " is not supported: cimnet's layers have no dilation");
  }
  Window w;
  const auto strides = c.ints_attribute("strides");
  if (!strides.empty()) {
    if (strides.size() != 2 || strides[0] != strides[1]) {
      c.fail("strides " + shape_text(strides) + " differ between height and width; cimnet's layers have one stride");
    }
    w.stride = strides[0];
  }
  const auto pad_attr = c.node().attributes.find("auto_pad");
  const std::string auto_pad = pad_attr == c.node().attributes.end() || !pad_attr->second.s ? "NOTSET" : *pad_attr->second.s;
  if (auto_pad == "NOTSET") {
    const auto pads = c.ints_attribute("pads");
    if (!pads.empty()) {
      if (std::any_of(pads.begin(), pads.end(), [&](std::int64_t p) { return p != pads[0]; })) {
        c.fail("pads " + shape_text(pads) + " are not one value on every side; cimnet's layers pad symmetrically");
      }
      w.padding = pads[0];
    }
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const std::int64_t th = std::max<std::int64_t>(0, (out.h - 1) * w.stride + kh - in.h);
    const std::int64_t tw = std::max<std::int64_t>(0, (out.w - 1) * w.stride + kw - in.w);
    if (th != tw || th % 2 != 0) {
      c.fail("auto_pad " + auto_pad + " pads " + std::to_string(th) + " rows and " + std::to_string(tw) +
             " columns; cimnet's layers pad one value on every side");
    }
    w.padding = th / 2;
  } else if (auto_pad != "VALID") {
    c.fail("auto_pad '" + auto_pad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  }
  const std::int64_t oh = (in.h + 2 * w.padding - kh) / w.stride + 1;
  const std::int64_t ow = (in.w + 2 * w.padding - kw) / w.stride + 1;
  if (!ceil_mode && (oh != out.h || ow != out.w)) {
    c.fail("its output " + std::to_string(out.h) + "x" + std::to_string(out.w) + " does not follow from input " +
           std::to_string(in.h) + "x" + std::to_string(in.w) + ", kernel, stride and padding");
  }
  return w;
}

View spatial_view(const Converter& c, const std::vector<std::int64_t>& s, const char* what) {
  if (s.size() != 4) {
    c.fail(std::string("its ") + what + " has rank " + std::to_string(s.size()) +
           "; cimnet reads 2-D convolutions and pools (N x C x H x W tensors)");
  }
  return View{s[0], s[1], s[2], s[3]};
}

int type_bits(const Converter& c, std::size_t input, const char* what) {
  const int bits = onnx_type_bits(c.tensor(c.node().inputs[input]).elem_type);
  if (bits <= 0 || bits > 32) c.fail(std::string("its ") + what + " type has no precision cimnet keeps (1 to 32 bits)");
  return bits;
}

// Conv and QLinearConv (`quantized`: precisions from the input, weight and output zero point types).
void conv(Converter& c, std::size_t x_at, std::size_t w_at, std::size_t b_at, bool quantized) {
  c.only_attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const Value& x = c.input(x_at);
  const Value& wv = c.input(w_at);
  if (!wv.constant) c.fail("its weights are not a constant (an initializer); cimnet holds a conv's weights stationary");
  const View in = spatial_view(c, x.shape, "input");
  const View out = spatial_view(c, c.output_shape(), "output");
  if (wv.shape.size() != 4) c.fail("its weights have rank " + std::to_string(wv.shape.size()) + ", not 4");
  const std::int64_t groups = c.int_attribute("group", 1);
  if (groups <= 0 || wv.shape[1] * groups != in.channels || wv.shape[0] != out.channels) {
    c.fail("its weights " + shape_text(wv.shape) + " do not match input channels " + std::to_string(in.channels) +
           " in " + std::to_string(groups) + " groups");
  }
  const Window w = window(c, in, out, wv.shape[2], wv.shape[3], false);
  Layer l = c.make_layer(LayerKind::Conv, in, out, x);
  l.kernel_h = wv.shape[2];
  l.kernel_w = wv.shape[3];
  l.stride = w.stride;
  l.padding = w.padding;
  l.groups = groups;
  l.bias = c.has_input(b_at);
  if (quantized) {
    l.input_bits = type_bits(c, x_at, "input");
    l.weight_bits = type_bits(c, w_at, "weight");
    l.output_bits = type_bits(c, 7, "output zero point");
  }
  c.push(std::move(l), x.producers, true);
}

// A product by a constant 2-D matrix of `k` rows and `n` columns: a linear at every row of `a`.
void linear(Converter& c, const Value& a, std::int64_t k, std::int64_t n, bool bias, int weight_bits, int output_bits) {
  if (a.shape.empty() || a.shape.back() != k) {
    c.fail("its operand " + shape_text(a.shape) + " does not end in the weights' " + std::to_string(k) + " rows");
  }
  const std::int64_t rows = product(a.shape, 0, a.shape.size() - 1);
  Layer l = c.make_layer(LayerKind::Linear, View{1, k, rows, 1}, View{1, n, rows, 1}, a);
  l.bias = bias;
  l.weight_bits = weight_bits;
  l.output_bits = output_bits;
  c.push(std::move(l), a.producers, false);
}

// A product of two activations: batch × (rows × k) · (k × n), the second operand stationary.
void activation_product(Converter& c, const Value& a, const Value& b, bool transpose_b, int output_bits) {
  if (a.shape.size() < 2 || b.shape.size() < 2) c.fail("a product of activations needs operands of rank 2 or more");
  const std::vector<std::int64_t> lead_a(a.shape.begin(), a.shape.end() - 2);
  const std::vector<std::int64_t> lead_b(b.shape.begin(), b.shape.end() - 2);
  const std::int64_t k = a.shape.back();
  const std::int64_t kb = transpose_b ? b.shape.back() : b.shape[b.shape.size() - 2];
  const std::int64_t n = transpose_b ? b.shape[b.shape.size() - 2] : b.shape.back();
  if (lead_a != lead_b || k != kb) {
    c.fail("operands " + shape_text(a.shape) + " and " + shape_text(b.shape) +
           " do not multiply without broadcasting; cimnet's matmul takes equal batch dimensions");
  }
  const std::int64_t batch = product(a.shape, 0, a.shape.size() - 2);
  const std::int64_t rows = a.shape[a.shape.size() - 2];
  Layer l = c.make_layer(LayerKind::MatMul, View{batch, k, rows, 1}, View{batch, n, rows, 1}, a);
  l.output_bits = output_bits;
  c.push(std::move(l), {c.single_producer(a, "first"), c.single_producer(b, "second")}, false);
}

void matmul(Converter& c, const Value& a, const Value& b, int weight_bits, int output_bits) {
  if (a.constant) {
    c.fail("its first operand is a constant; cimnet keeps a product's second operand stationary (write it as x · W)");
  }
  if (b.constant) {
    if (b.shape.size() != 2) c.fail("its constant operand has rank " + std::to_string(b.shape.size()) + "; cimnet's linear takes a 2-D weight");
    linear(c, a, b.shape[0], b.shape[1], false, weight_bits, output_bits);
    return;
  }
  activation_product(c, a, b, false, output_bits);
}

void gemm(Converter& c) {
  c.only_attributes({"alpha", "beta", "transA", "transB"});
  if (c.int_attribute("transA", 0) != 0) c.fail("attribute transA = 1 is not supported (the streamed operand must be rows x features)");
  const bool trans_b = c.int_attribute("transB", 0) != 0;
  const Value& a = c.input(0);
  const Value& b = c.input(1);
  if (a.shape.size() != 2 || b.shape.size() != 2) c.fail("Gemm takes 2-D operands");
  bool bias = false;
  if (c.has_input(2)) {
    const Value& bias_value = c.input(2);
    const std::int64_t n = trans_b ? b.shape[0] : b.shape[1];
    if (!bias_value.constant || product(bias_value.shape, 0, bias_value.shape.size()) != n) {
      c.fail("its C operand " + shape_text(bias_value.shape) + " is not a constant bias of one value per column");
    }
    bias = true;
  }
  if (!b.constant) {
    if (bias) c.fail("a product of two activations with a bias is not supported");
    activation_product(c, a, b, trans_b, 8);
    return;
  }
  if (a.constant) c.fail("its first operand is a constant; cimnet keeps a product's second operand stationary");
  linear(c, a, trans_b ? b.shape[1] : b.shape[0], trans_b ? b.shape[0] : b.shape[1], bias, 8, 8);
}

void qlinear_matmul(Converter& c) {
  c.only_attributes({});
  const int w = type_bits(c, 3, "weight"), out = type_bits(c, 7, "output zero point");
  Value a = c.input(0);
  a.bits = type_bits(c, 0, "input");
  matmul(c, a, c.input(3), w, out);
}

void batch_norm(Converter& c) {
  c.only_attributes({"epsilon", "momentum", "training_mode"});
  if (c.int_attribute("training_mode", 0) != 0) c.fail("training_mode = 1: cimnet runs inference only");
  const Value& x = c.input(0);
  const bool foldable = x.direct_of >= 0 && c.consumers(c.node().inputs[0]) == 1 &&
                        (c.layer(x.direct_of).kind == LayerKind::Conv || c.layer(x.direct_of).kind == LayerKind::Linear) &&
                        !c.layer(x.direct_of).batch_norm;
  if (!foldable) {
    c.fail("it does not directly follow a Conv, Gemm or MatMul whose only reader it is; cimnet folds batch norm into "
           "the layer before it");
  }
  c.layer(x.direct_of).batch_norm = true;
  c.bind(0, x);
}

void unary(Converter& c, ActivationOp op, const Value& x) {
  const View v = c.view(x);
  Layer l = c.make_layer(LayerKind::Activation, v, v, x);
  l.activation = op;
  c.push(std::move(l), x.producers, x.spatial);
}

// Where(condition, X, Y) with a constant condition (a mask) between an activation and a constant: a
// masked fill, one vector pass over the activation (GPT-2's causal mask on the attention scores).
void select(Converter& c) {
  c.only_attributes({});
  if (!c.input(0).constant) c.fail("its condition is computed at run time; cimnet reads Where with a constant mask only");
  const Value& a = c.input(1);
  const Value& b = c.input(2);
  if (!a.constant && !b.constant) {
    c.fail("both its operands are activations; cimnet reads Where between an activation and a constant only");
  }
  const Value& x = a.constant ? b : a;
  if (x.shape != c.output_shape()) {
    c.fail("its activation operand " + shape_text(x.shape) + " is broadcast to " + shape_text(c.output_shape()) +
           "; cimnet's layers do not broadcast an activation");
  }
  unary(c, ActivationOp::Mask, x);
}

void eltwise(Converter& c, EltwiseOp op) {
  c.only_attributes({});
  if (const auto x = silu_operand(c)) {  // Mul(x, Sigmoid(x)): the Sigmoid was folded into this node
    unary(c, ActivationOp::SiLU, c.input(*x));
    return;
  }
  const Value& a = c.input(0);
  const Value& b = c.input(1);
  if (a.constant || b.constant) {
    const Value& x = a.constant ? b : a;
    const Value& k = a.constant ? a : b;
    const std::int64_t k_elements = product(k.shape, 0, k.shape.size());
    const std::string& x_name = c.node().inputs[a.constant ? 1 : 0];
    if (op == EltwiseOp::Add && x.direct_of >= 0 && c.consumers(x_name) == 1) {
      Layer& producer = c.layer(x.direct_of);
      if (producer.kind == LayerKind::Linear && !producer.bias && k_elements == producer.out_channels &&
          (k.shape.size() <= 1 || product(k.shape, 0, k.shape.size() - 1) == 1)) {
        producer.bias = true;  // nn.Linear on a sequence exports as MatMul then Add of the bias
        c.bind(0, x);
        return;
      }
    }
    const bool additive = op == EltwiseOp::Add || op == EltwiseOp::Subtract;
    unary(c, additive ? ActivationOp::AddConstant : ActivationOp::MulConstant, x);
    return;
  }
  const bool commutes = op == EltwiseOp::Add || op == EltwiseOp::Multiply;
  const auto per_channel = [](const Value& full, const Value& small) {
    return full.shape.size() == 4 && small.shape.size() == 4 && full.shape[0] == small.shape[0] &&
           full.shape[1] == small.shape[1] && small.shape[2] == 1 && small.shape[3] == 1 && full.shape[2] * full.shape[3] > 1;
  };
  const Value* first = &a;
  const Value* second = &b;
  bool broadcast = false;
  if (a.shape != b.shape) {
    if (per_channel(a, b)) {
      broadcast = true;
    } else if (commutes && per_channel(b, a)) {
      std::swap(first, second);
      broadcast = true;
    } else {
      c.fail("operands " + shape_text(a.shape) + " and " + shape_text(b.shape) +
             ": cimnet's element-wise layers take equal shapes, or one value per channel as the second operand");
    }
  }
  const View v = c.view(*first);
  Layer l = c.make_layer(LayerKind::Eltwise, v, v, *first);
  l.eltwise = op;
  l.broadcast_second = broadcast;
  c.push(std::move(l), {c.single_producer(*first, "first"), c.single_producer(*second, "second")}, first->spatial);
}

void pool(Converter& c, PoolOp op) {
  const Value& x = c.input(0);
  const View in = spatial_view(c, x.shape, "input");
  const View out = spatial_view(c, c.output_shape(), "output");
  if (c.node().outputs.size() > 1 && !c.node().outputs[1].empty() && c.consumers(c.node().outputs[1]) > 0) {
    c.fail("its indices output is read; cimnet's pools produce values only");
  }
  Layer l = c.make_layer(LayerKind::Pool, in, out, x);
  l.pool = op;
  if (op == PoolOp::GlobalAverage) {
    c.only_attributes({});
    l.kernel_h = in.h;
    l.kernel_w = in.w;
  } else {
    if (op == PoolOp::Max) {
      c.only_attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
    } else {
      c.only_attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
    }
    const auto kernel = c.ints_attribute("kernel_shape");
    if (kernel.size() != 2) c.fail("attribute kernel_shape " + shape_text(kernel) + " is not 2-D");
    const Window w = window(c, in, out, kernel[0], kernel[1], c.int_attribute("ceil_mode", 0) != 0);
    l.kernel_h = kernel[0];
    l.kernel_w = kernel[1];
    l.stride = w.stride;
    l.padding = w.padding;
  }
  c.push(std::move(l), x.producers, true);
}

void normalisation(Converter& c, LayerKind kind) {
  const Value& x = c.input(0);
  if (kind == LayerKind::LayerNorm) {
    c.only_attributes({"axis", "epsilon", "stash_type"});
    const auto rank = static_cast<std::int64_t>(x.shape.size());
    const std::int64_t axis = c.int_attribute("axis", -1);
    if (axis != -1 && axis != rank - 1) {
      c.fail("axis " + std::to_string(axis) + " is not the last; cimnet normalises over the features (the last axis)");
    }
    for (std::size_t k = 1; k < c.node().outputs.size(); ++k) {
      if (!c.node().outputs[k].empty() && c.consumers(c.node().outputs[k]) > 0) c.fail("its mean or inverse deviation output is read");
    }
  } else {
    c.only_attributes({"axis"});
  }
  const View v = c.view(x);
  c.push(c.make_layer(kind, v, v, x), x.producers, x.spatial);
}

// Layout-only operators: the output reads the same producers; no layer.
// Split: each output reads the producers of the input, as a Slice does (GPT-2's fused q, k, v
// projection is split so).
void split(Converter& c) {
  c.only_attributes({"axis", "num_outputs"});
  const Value& in = c.input(0);
  for (std::size_t k = 0; k < c.node().outputs.size(); ++k) {
    if (c.node().outputs[k].empty()) continue;
    Value out;
    out.producers = in.producers;
    out.bits = in.bits;
    out.shape = c.output_shape(k);
    out.spatial = in.spatial && out.shape.size() == 4;
    c.bind(k, out);
  }
}

void layout(Converter& c, bool all_inputs_are_data, bool keeps_layout) {
  Value out;
  const std::size_t data_inputs = all_inputs_are_data ? c.node().inputs.size() : 1;
  bool any = false;
  for (std::size_t k = 0; k < data_inputs; ++k) {
    if (!c.has_input(k)) continue;
    const Value& v = c.input(k);
    if (v.constant) continue;
    if (!any) {
      out.bits = v.bits;
      out.spatial = v.spatial;
    }
    any = true;
    for (int p : v.producers) {
      if (std::find(out.producers.begin(), out.producers.end(), p) == out.producers.end()) out.producers.push_back(p);
    }
  }
  if (!any) out.producers = {-1};  // a lookup into a constant table (an embedding) by run-time indices
  out.shape = c.output_shape();
  out.spatial = keeps_layout && out.spatial && out.shape.size() == 4;
  if (keeps_layout && c.node().op_type != "Concat" && c.node().op_type != "Slice") {
    out.direct_of = c.input(0).direct_of;  // Identity and Dropout change nothing
  }
  for (std::size_t k = 1; k < c.node().outputs.size(); ++k) {
    if (!c.node().outputs[k].empty() && c.consumers(c.node().outputs[k]) > 0) c.fail("its mask output is read");
  }
  c.bind(0, out);
}

using Handler = std::function<void(Converter&)>;

const std::map<std::string, Handler>& handlers() {
  static const std::map<std::string, Handler> table = {
      {"Conv", [](Converter& c) { conv(c, 0, 1, 2, false); }},
      {"QLinearConv", [](Converter& c) { conv(c, 0, 3, 8, true); }},
      {"Gemm", gemm},
      {"MatMul", [](Converter& c) { c.only_attributes({}); matmul(c, c.input(0), c.input(1), 8, 8); }},
      {"QLinearMatMul", qlinear_matmul},
      {"BatchNormalization", batch_norm},
      {"Relu", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::ReLU, c.input(0)); }},
      {"Clip", [](Converter& c) { c.only_attributes({"min", "max"}); unary(c, ActivationOp::Clip, c.input(0)); }},
      {"HardSigmoid", [](Converter& c) { c.only_attributes({"alpha", "beta"}); unary(c, ActivationOp::HSigmoid, c.input(0)); }},
      {"HardSwish", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::HSwish, c.input(0)); }},
      {"Sigmoid", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::Sigmoid, c.input(0)); }},
      {"Tanh", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::Tanh, c.input(0)); }},
      {"Erf", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::Erf, c.input(0)); }},
      // A negation (rotary embeddings' rotate_half writes one): a multiplication by −1, one pass.
      {"Neg", [](Converter& c) { c.only_attributes({}); unary(c, ActivationOp::MulConstant, c.input(0)); }},
      {"Gelu", [](Converter& c) { c.only_attributes({"approximate"}); unary(c, ActivationOp::GELU, c.input(0)); }},
      {"Add", [](Converter& c) { eltwise(c, EltwiseOp::Add); }},
      {"Sub", [](Converter& c) { eltwise(c, EltwiseOp::Subtract); }},
      {"Mul", [](Converter& c) { eltwise(c, EltwiseOp::Multiply); }},
      {"Div", [](Converter& c) { eltwise(c, EltwiseOp::Divide); }},
      {"MaxPool", [](Converter& c) { pool(c, PoolOp::Max); }},
      {"AveragePool", [](Converter& c) { pool(c, PoolOp::Average); }},
      {"GlobalAveragePool", [](Converter& c) { pool(c, PoolOp::GlobalAverage); }},
      {"Softmax", [](Converter& c) { normalisation(c, LayerKind::Softmax); }},
      {"LayerNormalization", [](Converter& c) { normalisation(c, LayerKind::LayerNorm); }},
      {"Reshape", [](Converter& c) { c.only_attributes({"allowzero"}); layout(c, false, false); }},
      {"Transpose", [](Converter& c) { c.only_attributes({"perm"}); layout(c, false, false); }},
      {"Flatten", [](Converter& c) { c.only_attributes({"axis"}); layout(c, false, false); }},
      {"Squeeze", [](Converter& c) { c.only_attributes({"axes"}); layout(c, false, false); }},
      {"Unsqueeze", [](Converter& c) { c.only_attributes({"axes"}); layout(c, false, false); }},
      {"Concat", [](Converter& c) { c.only_attributes({"axis"}); layout(c, true, true); }},
      {"Slice", [](Converter& c) { c.only_attributes({"axes", "ends", "starts"}); layout(c, false, true); }},
      {"Split", [](Converter& c) { split(c); }},
      // A broadcast copy (grouped-query attention repeats its key and value heads so): an edge, its
      // consumer reading the copies as the graph says.
      {"Expand", [](Converter& c) { c.only_attributes({}); layout(c, false, false); }},
      {"Where", [](Converter& c) { select(c); }},
      // A type conversion of an activation: cimnet runs the network at its own precisions, so no pass.
      {"Cast", [](Converter& c) { c.only_attributes({"to", "saturate"}); layout(c, false, true); }},
      {"Gather", [](Converter& c) { c.only_attributes({"axis"}); layout(c, false, false); }},
      {"Identity", [](Converter& c) { c.only_attributes({}); layout(c, false, true); }},
      {"Dropout", [](Converter& c) { c.only_attributes({"is_test", "ratio", "seed"}); layout(c, false, true); }},
  };
  return table;
}

}  // namespace

std::optional<std::size_t> silu_operand(const Converter& c) {
  const auto it = c.silu_.find(c.node().name);
  if (it == c.silu_.end()) return std::nullopt;
  return it->second;
}

void convert_operator(Converter& c) {
  const OnnxNode& n = c.node();
  const bool contrib_gelu = n.domain == "com.microsoft" && (n.op_type == "Gelu" || n.op_type == "FastGelu");
  if (contrib_gelu) {
    c.only_attributes({});
    unary(c, ActivationOp::GELU, c.input(0));
    return;
  }
  const auto& table = handlers();
  const auto it = n.domain.empty() ? table.find(n.op_type) : table.end();
  if (it == table.end()) {
    c.fail("operator not supported; supported: " + join(onnx_supported_operators(), ", ") +
           ", com.microsoft.Gelu, and any node whose inputs are all constants");
  }
  it->second(c);
}

}  // namespace onnx_import

const std::vector<std::string>& onnx_supported_operators() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [name, handler] : onnx_import::handlers()) v.push_back(name);
    return v;
  }();
  return names;
}

}  // namespace cimnet
