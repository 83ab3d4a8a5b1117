// GELU as exporters write it below opset 20, recognised as one GELU activation layer.
//
// ONNX has Gelu only from opset 20; PyTorch's exporter below it writes nn.GELU() (the exact, erf form)
// as its arithmetic:
//
//   a = Div(x, √2)  (or Mul(x, 1/√2))   b = Erf(a)   c = Add(b, 1)   then 0.5 · x · c, as
//   d = Mul(x, c), y = Mul(d, 0.5)   or   h = Mul(x, 0.5), y = Mul(h, c)
//
// Converted node by node that is five vector layers, each a pass over the tensor; a vector unit with a
// GELU (as the Gelu node and cimnet's own spaces have it) does it in one. So the chain becomes one GELU
// activation layer, named after its last node, reading x. Only a chain whose intermediate tensors
// nothing else reads is recognised; anything else converts node by node. The tanh approximation is not
// recognised (it converts node by node, and its Pow is refused).
#include <cmath>
#include <vector>

#include "workloads/onnx_chain.hpp"
#include "workloads/onnx_converter.hpp"

namespace cimnet::onnx_import {

void Converter::mark_gelus(const ChainReader& chains) {
  constexpr double kTolerance = 1e-4;  // float32 constants of √2 and 1 / √2
  for (const auto& scaled : graph_.nodes) {
    // a = x / √2 or x · (1 / √2)
    const bool divides = ChainReader::is(scaled, "Div", 2) && chains.scalar(scaled.inputs[1], std::sqrt(2.0), kTolerance);
    std::string x;
    if (divides) {
      x = scaled.inputs[0];
    } else if (ChainReader::is(scaled, "Mul", 2)) {
      for (std::size_t k = 0; k < 2; ++k) {
        if (chains.scalar(scaled.inputs[1 - k], 1.0 / std::sqrt(2.0), kTolerance)) x = scaled.inputs[k];
      }
    }
    if (x.empty() || chains.constant(x)) continue;
    const OnnxNode* erf = chains.only_reader(scaled.outputs[0], "Erf");
    if (erf == nullptr) continue;
    const OnnxNode* plus_one = chains.only_reader(erf->outputs[0], "Add");
    if (plus_one == nullptr || !chains.scalar(ChainReader::other_input(*plus_one, erf->outputs[0]), 1.0)) continue;
    const std::string& c = plus_one->outputs[0];
    const OnnxNode* times = chains.only_reader(c, "Mul");
    if (times == nullptr) continue;
    const std::string other = ChainReader::other_input(*times, c);
    std::vector<const OnnxNode*> chain = {&scaled, erf, plus_one};
    if (other == x) {  // d = x · c, then y = d · 0.5
      const OnnxNode* half = chains.only_reader(times->outputs[0], "Mul");
      if (half == nullptr || !chains.scalar(ChainReader::other_input(*half, times->outputs[0]), 0.5)) continue;
      chain.push_back(times);
      chain.push_back(half);
    } else {  // h = x · 0.5 (read by this Mul alone), then y = h · c
      const OnnxNode* half = chains.only_reader(other, "Mul");
      if (half != times) continue;
      bool found = false;
      for (const OnnxNode* n : chains.readers(x)) {
        if (ChainReader::is(*n, "Mul", 2) && n->outputs[0] == other &&
            chains.scalar(ChainReader::other_input(*n, x), 0.5)) {
          chain.insert(chain.begin(), n);
          found = true;
        }
      }
      if (!found) continue;
      chain.push_back(times);
    }
    // x itself is read by the chain's first node and its product; other readers of x are free to be.
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) absorbed_.insert(chain[k]->name);
    folds_[chain.back()->name] = Fold{Fold::Kind::Gelu, x};
  }
}

}  // namespace cimnet::onnx_import
