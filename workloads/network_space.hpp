#pragma once
// A search space of one network: a user's network file (YAML or ONNX) where a command expects a space,
// so that a dataset over hardware (mode hw) or a hardware-only search runs on the user's own network.
//
// It has one gene of one choice, so every genome, spec and dataset row has the usual form. Its name is
// "file:<stem>@<8 hex digits>", the digits a fingerprint of the file's bytes and of the sizes given to
// symbolic ONNX dimensions: a dataset resumed with an edited file, or another batch size, is refused as
// another space instead of mixing rows of two networks.
#include <memory>
#include <string>

#include "workloads/search_space.hpp"

namespace cimnet {

// The name make_space() takes for a network file (SpaceOptions::network_file).
inline constexpr const char* kNetworkFileSpace = "file";

// Reads the file (".yaml"/".yml": a network file, else ONNX with `dims`); InputError naming it on any fault.
std::unique_ptr<SearchSpace> make_network_file_space(const std::string& path, const OnnxDims& dims);

}  // namespace cimnet
