// Rotary position embeddings as exporters write them, recognised as one rotary activation layer.
//
// ONNX has no rotary operator before opset 23; PyTorch exports Llama's q · cos + rotate_half(q) · sin,
// with rotate_half(x) = concat(−x[..., d/2:], x[..., :d/2]), as
//
//   first = Slice(x, 0 .. d/2, last axis)     second = Slice(x, d/2 .. d, last axis)
//   y = Add(Mul(x, cos), Mul(Concat(Neg(second), first), sin))
//
// with cos and sin computed from constants only (tables, or a Gather of them at the positions).
// Converted node by node that is four vector layers (a negation, two products by a constant, an
// element-wise add); a vector unit with a rotary function (as cimnet's `--llm` models have it, one
// `rope` layer per query and key) does it in one pass. So the chain becomes one rotary activation,
// named after its Add, reading x. Only a chain whose intermediate tensors nothing else reads, whose
// Slices halve x's last axis, is recognised; anything else converts node by node.
#include <map>
#include <set>
#include <vector>

#include "workloads/onnx_chain.hpp"
#include "workloads/onnx_converter.hpp"

namespace cimnet::onnx_import {
namespace {

// Tensors computed from constants only: the initializers, and the outputs of the nodes the converter
// folds away (ChainReader::folds_to_constant).
std::set<std::string> computed_from_constants(const OnnxGraph& graph) {
  std::set<std::string> known;
  const auto constant = [&](const std::string& tensor) {
    const OnnxTensor* t = graph.tensor(tensor);
    return known.count(tensor) > 0 || (t != nullptr && t->constant);
  };
  for (const auto& n : graph.nodes) {
    if (ChainReader::folds_to_constant(n, [&](std::size_t k) { return constant(n.inputs[k]); })) {
      known.insert(n.outputs.begin(), n.outputs.end());
    }
  }
  return known;
}

// A Slice of `x` on its last axis (axis −1 or rank − 1) from `begin` to `end` (an end past the axis
// counts as its end), with steps of 1.
bool slices_last_axis(const ChainReader& chains, const OnnxGraph& graph, const OnnxNode& s, const std::string& x,
                      std::int64_t begin, std::int64_t end) {
  if (s.inputs.size() < 4 || !ChainReader::is(s, "Slice", s.inputs.size()) || s.inputs[0] != x) return false;
  const OnnxTensor* t = graph.tensor(x);
  if (t == nullptr || !t->shape_known || t->shape.empty()) return false;
  const auto rank = static_cast<double>(t->shape.size());
  const std::int64_t d = t->shape.back();
  if (!chains.scalar(s.inputs[3], -1) && !chains.scalar(s.inputs[3], rank - 1)) return false;
  if (s.inputs.size() > 4 && !s.inputs[4].empty() && !chains.scalar(s.inputs[4], 1)) return false;
  if (!chains.scalar(s.inputs[1], static_cast<double>(begin))) return false;
  if (end == d) {
    const OnnxTensor* e = graph.tensor(s.inputs[2]);
    return e != nullptr && e->constant && e->values_known && e->values.size() == 1 &&
           e->values[0] >= static_cast<double>(d);
  }
  return chains.scalar(s.inputs[2], static_cast<double>(end));
}

}  // namespace

void Converter::mark_rotaries(const ChainReader& chains) {
  const std::set<std::string> computed = computed_from_constants(graph_);
  const auto constant = [&](const std::string& tensor) { return computed.count(tensor) > 0 || chains.constant(tensor); };
  std::map<std::string, const OnnxNode*> producer;
  for (const auto& n : graph_.nodes) {
    for (const auto& out : n.outputs) producer[out] = &n;
  }
  const auto made_by = [&](const std::string& tensor) -> const OnnxNode* {
    const auto it = producer.find(tensor);
    return it == producer.end() ? nullptr : it->second;
  };
  for (const auto& neg : graph_.nodes) {
    if (!ChainReader::is(neg, "Neg", 1)) continue;
    const OnnxNode* second = made_by(neg.inputs[0]);
    if (second == nullptr || second->op_type != "Slice" || second->inputs.empty()) continue;
    const std::string x = second->inputs[0];
    const OnnxTensor* xt = graph_.tensor(x);
    if (constant(x) || xt == nullptr || !xt->shape_known || xt->shape.empty() || xt->shape.back() % 2 != 0) continue;
    const std::int64_t d = xt->shape.back();
    const OnnxNode* concat = chains.only_reader(neg.outputs[0], "Concat");
    if (concat == nullptr || concat->inputs.size() != 2 || concat->inputs[0] != neg.outputs[0]) continue;
    const OnnxNode* first = made_by(concat->inputs[1]);
    if (first == nullptr || chains.only_reader(first->outputs[0], "Concat") != concat) continue;
    if (chains.only_reader(second->outputs[0], "Neg") != &neg) continue;
    if (!slices_last_axis(chains, graph_, *first, x, 0, d / 2) || !slices_last_axis(chains, graph_, *second, x, d / 2, d)) {
      continue;
    }
    const OnnxNode* by_sin = chains.only_reader(concat->outputs[0], "Mul");
    if (by_sin == nullptr || by_sin->inputs.size() != 2 ||
        !constant(ChainReader::other_input(*by_sin, concat->outputs[0]))) {
      continue;
    }
    const OnnxNode* sum = chains.only_reader(by_sin->outputs[0], "Add");
    if (sum == nullptr || sum->inputs.size() != 2) continue;
    const OnnxNode* by_cos = made_by(ChainReader::other_input(*sum, by_sin->outputs[0]));
    if (by_cos == nullptr || !ChainReader::is(*by_cos, "Mul", 2) || chains.only_reader(by_cos->outputs[0], "Add") != sum ||
        !constant(ChainReader::other_input(*by_cos, x))) {
      continue;
    }
    for (const OnnxNode* n : {first, second, static_cast<const OnnxNode*>(&neg), concat, by_sin, by_cos}) {
      absorbed_.insert(n->name);
    }
    folds_[sum->name] = Fold{Fold::Kind::Rotary, x};
  }
}

}  // namespace cimnet::onnx_import
