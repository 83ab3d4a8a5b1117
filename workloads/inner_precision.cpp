#include "workloads/inner_precision.hpp"

#include <cstddef>

#include "common/error.hpp"

namespace cimnet {

std::string InnerPrecision::text() const {
  return std::to_string(weight_bits) + "/" + std::to_string(activation_bits);
}

InnerPrecision parse_inner_precision(const std::string& text, const std::string& where) {
  const auto fail = [&]() -> InnerPrecision {
    throw InputError(where + ": expected WEIGHT_BITS/ACTIVATION_BITS in 1..32, e.g. 2/7, got '" + text + "'");
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return fail();
  const auto bits = [&](const std::string& part) {
    if (part.empty() || part.size() > 2 || part.find_first_not_of("0123456789") != std::string::npos) fail();
    const int b = std::stoi(part);
    if (b < 1 || b > 32) fail();
    return b;
  };
  InnerPrecision p;
  p.weight_bits = bits(text.substr(0, slash));
  p.activation_bits = bits(text.substr(slash + 1));
  return p;
}

Network with_inner_precision(Network net, const InnerPrecision& p) {
  if (!p.active()) return net;
  int first = -1, last = -1;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!net.layers[i].is_mac_layer()) continue;
    if (first < 0) first = static_cast<int>(i);
    last = static_cast<int>(i);
  }
  if (first < 0 || first == last) return net;
  for (int i = first; i < last; ++i) {
    Layer& l = net.layers[static_cast<std::size_t>(i)];
    if (l.is_mac_layer() && i != first) l.weight_bits = p.weight_bits;
    l.output_bits = p.activation_bits;
  }
  // Inputs at their producers' precision (the network's input as it was).
  for (Layer& l : net.layers) {
    if (!l.inputs.empty() && l.inputs.front() >= 0) {
      l.input_bits = net.layers[static_cast<std::size_t>(l.inputs.front())].output_bits;
    }
  }
  net.name += " (inner " + p.text() + ")";
  return net;
}

}  // namespace cimnet
