#include "workloads/network.hpp"

#include <utility>

#include "common/error.hpp"

namespace cimnet {

namespace {

// The sum of one count over all layers, checked against kMaxCount like the layers' own counts.
std::int64_t network_total(const Network& network, const char* what, std::int64_t (Layer::*count)() const) {
  std::int64_t s = 0;
  for (const auto& l : network.layers) {
    if (__builtin_add_overflow(s, (l.*count)(), &s) || s > kMaxCount) {
      throw InputError("network '" + network.name + "': its total " + what + " exceeds 2^53 = " +
                       std::to_string(kMaxCount) + ", the largest count cimnet keeps exactly");
    }
  }
  return s;
}

}  // namespace

std::int64_t Network::total_macs() const { return network_total(*this, "MAC count", &Layer::macs); }

std::int64_t Network::total_params() const { return network_total(*this, "parameter count", &Layer::params); }

std::int64_t Network::total_weight_bytes() const { return network_total(*this, "weight byte count", &Layer::weight_bytes); }

std::int64_t Network::mac_layer_count() const {
  std::int64_t s = 0;
  for (const auto& l : layers) s += l.is_mac_layer() ? 1 : 0;
  return s;
}

void Network::validate() const {
  if (layers.empty()) throw InputError("network '" + name + "' has no layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    const std::string where = "network '" + name + "', layer " + std::to_string(i) + " '" + l.name + "'";
    const std::pair<const char*, std::int64_t> dims[] = {
        {"batch", l.batch},       {"out_channels", l.out_channels}, {"in_channels", l.in_channels},
        {"in_h", l.in_h},         {"in_w", l.in_w},                 {"out_h", l.out_h},
        {"out_w", l.out_w},       {"kernel_h", l.kernel_h},         {"kernel_w", l.kernel_w},
        {"stride", l.stride},     {"groups", l.groups}};
    for (const auto& [dim, value] : dims) {
      if (value <= 0) throw InputError(where + ": " + dim + " must be positive, got " + std::to_string(value));
    }
    if (l.padding < 0) throw InputError(where + ": padding must be at least 0, got " + std::to_string(l.padding));
    if (l.in_channels % l.groups != 0 || l.out_channels % l.groups != 0) {
      throw InputError(where + ": groups (" + std::to_string(l.groups) + ") must divide in_channels (" +
                       std::to_string(l.in_channels) + ") and out_channels (" + std::to_string(l.out_channels) +
                       ")");
    }
    for (int p : l.inputs) {
      if (p < -1 || p >= static_cast<int>(i)) {
        throw InputError(where + ": input " + std::to_string(p) +
                         " is not an earlier layer (layers must be listed in execution order)");
      }
    }
    for (int bits : {l.weight_bits, l.input_bits, l.output_bits}) {
      if (bits <= 0 || bits > 32) throw InputError(where + ": precision must be 1..32 bits, got " + std::to_string(bits));
    }
    try {
      l.check_counts();
    } catch (const InputError& e) {
      throw InputError(where + ": " + e.what());
    }
  }
  total_macs();
  total_params();
  total_weight_bytes();
}

NetworkBuilder::NetworkBuilder(std::string name, Tensor input) : input_(input) {
  network_.name = std::move(name);
  input_.producer = -1;
}

void NetworkBuilder::set_precision(int weight_bits, int activation_bits) {
  weight_bits_ = weight_bits;
  activation_bits_ = activation_bits;
}

Layer NetworkBuilder::make(const std::string& name, LayerKind kind, const Tensor& in) const {
  Layer l;
  l.name = name;
  l.kind = kind;
  l.batch = in.batch;
  l.in_channels = in.channels;
  l.out_channels = in.channels;
  l.in_h = l.out_h = in.h;
  l.in_w = l.out_w = in.w;
  l.weight_bits = weight_bits_;
  l.input_bits = in.bits > 0 ? in.bits : activation_bits_;
  l.output_bits = activation_bits_;
  return l;
}

Tensor NetworkBuilder::push(Layer layer, std::vector<int> inputs) {
  // Checked as each layer arrives, so that a network file's message carries the layer's line.
  layer.check_counts();
  layer.inputs = std::move(inputs);
  Tensor out;
  out.batch = layer.batch;
  out.channels = layer.out_channels;
  out.h = layer.out_h;
  out.w = layer.out_w;
  out.bits = layer.output_bits;
  network_.layers.push_back(std::move(layer));
  out.producer = static_cast<int>(network_.layers.size()) - 1;
  return out;
}

Tensor NetworkBuilder::conv(const std::string& name, Tensor in, std::int64_t out_channels, std::int64_t kernel,
                            std::int64_t stride, std::int64_t groups, bool bias, bool batch_norm,
                            std::int64_t padding) {
  if (padding < 0) padding = kernel / 2;
  Layer l = make(name, LayerKind::Conv, in);
  l.out_channels = out_channels;
  l.kernel_h = l.kernel_w = kernel;
  l.stride = stride;
  l.groups = groups;
  l.bias = bias;
  l.batch_norm = batch_norm;
  l.padding = padding;
  l.out_h = (in.h + 2 * padding - kernel) / stride + 1;
  l.out_w = (in.w + 2 * padding - kernel) / stride + 1;
  return push(std::move(l), {in.producer});
}

Tensor NetworkBuilder::linear(const std::string& name, Tensor in, std::int64_t out_features, bool bias) {
  Layer l = make(name, LayerKind::Linear, in);
  l.out_channels = out_features;
  l.bias = bias;
  return push(std::move(l), {in.producer});
}

Tensor NetworkBuilder::matmul(const std::string& name, Tensor streamed, Tensor stationary) {
  if (streamed.batch != stationary.batch || streamed.channels != stationary.channels || stationary.w != 1 ||
      streamed.w != 1) {
    throw InputError("matmul '" + name + "': operands do not agree (batch and reduction length must match)");
  }
  Layer l = make(name, LayerKind::MatMul, streamed);
  l.out_channels = stationary.h;  // columns of the result
  return push(std::move(l), {streamed.producer, stationary.producer});
}

Tensor NetworkBuilder::pool(const std::string& name, Tensor in, PoolOp op, std::int64_t kernel, std::int64_t stride,
                            std::int64_t padding) {
  Layer l = make(name, LayerKind::Pool, in);
  l.pool = op;
  l.kernel_h = l.kernel_w = kernel;
  l.stride = stride;
  l.padding = padding;
  l.out_h = (in.h + 2 * padding - kernel) / stride + 1;
  l.out_w = (in.w + 2 * padding - kernel) / stride + 1;
  return push(std::move(l), {in.producer});
}

Tensor NetworkBuilder::global_pool(const std::string& name, Tensor in) {
  Layer l = make(name, LayerKind::Pool, in);
  l.pool = PoolOp::GlobalAverage;
  l.kernel_h = in.h;
  l.kernel_w = in.w;
  l.stride = 1;
  l.out_h = l.out_w = 1;
  return push(std::move(l), {in.producer});
}

Tensor NetworkBuilder::add(const std::string& name, Tensor a, Tensor b) { return eltwise(name, a, b, EltwiseOp::Add); }

Tensor NetworkBuilder::multiply(const std::string& name, Tensor a, Tensor b) {
  return eltwise(name, a, b, EltwiseOp::Multiply);
}

Tensor NetworkBuilder::eltwise(const std::string& name, Tensor a, Tensor b, EltwiseOp op) {
  if (a.elements() != b.elements()) {
    throw InputError(std::string(to_string(op)) + " '" + name + "': operands have " + std::to_string(a.elements()) +
                     " and " + std::to_string(b.elements()) + " elements");
  }
  Layer l = make(name, LayerKind::Eltwise, a);
  l.eltwise = op;
  return push(std::move(l), {a.producer, b.producer});
}

Tensor NetworkBuilder::scale_channels(const std::string& name, Tensor x, Tensor per_channel) {
  if (per_channel.channels != x.channels) {
    throw InputError("scale '" + name + "': scale has " + std::to_string(per_channel.channels) +
                     " channels, input " + std::to_string(x.channels));
  }
  Layer l = make(name, LayerKind::Eltwise, x);
  l.eltwise = EltwiseOp::Multiply;
  l.broadcast_second = true;
  return push(std::move(l), {x.producer, per_channel.producer});
}

Tensor NetworkBuilder::activation(const std::string& name, Tensor in, ActivationOp op) {
  Layer l = make(name, LayerKind::Activation, in);
  l.activation = op;
  return push(std::move(l), {in.producer});
}

Tensor NetworkBuilder::softmax(const std::string& name, Tensor in) {
  return push(make(name, LayerKind::Softmax, in), {in.producer});
}

Tensor NetworkBuilder::layer_norm(const std::string& name, Tensor in, bool rms_norm) {
  Layer l = make(name, LayerKind::LayerNorm, in);
  l.rms_norm = rms_norm;
  return push(std::move(l), {in.producer});
}

Network NetworkBuilder::finish() {
  network_.validate();
  return std::move(network_);
}

}  // namespace cimnet
