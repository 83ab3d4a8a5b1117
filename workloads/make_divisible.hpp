#pragma once
// OFA's channel rounding, shared by its MobileNetV3 and ResNet-50 spaces: round to the nearest
// multiple of 8 (at least 8), but never lose more than 10 % of the requested width.
#include <algorithm>
#include <cstdint>

namespace cimnet {

inline std::int64_t make_divisible(double v) {
  std::int64_t rounded = std::max<std::int64_t>(8, static_cast<std::int64_t>(v + 4) / 8 * 8);
  if (static_cast<double>(rounded) < 0.9 * v) rounded += 8;
  return rounded;
}

}  // namespace cimnet
