#pragma once
// An ONNX model read into plain C++ structures: its nodes in order, and for every tensor its shape,
// element type and, for small integer or scalar constants, its values. This is the only file that
// touches protobuf; the conversion to cimnet's layers (workloads/onnx_import.cpp) works on these
// structures alone.
//
// Shapes come from ONNX's own shape inference (with data propagation, so that Reshape targets computed
// by Shape → Gather → Concat chains resolve), after every symbolic dimension of a graph input has been
// given a size: dimension 0 of an input takes the batch size unless named otherwise, any other needs a
// size by name. Initializers may carry dims without data: the importer reads only shapes, apart from
// the small constants listed above.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cimnet {

// Sizes given to symbolic dimensions of graph inputs (cimnet's --batch and --onnx-dim options).
struct OnnxDims {
  std::int64_t batch = 1;                       // dimension 0 of an input, when symbolic and not named below
  std::map<std::string, std::int64_t> by_name;  // a symbolic dimension's name -> its size
};
// The largest size a symbolic dimension may be given (1 is the smallest).
inline constexpr std::int64_t kMaxOnnxDimSize = std::int64_t{1} << 20;

struct OnnxTensor {
  std::vector<std::int64_t> shape;  // empty for a scalar
  bool shape_known = false;         // every dimension a known positive size
  int elem_type = 0;                // onnx::TensorProto::DataType
  bool constant = false;            // an initializer or the output of a Constant node
  std::vector<double> values;       // a constant's values when it has at most kMaxKeptValues of them
  bool values_known = false;
};

struct OnnxAttribute {
  std::optional<std::int64_t> i;
  std::optional<double> f;
  std::optional<std::string> s;
  std::vector<std::int64_t> ints;
  bool has_ints = false;
};

struct OnnxNode {
  std::string name;     // as in the file, or "#<index>" when the file leaves it empty
  std::string op_type;
  std::string domain;   // "" for the default ONNX domain
  std::vector<std::string> inputs;   // "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, OnnxAttribute> attributes;
};

struct OnnxGraph {
  std::string file;  // for messages
  std::string name;
  std::int64_t opset = 0;  // of the default domain
  std::vector<std::string> inputs;   // graph inputs that are not initializers
  std::vector<std::string> outputs;
  std::vector<OnnxNode> nodes;       // in the file's (topological) order
  std::map<std::string, OnnxTensor> tensors;

  const OnnxTensor* tensor(const std::string& name) const;
};

inline constexpr std::size_t kMaxKeptValues = 64;

// The element type's width in bits (8 for INT8/UINT8, 32 for FLOAT, ...); 0 when unknown.
int onnx_type_bits(int elem_type);
const char* onnx_type_name(int elem_type);

// `text` with control characters replaced by '?': names from a damaged file stay on one message line.
std::string onnx_printable(const std::string& text);

// Reads `path`; InputError naming the file for a file that cannot be read or parsed as an ONNX model,
// a graph input whose symbolic dimension has no size, or a shape inference failure.
OnnxGraph read_onnx_graph(const std::string& path, const OnnxDims& dims);

}  // namespace cimnet
