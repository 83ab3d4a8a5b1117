#pragma once
// One point of a dataset: a sub-network (canonical genome) on one hardware configuration, and the
// three ways a run chooses its points (CiMNet's settings).
#include <string>

#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::dataset {

struct Point {
  Genome genome;  // canonical
  HwGenome hw;
};

// arch: elastic sub-networks on the reference hardware; hw: the largest sub-network on elastic
// hardware; joint: both elastic; points: an explicit list (--points).
enum class Mode { Joint, Arch, Hw, Points };
const char* to_string(Mode mode);
// "joint", "arch", "hw" or "points"; InputError naming the allowed modes otherwise.
Mode mode_from_string(const std::string& text);

// Identity of a point for duplicate detection: the compact canonical genome and the hardware genes'
// values (the eight parameters, then any component genes). Two encodings of one network on one configuration give the same key.
std::string point_key(const SearchSpace& space, const HardwareSpace& hardware, const Point& point);

}  // namespace cimnet::dataset
