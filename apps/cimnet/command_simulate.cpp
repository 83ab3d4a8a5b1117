// cimnet simulate: maps every layer of a network, estimates it analytically and runs the whole
// network as one program in the SystemC model (evaluation/simulation_report.hpp does all of it);
// prints a per-layer table and totals, and writes the JSON report and optionally a Perfetto trace.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/json_views.hpp"
#include "apps/cimnet/llm_generation.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/output_file.hpp"
#include "common/text.hpp"
#include "evaluation/energy_report.hpp"
#include "evaluation/simulation_report.hpp"
#include "workloads/network_file.hpp"

namespace cimnet::cli {

namespace {

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100 * v);
  return b;
}

// `resident`: a column saying which layers keep their weights in the arrays (fused only).
void print_table(const std::vector<evaluation::LayerLine>& lines, bool analytical, bool simulated, bool resident) {
  std::vector<std::string> headers = {">#", "name", "type", "shape", ">MACs", "mapping"};
  if (analytical) headers.push_back(">analytical");
  if (simulated) headers.push_back(">simulated");
  if (analytical && simulated) headers.push_back(">error");
  headers.push_back(">util");
  headers.push_back(">/roof");
  headers.push_back("in>out");
  if (resident) headers.push_back("res");
  headers.push_back("bound");
  Table table(headers);
  bool ruled = false;
  for (const auto& l : lines) {
    if (l.index < 0 && !ruled) table.add_rule();  // before the total line(s)
    ruled = l.index < 0;
    std::vector<std::string> row = {l.index < 0 ? "" : std::to_string(l.index), l.name, l.kind, l.shape,
                                    with_thousands(l.macs), l.mapping};
    if (analytical) row.push_back(with_thousands(l.analytical_cycles));
    if (simulated) row.push_back(with_thousands(l.simulated_cycles));
    if (analytical && simulated) row.push_back(pct(l.error));
    row.push_back(pct(l.utilisation));
    char roof[32] = "";
    if (l.roofline > 0) std::snprintf(roof, sizeof roof, "%.2f", l.roofline_ratio);
    row.push_back(roof);
    row.push_back(l.index < 0 ? "" : l.fused_into >= 0 ? "fused>" + std::to_string(l.fused_into) : l.input_from + ">" + l.output_to);
    if (resident) row.push_back(l.resident ? "yes" : "");
    row.push_back(l.bound);
    table.add_row(row);
  }
  table.print(std::cout);
}

}  // namespace

int run_simulate(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("space", po::value<std::string>(), "search space (default: the scenario's)")
      ("arch", po::value<std::string>(), "sub-network: compact gene string, DyNAS-T dict, min, max or random:SEED (default max)")
      ("network", po::value<std::string>(), "a network file (YAML) instead of --space/--arch")
      ("inner-precision", po::value<std::string>(),
       "W/A: every MAC layer but the first and last with W-bit weights, the activations between at A bits "
       "(DIANA's deployment: 2/7)")
      ("hw", po::value<std::vector<std::string>>()->composing(), "override a hardware parameter, KEY=VALUE; repeatable")
      ("engine", po::value<std::string>()->default_value("both"), "systemc, analytical or both")
      ("report", po::value<std::string>(), "write a JSON report here")
      ("trace", po::value<std::string>(), "write a Perfetto/Chrome trace of the SystemC run here")
      ("timeout", po::value<double>()->default_value(600), "wall-clock limit of the SystemC run, seconds");
  add_onnx_options(options);
  add_llm_options(options);
  options.add_options()("decode", po::value<std::int64_t>(),
                        "--llm with --prefill P: generate this many tokens after the prompt and report the time to "
                        "first token, cycles per token and tokens per second (docs/llm.md)");
  add_execution_option(options);
  add_cycles_option(options);
  add_latency_bound_option(options);
  add_allocation_option(options);
  const auto vm = parse_options("simulate",
                                "[--scenario F] (--space S --arch SPEC | --network FILE | --onnx FILE | --llm NAME (--prefill P [--decode D] | --decode-at T)) [--hw K=V ...] "
                                "[--execution layer-by-layer|fused|pipelined] [--cycles cold|steady|stream] [--latency-bound 1.2x|CYCLES] "
                                "[--allocation latency|energy|energy-delay] "
                                "[--engine systemc|analytical|both] [--report out.json] [--trace trace.json]",
                                options, args);
  const Execution execution = execution_from(vm);
  const CyclesOf cycles_of = cycles_of_from(vm);
  const LatencyBound latency_bound = latency_bound_from(vm, execution);
  const std::string engine_name =
      checked_choice("engine", vm["engine"].as<std::string>(), {"systemc", "analytical", "both"});
  const evaluation::Engine engine = engine_name == "systemc"      ? evaluation::Engine::SystemC
                                    : engine_name == "analytical" ? evaluation::Engine::Analytical
                                                                  : evaluation::Engine::Both;
  if (vm.count("trace") && engine == evaluation::Engine::Analytical) {
    throw InputError("--trace needs --engine systemc or both");
  }
  const double timeout = vm["timeout"].as<double>();
  if (!(timeout > 0)) throw InputError("--timeout must be positive");
  // The outputs, before any work: a path that cannot be written fails now, not after the simulation.
  std::optional<OutputLock> report_lock, trace_lock;
  if (vm.count("report")) report_lock.emplace(claim_output_file("--report", vm["report"].as<std::string>()));
  if (vm.count("trace")) {
    if (vm.count("report") && vm["trace"].as<std::string>() == vm["report"].as<std::string>()) {
      throw InputError("--trace and --report name the same file " + vm["trace"].as<std::string>());
    }
    trace_lock.emplace(claim_output_file("--trace", vm["trace"].as<std::string>()));
  }
  if (vm.count("decode")) {
    if (!vm.count("llm") || !vm.count("prefill") || vm.count("decode-at")) {
      throw InputError("--decode D needs --llm NAME and --prefill P (and no --decode-at)");
    }
    if (vm.count("trace")) throw InputError("--trace records one run; --decode runs several (drop one of them)");
    if (vm.count("latency-bound")) throw InputError("--latency-bound applies to one network, not to a generation");
    GenerationRequest g;
    g.model = llm_preset(vm["llm"].as<std::string>());
    g.prompt = vm["prefill"].as<std::int64_t>();
    g.generated = vm["decode"].as<std::int64_t>();
    g.hardware = hardware_from(vm);
    g.engine = engine;
    g.execution = execution;
    g.cycles_of = cycles_of;
    g.energy = scenario_from(vm).energy;
    g.sim.timeout_seconds = timeout;
    if (vm.count("report")) g.report_path = vm["report"].as<std::string>();
    return run_generation(g);
  }
  nlohmann::json header;
  const Network net = network_from(vm, header);
  net.validate();
  const HardwareConfig hw = hardware_from(vm);
  const CoreAllocation allocation = allocation_from(vm, !hw.digital_cores.empty());

  SimOptions so;
  so.timeout_seconds = timeout;
  if (vm.count("trace")) so.trace_path = vm["trace"].as<std::string>();
  const EnergyTable table = scenario_from(vm).energy;
  const evaluation::NetworkRun run = evaluation::run_network(net, hw, engine, so, execution,
                                                             ScheduleObjective(cycles_of, latency_bound, allocation, table), &table);

  std::cout << "network:  " << net.name << " (" << net.layers.size() << " layers)\n"
            << "hardware: " << hw.summary() << "\n"
            << "execution: " << to_string(execution) << "\n"
            << "cycles:   " << to_string(cycles_of) << " (the layers' lines)\n";
  if (!hw.digital_cores.empty()) {
    std::cout << "allocation: " << to_string(allocation) << " (what the choice of core for each MAC layer minimises)\n";
  }
  if (run.mapping.analytical_gb_bytes >= 0) {
    std::cout << "schedule: ";
    if (run.mapping.latency_bound_cycles > 0) {
      std::cout << "the least global buffer within " << run.mapping.latency_bound_cycles << " cycles of latency ("
                << to_string(latency_bound) << "); ";
    } else {
      std::cout << "the fewest " << (cycles_of == CyclesOf::Cold     ? "cycles of one inference (latency)"
                                    : cycles_of == CyclesOf::Steady ? "cycles per inference once warm (throughput)"
                                                                    : "cycles between inferences in a stream once warm (throughput)")
                << "; ";
    }
    std::cout << "its segments claim at most " << run.mapping.analytical_gb_bytes << " bytes of the global buffer\n";
    for (const auto& st : run.mapping.stream_stages) {  // a stream of inferences (docs/pipelined.md)
      int on_cores = 0;  // its layers on a digital core, which every stage shares
      for (int i = st.first_layer; i <= st.last_layer; ++i) on_cores += run.mapping.layers[static_cast<std::size_t>(i)].digital >= 0;
      std::cout << "stage:    layers " << net.layers[static_cast<std::size_t>(st.first_layer)].name << " .. "
                << net.layers[static_cast<std::size_t>(st.last_layer)].name;
      if (st.decoders > 0) std::cout << " on decoders " << st.first_decoder << ".." << st.first_decoder + st.decoders - 1;
      if (on_cores > 0) std::cout << ", " << on_cores << " on digital cores";
      std::cout << ", " << st.cycles << " cycles per inference\n";
    }
    if (cycles_of == CyclesOf::Stream && run.mapping.stream_stages.empty()) {
      std::cout << "stream:   no stages beat one inference after another; the steady schedule runs\n";
    }
  }
  std::cout << "\n";
  print_table(evaluation::report_lines(net, hw, run), run.analytical, run.simulated,
              execution != Execution::LayerByLayer);
  std::cout << "\nprogram: " << run.mapping.program.ops.size() << " ops";
  if (run.simulated) {
    char ms[32];
    // One inference, the lines' (not the whole run, which holds two when weights stay resident).
    const std::int64_t cycles =
        cycles_of == CyclesOf::Cold ? run.mapping.sim_cold_cycles : run.mapping.sim_steady_cycles;
    std::snprintf(ms, sizeof ms, "%.6g", static_cast<double>(cycles) / (hw.fixed.clock_ghz * 1e6));
    std::cout << "; SystemC " << format_number(std::round(run.result.wall_seconds * 1000) / 1000) << " s wall";
    if (run.result.segments_timed > 0) {
      std::cout << " (" << run.result.segments_timed << " of " << run.result.segments
                << " segments timed, the others equal to one of them)";
    }
    std::cout << ", " << ms
              << " ms per " << to_string(cycles_of) << " inference at " << hw.fixed.clock_ghz << " GHz, "
              << format_number(std::round(hw.fixed.clock_ghz * 1e9 / static_cast<double>(run.mapping.sim_steady_cycles)))
              << " inferences per second once warm";
  }
  std::cout << "\nutil = MACs / (peak MACs per cycle x cycles); /roof = cycles / the MAC layer's roofline run alone "
               "(docs/mapping.md, Roofline);\n"
            << (hw.digital_cores.empty() ? ""
                                         : "with digital cores: a layer's peak is its core's (the arrays', or a digital "
                                           "core's PEs), the total's the whole design's (docs/heterogeneous.md);\n")
            << "cycles per layer = end of its last op - end of the previous layer's"
            << (execution == Execution::LayerByLayer ? " (layers run one after another).\n"
                : execution == Execution::Fused
                    ? " (fused: see docs/mapping.md, \"Execution policies\").\n"
                    : " (pipelined: a stack's cycles are its last layer's; docs/pipelined.md).\n")
            << (std::any_of(run.mapping.layers.begin(), run.mapping.layers.end(),
                            [](const MappedLayer& m) { return m.beside; })
                    ? "|| a layer on a digital core that runs beside the steps issued after it (its cycles: its own "
                      "span; the first step that reads it waits for it; docs/heterogeneous.md).\n"
                    : "")
            << (run.mapping.two_inferences
                    ? "cold = the first inference, every weight loaded; steady = one inference once warm, the "
                      "resident (res) weights already in the arrays.\n"
                    : "cold = steady: no weights stay in the arrays between inferences.\n");

  // Energy of the inference the lines show (issue 16; docs/energy.md): the program's actions, static
  // power over its simulated cycles (estimated without a simulation).
  const evaluation::InferenceEnergy energy = energy_of_run(net, hw, run, table);
  std::cout << "energy:   " << format_number(std::round(energy.energy.total() / 1e3) / 1e3) << " uJ per "
            << to_string(cycles_of) << " inference (" << table.preset << " table; static over its "
            << (run.simulated ? "simulated" : "estimated") << " cycles):";
  for (const auto& [level, pj] : energy.energy.levels()) {
    if (pj <= 0) continue;
    std::cout << " " << level << " " << format_number(std::round(1000 * pj / energy.energy.total()) / 10) << "%";
  }
  char figures[160];
  std::snprintf(figures, sizeof figures, "; %.3g pJ/MAC, %.3g TOPS/W, EDP %.3g J*s\n", energy.pj_per_mac(),
                energy.tops_per_watt(), energy.edp_joule_seconds(hw.fixed.clock_ghz));
  std::cout << figures;

  header["execution"] = to_string(execution);
  if (!hw.digital_cores.empty()) header["allocation"] = to_string(allocation);
  if (vm.count("report")) {
    const std::string path = vm["report"].as<std::string>();
    std::ofstream out(path);
    out << simulation_report(header, net, hw, run, table, energy).dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write --report " + path);
  }
  return 0;
}

}  // namespace cimnet::cli
