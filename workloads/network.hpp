#pragma once
// A network: layers in a valid execution order, each naming its producers (a DAG where residual
// connections need it).
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/layer.hpp"

namespace cimnet {

struct Network {
  std::string name;
  std::vector<Layer> layers;

  std::int64_t total_macs() const;
  std::int64_t total_params() const;
  std::int64_t total_weight_bytes() const;  // stationary bytes of all MAC layers
  std::int64_t mac_layer_count() const;

  // Throws InputError when a layer names a producer that is not earlier in the list, has a
  // non-positive dimension, has channels that do not divide into its groups, or has a count (MACs,
  // parameters, elements, bytes) beyond kMaxCount; also when a network total is beyond it.
  void validate() const;
};

// Shape of an activation tensor as the builder tracks it: batch × channels × h × w. Token sequences
// are channels = hidden size, h = tokens, w = 1.
struct Tensor {
  int producer = -1;  // layer index, -1 for the network input
  std::int64_t batch = 1, channels = 1, h = 1, w = 1;
  // Bits per element: its producer's output precision (0, the network input: the builder's activation
  // precision). A layer reads its input at the precision it was written in.
  int bits = 0;
  std::int64_t elements() const { return batch * channels * h * w; }
};

// Builds a network layer by layer, deriving output shapes, so that generators and file parsers
// state only what a layer is, never what it computes.
class NetworkBuilder {
 public:
  NetworkBuilder(std::string name, Tensor input);

  Tensor input() const { return input_; }

  // Convolution with padding `padding` (-1: kernel / 2, "same" for odd kernels):
  // out = (in + 2·padding − kernel) / stride + 1.
  Tensor conv(const std::string& name, Tensor in, std::int64_t out_channels, std::int64_t kernel,
              std::int64_t stride = 1, std::int64_t groups = 1, bool bias = false, bool batch_norm = true,
              std::int64_t padding = -1);
  // Linear applied at every position of `in` (P = h, Q = w); for a flat vector h = w = 1.
  Tensor linear(const std::string& name, Tensor in, std::int64_t out_features, bool bias = true);
  // Batched product: for each of batch instances, streamed (rows = h, reduction = channels) times
  // stationary (reduction = channels, columns = h): out[b] = streamed[b] · stationary[b]ᵀ.
  // The stationary operand is an activation (QKᵀ: K; AV: Vᵀ laid out as channels × tokens).
  Tensor matmul(const std::string& name, Tensor streamed, Tensor stationary);
  Tensor pool(const std::string& name, Tensor in, PoolOp op, std::int64_t kernel, std::int64_t stride,
              std::int64_t padding = 0);
  Tensor global_pool(const std::string& name, Tensor in);
  Tensor add(const std::string& name, Tensor a, Tensor b);
  // Element-wise product of two tensors of one shape (a SwiGLU's gate times its up projection).
  Tensor multiply(const std::string& name, Tensor a, Tensor b);
  Tensor scale_channels(const std::string& name, Tensor x, Tensor per_channel);  // squeeze-excite
  Tensor activation(const std::string& name, Tensor in, ActivationOp op);
  Tensor softmax(const std::string& name, Tensor in);
  Tensor layer_norm(const std::string& name, Tensor in, bool rms_norm = false);  // rms_norm: Layer::rms_norm

  // Sets the precision of every layer added from now on.
  // The precision of the layers built from now on: their weights, and the outputs they write (their
  // inputs are read at the precision their producers wrote them in).
  void set_precision(int weight_bits, int activation_bits);
  int weight_bits() const { return weight_bits_; }
  int activation_bits() const { return activation_bits_; }

  Network finish();

 private:
  Tensor eltwise(const std::string& name, Tensor a, Tensor b, EltwiseOp op);
  Tensor push(Layer layer, std::vector<int> inputs);
  Layer make(const std::string& name, LayerKind kind, const Tensor& in) const;

  Network network_;
  Tensor input_;
  int weight_bits_ = 8;
  int activation_bits_ = 8;
};

}  // namespace cimnet
