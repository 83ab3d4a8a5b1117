#include "workloads/onnx_import.hpp"

#include <algorithm>
#include <filesystem>

#include "common/error.hpp"
#include "common/text.hpp"
#include "workloads/onnx_chain.hpp"
#include "workloads/onnx_converter.hpp"

namespace cimnet {
namespace onnx_import {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? "," : "") + std::to_string(shape[k]);
  return s + "]";
}

Converter::Converter(const OnnxGraph& graph) : graph_(graph) {
  network_.name = graph.name;
  for (const auto& name : graph.inputs) {
    const OnnxTensor& t = graph.tensors.at(name);
    Value v;
    v.producers = {-1};
    v.shape = t.shape;
    v.spatial = t.shape.size() == 4;
    v.elem_type = t.elem_type;
    values_[name] = v;
  }
  for (const auto& [name, t] : graph.tensors) {
    if (!t.constant) continue;
    Value v;
    v.constant = true;
    v.shape = t.shape;
    v.elem_type = t.elem_type;
    values_[name] = v;
  }
  for (const auto& n : graph.nodes) {
    for (const auto& i : n.inputs) {
      if (!i.empty()) ++consumers_[i];
    }
  }
  for (const auto& o : graph.outputs) ++consumers_[o];
}

void Converter::fail(const std::string& message) const {
  if (!node_) throw InputError(graph_.file + ": " + onnx_printable(message));
  throw InputError(graph_.file + ": " +
                   onnx_printable("node '" + node_->name + "' (" + (node_->domain.empty() ? "" : node_->domain + ".") +
                                  node_->op_type + "): " + message));
}

bool Converter::has_input(std::size_t k) const { return k < node_->inputs.size() && !node_->inputs[k].empty(); }

const Value& Converter::input(std::size_t k) const {
  if (!has_input(k)) fail("input " + std::to_string(k) + " is missing");
  const auto it = values_.find(node_->inputs[k]);
  if (it == values_.end()) {
    fail("input '" + node_->inputs[k] + "' is produced by no earlier node, initializer or graph input");
  }
  return it->second;
}

const OnnxTensor& Converter::tensor(const std::string& name) const {
  const OnnxTensor* t = graph_.tensor(name);
  if (!t) fail("tensor '" + name + "' has no type or shape in the file, and inference gave none");
  return *t;
}

std::vector<std::int64_t> Converter::output_shape(std::size_t k) const {
  if (k >= node_->outputs.size()) fail("output " + std::to_string(k) + " is missing");
  const OnnxTensor* t = graph_.tensor(node_->outputs[k]);
  if (!t || !t->shape_known) {
    fail("the shape of its output '" + node_->outputs[k] +
         "' is not known after shape inference (a dynamic shape: give sizes with --batch or --onnx-dim)");
  }
  return t->shape;
}

std::int64_t Converter::int_attribute(const std::string& name, std::int64_t fallback) const {
  const auto it = node_->attributes.find(name);
  if (it == node_->attributes.end()) return fallback;
  if (!it->second.i) fail("attribute '" + name + "' is not an integer");
  return *it->second.i;
}

std::vector<std::int64_t> Converter::ints_attribute(const std::string& name) const {
  const auto it = node_->attributes.find(name);
  return it == node_->attributes.end() ? std::vector<std::int64_t>{} : it->second.ints;
}

void Converter::only_attributes(std::initializer_list<const char*> known) const {
  for (const auto& [name, attribute] : node_->attributes) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; })) {
      std::vector<std::string> allowed(known.begin(), known.end());
      fail("attribute '" + name + "' is not supported" +
           (allowed.empty() ? std::string("; the operator takes none") : "; supported: " + join(allowed, ", ")));
    }
  }
}

int Converter::consumers(const std::string& tensor) const {
  const auto it = consumers_.find(tensor);
  return it == consumers_.end() ? 0 : it->second;
}

View Converter::view(const Value& v) const {
  const auto& s = v.shape;
  View out;
  if (s.size() == 4 && v.spatial) return View{s[0], s[1], s[2], s[3]};
  if (s.empty()) return out;
  out.channels = s.back();
  if (s.size() >= 2) out.h = s[s.size() - 2];
  for (std::size_t k = 0; k + 2 < s.size(); ++k) out.batch *= s[k];
  return out;
}

Layer Converter::make_layer(LayerKind kind, const View& in, const View& out, const Value& from) const {
  Layer l;
  l.name = node_->name;
  for (int k = 2; layer_names_.count(l.name); ++k) l.name = node_->name + "_" + std::to_string(k);
  l.kind = kind;
  l.batch = in.batch;
  l.in_channels = in.channels;
  l.in_h = in.h;
  l.in_w = in.w;
  l.out_channels = out.channels;
  l.out_h = out.h;
  l.out_w = out.w;
  l.input_bits = from.bits;
  return l;
}

int Converter::push(Layer layer, std::vector<int> inputs, bool spatial) {
  layer.inputs = std::move(inputs);
  try {
    layer.check_counts();
  } catch (const InputError& e) {
    fail(e.what());
  }
  layer_names_.insert(layer.name);
  Value out;
  out.bits = layer.output_bits;
  network_.layers.push_back(std::move(layer));
  const int index = static_cast<int>(network_.layers.size()) - 1;
  out.producers = {index};
  out.direct_of = index;
  out.shape = output_shape(0);
  out.spatial = spatial;
  values_[node_->outputs[0]] = out;
  return index;
}

int Converter::single_producer(const Value& v, const char* operand) const {
  if (v.producers.size() != 1) {
    fail(std::string("its ") + operand + " operand joins " + std::to_string(v.producers.size()) +
         " tensors (a Concat); cimnet's layers take one producer per operand here");
  }
  return v.producers.front();
}

void Converter::bind(std::size_t output, Value v) {
  if (output < node_->outputs.size() && !node_->outputs[output].empty()) values_[node_->outputs[output]] = std::move(v);
}

// Mul(x, Sigmoid(x)) with the Sigmoid read by that Mul alone is one SiLU layer (PyTorch exports
// nn.SiLU so below opset 14's HardSwish era, and Llama's gate likewise).
void Converter::mark_silu() {
  std::map<std::string, const OnnxNode*> sigmoid_of_output;
  for (const auto& n : graph_.nodes) {
    if (n.op_type == "Sigmoid" && n.domain.empty() && n.inputs.size() == 1 && n.outputs.size() == 1) {
      sigmoid_of_output[n.outputs[0]] = &n;
    }
  }
  for (const auto& n : graph_.nodes) {
    if (n.op_type != "Mul" || !n.domain.empty() || n.inputs.size() != 2) continue;
    for (int k = 0; k < 2; ++k) {
      const auto it = sigmoid_of_output.find(n.inputs[static_cast<std::size_t>(k)]);
      if (it == sigmoid_of_output.end()) continue;
      const OnnxNode& sig = *it->second;
      if (sig.inputs[0] == n.inputs[static_cast<std::size_t>(1 - k)] && consumers(sig.outputs[0]) == 1) {
        absorbed_.insert(sig.name);
        silu_[n.name] = static_cast<std::size_t>(1 - k);
        break;
      }
    }
  }
}

void Converter::convert_fold(const Fold& fold) {
  const auto it = values_.find(fold.x);
  if (it == values_.end()) fail("the tensor '" + onnx_printable(fold.x) + "' it reads is not produced before it");
  const Value input = it->second;  // push() adds values
  const View v = view(input);
  const bool activation = fold.kind == Fold::Kind::Gelu || fold.kind == Fold::Kind::Rotary;
  Layer l = make_layer(activation ? LayerKind::Activation : LayerKind::LayerNorm, v, v, input);
  if (fold.kind == Fold::Kind::Gelu) l.activation = ActivationOp::GELU;
  if (fold.kind == Fold::Kind::Rotary) l.activation = ActivationOp::Rotary;
  l.rms_norm = fold.kind == Fold::Kind::RmsNorm;
  push(std::move(l), input.producers, input.spatial);
}

void Converter::convert_node() {
  if (absorbed_.count(node_->name)) return;
  if (const auto fold = folds_.find(node_->name); fold != folds_.end()) return convert_fold(fold->second);
  if (without_affine_.count(node_->name)) refuse_layer_norm_without_affine();
  if (silu_.count(node_->name)) return convert_operator(*this);  // reads x only: its Sigmoid is folded in
  // Shape arithmetic and constants: a node reading constants only is folded away, whatever its type.
  if (ChainReader::folds_to_constant(*node_, [&](std::size_t k) { return input(k).constant; })) {
    for (std::size_t k = 0; k < node_->outputs.size(); ++k) {
      Value v;
      v.constant = true;
      if (const OnnxTensor* t = graph_.tensor(node_->outputs[k])) v.shape = t->shape;
      bind(k, v);
    }
    return;
  }
  convert_operator(*this);
}

Network Converter::convert() {
  mark_silu();
  const ChainReader chains(graph_, consumers_);
  mark_layer_norms(chains);
  mark_rms_norms(chains);
  mark_gelus(chains);
  mark_rotaries(chains);
  for (const auto& n : graph_.nodes) {
    node_ = &n;
    convert_node();
  }
  node_ = nullptr;
  if (network_.layers.empty()) fail("the graph has no node that computes (cimnet needs at least one layer)");
  if (network_.name.empty()) network_.name = std::filesystem::path(graph_.file).stem().string();
  try {
    network_.validate();
  } catch (const InputError& e) {
    fail(e.what());
  }
  return network_;
}

}  // namespace onnx_import

Network onnx_to_network(const OnnxGraph& graph) { return onnx_import::Converter(graph).convert(); }

Network load_onnx_file(const std::string& path, const OnnxDims& dims) {
  return onnx_to_network(read_onnx_graph(path, dims));
}

}  // namespace cimnet
