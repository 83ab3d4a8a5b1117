#pragma once
// ViT-B/16 elastic search space of DyNAS-T (layers, heads per layer, MLP width per layer).
#include <memory>
#include <vector>

#include "workloads/search_space.hpp"

namespace cimnet {

// resolutions: must be empty or {224} (the token count follows from 224 px and 16 px patches).
std::unique_ptr<SearchSpace> make_vit_b16(std::vector<int> resolutions);

}  // namespace cimnet
