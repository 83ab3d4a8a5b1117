#include "hardware/schedule_objective.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

std::int64_t LatencyBound::applied(std::int64_t fastest) const {
  if (cycles > 0) return cycles;
  if (factor > 0) return static_cast<std::int64_t>(std::floor(factor * static_cast<double>(fastest) + 1e-9));
  return std::numeric_limits<std::int64_t>::max();
}

LatencyBound parse_latency_bound(const std::string& text, const std::string& where) {
  const auto refuse = [&]() -> LatencyBound {
    throw InputError(located(where, "latency bound '" + text +
                                        "' is neither a factor >= 1 of the fastest latency such as 1.1x nor a "
                                        "positive number of cycles such as 450000"));
  };
  if (text.empty()) return refuse();
  LatencyBound b;
  const char* begin = text.c_str();
  char* end = nullptr;
  if (text.back() == 'x') {
    const std::string number = text.substr(0, text.size() - 1);
    b.factor = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(b.factor) || b.factor < 1) return refuse();
    return b;
  }
  for (char c : text) {
    if (c < '0' || c > '9') return refuse();
  }
  errno = 0;
  const long long v = std::strtoll(begin, &end, 10);
  if (errno != 0 || v <= 0) return refuse();
  b.cycles = v;
  return b;
}

std::string to_string(const LatencyBound& bound) {
  if (bound.cycles > 0) return std::to_string(bound.cycles);
  if (bound.factor > 0) {
    std::ostringstream s;
    s << bound.factor << "x";
    return s.str();
  }
  return "none";
}

const char* to_string(CoreAllocation allocation) {
  switch (allocation) {
    case CoreAllocation::Latency: return "latency";
    case CoreAllocation::Energy: return "energy";
    case CoreAllocation::EnergyDelay: return "energy-delay";
  }
  return "latency";
}

std::vector<std::string> allocation_names() {
  return {to_string(CoreAllocation::Latency), to_string(CoreAllocation::Energy), to_string(CoreAllocation::EnergyDelay)};
}

CoreAllocation parse_allocation(const std::string& text, const std::string& where) {
  for (CoreAllocation a : {CoreAllocation::Latency, CoreAllocation::Energy, CoreAllocation::EnergyDelay}) {
    if (text == to_string(a)) return a;
  }
  throw InputError(located(where, "unknown allocation objective '" + text + "' (allowed: " + join(allocation_names(), ", ") + ")"));
}

std::vector<CoreAllocation> searched_allocations() {
  return {CoreAllocation::Latency, CoreAllocation::Energy, CoreAllocation::EnergyDelay};
}

std::string to_string(const AllocationSetting& setting) {
  return setting.searched ? kSearchedAllocation : to_string(setting.objective);
}

std::vector<std::string> allocation_setting_names() {
  std::vector<std::string> names = allocation_names();
  names.emplace_back(kSearchedAllocation);
  return names;
}

AllocationSetting parse_allocation_setting(const std::string& text, const std::string& where) {
  AllocationSetting setting;
  if (text == kSearchedAllocation) {
    setting.searched = true;
    return setting;
  }
  for (CoreAllocation a : searched_allocations()) {
    if (text == to_string(a)) return AllocationSetting(a);
  }
  throw InputError(located(where, "unknown allocation objective '" + text + "' (allowed: " +
                                      join(allocation_setting_names(), ", ") + ")"));
}

}  // namespace cimnet
