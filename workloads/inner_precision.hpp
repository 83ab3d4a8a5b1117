#pragma once
// A network deployed as mixed-precision accelerators run them (issue 17; DIANA's deployment, and the
// shipped ResNet-18's): the first and the last MAC layer keep their precision, every MAC layer between
// takes narrower weights, and every activation from the first MAC layer's output to the last's input is
// written narrower. Layers read their inputs at the precision their producers wrote them in, as the
// network builder does (workloads/network.hpp). The search spaces build their sub-networks at 8 bits; this
// is how `--inner-precision 2/7` runs one the way DIANA's analog core takes it (ternary weights in
// two bits, 7-bit activations).
#include <string>

#include "workloads/network.hpp"

namespace cimnet {

struct InnerPrecision {
  int weight_bits = 0, activation_bits = 0;  // 0: not set
  bool active() const { return weight_bits > 0; }
  std::string text() const;  // "2/7"
};

// "W/A", each 1..32 bits; InputError "<where>: expected WEIGHT_BITS/ACTIVATION_BITS in 1..32, e.g. 2/7, got ...".
InnerPrecision parse_inner_precision(const std::string& text, const std::string& where);

// The network with `p` applied (unchanged when it has fewer than three MAC layers: no layer between).
Network with_inner_precision(Network net, const InnerPrecision& p);

}  // namespace cimnet
