#pragma once
// OFA-ResNet-50 elastic search space (depth, expand ratio, width multiplier genes).
#include <memory>
#include <vector>

#include "workloads/search_space.hpp"

namespace cimnet {

// resolutions: input resolutions searched (gene group "r"); empty means {224}.
std::unique_ptr<SearchSpace> make_ofa_resnet50(std::vector<int> resolutions);

}  // namespace cimnet
