#include "workloads/network_space.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/fnv_hash.hpp"
#include "workloads/network_file.hpp"
#include "workloads/onnx_import.hpp"

namespace cimnet {
namespace {

class NetworkFileSpace : public SearchSpace {
 public:
  NetworkFileSpace(std::string name, Network network)
      : SearchSpace(std::move(name), {{"net", "the network of the file (one choice)", {0}, 1}}),
        network_(std::move(network)) {}

  std::vector<bool> active_genes(const Genome& /*genome*/) const override { return {false}; }

 protected:
  Network build_layers(const Genome& /*genome*/) const override { return network_; }

 private:
  Network network_;
};

bool is_yaml(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

std::unique_ptr<SearchSpace> make_network_file_space(const std::string& path, const OnnxDims& dims) {
  Network network = is_yaml(path) ? load_network_file(path) : load_onnx_file(path, dims);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string fingerprint_of = bytes.str();
  if (!is_yaml(path)) {
    fingerprint_of += "\nbatch=" + std::to_string(dims.batch);
    for (const auto& [name, size] : dims.by_name) fingerprint_of += "\n" + name + "=" + std::to_string(size);
  }
  const std::string name =
      std::string(kNetworkFileSpace) + ":" + std::filesystem::path(path).stem().string() + "@" + fnv1a_hex(fingerprint_of).substr(0, 8);
  return std::make_unique<NetworkFileSpace>(name, std::move(network));
}

}  // namespace cimnet
