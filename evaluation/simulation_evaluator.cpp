#include "evaluation/simulation_evaluator.hpp"

#include <cstdio>

#include "common/error.hpp"
#include "common/text.hpp"
#include "mapping/network_mapper.hpp"

namespace cimnet::evaluation {

Fields fields_from_simulation(const SimResult& result, std::int64_t analytical_cycles, std::int64_t macs,
                              const HardwareConfig& hardware) {
  Fields f;
  if (!result.ok()) {
    f["status"] = "error";
    f["message"] = std::string(to_string(result.status)) + ": " + result.message;
    return f;
  }
  f["cycles"] = std::to_string(result.total_cycles);
  f["analytical_cycles"] = std::to_string(analytical_cycles);
  for (const char* level : {"dram", "l2", "l1", "ma"}) {
    for (const char* direction : {"down", "up"}) {
      const auto it = result.bytes.find(std::string(level) + "." + direction);
      f[std::string(level) + "_bytes_" + direction] = std::to_string(it == result.bytes.end() ? 0 : it->second);
    }
  }
  const double peak = static_cast<double>(hardware.peak_macs_per_cycle()) * static_cast<double>(result.total_cycles);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", peak > 0 ? static_cast<double>(macs) / peak : 0.0);
  f["utilisation"] = buf;
  std::string bound;
  std::int64_t most = -1;
  for (const auto& [kind, count] : result.bound_counts) {  // std::map: ties go to the first name
    if (count > most) {
      most = count;
      bound = kind;
    }
  }
  f["bound"] = bound;
  return f;
}

namespace {

// Runs in a fresh forked worker: simulate_in_process() may elaborate SystemC here, once.
Fields evaluate(const EvalPoint& point) {
  NetworkMapping mapped;
  try {
    mapped = map_network(point.network, point.hardware, nullptr, point.execution);
  } catch (const InputError& e) {
    return {{"status", "error"}, {"message", std::string("mapping: ") + e.what()}};
  }
  SimResult r;
  try {
    r = simulate_in_process(mapped.program, point.hardware);
  } catch (const InputError& e) {
    return {{"status", "error"}, {"message", std::string("simulation input: ") + e.what()}};
  }
  return fields_from_simulation(r, mapped.analytical_cycles, point.network.total_macs(), point.hardware);
}

}  // namespace

Evaluator simulation_evaluator() { return evaluate; }

}  // namespace cimnet::evaluation
