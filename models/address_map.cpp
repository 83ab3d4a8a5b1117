#include "models/address_map.hpp"

#include <algorithm>
#include <stdexcept>

namespace cimnet::model {

void AddressMap::add(std::uint64_t lo, std::uint64_t hi, int port) {
  Range r{lo, hi, port};
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), r, [](const Range& a, const Range& b) { return a.lo < b.lo; });
  if ((it != ranges_.end() && it->lo < hi) || (it != ranges_.begin() && std::prev(it)->hi > lo)) {
    throw std::logic_error("address map: overlapping ranges");
  }
  ranges_.insert(it, r);
}

int AddressMap::route(std::uint64_t address) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                             [](std::uint64_t a, const Range& r) { return a < r.lo; });
  if (it == ranges_.begin()) return -1;
  --it;
  return address < it->hi ? it->port : -1;
}

}  // namespace cimnet::model
