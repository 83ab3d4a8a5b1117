// Layer normalisation (and RMSNorm, below) as exporters write them, recognised as one LayerNorm layer.
//
// ONNX has LayerNormalization only from opset 17; PyTorch's exporter at opsets 9–16 (and others that
// target them) writes nn.LayerNorm as its arithmetic over the last axis:
//
//   m = ReduceMean(x)   d = Sub(x, m)   p = Pow(d, 2)   v = ReduceMean(p)   e = Add(v, ε)
//   s = Sqrt(e)         q = Div(d, s)   r = Mul(q, γ)   y = Add(r, β)
//
// Converted node by node, the two reductions and the per-row broadcasts are not cimnet operators. The
// whole chain is one layer normalisation with its affine scale and shift, which is what a vector unit
// runs and what the LayerNormalization node converts to: so the chain becomes that same LayerNorm layer,
// named after its last node, reading x. Only a chain whose intermediate tensors nothing else reads is
// recognised; anything else is converted node by node (and ReduceMean is refused there, naming it). A
// chain without the scale and shift (nn.LayerNorm without elementwise_affine) is refused at its first
// node: cimnet's LayerNorm layer has γ and β, and their pass, so it would count work that is not there.
#include <vector>

#include "workloads/onnx_chain.hpp"
#include "workloads/onnx_converter.hpp"

namespace cimnet::onnx_import {
namespace {

// A ReduceMean over the last axis of a tensor of rank `rank` that keeps its dimensions. Below opset 18
// the axes are an attribute (and an exporter at 17 or later writes LayerNormalization).
bool mean_over_last_axis(const OnnxNode& n, std::size_t rank) {
  if (!ChainReader::is(n, "ReduceMean", 1)) return false;
  const auto keep = n.attributes.find("keepdims");
  if (keep != n.attributes.end() && keep->second.i && *keep->second.i != 1) return false;
  const auto attr = n.attributes.find("axes");
  if (attr == n.attributes.end()) return false;
  const std::vector<std::int64_t>& axes = attr->second.ints;
  const auto last = static_cast<std::int64_t>(rank) - 1;
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == last);
}

}  // namespace

void Converter::mark_layer_norms(const ChainReader& chains) {
  for (const auto& mean : graph_.nodes) {
    if (mean.inputs.empty()) continue;
    const std::string& x = mean.inputs[0];
    const OnnxTensor* xt = graph_.tensor(x);
    if (xt == nullptr || xt->constant || !xt->shape_known || xt->shape.empty()) continue;
    if (!mean_over_last_axis(mean, xt->shape.size())) continue;
    const OnnxNode* sub = chains.only_reader(mean.outputs[0], "Sub");
    if (sub == nullptr || sub->inputs.size() != 2 || sub->inputs[0] != x || sub->inputs[1] != mean.outputs[0]) continue;
    const std::string& d = sub->outputs[0];
    // d is read twice: squared for the variance, and divided by the deviation.
    const auto& d_readers = chains.readers(d);
    if (consumers(d) != 2 || d_readers.size() != 2) continue;
    const OnnxNode* pow = nullptr;
    const OnnxNode* div = nullptr;
    for (const OnnxNode* n : d_readers) {
      if (ChainReader::is(*n, "Pow", 2) && n->inputs[0] == d && chains.scalar(n->inputs[1], 2.0)) pow = n;
      if (ChainReader::is(*n, "Div", 2) && n->inputs[0] == d) div = n;
    }
    if (pow == nullptr || div == nullptr || consumers(pow->outputs[0]) != 1) continue;
    const auto& variance_readers = chains.readers(pow->outputs[0]);
    if (variance_readers.size() != 1 || !mean_over_last_axis(*variance_readers.front(), xt->shape.size())) continue;
    const OnnxNode* variance = variance_readers.front();
    const OnnxNode* add_eps = chains.only_reader(variance->outputs[0], "Add");
    if (add_eps == nullptr || !chains.constant(ChainReader::other_input(*add_eps, variance->outputs[0]))) continue;
    const OnnxNode* sqrt = chains.only_reader(add_eps->outputs[0], "Sqrt");
    if (sqrt == nullptr || sqrt->inputs.size() != 1 || chains.only_reader(sqrt->outputs[0], "Div") != div ||
        div->inputs[1] != sqrt->outputs[0]) {
      continue;
    }
    // The affine scale then shift by constants, which cimnet's LayerNorm layer carries (γ and β).
    std::vector<const OnnxNode*> chain = {&mean, sub, pow, variance, add_eps, sqrt, div};
    const OnnxNode* scale = chains.only_reader(div->outputs[0], "Mul");
    const OnnxNode* shift = scale != nullptr && chains.constant(ChainReader::other_input(*scale, div->outputs[0]))
                                ? chains.only_reader(scale->outputs[0], "Add")
                                : nullptr;
    if (shift == nullptr || !chains.constant(ChainReader::other_input(*shift, scale->outputs[0]))) {
      without_affine_.insert(mean.name);
      continue;
    }
    chain.push_back(scale);
    chain.push_back(shift);
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) absorbed_.insert(chain[k]->name);
    folds_[chain.back()->name] = Fold{Fold::Kind::LayerNorm, x};
  }
}

// RMSNorm (Llama, T5) as Hugging Face exports it below opset 17 (there is no RMS node before opset 23):
//   v = ReduceMean(Pow(x, 2))   r = Reciprocal(Sqrt(Add(v, ε)))  (or Div(1, Sqrt(...)))
//   n = Mul(x, r)   [Cast]   y = Mul(γ, n)
// becomes the generator's RMSNorm layer (LayerNorm with rms_norm): one parameter per feature, three
// passes per element. The chain's intermediates must have no other reader, as for the layer norm.
void Converter::mark_rms_norms(const ChainReader& chains) {
  for (const auto& square : graph_.nodes) {
    if (!ChainReader::is(square, "Pow", 2) || !chains.scalar(square.inputs[1], 2.0)) continue;
    const std::string& x = square.inputs[0];
    const OnnxTensor* xt = graph_.tensor(x);
    if (xt == nullptr || xt->constant || !xt->shape_known || xt->shape.empty()) continue;
    const auto& mean_readers = chains.readers(square.outputs[0]);
    if (consumers(square.outputs[0]) != 1 || mean_readers.size() != 1 ||
        !mean_over_last_axis(*mean_readers.front(), xt->shape.size())) {
      continue;
    }
    const OnnxNode* mean = mean_readers.front();
    const OnnxNode* add_eps = chains.only_reader(mean->outputs[0], "Add");
    if (add_eps == nullptr || !chains.constant(ChainReader::other_input(*add_eps, mean->outputs[0]))) continue;
    const OnnxNode* sqrt = chains.only_reader(add_eps->outputs[0], "Sqrt");
    if (sqrt == nullptr || sqrt->inputs.size() != 1) continue;
    const OnnxNode* inverse = chains.only_reader(sqrt->outputs[0], "Reciprocal");
    if (inverse == nullptr) {
      inverse = chains.only_reader(sqrt->outputs[0], "Div");
      if (inverse == nullptr || inverse->inputs.size() != 2 || inverse->inputs[1] != sqrt->outputs[0] ||
          !chains.scalar(inverse->inputs[0], 1.0)) {
        continue;
      }
    }
    const OnnxNode* normalise = chains.only_reader(inverse->outputs[0], "Mul");
    if (normalise == nullptr || ChainReader::other_input(*normalise, inverse->outputs[0]) != x) continue;
    std::vector<const OnnxNode*> chain = {&square, mean, add_eps, sqrt, inverse, normalise};
    std::string n = normalise->outputs[0];
    if (const OnnxNode* cast = chains.only_reader(n, "Cast")) {  // back to the input's type
      chain.push_back(cast);
      n = cast->outputs[0];
    }
    const OnnxNode* scale = chains.only_reader(n, "Mul");
    if (scale == nullptr || !chains.constant(ChainReader::other_input(*scale, n))) continue;
    chain.push_back(scale);
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) absorbed_.insert(chain[k]->name);
    folds_[chain.back()->name] = Fold{Fold::Kind::RmsNorm, x};
  }
}

void Converter::refuse_layer_norm_without_affine() const {
  fail("it starts a layer normalisation (mean, variance, normalise over the last axis) without a scale by a "
       "constant γ and a shift by a constant β after it; cimnet's LayerNorm layer has both");
}

}  // namespace cimnet::onnx_import
