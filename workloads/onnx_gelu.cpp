// GELU as exporters write it below opset 20, recognised as one GELU activation layer.
//
// ONNX has Gelu only from opset 20; below it PyTorch writes nn.GELU() as its arithmetic, in the exact
// (erf) form or the tanh approximation (nn.GELU(approximate="tanh"), GPT-2's gelu_new):
//
//   erf:   c = Add(Erf(Div(x, √2)), 1)                    (or Mul(x, 1/√2) for the division)
//   tanh:  c = Add(Tanh(Mul(√(2/π), Add(x, Mul(0.044715, Pow(x, 3))))), 1)
//   then 0.5 · x · c as  y = Mul(Mul(x, c), 0.5)  or  y = Mul(Mul(x, 0.5), c)
//
// Converted node by node that is five or more vector layers (and Pow is not a cimnet operator); a vector
// unit with a GELU (as the Gelu node and cimnet's own spaces have it) does it in one pass. So the chain
// becomes one GELU activation layer, named after its last node, reading x. Only a chain whose
// intermediate tensors nothing else reads is recognised; anything else converts node by node.
#include <cmath>
#include <vector>

#include "workloads/onnx_chain.hpp"
#include "workloads/onnx_converter.hpp"

namespace cimnet::onnx_import {
namespace {

constexpr double kTolerance = 1e-4;  // float32 constants of √2, 1/√2, √(2/π) and 0.044715

// The operand of a two-input Mul (or Add) `n` other than a constant equal to `value`; empty otherwise.
std::string times_constant(const ChainReader& chains, const OnnxNode& n, double value) {
  for (std::size_t k = 0; k < 2; ++k) {
    if (chains.scalar(n.inputs[1 - k], value, kTolerance)) return n.inputs[k];
  }
  return {};
}

// From c = 1 + f(x): the products 0.5 · x · c in either order. Appends their nodes to `chain`, or returns
// false.
bool half_x_times(const ChainReader& chains, const std::string& x, const std::string& c,
                  std::vector<const OnnxNode*>& chain) {
  const OnnxNode* times = chains.only_reader(c, "Mul");
  if (times == nullptr || times->inputs.size() != 2) return false;
  const std::string other = ChainReader::other_input(*times, c);
  if (other == x) {  // Mul(x, c), then · 0.5
    const OnnxNode* half = chains.only_reader(times->outputs[0], "Mul");
    if (half == nullptr || half->inputs.size() != 2 || times_constant(chains, *half, 0.5) != times->outputs[0]) {
      return false;
    }
    chain.push_back(times);
    chain.push_back(half);
    return true;
  }
  // Mul(x, 0.5) read by this product alone, then Mul(h, c)
  if (chains.only_reader(other, "Mul") != times) return false;
  for (const OnnxNode* n : chains.readers(x)) {
    if (ChainReader::is(*n, "Mul", 2) && n->outputs[0] == other && times_constant(chains, *n, 0.5) == x) {
      chain.insert(chain.begin(), n);
      chain.push_back(times);
      return true;
    }
  }
  return false;
}

// The erf form from its first node (the division by √2); x and the chain up to c = 1 + erf(·).
bool erf_head(const ChainReader& chains, const OnnxNode& scaled, std::string& x, std::vector<const OnnxNode*>& chain) {
  if (ChainReader::is(scaled, "Div", 2) && chains.scalar(scaled.inputs[1], std::sqrt(2.0), kTolerance)) {
    x = scaled.inputs[0];
  } else if (ChainReader::is(scaled, "Mul", 2)) {
    x = times_constant(chains, scaled, 1.0 / std::sqrt(2.0));
  }
  if (x.empty()) return false;
  const OnnxNode* erf = chains.only_reader(scaled.outputs[0], "Erf");
  const OnnxNode* plus_one = erf != nullptr ? chains.only_reader(erf->outputs[0], "Add") : nullptr;
  if (plus_one == nullptr || !chains.scalar(ChainReader::other_input(*plus_one, erf->outputs[0]), 1.0)) return false;
  chain = {&scaled, erf, plus_one};
  return true;
}

// The tanh form from its first node, Pow(x, 3).
bool tanh_head(const ChainReader& chains, const OnnxNode& cube, std::string& x, std::vector<const OnnxNode*>& chain) {
  if (!ChainReader::is(cube, "Pow", 2) || !chains.scalar(cube.inputs[1], 3.0)) return false;
  x = cube.inputs[0];
  const OnnxNode* scale = chains.only_reader(cube.outputs[0], "Mul");
  if (scale == nullptr || scale->inputs.size() != 2 || times_constant(chains, *scale, 0.044715) != cube.outputs[0]) {
    return false;
  }
  const OnnxNode* sum = chains.only_reader(scale->outputs[0], "Add");
  if (sum == nullptr || ChainReader::other_input(*sum, scale->outputs[0]) != x) return false;
  const OnnxNode* inner = chains.only_reader(sum->outputs[0], "Mul");
  if (inner == nullptr || inner->inputs.size() != 2 ||
      times_constant(chains, *inner, std::sqrt(2.0 / 3.14159265358979323846)) != sum->outputs[0]) {
    return false;
  }
  const OnnxNode* tanh = chains.only_reader(inner->outputs[0], "Tanh");
  const OnnxNode* plus_one = tanh != nullptr ? chains.only_reader(tanh->outputs[0], "Add") : nullptr;
  if (plus_one == nullptr || !chains.scalar(ChainReader::other_input(*plus_one, tanh->outputs[0]), 1.0)) return false;
  chain = {&cube, scale, sum, inner, tanh, plus_one};
  return true;
}

}  // namespace

void Converter::mark_gelus(const ChainReader& chains) {
  for (const auto& first : graph_.nodes) {
    std::string x;
    std::vector<const OnnxNode*> chain;
    if (!erf_head(chains, first, x, chain) && !tanh_head(chains, first, x, chain)) continue;
    if (chains.constant(x) || !half_x_times(chains, x, chain.back()->outputs[0], chain)) continue;
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) absorbed_.insert(chain[k]->name);
    folds_[chain.back()->name] = Fold{Fold::Kind::Gelu, x};
  }
}

}  // namespace cimnet::onnx_import
