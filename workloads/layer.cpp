#include "workloads/layer.hpp"

#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {
namespace {

std::int64_t bytes_of(std::int64_t elements, int bits) { return (elements * bits + 7) / 8; }

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

std::int64_t Layer::reduction() const { return (in_channels / groups) * kernel_h * kernel_w; }

std::int64_t Layer::macs() const {
  if (!is_mac_layer()) return 0;
  return batch * out_channels * reduction() * out_h * out_w;
}

std::int64_t Layer::stationary_elements() const {
  switch (kind) {
    case LayerKind::Conv:
    case LayerKind::Linear:
      return out_channels * reduction();
    case LayerKind::MatMul:
      return batch * out_channels * in_channels;
    default:
      return 0;
  }
}

std::int64_t Layer::params() const {
  std::int64_t p = 0;
  if (kind == LayerKind::Conv || kind == LayerKind::Linear) p += stationary_elements();
  if (bias) p += out_channels;
  if (batch_norm) p += 2 * out_channels;
  if (kind == LayerKind::LayerNorm) p += 2 * in_channels;
  return p;
}

std::int64_t Layer::input_elements() const {
  const std::int64_t first = batch * in_channels * in_h * in_w;
  if (kind == LayerKind::Eltwise) return first + (broadcast_second ? batch * in_channels : first);
  return first;
}

std::int64_t Layer::output_elements() const { return batch * out_channels * out_h * out_w; }

std::int64_t Layer::vector_ops() const {
  switch (kind) {
    case LayerKind::Pool:
      return output_elements() * kernel_h * kernel_w;
    case LayerKind::Eltwise:
    case LayerKind::Activation:
      return output_elements();
    case LayerKind::Softmax:
      return 3 * output_elements();  // max, exp-and-sum, normalise
    case LayerKind::LayerNorm:
      return 4 * output_elements();  // mean, variance, normalise, scale-and-shift
    default:
      return 0;
  }
}

std::int64_t Layer::weight_bytes() const {
  // The stationary operand of a MatMul is an activation, stored at activation precision.
  const int bits = kind == LayerKind::MatMul ? input_bits : weight_bits;
  return bytes_of(stationary_elements(), bits);
}
std::int64_t Layer::input_bytes() const { return bytes_of(input_elements(), input_bits); }
std::int64_t Layer::output_bytes() const { return bytes_of(output_elements(), output_bits); }

namespace {
const char* const kKindNames[] = {"conv", "linear", "matmul", "pool", "eltwise", "activation", "softmax", "layernorm"};
const LayerKind kKinds[] = {LayerKind::Conv,    LayerKind::Linear,     LayerKind::MatMul,  LayerKind::Pool,
                            LayerKind::Eltwise, LayerKind::Activation, LayerKind::Softmax, LayerKind::LayerNorm};
const char* const kPoolNames[] = {"max", "avg", "global_avg"};
const PoolOp kPools[] = {PoolOp::Max, PoolOp::Average, PoolOp::GlobalAverage};
const char* const kEltwiseNames[] = {"add", "mul"};
const EltwiseOp kEltwises[] = {EltwiseOp::Add, EltwiseOp::Multiply};
const char* const kActivationNames[] = {"relu", "hswish", "hsigmoid", "gelu"};
const ActivationOp kActivations[] = {ActivationOp::ReLU, ActivationOp::HSwish, ActivationOp::HSigmoid,
                                     ActivationOp::GELU};
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
      return "layernorm";
  }
  return "?";
}

}  // namespace cimnet
