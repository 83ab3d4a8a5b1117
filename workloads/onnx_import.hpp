#pragma once
// Networks from ONNX files: each node becomes a cimnet layer, folds into one, or is an edge.
//
// - Conv, Gemm, MatMul, QLinearConv, QLinearMatMul become MAC layers (a MatMul or Gemm by a constant is
//   a linear at every row; between two activations, a batched matmul whose second operand is
//   stationary). BatchNormalization folds into the conv or linear before it; an Add of a constant
//   vector after a MatMul by a constant folds in as its bias; Mul(x, Sigmoid(x)) is one SiLU.
// - Activations, element-wise ops, pools, Softmax and LayerNormalization become vector layers.
// - Layout-only operators (Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Concat, Slice, Gather,
//   Identity, Dropout) are edges: their consumers read the producers behind them. A node whose inputs
//   are all constant is folded away whatever its type (shape arithmetic).
// Anything else exits 2 naming the node, its op type and the file. The format is documented in
// docs/onnx.md.
#include <string>

#include "workloads/network.hpp"
#include "workloads/onnx_graph.hpp"

namespace cimnet {

// Reads and converts `path`; InputError naming the file (and the node) on any fault.
Network load_onnx_file(const std::string& path, const OnnxDims& dims = {});

// Converts a graph already read.
Network onnx_to_network(const OnnxGraph& graph);

// The operator types the importer accepts (default domain), for messages and docs.
const std::vector<std::string>& onnx_supported_operators();

}  // namespace cimnet
