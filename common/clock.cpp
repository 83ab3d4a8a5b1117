#include "common/clock.hpp"

#include <chrono>

namespace cimnet {

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace cimnet
