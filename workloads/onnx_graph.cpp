#include "workloads/onnx_graph.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "common/error.hpp"

namespace cimnet {
namespace {

// Protobuf refuses messages above 2 GiB; a model that large keeps its weights in external data, which
// the importer never needs.
constexpr std::streamoff kMaxFileBytes = std::streamoff{2047} << 20;

// Shape-preserving operators of other domains that ONNX's inference does not know: their outputs take
// their first input's type, and inference runs again.
bool preserves_shape(const onnx::NodeProto& n) {
  return (n.domain() == "com.microsoft" && (n.op_type() == "Gelu" || n.op_type() == "FastGelu")) ||
         (n.domain().empty() && n.op_type() == "Gelu");
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

template <typename T>
std::vector<double> raw_values(const std::string& raw, std::size_t count) {
  std::vector<double> out;
  if (raw.size() != count * sizeof(T)) return out;
  for (std::size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // ONNX stores raw data little-endian, as x86
    out.push_back(static_cast<double>(v));
  }
  return out;
}

// A small tensor's values (at most kMaxKeptValues), or nothing when it has no data or is larger.
std::optional<std::vector<double>> tensor_values(const onnx::TensorProto& t) {
  std::size_t count = 1;
  for (auto d : t.dims()) {
    if (d < 0) return std::nullopt;
    count *= static_cast<std::size_t>(d);
    if (count > kMaxKeptValues) return std::nullopt;
  }
  std::vector<double> out;
  switch (t.data_type()) {
    case onnx::TensorProto::INT64:
      if (t.has_raw_data()) out = raw_values<std::int64_t>(t.raw_data(), count);
      for (auto v : t.int64_data()) out.push_back(static_cast<double>(v));
      break;
    case onnx::TensorProto::INT32:
      if (t.has_raw_data()) out = raw_values<std::int32_t>(t.raw_data(), count);
      for (auto v : t.int32_data()) out.push_back(v);
      break;
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) out = raw_values<float>(t.raw_data(), count);
      for (auto v : t.float_data()) out.push_back(v);
      break;
    case onnx::TensorProto::DOUBLE:
      if (t.has_raw_data()) out = raw_values<double>(t.raw_data(), count);
      for (auto v : t.double_data()) out.push_back(v);
      break;
    default:
      return std::nullopt;
  }
  if (out.size() != count) return std::nullopt;
  return out;
}

OnnxTensor from_type(const onnx::TypeProto& type) {
  OnnxTensor t;
  if (!type.has_tensor_type()) return t;
  t.elem_type = type.tensor_type().elem_type();
  if (!type.tensor_type().has_shape()) return t;
  t.shape_known = true;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (d.has_dim_value() && d.dim_value() > 0) {
      t.shape.push_back(d.dim_value());
    } else {
      t.shape.push_back(0);
      t.shape_known = false;
    }
  }
  return t;
}

OnnxTensor from_initializer(const onnx::TensorProto& init) {
  OnnxTensor t;
  t.elem_type = init.data_type();
  t.constant = true;
  t.shape_known = true;
  for (auto d : init.dims()) {
    t.shape.push_back(d);
    if (d <= 0) t.shape_known = false;
  }
  if (auto v = tensor_values(init)) {
    t.values = std::move(*v);
    t.values_known = true;
  }
  return t;
}

// Gives every symbolic dimension of the graph's inputs its size (see OnnxDims).
void size_inputs(onnx::GraphProto& graph, const OnnxDims& dims, const std::string& file) {
  std::map<std::string, bool> initializer;
  for (const auto& i : graph.initializer()) initializer[i.name()] = true;
  for (auto& input : *graph.mutable_input()) {
    if (initializer.count(input.name()) || !input.type().has_tensor_type()) continue;
    auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int k = 0; k < shape->dim_size(); ++k) {
      auto* d = shape->mutable_dim(k);
      if (d->has_dim_value() && d->dim_value() > 0) continue;
      const std::string symbol = d->has_dim_param() ? d->dim_param() : std::string();
      std::int64_t size = 0;
      if (!symbol.empty() && dims.by_name.count(symbol)) {
        size = dims.by_name.at(symbol);
      } else if (k == 0) {
        size = dims.batch;
      } else {
        throw InputError(file + ": input '" + onnx_printable(input.name()) + "' dimension " + std::to_string(k) + " is " +
                         (symbol.empty() ? std::string("unknown") : "symbolic ('" + onnx_printable(symbol) + "')") +
                         "; give it a size with --onnx-dim " + (symbol.empty() ? std::string("NAME") : onnx_printable(symbol)) +
                         "=N" + (symbol.empty() ? " (it has no name: the file must name or size it)" : ""));
      }
      d->clear_dim_param();
      d->set_dim_value(size);
    }
  }
}

void infer_shapes(onnx::ModelProto& model, const std::string& file) {
  const onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/1, /*data_prop=*/true);
  for (int round = 0; round < 8; ++round) {
    try {
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
      throw InputError(file + ": ONNX shape inference failed: " + onnx_printable(first_line(e.what())));
    }
    std::map<std::string, const onnx::TypeProto*> known;
    auto& graph = *model.mutable_graph();
    for (const auto& v : graph.input()) known[v.name()] = &v.type();
    for (const auto& v : graph.value_info()) known[v.name()] = &v.type();
    bool added = false;
    for (const auto& n : graph.node()) {
      if (!preserves_shape(n) || n.input_size() == 0 || n.output_size() == 0) continue;
      if (known.count(n.output(0)) || !known.count(n.input(0))) continue;
      auto* info = graph.add_value_info();
      info->set_name(n.output(0));
      *info->mutable_type() = *known.at(n.input(0));
      added = true;
    }
    if (!added) return;
  }
}

OnnxAttribute read_attribute(const onnx::AttributeProto& a) {
  OnnxAttribute out;
  if (a.has_i()) out.i = a.i();
  if (a.has_f()) out.f = a.f();
  if (a.has_s()) out.s = a.s();
  out.has_ints = a.ints_size() > 0 || a.type() == onnx::AttributeProto::INTS;
  for (auto v : a.ints()) out.ints.push_back(v);
  return out;
}

// The tensor a Constant node holds, if it holds one of the forms cimnet reads.
std::optional<OnnxTensor> constant_node_value(const onnx::NodeProto& n) {
  for (const auto& a : n.attribute()) {
    if (a.name() == "value" && a.has_t()) return from_initializer(a.t());
    OnnxTensor t;
    t.constant = true;
    t.shape_known = true;
    t.values_known = true;
    if (a.name() == "value_float") {
      t.elem_type = onnx::TensorProto::FLOAT;
      t.values = {a.f()};
      return t;
    }
    if (a.name() == "value_int") {
      t.elem_type = onnx::TensorProto::INT64;
      t.values = {static_cast<double>(a.i())};
      return t;
    }
    if (a.name() == "value_ints") {
      t.elem_type = onnx::TensorProto::INT64;
      t.shape = {a.ints_size()};
      for (auto v : a.ints()) t.values.push_back(static_cast<double>(v));
      return t;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string onnx_printable(const std::string& text) {
  std::string out = text;
  for (char& ch : out) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) ch = '?';
  }
  return out;
}

const OnnxTensor* OnnxGraph::tensor(const std::string& n) const {
  const auto it = tensors.find(n);
  return it == tensors.end() ? nullptr : &it->second;
}

int onnx_type_bits(int elem_type) {
  switch (elem_type) {
    case onnx::TensorProto::BOOL:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
      return 8;
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      return 16;
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::FLOAT:
      return 32;
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
    case onnx::TensorProto::DOUBLE:
      return 64;
    default:
      return 0;
  }
}

const char* onnx_type_name(int elem_type) {
  if (!onnx::TensorProto::DataType_IsValid(elem_type)) return "unknown";
  return onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(elem_type)).c_str();
}

OnnxGraph read_onnx_graph(const std::string& path, const OnnxDims& dims) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw InputError(path + (std::filesystem::exists(path, error) ? ": not a regular file" : ": no such ONNX file"));
  }
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(path + ": cannot open the ONNX file");
  const std::streamoff size = in.tellg();
  if (size <= 0) throw InputError(path + ": the ONNX file is empty");
  if (size > kMaxFileBytes) {
    throw InputError(path + ": the ONNX file is larger than 2 GiB; keep its weights as external data (the importer reads only shapes)");
  }
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) throw InputError(path + ": cannot read the ONNX file");

  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw InputError(path + ": not an ONNX model (the protobuf does not parse: truncated or another format)");
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    throw InputError(path + ": not an ONNX model (it has no graph with nodes)");
  }
  if (model.ir_version() <= 0) throw InputError(path + ": not an ONNX model (no IR version)");

  OnnxGraph g;
  g.file = path;
  for (const auto& op : model.opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") g.opset = op.version();
  }
  if (g.opset <= 0) throw InputError(path + ": the model imports no opset of the default ONNX domain");
  size_inputs(*model.mutable_graph(), dims, path);
  infer_shapes(model, path);

  const auto& graph = model.graph();
  g.name = graph.name();
  for (const auto& v : graph.value_info()) g.tensors[v.name()] = from_type(v.type());
  for (const auto& v : graph.output()) {
    g.outputs.push_back(v.name());
    if (!g.tensors.count(v.name())) g.tensors[v.name()] = from_type(v.type());
  }
  for (const auto& v : graph.input()) g.tensors[v.name()] = from_type(v.type());
  for (const auto& init : graph.initializer()) g.tensors[init.name()] = from_initializer(init);
  for (const auto& v : graph.input()) {
    if (!g.tensors.at(v.name()).constant) g.inputs.push_back(v.name());
  }
  for (int k = 0; k < graph.node_size(); ++k) {
    const auto& n = graph.node(k);
    OnnxNode node;
    node.name = n.name().empty() ? "#" + std::to_string(k) : n.name();
    node.op_type = n.op_type();
    node.domain = n.domain() == "ai.onnx" ? std::string() : n.domain();
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto& a : n.attribute()) node.attributes[a.name()] = read_attribute(a);
    if (n.op_type() == "Constant" && node.domain.empty() && n.output_size() == 1) {
      if (auto t = constant_node_value(n)) g.tensors[n.output(0)] = std::move(*t);
    }
    g.nodes.push_back(std::move(node));
  }
  return g;
}

}  // namespace cimnet
