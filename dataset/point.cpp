#include "dataset/point.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::dataset {

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::Joint: return "joint";
    case Mode::Arch: return "arch";
    case Mode::Hw: return "hw";
    case Mode::Points: return "points";
  }
  return "?";
}

Mode mode_from_string(const std::string& text) {
  for (Mode m : {Mode::Joint, Mode::Arch, Mode::Hw, Mode::Points}) {
    if (text == to_string(m)) return m;
  }
  const std::vector<std::string> allowed{"joint", "arch", "hw", "points"};
  throw InputError("mode '" + text + "' is not allowed" + did_you_mean(text, allowed) + "; allowed: " +
                   join(allowed, ", "));
}

std::string point_key(const SearchSpace& space, const HardwareSpace& hardware, const Point& point) {
  std::string key = space.format(space.canonical(point.genome));
  const HardwareConfig config = hardware.config(point.hw);
  for (std::int64_t v : hardware.gene_values(config)) key += ' ' + std::to_string(v);
  return key;
}

}  // namespace cimnet::dataset
