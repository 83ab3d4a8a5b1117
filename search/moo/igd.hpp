#pragma once
// Inverted generational distance: how well an approximation covers a reference front.
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

// IGD = (1/|R|) Σ_{r ∈ R} min_{a ∈ A} ‖a − r‖₂ over the reference front R (the plain mean of Euclidean
// distances, Coello & Reyes Sierra 2004, as pymoo and the numbers in nsga2-validation.md use).
// 0 when A covers every reference point. Both sets must be non-empty and of one dimension.
double igd(const std::vector<Objectives>& approximation, const std::vector<Objectives>& reference_front);

}  // namespace cimnet::moo
