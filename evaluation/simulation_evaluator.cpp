#include "evaluation/simulation_evaluator.hpp"

#include <cstdio>

#include "common/error.hpp"
#include "common/text.hpp"
#include "evaluation/energy_report.hpp"
#include "evaluation/schema.hpp"
#include "evaluation/simulation_report.hpp"
#include "mapping/network_mapper.hpp"

namespace cimnet::evaluation {

Fields fields_from_simulation(const SimResult& result, const NetworkMapping& mapping, CyclesOf cycles_of,
                              const Network& network, const HardwareConfig& hardware, const EnergyTable& energy) {
  const std::int64_t macs = network.total_macs();
  Fields f;
  if (!result.ok()) {
    f["status"] = "error";
    f["message"] = std::string(to_string(result.status)) + ": " + result.message;
    return f;
  }
  // Not result.total_cycles: with resident weights the program holds a first and a warm inference.
  const bool cold = cycles_of == CyclesOf::Cold;
  const std::int64_t cycles = cold ? mapping.sim_cold_cycles : mapping.sim_steady_cycles;
  f[col::kCycles] = std::to_string(cycles);
  f[col::kAnalyticalCycles] = std::to_string(cold ? mapping.analytical_cycles : mapping.analytical_steady_cycles);
  f[col::kColdCycles] = std::to_string(mapping.sim_cold_cycles);
  f[col::kSteadyCycles] = std::to_string(mapping.sim_steady_cycles);
  f[col::kAnalyticalColdCycles] = std::to_string(mapping.analytical_cycles);
  f[col::kAnalyticalSteadyCycles] = std::to_string(mapping.analytical_steady_cycles);
  const auto pj = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", v);
    return std::string(text);
  };
  f[col::kEnergy] = pj(inference_energy(network, mapping, hardware, energy, !cold, cycles).energy.total());
  f[col::kAnalyticalEnergy] =
      pj(inference_energy(network, mapping, hardware, energy, !cold,
                          cold ? mapping.analytical_cycles : mapping.analytical_steady_cycles)
             .energy.total());
  for (const char* level : {"dram", "l2", "l1", "ma"}) {
    for (const char* direction : {"down", "up"}) {
      const auto it = result.bytes.find(std::string(level) + "." + direction);
      f[std::string(level) + "_bytes_" + direction] = std::to_string(it == result.bytes.end() ? 0 : it->second);
    }
  }
  const double peak = static_cast<double>(hardware.peak_macs_per_cycle()) * static_cast<double>(cycles);
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
Fields evaluate(const EvalPoint& point, const EnergyTable& energy) {
  NetworkMapping mapped;
  try {
    mapped = map_network(point.network, point.hardware, nullptr, point.execution,
                         ScheduleObjective(point.cycles_of, point.latency_bound, point.allocation, energy));
  } catch (const InputError& e) {
    return {{"status", "error"}, {"message", std::string("mapping: ") + e.what()}};
  }
  SimResult r;
  try {
    r = simulate_in_process(mapped.program, point.hardware);
  } catch (const InputError& e) {
    return {{"status", "error"}, {"message", std::string("simulation input: ") + e.what()}};
  }
  if (r.ok()) attribute(mapped, r);
  return fields_from_simulation(r, mapped, point.cycles_of, point.network, point.hardware, energy);
}

}  // namespace

Evaluator simulation_evaluator(const EnergyTable& energy) {
  return [energy](const EvalPoint& point) { return evaluate(point, energy); };
}

std::int64_t analytical_cycles(const Network& network, const HardwareConfig& hardware, MapperCache* cache,
                               Execution execution, const ScheduleObjective& objective) {
  const NetworkMapping estimate = estimate_network(network, hardware, cache, execution, objective);
  return objective.cycles == CyclesOf::Cold ? estimate.analytical_cycles : estimate.analytical_steady_cycles;
}

AnalyticalFigures analytical_figures(const Network& network, const HardwareConfig& hardware, MapperCache* cache,
                                     Execution execution, const ScheduleObjective& objective, const EnergyTable& energy) {
  const NetworkMapping mapping = map_network(network, hardware, cache, execution, objective);
  const bool cold = objective.cycles == CyclesOf::Cold;
  AnalyticalFigures out;
  out.cycles = cold ? mapping.analytical_cycles : mapping.analytical_steady_cycles;
  out.energy_pj = inference_energy(network, mapping, hardware, energy, !cold, out.cycles).energy.total();
  return out;
}

}  // namespace cimnet::evaluation
