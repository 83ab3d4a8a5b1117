#pragma once
// Questions the ONNX importer asks when it reads a chain of nodes as one layer (a layer norm or a GELU
// written as their arithmetic: onnx_layer_norm.cpp, onnx_gelu.cpp): who reads a tensor, whether a
// tensor is a constant, and of which value. Not part of the public interface.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "workloads/onnx_graph.hpp"

namespace cimnet::onnx_import {

class ChainReader {
 public:
  // `consumers`: per tensor, its readers counting graph outputs (Converter::consumers).
  ChainReader(const OnnxGraph& graph, const std::map<std::string, int>& consumers);

  // The nodes reading `tensor`.
  const std::vector<const OnnxNode*>& readers(const std::string& tensor) const;
  // The one node reading `tensor` when nothing else does (a graph output counts as a reader), if it is
  // an `op` of the default domain with one output; else null.
  const OnnxNode* only_reader(const std::string& tensor, const char* op) const;
  bool constant(const std::string& tensor) const;
  // A constant of one value within `tolerance` of `value` (exporters write √2 and 1 / √2 as floats).
  bool scalar(const std::string& tensor, double value, double tolerance = 0) const;
  // The other input of a two-input node, given one of them; empty when `known` is not an input of it.
  static std::string other_input(const OnnxNode& node, const std::string& known);
  static bool default_domain(const OnnxNode& node) { return node.domain.empty() || node.domain == "ai.onnx"; }
  // A node of the default domain of type `op` with `inputs` inputs and one output.
  static bool is(const OnnxNode& node, const char* op, std::size_t inputs);
  // Whether `node`'s outputs are known before run time, so that the converter folds it away: a Constant,
  // a Shape or Size, or a node whose given inputs are all constants (`input_constant(k)`, asked for each
  // non-empty input k).
  static bool folds_to_constant(const OnnxNode& node, const std::function<bool(std::size_t)>& input_constant);

 private:
  const OnnxGraph& graph_;
  const std::map<std::string, int>& consumers_;
  std::map<std::string, std::vector<const OnnxNode*>> readers_;
  std::vector<const OnnxNode*> none_;
};

}  // namespace cimnet::onnx_import
