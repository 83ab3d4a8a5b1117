#include "apps/cimnet/llm_generation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "evaluation/energy_report.hpp"

namespace cimnet::cli {
namespace {

// One mapped (and perhaps simulated) pass of the model.
struct Phase {
  std::string name;
  std::int64_t position = -1;  // decode: the token's position
  std::int64_t analytical = 0, simulated = -1;
  std::int64_t dram_bytes = 0;  // across the DRAM interface, by the estimate
  std::int64_t macs = 0;
  double energy_pj = 0;
  // Decode: the bytes of KV cache the step reads (its cached matmuls' stationary operands), and of those
  // the bytes that stay in the arrays between steps (resident under `fused`; residency.hpp).
  std::int64_t kv_bytes = 0, kv_on_chip = 0;
  // Its program started warm (resident weights programmed, one inference; NetworkMapping::starts_warm):
  // its first inference was estimated, not built or simulated.
  bool started_warm = false;
  std::int64_t cycles() const { return simulated >= 0 ? simulated : analytical; }
};

Phase run_phase(const GenerationRequest& r, const Network& net, const std::string& name, std::int64_t position) {
  const bool steady = once_warm(r.cycles_of);
  ScheduleObjective objective(r.cycles_of, {}, CoreAllocation::Latency, r.energy);
  // Steady cycles read nothing of the first inference but its estimate: a `fused` program then starts
  // with its resident weights in place and simulates one inference, not two.
  objective.warm_only = r.cycles_of == CyclesOf::Steady;
  const evaluation::NetworkRun run = evaluation::run_network(net, r.hardware, r.engine, r.sim, r.execution, objective, &r.energy);
  Phase p;
  p.name = name;
  p.position = position;
  p.analytical = steady ? run.mapping.analytical_steady_cycles : run.mapping.analytical_cycles;
  if (run.simulated) p.simulated = steady ? run.mapping.sim_steady_cycles : run.mapping.sim_cold_cycles;
  p.dram_bytes = steady ? run.mapping.analytical_steady_dram_bytes : run.mapping.analytical_dram_bytes;
  p.macs = net.total_macs();
  p.started_warm = run.mapping.starts_warm;
  p.energy_pj = evaluation::inference_energy(net, run.mapping, r.hardware, r.energy, steady, p.cycles()).energy.total();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!net.layers[i].persistent_stationary) continue;
    p.kv_bytes += net.layers[i].weight_bytes();
    if (run.mapping.layers[i].resident) p.kv_on_chip += net.layers[i].weight_bytes();
  }
  return p;
}

// The physical floors of a phase and which one binds it: DRAM traffic at DRAM_bw, or MACs at the peak.
struct Floors {
  std::int64_t dram = 0, compute = 0;
  const char* bound() const { return dram >= compute ? "DRAM bandwidth" : "compute"; }
};

Floors floors_of(const Phase& p, const HardwareConfig& hw) {
  const std::int64_t bw = hw.get(HwParam::DRAM_bw), peak = hw.peak_macs_per_cycle();
  return Floors{(p.dram_bytes + bw - 1) / bw, (p.macs + peak - 1) / peak};
}

// Where the sampled decode steps' KV caches live: in DRAM (read by every step), or partly in the arrays
// between steps (`fused` keeps a layer's cached keys or values resident as it keeps weights, when its
// residency choice takes them).
std::string kv_placement(const std::vector<Phase>& phases, Execution execution) {
  std::int64_t read = 0, kept = 0;
  for (const Phase& p : phases) {
    read += p.kv_bytes;
    kept += p.kv_on_chip;
  }
  if (kept == 0) {
    return std::string("it lives in DRAM (") + to_string(execution) +
           (execution == Execution::Fused ? ": no cached layer was chosen to stay in the arrays)"
                                          : ": the caches stay only under fused)");
  }
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%", 100.0 * static_cast<double>(kept) / static_cast<double>(read));
  return std::string("under fused, ") + share + " of the sampled steps' cache bytes stay in the arrays between steps "
         "(the rest in DRAM)";
}

std::string ms_at(double cycles, const HardwareConfig& hw) {
  char text[48];
  std::snprintf(text, sizeof text, "%.4g ms", cycles / (hw.fixed.clock_ghz * 1e6));
  return text;
}

}  // namespace

std::vector<std::int64_t> decode_sample_positions(std::int64_t first, std::int64_t count) {
  std::vector<std::int64_t> out;
  if (count <= 5) {
    for (std::int64_t i = 0; i < count; ++i) out.push_back(first + i);
    return out;
  }
  for (int i = 0; i < 5; ++i) {
    const std::int64_t at = first + (count - 1) * i / 4;
    if (out.empty() || out.back() != at) out.push_back(at);
  }
  return out;
}

double interpolated_sum(const std::vector<std::int64_t>& positions, const std::vector<double>& values,
                        std::int64_t first, std::int64_t count) {
  double sum = 0;
  std::size_t k = 0;
  for (std::int64_t at = first; at < first + count; ++at) {
    while (k + 1 < positions.size() && positions[k + 1] < at) ++k;
    if (positions.size() == 1 || at <= positions[k]) {
      sum += values[k];
      continue;
    }
    const std::size_t j = std::min(k + 1, positions.size() - 1);
    const double span = static_cast<double>(positions[j] - positions[k]);
    const double w = span > 0 ? static_cast<double>(at - positions[k]) / span : 0;
    sum += values[k] + w * (values[j] - values[k]);
  }
  return sum;
}

int run_generation(const GenerationRequest& r) {
  const LlmConfig& m = r.model;
  if (r.generated < 1) throw InputError("--decode: the number of generated tokens must be at least 1");
  if (r.prompt + r.generated > m.context) {
    throw InputError("--prefill " + std::to_string(r.prompt) + " and --decode " + std::to_string(r.generated) + ": " +
                     m.name + " takes at most " + std::to_string(m.context) + " tokens in all");
  }
  std::vector<Phase> phases;
  phases.push_back(run_phase(r, llm_prefill(m, r.prompt), "prefill", -1));
  const auto positions = decode_sample_positions(r.prompt, r.generated);
  for (std::int64_t at : positions) phases.push_back(run_phase(r, llm_decode(m, at), "decode", at));

  const HardwareConfig& hw = r.hardware;
  std::cout << "model:    " << m.name << " (" << m.layers << " layers, width " << m.width << ", " << m.heads << " heads, "
            << m.kv_heads << " key/value heads); " << with_thousands(llm_parameters(m).total()) << " parameters\n"
            << "hardware: " << hw.summary() << "\nexecution: " << to_string(r.execution) << ", "
            << to_string(r.cycles_of) << " cycles\n\n";
  Table table({"phase", ">position", ">analytical", ">simulated", ">error", ">DRAM floor", ">compute floor", "bound",
               ">energy uJ"});
  for (const auto& p : phases) {
    const Floors f = floors_of(p, hw);
    std::string error = "-";
    if (p.simulated > 0) {
      char e[32];
      std::snprintf(e, sizeof e, "%+.2f%%", 100.0 * static_cast<double>(p.analytical - p.simulated) / p.simulated);
      error = e;
    }
    table.add_row({p.name == "prefill" ? "prefill " + std::to_string(r.prompt) : "decode",
               p.position >= 0 ? std::to_string(p.position) : "-", with_thousands(p.analytical),
               p.simulated >= 0 ? with_thousands(p.simulated) : "-", error, with_thousands(f.dram),
               with_thousands(f.compute), f.bound(), format_number(std::round(p.energy_pj / 1e3) / 1e3)});
  }
  table.print(std::cout);

  std::vector<double> decode_cycles, decode_energy;
  for (std::size_t i = 1; i < phases.size(); ++i) {
    decode_cycles.push_back(static_cast<double>(phases[i].cycles()));
    decode_energy.push_back(phases[i].energy_pj);
  }
  const double decode_total = interpolated_sum(positions, decode_cycles, r.prompt, r.generated);
  const double decode_pj = interpolated_sum(positions, decode_energy, r.prompt, r.generated);
  const double ttft = static_cast<double>(phases.front().cycles());
  const double per_token = decode_total / static_cast<double>(r.generated);
  const double tokens_per_second = hw.fixed.clock_ghz * 1e9 / per_token;
  const char* engine = phases.front().simulated >= 0 ? "simulated" : "analytical";
  // Step at position t reads the keys and values of t + 1 tokens: Σ over the steps, in closed form.
  const std::int64_t kv_end = llm_kv_cache_bytes(m, r.prompt + r.generated);
  std::int64_t kv_read = 0;
  for (std::int64_t t = r.prompt; t < r.prompt + r.generated; ++t) kv_read += llm_kv_cache_bytes(m, t + 1);
  std::cout << "\ntime to first token: " << with_thousands(static_cast<std::int64_t>(ttft)) << " cycles = "
            << ms_at(ttft, hw) << " at " << hw.fixed.clock_ghz << " GHz (" << engine << ")\n"
            << "decode: " << with_thousands(static_cast<std::int64_t>(std::llround(per_token)))
            << " cycles per token on average over positions " << r.prompt << ".." << r.prompt + r.generated - 1
            << " (" << positions.size() << " sampled, piecewise linear between them); "
            << format_number(std::round(tokens_per_second * 100) / 100) << " tokens per second; "
            << format_number(std::round(decode_pj / static_cast<double>(r.generated) / 1e3) / 1e3) << " uJ per token\n"
            << "whole generation: " << ms_at(ttft + decode_total, hw) << "\n"
            << "KV cache: " << with_thousands(kv_end) << " bytes after the last token (" << r.prompt + r.generated
            << " tokens); the arrays hold " << with_thousands(hw.total_capacity_bytes()) << " bytes"
            << (kv_end > hw.total_capacity_bytes() ? " (it would not fit on chip)" : "") << "; the decode steps read "
            << with_thousands(kv_read) << " bytes of it in all; " << kv_placement(phases, r.execution) << "\n"
            << "bound: prefill " << floors_of(phases.front(), hw).bound() << ", decode "
            << floors_of(phases.back(), hw).bound()
            << " (the larger physical floor: DRAM bytes / DRAM_bw against MACs / peak MACs per cycle)\n";
  const auto warm = std::count_if(phases.begin(), phases.end(), [](const Phase& p) { return p.started_warm; });
  if (warm > 0) {
    std::cout << "programs: " << warm << " of " << phases.size()
              << " phases started warm (their resident weights programmed, then the one inference counted; "
                 "docs/mapping.md, \"Resident weights\")\n";
  }

  if (r.report_path) {
    nlohmann::json j;
    j["model"] = m.name;
    j["parameters"] = llm_parameters(m).total();
    j["prompt_tokens"] = r.prompt;
    j["generated_tokens"] = r.generated;
    j["hardware"] = hw.summary();
    j["execution"] = to_string(r.execution);
    j["cycles_of"] = to_string(r.cycles_of);
    j["time_to_first_token_cycles"] = ttft;
    j["decode_cycles_per_token"] = per_token;
    j["tokens_per_second"] = tokens_per_second;
    j["decode_energy_pj_per_token"] = decode_pj / static_cast<double>(r.generated);
    j["kv_cache_bytes_at_end"] = kv_end;
    j["kv_cache_bytes_read"] = kv_read;
    j["kv_cache_placement"] = kv_placement(phases, r.execution);
    j["interpolation"] = "piecewise linear in the position between the sampled decode steps";
    for (const auto& p : phases) {
      const Floors f = floors_of(p, hw);
      j["phases"].push_back({{"phase", p.name}, {"position", p.position}, {"analytical_cycles", p.analytical},
                             {"simulated_cycles", p.simulated}, {"dram_bytes", p.dram_bytes}, {"macs", p.macs},
                             {"dram_floor_cycles", f.dram}, {"compute_floor_cycles", f.compute},
                             {"bound", f.bound()}, {"energy_pj", p.energy_pj}, {"kv_cache_bytes", p.kv_bytes},
                             {"kv_cache_bytes_in_arrays", p.kv_on_chip}, {"started_warm", p.started_warm}});
    }
    std::ofstream out(*r.report_path);
    out << j.dump(2) << '\n';
    if (!out) throw RunFailure("--report: cannot write " + *r.report_path);
  }
  return 0;
}

}  // namespace cimnet::cli
