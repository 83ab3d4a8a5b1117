#pragma once
// The state of one ONNX-to-network conversion (workloads/onnx_import.hpp), shared by the dispatcher
// (onnx_import.cpp) and the operator handlers (onnx_operators.cpp). Not part of the public interface.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "workloads/network.hpp"
#include "workloads/onnx_graph.hpp"

namespace cimnet::onnx_import {

class ChainReader;  // onnx_chain.hpp

// What a tensor of the graph is, as cimnet sees it.
struct Value {
  std::vector<int> producers;          // layers behind it (-1: the network input); several after Concat
  std::vector<std::int64_t> shape;
  bool spatial = false;                // laid out N×C×H×W (a conv or pool's tensor), else features last
  int bits = 8;                        // the precision its producer wrote it in
  bool constant = false;               // an initializer, or computed from constants only
  int direct_of = -1;                  // the layer whose output this is, not through a layout edge
  int elem_type = 0;
};

// A tensor in cimnet's loop-nest view (workloads/layer.hpp): batch × channels × h × w.
struct View {
  std::int64_t batch = 1, channels = 1, h = 1, w = 1;
  std::int64_t elements() const { return batch * channels * h * w; }
};

class Converter {
 public:
  explicit Converter(const OnnxGraph& graph);
  Network convert();

  // Used by the operator handlers.
  [[noreturn]] void fail(const std::string& message) const;  // names the file and the current node
  const OnnxNode& node() const { return *node_; }
  const Value& input(std::size_t k) const;     // the node's k-th input (must be present)
  bool has_input(std::size_t k) const;
  const OnnxTensor& tensor(const std::string& name) const;
  std::vector<std::int64_t> output_shape(std::size_t k = 0) const;  // inferred; fails when unknown
  std::int64_t int_attribute(const std::string& name, std::int64_t fallback) const;
  std::vector<std::int64_t> ints_attribute(const std::string& name) const;
  bool has_attribute(const std::string& name) const { return node_->attributes.count(name) > 0; }
  // Fails naming the attribute when the node has one not in `known`.
  void only_attributes(std::initializer_list<const char*> known) const;
  int consumers(const std::string& tensor) const;

  View view(const Value& v) const;
  // A layer named after the node, its dims set from `in` (input) and `out` (output), its input
  // precision from `from`; appended to the network, its output bound to the node's output 0.
  Layer make_layer(LayerKind kind, const View& in, const View& out, const Value& from) const;
  int push(Layer layer, std::vector<int> inputs, bool spatial);
  // The single producer of a positional operand (an eltwise or matmul operand cannot be a Concat).
  int single_producer(const Value& v, const char* operand) const;
  void bind(std::size_t output, Value v);  // the node's output `output` is `v`
  Layer& layer(int index) { return network_.layers[static_cast<std::size_t>(index)]; }
  bool absorbed(const std::string& node_name) const { return absorbed_.count(node_name) > 0; }

 private:
  void convert_node();
  void mark_silu();
  // Chains of nodes read as one layer: a layer norm or an RMSNorm (onnx_layer_norm.cpp), a GELU
  // (onnx_gelu.cpp) or rotary embeddings (onnx_rotary.cpp) written as their arithmetic. The chain's last
  // node becomes the layer, reading `x`; the others are absorbed.
  struct Fold {
    enum class Kind { LayerNorm, RmsNorm, Gelu, Rotary } kind;
    std::string x;
  };
  void mark_layer_norms(const ChainReader& chains);
  void mark_rms_norms(const ChainReader& chains);
  void mark_gelus(const ChainReader& chains);
  void mark_rotaries(const ChainReader& chains);
  void convert_fold(const Fold& fold);
  [[noreturn]] void refuse_layer_norm_without_affine() const;

  const OnnxGraph& graph_;
  const OnnxNode* node_ = nullptr;
  Network network_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> consumers_;
  std::set<std::string> layer_names_;
  std::set<std::string> absorbed_;  // nodes folded into a later one: a SiLU's Sigmoid, a chain's (Fold)
  std::map<std::string, std::size_t> silu_;  // those Mul nodes -> their operand x
  std::map<std::string, Fold> folds_;     // the last node of each such chain -> what it is
  std::set<std::string> without_affine_;  // the first node of one without its scale and shift
  friend void convert_operator(Converter& c);
  friend std::optional<std::size_t> silu_operand(const Converter& c);
};

std::string shape_text(const std::vector<std::int64_t>& shape);  // "[1,3,224,224]"

// The handler of the current node's operator; fails for an operator cimnet does not read.
void convert_operator(Converter& c);
// For Mul(x, Sigmoid(x)) folded into one SiLU: the index of x among the Mul's inputs.
std::optional<std::size_t> silu_operand(const Converter& c);

}  // namespace cimnet::onnx_import
