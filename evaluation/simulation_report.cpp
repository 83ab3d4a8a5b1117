#include "evaluation/simulation_report.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/error.hpp"
#include "evaluation/energy_report.hpp"
#include "evaluation/schedule_chart.hpp"
#include "mapping/roofline.hpp"
#include "program/occupancy_thinning.hpp"

namespace cimnet::evaluation {

namespace {

double relative_error(std::int64_t estimate, std::int64_t truth) {
  return (static_cast<double>(estimate) - static_cast<double>(truth)) / std::max(1.0, static_cast<double>(truth));
}

// Of the whole design: its arrays' cores and every digital core's PEs.
double utilisation(std::int64_t macs, const HardwareConfig& hw, std::int64_t cycles) {
  double peak = static_cast<double>(hw.peak_macs_per_cycle());
  for (const DigitalCore& d : hw.digital_cores) peak += static_cast<double>(d.pes());
  return cycles > 0 ? static_cast<double>(macs) / (peak * static_cast<double>(cycles)) : 0;
}

nlohmann::json mapping_json(const MappedLayer& ml) {
  const Plan& p = ml.plan;
  return {{"summary", p.mapping.summary()}, {"group_pack", p.mapping.group_pack}, {"k_split", p.mapping.k_split},
          {"r_split", p.mapping.r_split}, {"replicas", p.mapping.replicas}, {"tiles", p.mapping.tiles},
          {"half_capacity", p.mapping.half_capacity}, {"spread", p.mapping.spread},
          {"reduce_at", p.mapping.reduce_at == ReduceLevel::L1 ? "L1" : "L2"}, {"passes", p.passes},
          {"tile_bytes", p.tile_bytes}, {"positions_per_tile", p.m}, {"pass_groups", p.mapping.pass_groups},
          {"plans_enumerated", ml.enumerated}, {"plans_scored", ml.evaluated}};
}

nlohmann::json analytical_json(const Cost& c) {
  const auto& b = c.busy;
  return {{"cycles", c.cycles}, {"ideal", c.ideal}, {"load", c.load}, {"write_back", c.write_back},
          {"stall", c.stall}, {"dram_bytes", c.dram_bytes}, {"arrays_used", c.arrays_used},
          {"busy", {{"dram", b.dram}, {"l2", b.l2}, {"l1_max", b.l1}, {"port_max", b.port}, {"core_max", b.core},
                    {"reduce", b.reduce}, {"vector", b.vector}}}};
}

}  // namespace

std::string output_shape(const Layer& l) {
  std::string s = std::to_string(l.out_channels);
  if (l.out_h > 1 || l.out_w > 1) s += "x" + std::to_string(l.out_h) + "x" + std::to_string(l.out_w);
  if (l.batch > 1) s = std::to_string(l.batch) + "x" + s;
  return s;
}

void attribute(NetworkMapping& mapping, const SimResult& result) {
  std::vector<std::int64_t> start(result.ops.size()), end(result.ops.size());
  for (const auto& o : result.ops) {
    start[static_cast<std::size_t>(o.id)] = o.start;
    end[static_cast<std::size_t>(o.id)] = o.end;
  }
  cimnet::attribute(mapping, start, end);
}

NetworkRun run_network(const Network& network, const HardwareConfig& hardware, Engine engine,
                       const SimOptions& options, Execution execution, const ScheduleObjective& objective,
                       const EnergyTable* power) {
  NetworkRun run;
  run.cycles_of = objective.cycles;
  run.mapping = map_network(network, hardware, nullptr, execution, objective);
  run.analytical = engine != Engine::SystemC;
  run.simulated = engine != Engine::Analytical;
  if (!run.simulated) return run;
  SimOptions with_power = options;
  if (power && !options.trace_path.empty()) {
    with_power.op_energy_pj = op_energies(network, run.mapping, hardware, *power);
    with_power.static_power_mw = static_power_mw(*power, hardware);
  }
  run.result = simulate(run.mapping.program, hardware, with_power);
  if (run.result.status == SimStatus::InputError) throw InputError(run.result.message);
  if (!run.result.ok()) {
    throw RunFailure(std::string("simulation ") + to_string(run.result.status) + ": " + run.result.message);
  }
  attribute(run.mapping, run.result);
  return run;
}

MemoryOccupancy memory_occupancy(const NetworkRun& run, const HardwareConfig& hardware) {
  std::vector<OpSpan> spans(run.mapping.program.ops.size());
  for (const auto& o : run.result.ops) spans.at(static_cast<std::size_t>(o.id)) = {o.start, o.end};
  return cimnet::memory_occupancy(run.mapping.program, hardware, spans);
}

nlohmann::json occupancy_json(const MemoryOccupancy& occupancy, std::size_t max_points) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& level : occupancy.levels) {
    const ThinnedSteps thinned = thin_to_window_maxima(level.steps, occupancy.end_cycle, max_points);
    nlohmann::json points = nlohmann::json::array();
    for (const auto& s : thinned.steps) points.push_back({s.cycle, s.bytes});
    levels.push_back({{"level", level.level}, {"capacity", level.capacity}, {"peak_bytes", level.peak_bytes()},
                      {"change_points", level.steps.size()}, {"thinned", thinned.window_cycles > 0},
                      {"window_cycles", thinned.window_cycles}, {"points", points}});
  }
  return {{"end_cycle", occupancy.end_cycle}, {"max_points", max_points}, {"levels", levels}};
}

std::vector<LayerLine> report_lines(const Network& network, const HardwareConfig& hardware, const NetworkRun& run) {
  const bool steady = once_warm(run.cycles_of);
  std::vector<LayerLine> lines;
  for (const auto& ml : run.mapping.layers) {
    const Layer& l = network.layers[static_cast<std::size_t>(ml.index)];
    const Cost& cost = steady ? ml.steady_cost : ml.cost;
    const std::int64_t simulated = steady ? ml.sim_steady_cycles : ml.sim_cycles;
    LayerLine line;
    line.index = ml.index;
    line.name = l.name;
    line.kind = to_string(l.kind);
    line.shape = output_shape(l);
    line.macs = l.macs();
    line.mapping = !ml.mac ? "vector unit"
                   : ml.digital >= 0
                       ? "digital " + hardware.digital_cores[static_cast<std::size_t>(ml.digital)].name + ": " +
                             ml.digital_tiling.summary()
                       : ml.plan.mapping.summary();
    if (ml.beside) line.mapping = "|| " + line.mapping;  // runs beside the steps issued after it
    if (run.analytical) line.analytical_cycles = cost.cycles;
    if (run.simulated) line.simulated_cycles = simulated;
    if (run.analytical && run.simulated) line.error = relative_error(cost.cycles, simulated);
    if (ml.digital >= 0) {  // of the core that ran it
      const std::int64_t cycles = run.simulated ? simulated : cost.cycles;
      const double pes = static_cast<double>(hardware.digital_cores[static_cast<std::size_t>(ml.digital)].pes());
      line.utilisation = cycles > 0 ? static_cast<double>(l.macs()) / (pes * static_cast<double>(cycles)) : 0;
    } else {  // of the arrays
      const std::int64_t cycles = run.simulated ? simulated : cost.cycles;
      const double peak = static_cast<double>(hardware.peak_macs_per_cycle());
      line.utilisation = cycles > 0 ? static_cast<double>(l.macs()) / (peak * static_cast<double>(cycles)) : 0;
    }
    line.bound = cost.bound;
    line.input_from = ml.input_on_chip ? "gb" : "dram";
    line.output_to = ml.output_on_chip ? "gb" : "dram";
    line.fused_into = ml.fused_into;
    line.resident = ml.resident;
    if (ml.mac && ml.digital < 0) {  // the arrays' roofline (a digital core's layer has none here)
      // For where its data lived in this inference (layer-by-layer: the defaults).
      RooflineIo where;
      where.weights_loaded = !(steady && ml.resident);
      where.input_from_dram = !ml.input_on_chip;
      where.output_to_dram = !ml.output_on_chip;
      const Roofline roof = roofline(l, hardware, where);
      line.roofline = roof.cycles;
      line.roofline_bound = roof.bound;
      const std::int64_t cycles = run.simulated ? simulated : cost.cycles;
      line.roofline_ratio = roof.cycles > 0 ? static_cast<double>(cycles) / roof.cycles : 0;
    }
    lines.push_back(line);
  }
  // Not run.result.total_cycles: with resident weights the run holds a first and a warm inference.
  const auto total = [&](const std::string& name, bool warm) {
    LayerLine t;
    t.name = name;
    t.shape = std::to_string(network.layers.size()) + " layers";
    t.macs = network.total_macs();
    const std::int64_t analytical = warm ? run.mapping.analytical_steady_cycles : run.mapping.analytical_cycles;
    const std::int64_t simulated = warm ? run.mapping.sim_steady_cycles : run.mapping.sim_cold_cycles;
    if (run.analytical) t.analytical_cycles = analytical;
    if (run.simulated) t.simulated_cycles = simulated;
    if (run.analytical && run.simulated) t.error = relative_error(analytical, simulated);
    t.utilisation =
        utilisation(network.total_macs(), hardware, std::max<std::int64_t>(1, run.simulated ? simulated : analytical));
    return t;
  };
  if (run.mapping.two_inferences) {
    lines.push_back(total("cold total", false));
    lines.push_back(total("steady total", true));
  } else {
    lines.push_back(total("total", false));
  }
  return lines;
}

nlohmann::json report_json(nlohmann::json header, const Network& network, const HardwareConfig& hardware,
                           const NetworkRun& run) {
  nlohmann::json report = std::move(header);
  const std::vector<LayerLine> lines = report_lines(network, hardware, run);
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < run.mapping.layers.size(); ++i) {
    const MappedLayer& ml = run.mapping.layers[i];
    const Layer& l = network.layers[static_cast<std::size_t>(ml.index)];
    nlohmann::json j = {{"index", ml.index}, {"name", l.name}, {"kind", to_string(l.kind)},
                        {"shape", output_shape(l)}, {"macs", l.macs()}, {"weight_bytes", l.weight_bytes()},
                        {"input_bytes", l.input_bytes()}, {"output_bytes", l.output_bytes()},
                        {"utilisation", lines[i].utilisation}, {"bound", lines[i].bound},
                        {"input_from", lines[i].input_from}, {"output_to", lines[i].output_to},
                        {"resident", ml.resident},
                        {"bits", {{"weights", l.weight_bits}, {"inputs", l.input_bits}, {"outputs", l.output_bits}}}};
    if (ml.fused_into >= 0) j["fused_into"] = ml.fused_into;
    if (ml.beside) j["beside"] = true;
    if (ml.stack_first >= 0) {
      j["stack"] = {{"first", ml.stack_first}, {"last", ml.stack_last}, {"tiles", ml.stack_tiles},
                    {"first_decoder", ml.first_decoder}, {"decoders", ml.decoders}};
    }
    if (!ml.core_options.empty()) {  // the allocation's choices: each core alone, and the refusals
      nlohmann::json options = nlohmann::json::object();
      for (const auto& [core, cycles] : ml.core_options) {
        options[core < 0 ? std::string("arrays") : hardware.digital_cores[static_cast<std::size_t>(core)].name] = cycles;
      }
      j["core_options"] = options;
      if (!ml.refused.empty()) j["core_refusals"] = ml.refused;
    }
    if (ml.mac && ml.digital >= 0) {
      const DigitalCost& d = ml.digital_cost;
      j["core"] = hardware.digital_cores[static_cast<std::size_t>(ml.digital)].name;
      j["digital"] = {{"tiling", ml.digital_tiling.summary()}, {"tiles", d.tiles}, {"compute_steps", d.compute_cycles},
                      {"utilisation", d.utilisation}, {"weight_bytes", d.weight_bytes}, {"input_bytes", d.input_bytes},
                      {"output_bytes", d.output_bytes}};
    } else if (ml.mac) {
      if (!hardware.digital_cores.empty()) j["core"] = "arrays";
      j["mapping"] = mapping_json(ml);
      j["roofline"] = {{"cycles", lines[i].roofline}, {"bound", lines[i].roofline_bound},
                       {"ratio", lines[i].roofline_ratio}};
    }
    // "analytical" and "simulated": the inference cycles_of names; "cold" and "steady": both.
    const bool steady = once_warm(run.cycles_of);
    if (run.analytical) j["analytical"] = analytical_json(steady ? ml.steady_cost : ml.cost);
    // Bytes and busy cycles per level are not separated per layer by the model: the run's per-level
    // totals are under "levels".
    if (run.simulated) {
      j["simulated"] = steady ? nlohmann::json{{"cycles", ml.sim_steady_cycles}, {"start", ml.sim_steady_start},
                                               {"end", ml.sim_steady_end}, {"ops", ml.steady_end_op - ml.steady_first_op}}
                              : nlohmann::json{{"cycles", ml.sim_cycles}, {"start", ml.sim_start}, {"end", ml.sim_end},
                                               {"ops", ml.end_op - ml.first_op}};
    }
    for (const bool warm : {false, true}) {
      nlohmann::json& c = j[warm ? "steady" : "cold"];
      c = nlohmann::json::object();
      if (run.analytical) c["analytical_cycles"] = (warm ? ml.steady_cost : ml.cost).cycles;
      if (run.simulated) c["simulated_cycles"] = warm ? ml.sim_steady_cycles : ml.sim_cycles;
    }
    layers.push_back(j);
  }
  report["hardware"] = hardware.summary();
  report["layers"] = layers;
  // Cold: the first inference; steady: one once warm (equal unless weights stay resident). The
  // unqualified cycles are those of cycles_of, as the table's lines.
  const NetworkMapping& nm = run.mapping;
  const bool steady = once_warm(run.cycles_of);
  report["totals"] = {{"macs", network.total_macs()}, {"ops", nm.program.ops.size()},
                      {"cycles_of", to_string(run.cycles_of)}, {"two_inferences", nm.two_inferences},
                      {"resident_bytes", nm.resident_bytes}};
  report["totals"]["analytical_cycles"] = steady ? nm.analytical_steady_cycles : nm.analytical_cycles;
  report["totals"]["analytical_cold_cycles"] = nm.analytical_cycles;
  report["totals"]["analytical_steady_cycles"] = nm.analytical_steady_cycles;
  report["totals"]["analytical_cold_dram_bytes"] = nm.analytical_dram_bytes;
  report["totals"]["analytical_steady_dram_bytes"] = nm.analytical_steady_dram_bytes;
  if (nm.analytical_gb_bytes >= 0) {  // pipelined: what its segments claim of the global buffer at most
    report["totals"]["analytical_gb_claim_bytes"] = nm.analytical_gb_bytes;
    if (nm.latency_bound_cycles > 0) report["totals"]["latency_bound_cycles"] = nm.latency_bound_cycles;
  }
  if (!nm.stream_stages.empty()) {  // a stream of inferences: its stages (stream_schedule.hpp)
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& st : nm.stream_stages) {
      int on_cores = 0;  // its layers on a digital core, which the stages share
      for (int i = st.first_layer; i <= st.last_layer; ++i) on_cores += nm.layers[static_cast<std::size_t>(i)].digital >= 0;
      stages.push_back({{"first_layer", network.layers[static_cast<std::size_t>(st.first_layer)].name},
                        {"last_layer", network.layers[static_cast<std::size_t>(st.last_layer)].name},
                        {"first_decoder", st.first_decoder}, {"decoders", st.decoders},
                        {"layers_on_digital_cores", on_cores}, {"analytical_cycles", st.cycles}});
    }
    report["stream_stages"] = stages;
  }
  // Steady-state throughput: one inference per steady cycles at the clock.
  const double hz = hardware.fixed.clock_ghz * 1e9;
  report["totals"]["analytical_inferences_per_second"] = hz / static_cast<double>(nm.analytical_steady_cycles);
  if (run.simulated) {
    const SimResult& r = run.result;
    const std::int64_t simulated = steady ? nm.sim_steady_cycles : nm.sim_cold_cycles;
    report["totals"]["simulated_cycles"] = simulated;
    report["totals"]["simulated_cold_cycles"] = nm.sim_cold_cycles;
    report["totals"]["simulated_steady_cycles"] = nm.sim_steady_cycles;
    report["totals"]["run_cycles"] = r.total_cycles;  // the whole program, both inferences when two
    report["totals"]["simulated_inferences_per_second"] = hz / static_cast<double>(nm.sim_steady_cycles);
    report["totals"]["seconds"] = static_cast<double>(simulated) / (hardware.fixed.clock_ghz * 1e9);
    report["totals"]["wall_seconds"] = r.wall_seconds;
    // Equal segments timed once (docs/model.md, "Equal segments"): 0 and 0 when the program ran whole.
    report["totals"]["segments"] = r.segments;
    report["totals"]["segments_timed"] = r.segments_timed;
    report["levels"] = {{"bytes", r.bytes}, {"bound_counts", r.bound_counts}};
    nlohmann::json modules = nlohmann::json::array();
    for (const auto& m : r.modules) {
      modules.push_back({{"name", m.name}, {"kind", m.kind}, {"busy_cycles", m.busy_cycles},
                         {"utilisation", m.utilisation}, {"bytes_down", m.bytes_down}, {"bytes_up", m.bytes_up}});
    }
    report["levels"]["modules"] = modules;
    nlohmann::json memories = nlohmann::json::array();
    for (const auto& m : r.memories) {
      memories.push_back({{"name", m.name}, {"capacity", m.capacity}, {"peak_bytes", m.peak_bytes}});
    }
    report["levels"]["memories"] = memories;
    report["levels"]["occupancy"] = occupancy_json(memory_occupancy(run, hardware));
    report["schedule"] = schedule_json(schedule_chart(nm, r, hardware));
    report["warnings"] = r.warnings;
  }
  return report;
}

}  // namespace cimnet::evaluation
