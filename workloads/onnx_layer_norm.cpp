// Layer normalisation as exporters write it below opset 17, recognised as one LayerNorm layer.
//
// ONNX has LayerNormalization only from opset 17; PyTorch's exporter at opsets 9–16 (and others that
// target them) writes nn.LayerNorm as its arithmetic over the last axis:
//
//   m = ReduceMean(x)   d = Sub(x, m)   p = Pow(d, 2)   v = ReduceMean(p)   e = Add(v, ε)
//   s = Sqrt(e)         q = Div(d, s)   [r = Mul(q, γ)  [y = Add(r, β)]]
//
// Converted node by node, the two reductions and the per-row broadcasts are not cimnet operators. The
// whole chain is one layer normalisation with its affine scale and shift, which is what a vector unit
// runs and what the LayerNormalization node converts to: so the chain becomes that same LayerNorm layer,
// named after its last node, reading x. Only a chain whose intermediate tensors nothing else reads is
// recognised; anything else is converted node by node (and ReduceMean is refused there, naming it). A
// chain without the scale and shift (nn.LayerNorm without elementwise_affine) is refused at its first
// node: cimnet's LayerNorm layer has γ and β, and their pass, so it would count work that is not there.
#include <map>
#include <vector>

#include "workloads/onnx_converter.hpp"

namespace cimnet::onnx_import {
namespace {

bool default_domain(const OnnxNode& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

}  // namespace

void Converter::mark_layer_norms() {
  std::map<std::string, std::vector<const OnnxNode*>> readers;  // tensor -> the nodes reading it
  for (const auto& n : graph_.nodes) {
    for (const auto& i : n.inputs) {
      if (!i.empty()) readers[i].push_back(&n);
    }
  }
  // The one node reading `tensor` when nothing else does (graph outputs count as readers).
  auto only_reader = [&](const std::string& tensor, const char* op) -> const OnnxNode* {
    if (consumers(tensor) != 1) return nullptr;
    const auto it = readers.find(tensor);
    if (it == readers.end() || it->second.size() != 1) return nullptr;
    const OnnxNode* n = it->second.front();
    return n->op_type == op && default_domain(*n) && n->outputs.size() == 1 ? n : nullptr;
  };
  auto constant = [&](const std::string& tensor) {
    const OnnxTensor* t = graph_.tensor(tensor);
    return t != nullptr && t->constant;
  };
  auto scalar_value = [&](const std::string& tensor, double value) {
    const OnnxTensor* t = graph_.tensor(tensor);
    return t != nullptr && t->constant && t->values_known && t->values.size() == 1 && t->values[0] == value;
  };
  // The other input of a two-input node, given one of them; empty when `known` is not one of its inputs.
  auto other_input = [](const OnnxNode& n, const std::string& known) -> std::string {
    if (n.inputs.size() != 2) return {};
    if (n.inputs[0] == known) return n.inputs[1];
    if (n.inputs[1] == known) return n.inputs[0];
    return {};
  };
  // A ReduceMean over the last axis of `input` (rank `rank`) that keeps its dimensions.
  auto mean_over_last_axis = [&](const OnnxNode& n, std::size_t rank) {
    if (n.op_type != "ReduceMean" || !default_domain(n) || n.outputs.size() != 1 || n.inputs.empty()) return false;
    const auto keep = n.attributes.find("keepdims");
    if (keep != n.attributes.end() && keep->second.i && *keep->second.i != 1) return false;
    // Below opset 18 the axes are an attribute (and an exporter at 17 or later writes LayerNormalization).
    const auto attr = n.attributes.find("axes");
    if (attr == n.attributes.end()) return false;
    const std::vector<std::int64_t>& axes = attr->second.ints;
    const auto last = static_cast<std::int64_t>(rank) - 1;
    return axes.size() == 1 && (axes[0] == -1 || axes[0] == last);
  };

  for (const auto& mean : graph_.nodes) {
    if (mean.inputs.empty()) continue;
    const std::string& x = mean.inputs[0];
    const OnnxTensor* xt = graph_.tensor(x);
    if (xt == nullptr || xt->constant || !xt->shape_known || xt->shape.empty()) continue;
    if (!mean_over_last_axis(mean, xt->shape.size())) continue;
    const OnnxNode* sub = only_reader(mean.outputs[0], "Sub");
    if (sub == nullptr || sub->inputs.size() != 2 || sub->inputs[0] != x || sub->inputs[1] != mean.outputs[0]) continue;
    const std::string& d = sub->outputs[0];
    // d is read twice: squared for the variance, and divided by the deviation.
    const auto d_readers = readers.find(d);
    if (consumers(d) != 2 || d_readers == readers.end() || d_readers->second.size() != 2) continue;
    const OnnxNode* pow = nullptr;
    const OnnxNode* div = nullptr;
    for (const OnnxNode* n : d_readers->second) {
      if (n->outputs.size() != 1) continue;
      if (n->op_type == "Pow" && default_domain(*n) && n->inputs.size() == 2 && n->inputs[0] == d &&
          scalar_value(n->inputs[1], 2.0)) {
        pow = n;
      } else if (n->op_type == "Div" && default_domain(*n) && n->inputs.size() == 2 && n->inputs[0] == d) {
        div = n;
      }
    }
    if (pow == nullptr || div == nullptr || consumers(pow->outputs[0]) != 1) continue;
    const auto variance_readers = readers.find(pow->outputs[0]);
    if (variance_readers == readers.end() || variance_readers->second.size() != 1 ||
        !mean_over_last_axis(*variance_readers->second.front(), xt->shape.size())) {
      continue;
    }
    const OnnxNode* variance = variance_readers->second.front();
    if (consumers(variance->outputs[0]) != 1) continue;
    const OnnxNode* add_eps = only_reader(variance->outputs[0], "Add");
    if (add_eps == nullptr || !constant(other_input(*add_eps, variance->outputs[0]))) continue;
    const OnnxNode* sqrt = only_reader(add_eps->outputs[0], "Sqrt");
    if (sqrt == nullptr || sqrt->inputs.size() != 1 || div->inputs[1] != sqrt->outputs[0] ||
        consumers(sqrt->outputs[0]) != 1) {
      continue;
    }
    // The affine scale then shift by constants, which cimnet's LayerNorm layer carries (γ and β).
    std::vector<const OnnxNode*> chain = {&mean, sub, pow, variance, add_eps, sqrt, div};
    const OnnxNode* scale = only_reader(div->outputs[0], "Mul");
    const OnnxNode* shift =
        scale != nullptr && constant(other_input(*scale, div->outputs[0])) ? only_reader(scale->outputs[0], "Add") : nullptr;
    if (shift == nullptr || !constant(other_input(*shift, scale->outputs[0]))) {
      without_affine_.insert(mean.name);
      continue;
    }
    chain.push_back(scale);
    chain.push_back(shift);
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) absorbed_.insert(chain[k]->name);
    layer_norm_of_[chain.back()->name] = x;
  }
}

void Converter::refuse_layer_norm_without_affine() const {
  fail("it starts a layer normalisation (mean, variance, normalise over the last axis) without a scale by a "
       "constant γ and a shift by a constant β after it; cimnet's LayerNorm layer has both");
}

void Converter::convert_layer_norm(const std::string& x) {
  const auto it = values_.find(x);
  if (it == values_.end()) fail("its normalised tensor '" + onnx_printable(x) + "' is not produced before it");
  const Value input = it->second;  // push() may add values
  const View v = view(input);
  push(make_layer(LayerKind::LayerNorm, v, v, input), input.producers, input.spatial);
}

}  // namespace cimnet::onnx_import
