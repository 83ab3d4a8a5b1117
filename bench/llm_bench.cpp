// Issue 18's speed targets: one decode step of a 32-layer 7B model mapped and simulated in <= 1 s, and
// a prefill of 512 tokens in <= 10 s (docs/llm.md, "Speed").
//
//   llm_bench [MODEL [DECODE_AT [PREFILL [ENGINE [EXECUTION [split]]]]]]
//       defaults: llama-2-7b 511 512 both layer-by-layer; ENGINE analytical, systemc or both
// For each phase: the network's build, the analytical engine (map and estimate), and the SystemC engine
// (map, build and validate the program, simulate in a forked child; the child's own wall time is the
// timed model's), wall seconds each, with the cycles. `split` then times the SystemC path's passes one
// by one, in the same process (so on a warm heap, unlike the runs above): the estimate alone, mapping
// and building the program, the cuts, the segments' groups and their validation, and simulate() (which
// repeats the cuts, groups and validation before its child and replays after it).
#include <chrono>
#include <cstdio>
#include <string>

#include "evaluation/simulation_report.hpp"
#include "program/memories.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_groups.hpp"
#include "program/segment_validation.hpp"
#include "workloads/llm.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The SystemC path's passes one by one (see the opening comment).
void split(const cimnet::Network& net, const cimnet::HardwareConfig& hw, cimnet::Execution execution,
           const cimnet::ScheduleObjective& objective) {
  using namespace cimnet;
  auto t0 = std::chrono::steady_clock::now();
  estimate_network(net, hw, nullptr, execution, objective);
  const double estimate = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  const NetworkMapping m = map_network(net, hw, nullptr, execution, objective);
  const double map = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  const RepeatedSegments plan = find_repeated_segments(m.program);
  const double cuts = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  const SegmentGroups groups = group_segments(m.program, plan, Memories(hw));
  const double grouping = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  const std::size_t validated = validate_segments(m.program, plan, hw, groups);
  const double validation = seconds_since(t0);
  SimOptions options;
  options.timeout_seconds = 3600;
  t0 = std::chrono::steady_clock::now();
  const SimResult r = simulate(m.program, hw, options);
  const double sim = seconds_since(t0);
  std::printf("  split: estimate %.3f s; map and build %.3f s; cuts %.3f s (%zu segments, %zu distinct, %s); groups "
              "%.3f s; validation %.3f s (%zu groups); simulate() %.3f s, of which the child %.3f s\n",
              estimate, map, cuts, plan.segments.size(), plan.distinct_segments,
              plan.cuts == SegmentCuts::Clean ? "clean" : "timing", grouping, validation, validated, sim, r.wall_seconds);
}

void run_phase(const char* phase, const cimnet::Network& build_of, double build_seconds, const std::string& engine,
               cimnet::Execution execution, double target, bool split_passes) {
  using namespace cimnet;
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  // As `cimnet simulate --llm` runs a phase by default: steady cycles, so a `fused` program starts warm.
  ScheduleObjective steady(CyclesOf::Steady);
  steady.warm_only = true;
  std::printf("%s: %zu layers, %lld MACs, built in %.3f s\n", phase, build_of.layers.size(),
              static_cast<long long>(build_of.total_macs()), build_seconds);
  if (engine != "systemc") {
    const auto t0 = std::chrono::steady_clock::now();
    const evaluation::NetworkRun run =
        evaluation::run_network(build_of, hw, evaluation::Engine::Analytical, SimOptions{}, execution, steady);
    const double s = seconds_since(t0);
    std::printf("  analytical: %.3f s (target %.0f s: %s), %lld cycles\n", s, target, s <= target ? "met" : "NOT met",
                static_cast<long long>(run.mapping.analytical_steady_cycles));
  }
  if (engine != "analytical") {
    SimOptions options;
    options.timeout_seconds = 3600;
    const auto t0 = std::chrono::steady_clock::now();
    const evaluation::NetworkRun run =
        evaluation::run_network(build_of, hw, evaluation::Engine::SystemC, options, execution, steady);
    const double s = seconds_since(t0);
    std::printf("  systemc: %.3f s (target %.0f s: %s), of which the child %.3f s; %lld cycles; %zu ops, %lld segments "
                "between cuts, %lld of them timed (docs/model.md, \"Equal segments\")\n",
                s, target, s <= target ? "met" : "NOT met", run.result.wall_seconds,
                static_cast<long long>(run.mapping.sim_steady_cycles), run.mapping.program.ops.size(),
                static_cast<long long>(run.result.segments), static_cast<long long>(run.result.segments_timed));
  }
  if (split_passes) split(build_of, hw, execution, steady);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cimnet;
  const LlmConfig model = llm_preset(argc > 1 ? argv[1] : "llama-2-7b");
  const std::int64_t decode_at = argc > 2 ? std::stoll(argv[2]) : 511;
  const std::int64_t prefill = argc > 3 ? std::stoll(argv[3]) : 512;
  const std::string engine = argc > 4 ? argv[4] : "both";
  const Execution execution = parse_execution(argc > 5 ? argv[5] : "layer-by-layer", "EXECUTION");
  const bool split_passes = argc > 6 && std::string(argv[6]) == "split";
  std::printf("%s on the reference design, %s\n", model.name.c_str(), to_string(execution));
  auto t0 = std::chrono::steady_clock::now();
  const Network decode = llm_decode(model, decode_at);
  run_phase(("decode at " + std::to_string(decode_at)).c_str(), decode, seconds_since(t0), engine, execution, 1.0,
            split_passes);
  t0 = std::chrono::steady_clock::now();
  const Network pass = llm_prefill(model, prefill);
  run_phase(("prefill " + std::to_string(prefill)).c_str(), pass, seconds_since(t0), engine, execution, 10.0,
            split_passes);
  return 0;
}
