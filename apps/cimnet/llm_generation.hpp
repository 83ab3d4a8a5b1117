#pragma once
// cimnet simulate --llm NAME --prefill P --decode D: one generation of a language model (docs/llm.md).
//
// The prefill of P prompt tokens gives the time to first token. The D decode steps run at positions
// P .. P + D − 1. Each step's cycles grow with its position, because the KV cache it reads grows. A
// step is mapped and simulated at up to five sampled positions (the first, the last and evenly between);
// the others are interpolated piecewise linearly, and the docs measure the error of doing so.
#include <cstdint>
#include <optional>
#include <string>

#include "evaluation/simulation_report.hpp"
#include "hardware/energy_table.hpp"
#include "workloads/llm.hpp"

namespace cimnet::cli {

struct GenerationRequest {
  LlmConfig model;
  std::int64_t prompt = 0;
  std::int64_t generated = 0;
  HardwareConfig hardware;
  evaluation::Engine engine = evaluation::Engine::Both;
  Execution execution = Execution::LayerByLayer;
  CyclesOf cycles_of = CyclesOf::Steady;
  EnergyTable energy;
  SimOptions sim;
  std::optional<std::string> report_path;  // JSON of the phases and the figures
};

// Prints the phases and the figures; InputError for a prompt and generation beyond the context.
int run_generation(const GenerationRequest& request);

// The positions at which decode steps are mapped and simulated: all when at most five, else the first,
// the last and three evenly between (rounded down).
std::vector<std::int64_t> decode_sample_positions(std::int64_t first, std::int64_t count);
// Σ over positions first .. first + count − 1 of the piecewise-linear interpolation of (position, value)
// samples taken at `positions` (sorted, covering both ends).
double interpolated_sum(const std::vector<std::int64_t>& positions, const std::vector<double>& values,
                        std::int64_t first, std::int64_t count);

}  // namespace cimnet::cli
