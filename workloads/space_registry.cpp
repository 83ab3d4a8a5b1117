#include "common/error.hpp"
#include "common/text.hpp"
#include "workloads/network_space.hpp"
#include "workloads/ofa_mobilenet_v3.hpp"
#include "workloads/ofa_resnet50.hpp"
#include "workloads/search_space.hpp"
#include "workloads/vit_b16.hpp"

namespace cimnet {

std::vector<std::string> space_names() { return {"ofa-mbv3", "ofa-mbv3-w12", "ofa-resnet50", "vit-b16"}; }

namespace {
std::unique_ptr<SearchSpace> space_named(const std::string& name, const SpaceOptions& options) {
  if (name == "ofa-mbv3") return make_ofa_mobilenet_v3(1.0, options.resolutions);
  if (name == "ofa-mbv3-w12") return make_ofa_mobilenet_v3(1.2, options.resolutions);
  if (name == "ofa-resnet50") return make_ofa_resnet50(options.resolutions);
  if (name == "vit-b16") return make_vit_b16(options.resolutions);
  if (name == kNetworkFileSpace && !options.network_file.empty()) {
    if (!options.resolutions.empty()) throw InputError("a network file's space has no resolutions to choose");
    return make_network_file_space(options.network_file, options.onnx_dims);
  }
  return nullptr;
}
}  // namespace

std::unique_ptr<SearchSpace> make_space(const std::string& name, const SpaceOptions& options) {
  if (auto space = space_named(name, options)) {
    space->set_inner_precision(options.inner_precision);
    return space;
  }
  throw InputError("unknown search space '" + name + "'" + did_you_mean(name, space_names()) +
                   "; allowed: " + join(space_names(), ", "));
}

}  // namespace cimnet
