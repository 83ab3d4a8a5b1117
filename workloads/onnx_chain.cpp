#include "workloads/onnx_chain.hpp"

#include <cmath>

namespace cimnet::onnx_import {

ChainReader::ChainReader(const OnnxGraph& graph, const std::map<std::string, int>& consumers)
    : graph_(graph), consumers_(consumers) {
  for (const auto& n : graph.nodes) {
    for (const auto& i : n.inputs) {
      if (!i.empty()) readers_[i].push_back(&n);
    }
  }
}

const std::vector<const OnnxNode*>& ChainReader::readers(const std::string& tensor) const {
  const auto it = readers_.find(tensor);
  return it == readers_.end() ? none_ : it->second;
}

const OnnxNode* ChainReader::only_reader(const std::string& tensor, const char* op) const {
  const auto count = consumers_.find(tensor);
  if (count == consumers_.end() || count->second != 1) return nullptr;
  const auto& nodes = readers(tensor);
  if (nodes.size() != 1) return nullptr;
  const OnnxNode* n = nodes.front();
  return n->op_type == op && default_domain(*n) && n->outputs.size() == 1 ? n : nullptr;
}

bool ChainReader::constant(const std::string& tensor) const {
  const OnnxTensor* t = graph_.tensor(tensor);
  return t != nullptr && t->constant;
}

bool ChainReader::scalar(const std::string& tensor, double value, double tolerance) const {
  const OnnxTensor* t = graph_.tensor(tensor);
  return t != nullptr && t->constant && t->values_known && t->values.size() == 1 &&
         std::fabs(t->values[0] - value) <= tolerance;
}

std::string ChainReader::other_input(const OnnxNode& node, const std::string& known) {
  if (node.inputs.size() != 2) return {};
  if (node.inputs[0] == known) return node.inputs[1];
  if (node.inputs[1] == known) return node.inputs[0];
  return {};
}

bool ChainReader::is(const OnnxNode& node, const char* op, std::size_t inputs) {
  return node.op_type == op && default_domain(node) && node.inputs.size() == inputs && node.outputs.size() == 1;
}

bool ChainReader::folds_to_constant(const OnnxNode& node, const std::function<bool(std::size_t)>& input_constant) {
  const bool shape_only = default_domain(node) && (node.op_type == "Shape" || node.op_type == "Size");
  if (node.op_type == "Constant" || shape_only) return true;
  if (node.inputs.empty()) return false;
  for (std::size_t k = 0; k < node.inputs.size(); ++k) {
    if (!node.inputs[k].empty() && !input_constant(k)) return false;
  }
  return true;
}

}  // namespace cimnet::onnx_import
