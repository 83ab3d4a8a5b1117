#include "workloads/network_file.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"

// The format is documented in docs/network-file.md. Shapes are never written in the file: each layer
// goes through NetworkBuilder, which derives them from the input and the layers before.
namespace cimnet {
namespace {

// Generous bounds that still keep MAC counts of any accepted network far from overflowing int64.
constexpr std::int64_t kMaxDim = 1 << 20;
constexpr std::int64_t kMaxKernel = 1 << 10;

const std::vector<std::string> kTypes = {"conv",  "linear",     "matmul",  "pool",     "add",
                                         "scale", "activation", "softmax", "layernorm"};
const std::vector<std::string> kActivationOps = {"relu", "hswish", "hsigmoid", "gelu", "clip", "sigmoid", "tanh", "silu"};
const std::vector<std::string> kPoolOps = {"max", "avg", "global_avg"};
const char* const kNetworkInput = "input";

std::string shape(const Tensor& t) {
  return std::to_string(t.channels) + "x" + std::to_string(t.h) + "x" + std::to_string(t.w);
}

// Keys each layer type accepts (besides name, type and inputs).
std::vector<std::string> keys_of(const std::string& type, const std::string& pool_op) {
  std::vector<std::string> keys = {"name", "type", "inputs"};
  std::vector<std::string> extra;
  if (type == "conv") extra = {"out_channels", "kernel", "stride", "padding", "groups", "bias", "batch_norm"};
  if (type == "linear") extra = {"out_features", "bias", "flatten"};
  if (type == "matmul") extra = {"heads", "transpose_stationary"};
  if (type == "pool") {
    extra = {"op"};
    if (pool_op != "global_avg") extra.insert(extra.end(), {"kernel", "stride", "padding"});
  }
  if (type == "activation") extra = {"op"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  keys.emplace_back("precision");  // this layer's own, overriding the network's
  return keys;
}

// How many inputs a type takes; the single-input types default to the previous layer.
std::size_t input_count(const std::string& type) {
  return (type == "add" || type == "scale" || type == "matmul") ? 2 : 1;
}

class NetworkFileParser {
 public:
  explicit NetworkFileParser(const YamlValue& root) : root_(root) {}

  Network parse() {
    if (root_.is_null()) root_.fail_here("the network file is empty; it needs 'input' and 'layers'");
    const YamlMap top = root_.map({"name", "description", "input", "precision", "layers"});
    const std::string name = top.string_or("name", std::filesystem::path(root_.origin()).stem().string());
    top.string_or("description", "");  // free text for the reader, checked only to be a string

    NetworkBuilder builder(name, read_input(top.required("input")));
    if (auto precision = top.find("precision")) {
      const auto [weights, activations] = read_precision(*precision, 8, 8);
      builder.set_precision(weights, activations);
    }
    tensors_[kNetworkInput] = {builder.input(), 0};

    const YamlValue layers_node = top.required("layers");
    const auto layers = layers_node.list();
    if (layers.empty()) layers_node.fail("needs at least one layer");
    collect_names(layers);
    Tensor previous = builder.input();
    for (std::size_t i = 0; i < layers.size(); ++i) previous = read_layer(builder, layers[i], i, previous);
    try {
      return builder.finish();
    } catch (const InputError& e) {
      // Every check that can be tied to a line was made above; this is the builder's last word.
      throw InputError(located(root_.origin(), e.what()));
    }
  }

 private:
  struct Produced {
    Tensor tensor;
    int line = 0;
  };

  // {weights, activations} in bits, 1 to 32; a missing one is the given default.
  static std::pair<int, int> read_precision(const YamlValue& node, int weights, int activations) {
    const YamlMap p = node.map({"weights", "activations"});
    return {static_cast<int>(p.integer_or("weights", weights, 1, 32)),
            static_cast<int>(p.integer_or("activations", activations, 1, 32))};
  }

  Tensor read_input(const YamlValue& node) {
    const YamlMap m = node.map({"channels", "height", "width", "tokens", "features"});
    const bool image = m.has("channels") || m.has("height") || m.has("width");
    const bool sequence = m.has("tokens") || m.has("features");
    if (image == sequence) {
      node.fail("give either channels, height and width (an image) or tokens and features (a sequence)");
    }
    Tensor t;
    if (image) {
      t.channels = m.required("channels").as_integer(1, kMaxDim);
      t.h = m.required("height").as_integer(1, kMaxDim);
      t.w = m.required("width").as_integer(1, kMaxDim);
    } else {
      // A token sequence is a tensor of `features` channels over `tokens` positions (see Tensor).
      t.channels = m.required("features").as_integer(1, kMaxDim);
      t.h = m.required("tokens").as_integer(1, kMaxDim);
      t.w = 1;
    }
    return t;
  }

  // Names of all layers, so that a reference to a later layer says so instead of "unknown".
  void collect_names(const std::vector<YamlValue>& layers) {
    for (const auto& layer : layers) {
      if (!layer.is_mapping()) continue;
      if (auto n = layer.peek("name"); n && n->is_scalar()) all_names_.emplace(n->as_string(), n->line());
    }
  }

  std::vector<Tensor> read_inputs(const YamlMap& m, const YamlValue& layer, const std::string& type,
                                  const Tensor& previous) {
    const std::size_t wanted = input_count(type);
    auto node = m.find("inputs");
    if (!node) {
      if (wanted == 1) return {previous};
      layer.fail("a " + type + " layer needs 'inputs' naming its two operands" +
                 (type == "matmul" ? " ([streamed, stationary])" : type == "scale" ? " ([x, per_channel])" : ""));
    }
    std::vector<YamlValue> items;
    if (node->is_scalar()) {
      items.push_back(*node);  // a single name may be written without brackets
    } else {
      items = node->list();
    }
    if (items.size() != wanted) {
      node->fail("a " + type + " layer takes " + std::to_string(wanted) + " input" + (wanted == 1 ? "" : "s") +
                 ", got " + std::to_string(items.size()));
    }
    std::vector<Tensor> tensors;
    for (const auto& item : items) {
      const std::string ref = item.as_string();
      const auto it = tensors_.find(ref);
      if (it != tensors_.end()) {
        tensors.push_back(it->second.tensor);
        continue;
      }
      const auto later = all_names_.find(ref);
      if (later != all_names_.end()) {
        item.fail("input '" + ref + "' is defined later, at line " + std::to_string(later->second) +
                  "; list layers in execution order");
      }
      std::vector<std::string> known;
      for (const auto& [n, produced] : tensors_) known.push_back(n);
      item.fail("unknown input '" + ref + "'" + did_you_mean(ref, known) +
                "; inputs name an earlier layer or 'input' (the network input)");
    }
    return tensors;
  }

  Tensor read_layer(NetworkBuilder& b, const YamlValue& item, std::size_t index, const Tensor& previous) {
    const std::string base = "network.layers[" + std::to_string(index) + "]";
    YamlValue layer = item.renamed(base);
    if (!layer.is_mapping()) layer.fail("expected a layer (a mapping with name, type, ...), got " + layer.describe());
    // Name the layer in every message about it once the name is known.
    if (auto n = layer.peek("name"); n && n->is_scalar()) layer = layer.renamed(base + "(" + n->as_string() + ")");

    const auto type_node = layer.peek("type");
    if (!type_node) layer.fail_here("missing required key 'type' in '" + layer.path() + "'; allowed: " + join(kTypes, ", "));
    const std::string type = type_node->renamed(layer.path() + ".type").as_choice(kTypes);
    std::string pool_op;
    if (type == "pool") {
      if (auto op = layer.peek("op")) pool_op = op->renamed(layer.path() + ".op").as_choice(kPoolOps);
    }
    const YamlMap m = layer.map(keys_of(type, pool_op));

    const YamlValue name_node = m.required("name");
    const std::string name = name_node.as_string();
    if (name == kNetworkInput) name_node.fail("'input' is reserved for the network input; choose another name");
    if (auto dup = tensors_.find(name); dup != tensors_.end()) {
      name_node.fail("duplicate layer name '" + name + "' (first at line " + std::to_string(dup->second.line) + ")");
    }

    const std::vector<Tensor> in = read_inputs(m, layer, type, previous);
    // A layer's own precision (a mixed-precision network: 8-bit first and last layers around ternary
    // ones) applies to what its entry builds: its weights and the outputs it writes; its inputs are
    // read as their producers wrote them. Then the network's precision comes back.
    const int network_weights = b.weight_bits(), network_activations = b.activation_bits();
    if (auto precision = m.find("precision")) {
      const auto [weights, activations] = read_precision(*precision, network_weights, network_activations);
      b.set_precision(weights, activations);
    }
    Tensor out;
    try {
      out = build(b, m, layer, type, name, in);
    } catch (const InputError& e) {
      const std::string message = e.what();
      // Messages from this parser already carry the file and line; the builder's do not.
      if (starts_with(message, root_.origin() + ":")) throw;
      layer.fail(message);
    }
    b.set_precision(network_weights, network_activations);
    tensors_[name] = {out, layer.line()};
    return out;
  }

  // Output size of a sliding window; fails instead of letting integer division round a window that
  // does not fit up to one output.
  static std::int64_t window_out(const YamlValue& layer, const char* axis, std::int64_t in, std::int64_t kernel,
                                 std::int64_t stride, std::int64_t padding) {
    if (in + 2 * padding < kernel) {
      layer.fail("kernel " + std::to_string(kernel) + " does not fit the input " + axis + " " + std::to_string(in) +
                 " with padding " + std::to_string(padding));
    }
    return (in + 2 * padding - kernel) / stride + 1;
  }

  Tensor build(NetworkBuilder& b, const YamlMap& m, const YamlValue& layer, const std::string& type,
               const std::string& name, const std::vector<Tensor>& in) {
    const Tensor& x = in[0];
    if (type == "conv") {
      std::int64_t groups = 1;
      bool depthwise = false;
      if (auto g = m.find("groups")) {
        groups = g->as_parsed("a positive integer or 'depthwise'", [&](const std::string& text) -> std::int64_t {
          if (trim(text) == "depthwise") {
            depthwise = true;
            return x.channels;
          }
          const long long v = parse_integer(text, "groups");
          if (v < 1 || v > kMaxDim) throw InputError("out of range");  // replaced by as_parsed's message
          return v;
        });
      }
      const std::int64_t out_channels = depthwise && !m.has("out_channels")
                                            ? x.channels
                                            : m.required("out_channels").as_integer(1, kMaxDim);
      const std::int64_t kernel = m.required("kernel").as_integer(1, kMaxKernel);
      const std::int64_t stride = m.integer_or("stride", 1, 1, kMaxKernel);
      const std::int64_t padding = m.integer_or("padding", kernel / 2, 0, kMaxKernel);
      if (x.channels % groups != 0 || out_channels % groups != 0) {
        (m.has("groups") ? *m.find("groups") : layer)
            .fail("groups (" + std::to_string(groups) + ") must divide the input channels (" +
                  std::to_string(x.channels) + ") and out_channels (" + std::to_string(out_channels) + ")");
      }
      window_out(layer, "height", x.h, kernel, stride, padding);
      window_out(layer, "width", x.w, kernel, stride, padding);
      return b.conv(name, x, out_channels, kernel, stride, groups, m.bool_or("bias", false),
                    m.bool_or("batch_norm", false), padding);
    }
    if (type == "linear") {
      Tensor v = x;
      if (m.bool_or("flatten", false)) {
        // One linear over the whole tensor (a classifier after the last convolution).
        v.channels = x.channels * x.h * x.w;
        v.h = v.w = 1;
      }
      return b.linear(name, v, m.required("out_features").as_integer(1, kMaxDim), m.bool_or("bias", true));
    }
    if (type == "matmul") return matmul(b, m, layer, name, in[0], in[1]);
    if (type == "pool") {
      if (!m.has("op")) layer.fail_here("missing required key 'op' in '" + layer.path() + "'; allowed: " + join(kPoolOps, ", "));
      const std::string op = m.required("op").as_choice(kPoolOps);
      if (op == "global_avg") return b.global_pool(name, x);
      const std::int64_t kernel = m.required("kernel").as_integer(1, kMaxKernel);
      const std::int64_t stride = m.integer_or("stride", kernel, 1, kMaxKernel);
      const std::int64_t padding = m.integer_or("padding", 0, 0, kMaxKernel);
      window_out(layer, "height", x.h, kernel, stride, padding);
      window_out(layer, "width", x.w, kernel, stride, padding);
      return b.pool(name, x, op == "max" ? PoolOp::Max : PoolOp::Average, kernel, stride, padding);
    }
    if (type == "add") {
      if (in[0].channels != in[1].channels || in[0].h != in[1].h || in[0].w != in[1].w) {
        layer.fail("operands differ in shape: " + shape(in[0]) + " and " + shape(in[1]) + " (channels x height x width)");
      }
      return b.add(name, in[0], in[1]);
    }
    if (type == "scale") {
      if (in[1].h != 1 || in[1].w != 1 || in[1].channels != in[0].channels) {
        layer.fail("the second input must hold one value per channel of the first (" + std::to_string(in[0].channels) +
                   "x1x1), got " + shape(in[1]));
      }
      return b.scale_channels(name, in[0], in[1]);
    }
    if (type == "activation") return b.activation(name, x, activation_op_from_string(m.required("op").as_choice(kActivationOps)));
    if (type == "softmax") return b.softmax(name, x);
    return b.layer_norm(name, x);  // "layernorm": the type was checked against kTypes
  }

  // Attention in the file's terms: both operands are token sequences (tokens x features). With
  // `heads: H` each operand's features split into H heads that multiply pairwise, and the heads'
  // results are concatenated along the features again, so the next layer sees one sequence.
  //   transpose_stationary: true   out = A · Bᵀ   (Q·Kᵀ: reduction over features, columns = B's tokens)
  //   transpose_stationary: false  out = A · B    (P·V: reduction over A's features = B's tokens)
  Tensor matmul(NetworkBuilder& b, const YamlMap& m, const YamlValue& layer, const std::string& name, Tensor a,
                Tensor s) {
    const std::int64_t heads = m.integer_or("heads", 1, 1, kMaxDim);
    const bool transpose = m.bool_or("transpose_stationary", true);
    for (const Tensor* t : {&a, &s}) {
      if (t->w != 1) {
        layer.fail("matmul operands must be token sequences (tokens x features), got an image " + shape(*t) +
                   "; flatten it with a linear first");
      }
      if (t->channels % heads != 0) {
        layer.fail("heads (" + std::to_string(heads) + ") must divide the features of both operands (" +
                   std::to_string(a.channels) + " and " + std::to_string(s.channels) + ")");
      }
    }
    a.batch = s.batch = heads;
    a.channels /= heads;
    s.channels /= heads;
    // The builder multiplies by the stationary operand transposed; a plain product reads it the
    // other way round (rows = its tokens are the reduction).
    if (!transpose) std::swap(s.channels, s.h);
    if (a.channels != s.channels) {
      layer.fail("the operands do not agree: the reduction is " + std::to_string(a.channels) +
                 " (features per head of the first) but the second gives " + std::to_string(s.channels) +
                 (transpose ? " (its features per head)" : " (its tokens)"));
    }
    Tensor out = b.matmul(name, a, s);
    out.channels *= out.batch;
    out.batch = 1;
    return out;
  }

  YamlValue root_;
  std::map<std::string, Produced> tensors_;  // layer name (or "input") -> its output
  std::map<std::string, int> all_names_;     // every layer name in the file -> its line
};

}  // namespace

Network parse_network_yaml(const std::string& text, const std::string& origin) {
  return NetworkFileParser(YamlValue::parse(text, origin, "network")).parse();
}

Network load_network_file(const std::string& path) {
  return parse_network_yaml(read_text_file(path, "network file"), path);
}

}  // namespace cimnet
