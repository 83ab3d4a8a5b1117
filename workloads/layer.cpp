#include "workloads/layer.hpp"

#include <cstdio>
#include <initializer_list>
#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {
namespace {

[[noreturn]] void too_large(const std::string& what, long double approximate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3Lg", approximate);
  throw InputError("its " + what + " (about " + text + ") exceeds 2^53 = " + std::to_string(kMaxCount) +
                   ", the largest count cimnet keeps exactly");
}

// The product of `factors` (all positive in a valid layer), checked against kMaxCount.
std::int64_t product(const std::string& what, std::initializer_list<std::int64_t> factors) {
  std::int64_t p = 1;
  long double approximate = 1;
  bool over = false;
  for (std::int64_t f : factors) {
    approximate *= static_cast<long double>(f);
    if (!over && (__builtin_mul_overflow(p, f, &p) || p > kMaxCount)) over = true;
  }
  if (over) too_large(what, approximate);
  return p;
}

// The sum of `terms`, checked against kMaxCount.
std::int64_t sum(const std::string& what, std::initializer_list<std::int64_t> terms) {
  std::int64_t s = 0;
  long double approximate = 0;
  for (std::int64_t t : terms) approximate += static_cast<long double>(t);
  for (std::int64_t t : terms) {
    if (__builtin_add_overflow(s, t, &s) || s > kMaxCount) too_large(what, approximate);
  }
  return s;
}

std::int64_t bytes_of(const std::string& what, std::int64_t elements, int bits) {
  return (product(what, {elements, bits}) + 7) / 8;
}

template <typename Enum, std::size_t N>
Enum from_names(const std::string& s, const char* const (&names)[N], const Enum (&values)[N],
                const std::string& what) {
  std::vector<std::string> allowed;
  for (std::size_t i = 0; i < N; ++i) {
    if (s == names[i]) return values[i];
    allowed.emplace_back(names[i]);
  }
  throw InputError("unknown " + what + " '" + s + "'" + did_you_mean(s, allowed) +
                   "; allowed: " + join(allowed, ", "));
}

}  // namespace

bool Layer::is_mac_layer() const {
  return kind == LayerKind::Conv || kind == LayerKind::Linear || kind == LayerKind::MatMul;
}

std::int64_t Layer::reduction() const {
  return product("reduction length", {in_channels / groups, kernel_h, kernel_w});
}

std::int64_t Layer::macs() const {
  if (!is_mac_layer()) return 0;
  return product("MAC count", {batch, out_channels, reduction(), out_h, out_w});
}

std::int64_t Layer::stationary_elements() const {
  switch (kind) {
    case LayerKind::Conv:
    case LayerKind::Linear:
      return product("stationary element count", {out_channels, reduction()});
    case LayerKind::MatMul:
      return product("stationary element count", {batch, out_channels, in_channels});
    default:
      return 0;
  }
}

std::int64_t Layer::params() const {
  const std::int64_t weights = kind == LayerKind::Conv || kind == LayerKind::Linear ? stationary_elements() : 0;
  return sum("parameter count", {weights, bias ? out_channels : 0, batch_norm ? product("parameter count", {2, out_channels}) : 0,
                            kind == LayerKind::LayerNorm ? product("parameter count", {rms_norm ? 1 : 2, in_channels}) : 0});
}

std::int64_t Layer::input_elements() const {
  const std::int64_t first = product("input element count", {batch, in_channels, in_h, in_w});
  if (kind != LayerKind::Eltwise) return first;
  return sum("input element count", {first, broadcast_second ? product("input element count", {batch, in_channels}) : first});
}

std::int64_t Layer::output_elements() const { return product("output element count", {batch, out_channels, out_h, out_w}); }

std::int64_t Layer::vector_ops() const {
  switch (kind) {
    case LayerKind::Pool:
      return product("vector operation count", {output_elements(), kernel_h, kernel_w});
    case LayerKind::Eltwise:
    case LayerKind::Activation:
      return output_elements();
    case LayerKind::Softmax:
      return product("vector operation count", {3, output_elements()});  // max, exp-and-sum, normalise
    case LayerKind::LayerNorm:
      // mean, variance, normalise, scale-and-shift; RMSNorm: square-and-sum, normalise, scale
      return product("vector operation count", {rms_norm ? 3 : 4, output_elements()});
    default:
      return 0;
  }
}

std::int64_t Layer::weight_bytes() const {
  // The stationary operand of a MatMul is an activation, stored at activation precision.
  const int bits = kind == LayerKind::MatMul ? input_bits : weight_bits;
  return bytes_of("weight byte count", stationary_elements(), bits);
}
std::int64_t Layer::input_bytes() const { return bytes_of("input byte count", input_elements(), input_bits); }
std::int64_t Layer::output_bytes() const { return bytes_of("output byte count", output_elements(), output_bits); }

void Layer::check_counts() const {
  macs();
  params();
  vector_ops();
  weight_bytes();
  input_bytes();
  output_bytes();
}

namespace {
const char* const kKindNames[] = {"conv", "linear", "matmul", "pool", "eltwise", "activation", "softmax", "layernorm"};
const LayerKind kKinds[] = {LayerKind::Conv,    LayerKind::Linear,     LayerKind::MatMul,  LayerKind::Pool,
                            LayerKind::Eltwise, LayerKind::Activation, LayerKind::Softmax, LayerKind::LayerNorm};
const char* const kPoolNames[] = {"max", "avg", "global_avg"};
const PoolOp kPools[] = {PoolOp::Max, PoolOp::Average, PoolOp::GlobalAverage};
const char* const kEltwiseNames[] = {"add", "mul", "sub", "div"};
const EltwiseOp kEltwises[] = {EltwiseOp::Add, EltwiseOp::Multiply, EltwiseOp::Subtract, EltwiseOp::Divide};
const char* const kActivationNames[] = {"relu", "hswish", "hsigmoid", "gelu",    "clip",
                                        "sigmoid", "tanh", "silu",   "add_const", "mul_const", "rope", "erf", "mask"};
const ActivationOp kActivations[] = {ActivationOp::ReLU,    ActivationOp::HSwish, ActivationOp::HSigmoid,
                                     ActivationOp::GELU,    ActivationOp::Clip,   ActivationOp::Sigmoid,
                                     ActivationOp::Tanh,    ActivationOp::SiLU,   ActivationOp::AddConstant,
                                     ActivationOp::MulConstant, ActivationOp::Rotary, ActivationOp::Erf,
                                     ActivationOp::Mask};
}  // namespace

const char* to_string(LayerKind kind) { return kKindNames[static_cast<int>(kind)]; }
const char* to_string(PoolOp op) { return kPoolNames[static_cast<int>(op)]; }
const char* to_string(EltwiseOp op) { return kEltwiseNames[static_cast<int>(op)]; }
const char* to_string(ActivationOp op) { return kActivationNames[static_cast<int>(op)]; }

LayerKind layer_kind_from_string(const std::string& s) { return from_names(s, kKindNames, kKinds, "layer type"); }
PoolOp pool_op_from_string(const std::string& s) { return from_names(s, kPoolNames, kPools, "pooling op"); }
EltwiseOp eltwise_op_from_string(const std::string& s) {
  return from_names(s, kEltwiseNames, kEltwises, "element-wise op");
}
ActivationOp activation_op_from_string(const std::string& s) {
  return from_names(s, kActivationNames, kActivations, "activation");
}

std::string describe_operation(const Layer& l) {
  auto dims = [](std::int64_t a, std::int64_t b) { return std::to_string(a) + "x" + std::to_string(b); };
  switch (l.kind) {
    case LayerKind::Conv: {
      std::string s = "conv " + dims(l.kernel_h, l.kernel_w);
      if (l.stride != 1) s += " s" + std::to_string(l.stride);
      if (l.groups == l.in_channels && l.groups > 1) s += " dw";
      else if (l.groups > 1) s += " g" + std::to_string(l.groups);
      return s;
    }
    case LayerKind::Linear:
      return "linear";
    case LayerKind::MatMul:
      return "matmul x" + std::to_string(l.batch);
    case LayerKind::Pool:
      return std::string("pool ") + to_string(l.pool) +
             (l.pool == PoolOp::GlobalAverage ? "" : " " + dims(l.kernel_h, l.kernel_w));
    case LayerKind::Eltwise:
      return std::string(to_string(l.eltwise)) + (l.broadcast_second ? " (per channel)" : "");
    case LayerKind::Activation:
      return to_string(l.activation);
    case LayerKind::Softmax:
      return "softmax";
    case LayerKind::LayerNorm:
      return l.rms_norm ? "rmsnorm" : "layernorm";
  }
  return "?";
}

}  // namespace cimnet
