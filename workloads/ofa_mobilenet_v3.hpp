#pragma once
// OFA-MobileNetV3 elastic search space (width 1.0 or 1.2); rules in docs/search-spaces.md.
//
// Genes, in order: ks (20 × {3,5,7}), e (20 × {3,4,6}), d (5 × {2,3,4}), r (1 × the searched input
// resolutions). Gene 4·(s−1)+j of ks and e belongs to block j (0-based) of stage s (1..5); it is
// inactive when j ≥ d[s−1]. DyNAS-T dicts carry an extra 'wid': None, which is accepted and ignored.
//
// Layer names: first_conv, first_block.{dw,project,add}, stageS.blockB.{expand,dw,se.*,project,add}
// with S = 1..5 and B = 1..4 (1-based, as people count them), final_expand, global_pool,
// feature_mix, classifier; an activation is named after its layer plus ".act".
#include <memory>
#include <vector>

#include "workloads/search_space.hpp"

namespace cimnet {

// width_mult: 1.0 or 1.2. resolutions: the input resolutions searched (gene group "r"); empty means
// {224}. Allowed: 128..224 in steps of 16 for w1.0, 160..224 for w1.2; anything else is an InputError.
std::unique_ptr<SearchSpace> make_ofa_mobilenet_v3(double width_mult, std::vector<int> resolutions);

}  // namespace cimnet
