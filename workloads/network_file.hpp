#pragma once
// Users' own networks: a YAML file listing layers (format in docs/network-file.md).
#include <string>

#include "workloads/network.hpp"

namespace cimnet {

// Reads and validates a network file; InputError naming the file, the line and the key on any fault.
Network load_network_file(const std::string& path);
// Same, from text; `origin` names the source in error messages.
Network parse_network_yaml(const std::string& text, const std::string& origin);

}  // namespace cimnet
