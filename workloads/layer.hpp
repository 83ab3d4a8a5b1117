#pragma once
// One layer of a DNN, in the loop-nest view the mapper and the simulator need.
//
// Every layer, MAC or not, is described by the same seven loop dimensions (Timeloop's N K C P Q R S)
// plus stride and groups, so one cost model can read any of them:
//   batch (N)        independent problem instances: attention heads for QKᵀ / AV, else 1
//   out_channels (K) output channels / output features / columns of the stationary matrix
//   in_channels (C)  input channels over all groups / input features / reduction length of a matmul
//   out_h, out_w (P, Q)  output positions; for token-wise linears and matmuls P = tokens, Q = 1
//   kernel_h, kernel_w (R, S)
// A layer's "stationary" operand is what a compute-in-memory array would hold: the weights of a
// convolution or linear, or — for attention matmuls — an activation (K or V), which must be written
// into the arrays at run time. Batch norm is folded into the preceding convolution at inference and
// is an attribute, not a layer; it still counts in the parameter total (OFA/torchprofile convention).
#include <cstdint>
#include <string>
#include <vector>

namespace cimnet {

// The largest count cimnet keeps for one layer or one network: MACs, parameters, elements, bytes and
// vector operations are at most 2^53. Such counts are exact as doubles (reports, JSON, predictors), and
// the small factors later code multiplies them by (bits, cycles per element) keep them far from the
// int64 limit. Network files within their documented dimension limits can still exceed it (a 2^20-
// channel convolution with a 1024x1024 kernel); each count below is computed with checked arithmetic
// and throws InputError naming the count instead of wrapping around, and Network::validate adds the
// layer's name.
inline constexpr std::int64_t kMaxCount = std::int64_t{1} << 53;

enum class LayerKind {
  Conv,            // convolution, including depthwise (groups == C) and pointwise (R = S = 1)
  Linear,          // fully connected / token-wise linear: a 1×1 convolution over P×Q positions
  MatMul,          // activation × activation (attention QKᵀ and AV), batched over heads
  Pool,            // max / average / global average pooling
  Eltwise,         // element-wise add (residual) or multiply (squeeze-excite scaling)
  Activation,      // ReLU, h-swish, h-sigmoid, GELU, clip, sigmoid, tanh, SiLU, tensor op constant
  Softmax,
  LayerNorm,
};

enum class PoolOp { Max, Average, GlobalAverage };
enum class EltwiseOp { Add, Multiply, Subtract, Divide };
// Unary element-wise functions of the vector unit. AddConstant and MulConstant are a tensor plus or
// times a constant (an attention scale, a learned shift): one operand streams, the other is a constant.
// Rotary applies rotary position embeddings (RoPE) to queries or keys; Erf is the error function (GELU
// as exported below opset 20: x · 0.5 · (1 + erf(x / √2)), each step a vector layer of its own).
// Mask: a masked fill (ONNX Where with a constant condition: attention's causal mask), one op per element.
enum class ActivationOp { ReLU, HSwish, HSigmoid, GELU, Clip, Sigmoid, Tanh, SiLU, AddConstant, MulConstant, Rotary, Erf, Mask };

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;

  // Loop dimensions (see the file comment).
  std::int64_t batch = 1;
  std::int64_t out_channels = 1;
  std::int64_t in_channels = 1;
  std::int64_t in_h = 1, in_w = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride = 1;
  std::int64_t groups = 1;
  // Rows (and columns) of zeros before the first input row of a windowed layer (conv, pool): output row
  // r reads input rows r·stride − padding .. r·stride − padding + kernel_h − 1 (those inside the input).
  // Depth-first tiling (mapping/row_bands.hpp) needs it; the per-layer mapping does not.
  std::int64_t padding = 0;

  bool bias = false;        // a bias per output channel (counts in params)
  // LayerNorm only: RMSNorm (Llama), which neither centres nor shifts: one parameter per feature (γ) and
  // three passes per element (square-and-sum, normalise, scale) instead of four.
  bool rms_norm = false;
  bool batch_norm = false;  // folded batch norm after this layer: 2 params per output channel

  // Operation of non-MAC layers.
  PoolOp pool = PoolOp::Max;
  EltwiseOp eltwise = EltwiseOp::Add;
  ActivationOp activation = ActivationOp::ReLU;
  // Eltwise multiply whose second operand is one value per channel (squeeze-excite scaling).
  bool broadcast_second = false;
  // MatMul only: the stationary operand is state that persists from one inference to the next — a
  // decode step's KV cache (workloads/llm.hpp), which the earlier steps wrote and the next step reads
  // again — rather than an activation new every inference. Like weights, it may then stay in the arrays
  // over a stream of inferences where the execution policy keeps weights resident (mapping/residency.hpp).
  bool persistent_stationary = false;

  // Operand precisions in bits.
  int weight_bits = 8;
  int input_bits = 8;
  int output_bits = 8;

  // Producers of this layer's operands: indices of earlier layers in the network, or -1 for the
  // network input. For MatMul the first is the streamed operand, the second the stationary one.
  std::vector<int> inputs;

  bool is_mac_layer() const;  // Conv, Linear or MatMul: runs on the arrays' compute cores

  // Every count below throws InputError when it would exceed kMaxCount (see above).

  // Multiply-accumulates (torchprofile convention: conv, linear, matmul only).
  std::int64_t macs() const;
  // Reduction length of one output value: C/groups · R · S.
  std::int64_t reduction() const;
  // Elements of the stationary operand: weights (K · C/groups · R · S), or for MatMul the
  // activation operand batch · K · C. Zero for non-MAC layers.
  std::int64_t stationary_elements() const;
  // Trainable parameters (weights, biases, 2 per channel of folded batch norm, LayerNorm γ and β).
  std::int64_t params() const;
  // Elements of all streamed inputs together (for Eltwise both operands; for MatMul the first only).
  std::int64_t input_elements() const;
  std::int64_t output_elements() const;
  // Element operations of non-MAC work for a vector unit (one per output element per kernel tap
  // for pooling, one per element otherwise; softmax and layer norm count a few passes per element).
  std::int64_t vector_ops() const;

  std::int64_t weight_bytes() const;  // bytes of the stationary operand
  std::int64_t input_bytes() const;
  std::int64_t output_bytes() const;

  // Computes every count once: InputError naming the first that exceeds kMaxCount.
  void check_counts() const;
};

const char* to_string(LayerKind kind);
const char* to_string(PoolOp op);
const char* to_string(EltwiseOp op);
const char* to_string(ActivationOp op);
// Names as written in network files; throw InputError listing the allowed names.
LayerKind layer_kind_from_string(const std::string& s);
PoolOp pool_op_from_string(const std::string& s);
EltwiseOp eltwise_op_from_string(const std::string& s);
ActivationOp activation_op_from_string(const std::string& s);

// A short human-readable description of the operation, e.g. "op kind detail" for tables.
std::string describe_operation(const Layer& layer);

}  // namespace cimnet
