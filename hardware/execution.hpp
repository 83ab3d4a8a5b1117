#pragma once
// How a whole network runs (issue 14, Part B): the execution policy the network mapper builds the
// program and the estimate for (network_mapper.hpp; docs/mapping.md, "Execution policies").
//   layer-by-layer  every layer reads its inputs from DRAM and writes its outputs to DRAM, one layer
//                   after another: the CiMNet-like baseline
//   fused           element-wise post-ops run on the vector unit at L2 as a MAC layer's outputs land
//                   in the global buffer, and activations stay in the global buffer when they fit
#include <string>
#include <vector>

namespace cimnet {

enum class Execution { LayerByLayer, Fused };

// "layer-by-layer", "fused": the names scenarios and the command line use.
const char* to_string(Execution execution);
// Every policy's name, in declaration order.
std::vector<std::string> execution_names();

// The policy named `text`; InputError "<where>: unknown execution policy '<text>' (allowed:
// layer-by-layer, fused)" otherwise. `where` names the file and key or the option.
Execution parse_execution(const std::string& text, const std::string& where);

}  // namespace cimnet
