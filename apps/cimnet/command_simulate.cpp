// cimnet simulate: maps every layer of a network (mapping/), estimates it analytically and runs the
// whole network as one program in the SystemC model; prints a per-layer table and totals and writes a
// JSON report (per layer and per level) and optionally a Perfetto trace.
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/network_file.hpp"

namespace cimnet::cli {

namespace {

std::string shape_of(const Layer& l) {
  std::string s = std::to_string(l.out_channels);
  if (l.out_h > 1 || l.out_w > 1) s += "x" + std::to_string(l.out_h) + "x" + std::to_string(l.out_w);
  if (l.batch > 1) s = std::to_string(l.batch) + "x" + s;
  return s;
}

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100 * v);
  return b;
}

}  // namespace


int run_simulate(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("space", po::value<std::string>(), "search space (default: the scenario's)")
      ("arch", po::value<std::string>(), "sub-network: compact gene string, DyNAS-T dict, min, max or random:SEED (default max)")
      ("network", po::value<std::string>(), "a network file (YAML) instead of --space/--arch")
      ("hw", po::value<std::vector<std::string>>()->composing(), "override a hardware parameter, KEY=VALUE; repeatable")
      ("engine", po::value<std::string>()->default_value("both"), "systemc, analytical or both")
      ("report", po::value<std::string>(), "write a JSON report here")
      ("trace", po::value<std::string>(), "write a Perfetto/Chrome trace of the SystemC run here")
      ("timeout", po::value<double>()->default_value(600), "wall-clock limit of the SystemC run, seconds");
  const auto vm = parse_options("simulate",
                                "[--scenario F] (--space S --arch SPEC | --network FILE) [--hw K=V ...] "
                                "[--engine systemc|analytical|both] [--report out.json] [--trace trace.json]",
                                options, args);
  const std::string engine = checked_choice("engine", vm["engine"].as<std::string>(), {"systemc", "analytical", "both"});
  if (vm.count("trace") && engine == "analytical") throw InputError("--trace needs --engine systemc or both");
  const double timeout = vm["timeout"].as<double>();
  if (!(timeout > 0)) throw InputError("--timeout must be positive");
  nlohmann::json report;
  const Network net = network_from(vm, report);
  net.validate();
  const HardwareConfig hw = hardware_from(vm);

  NetworkMapping nm = map_network(net, hw);
  const bool sim = engine != "analytical";
  SimResult result;
  if (sim) {
    SimOptions so;
    so.timeout_seconds = timeout;
    if (vm.count("trace")) so.trace_path = vm["trace"].as<std::string>();
    result = simulate(nm.program, hw, so);
    if (result.status == SimStatus::InputError) throw InputError(result.message);
    if (!result.ok()) throw std::runtime_error(std::string("simulation ") + to_string(result.status) + ": " + result.message);
    std::vector<std::int64_t> start(result.ops.size()), end(result.ops.size());
    for (const auto& o : result.ops) {
      start[static_cast<std::size_t>(o.id)] = o.start;
      end[static_cast<std::size_t>(o.id)] = o.end;
    }
    attribute(nm, start, end);
  }
  const bool ana = engine != "systemc";

  std::vector<std::string> headers = {">#", "name", "type", "shape", ">MACs", "mapping"};
  if (ana) headers.push_back(">analytical");
  if (sim) headers.push_back(">simulated");
  if (ana && sim) headers.push_back(">error");
  headers.push_back(">util");
  headers.push_back("bound");
  Table table(headers);
  const double peak = static_cast<double>(hw.peak_macs_per_cycle());
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& ml : nm.layers) {
    const Layer& l = net.layers[static_cast<std::size_t>(ml.index)];
    const std::int64_t cycles = sim ? ml.sim_cycles : ml.cost.cycles;
    const double util = cycles > 0 ? static_cast<double>(l.macs()) / (peak * static_cast<double>(cycles)) : 0;
    std::vector<std::string> row = {std::to_string(ml.index), l.name, to_string(l.kind), shape_of(l),
                                    with_thousands(l.macs()), ml.mac ? ml.plan.mapping.summary() : "vector unit"};
    if (ana) row.push_back(with_thousands(ml.cost.cycles));
    if (sim) row.push_back(with_thousands(ml.sim_cycles));
    if (ana && sim) {
      row.push_back(pct((static_cast<double>(ml.cost.cycles) - static_cast<double>(ml.sim_cycles)) /
                        std::max(1.0, static_cast<double>(ml.sim_cycles))));
    }
    row.push_back(pct(util));
    row.push_back(ml.cost.bound);
    table.add_row(row);
    nlohmann::json j = {{"index", ml.index}, {"name", l.name}, {"kind", to_string(l.kind)}, {"shape", shape_of(l)},
                        {"macs", l.macs()}, {"weight_bytes", l.weight_bytes()}, {"input_bytes", l.input_bytes()},
                        {"output_bytes", l.output_bytes()}, {"utilisation", util}, {"bound", ml.cost.bound}};
    if (ml.mac) {
      const Plan& p = ml.plan;
      j["mapping"] = {{"summary", p.mapping.summary()}, {"group_pack", p.mapping.group_pack},
                      {"k_split", p.mapping.k_split}, {"r_split", p.mapping.r_split},
                      {"replicas", p.mapping.replicas}, {"tiles", p.mapping.tiles},
                      {"half_capacity", p.mapping.half_capacity}, {"spread", p.mapping.spread},
                      {"reduce_at", p.mapping.reduce_at == ReduceLevel::L1 ? "L1" : "L2"}, {"passes", p.passes},
                      {"tile_bytes", p.tile_bytes}, {"positions_per_tile", p.m}, {"pass_groups", p.mapping.pass_groups},
                      {"plans_enumerated", ml.enumerated}, {"plans_scored", ml.evaluated}};
    }
    if (ana) {
      const auto& b = ml.cost.busy;
      j["analytical"] = {{"cycles", ml.cost.cycles}, {"ideal", ml.cost.ideal}, {"load", ml.cost.load},
                         {"write_back", ml.cost.write_back}, {"stall", ml.cost.stall},
                         {"dram_bytes", ml.cost.dram_bytes}, {"arrays_used", ml.cost.arrays_used},
                         {"busy", {{"dram", b.dram}, {"l2", b.l2}, {"l1_max", b.l1}, {"port_max", b.port},
                                   {"core_max", b.core}, {"reduce", b.reduce}, {"vector", b.vector}}}};
    }
    if (sim) {
      j["simulated"] = {{"cycles", ml.sim_cycles}, {"start", ml.sim_start}, {"end", ml.sim_end},
                        {"ops", ml.end_op - ml.first_op}};
      // Per level: bytes and busy cycles of this layer's ops are not separated by the model; the
      // per-level totals of the run are in "levels" below.
    }
    layers.push_back(j);
  }
  table.add_rule();
  std::vector<std::string> total = {"", "total", "", std::to_string(net.layers.size()) + " layers",
                                    with_thousands(net.total_macs()), ""};
  const std::int64_t total_cycles = sim ? result.total_cycles : nm.analytical_cycles;
  if (ana) total.push_back(with_thousands(nm.analytical_cycles));
  if (sim) total.push_back(with_thousands(result.total_cycles));
  if (ana && sim) {
    total.push_back(pct((static_cast<double>(nm.analytical_cycles) - static_cast<double>(result.total_cycles)) /
                        std::max(1.0, static_cast<double>(result.total_cycles))));
  }
  total.push_back(pct(static_cast<double>(net.total_macs()) / (peak * static_cast<double>(std::max<std::int64_t>(1, total_cycles)))));
  total.push_back("");
  table.add_row(total);

  std::cout << "network:  " << net.name << " (" << net.layers.size() << " layers)\n"
            << "hardware: " << hw.summary() << "\n\n";
  table.print(std::cout);
  std::cout << "\nprogram: " << nm.program.ops.size() << " ops";
  if (sim) {
    std::cout << "; SystemC " << format_number(std::round(result.wall_seconds * 1000) / 1000) << " s wall, "
              << format_number(result.seconds * 1e3) << " ms at " << hw.fixed.clock_ghz << " GHz";
  }
  std::cout << "\nutil = MACs / (peak MACs per cycle x cycles); cycles per layer = end of its last op - end of the "
               "previous layer's (layers run one after another).\n";

  if (vm.count("report")) {
    report["hardware"] = hw.summary();
    report["layers"] = layers;
    report["totals"] = {{"macs", net.total_macs()}, {"ops", nm.program.ops.size()},
                        {"analytical_cycles", nm.analytical_cycles}};
    if (sim) {
      report["totals"]["simulated_cycles"] = result.total_cycles;
      report["totals"]["seconds"] = result.seconds;
      report["totals"]["wall_seconds"] = result.wall_seconds;
      report["levels"] = {{"bytes", result.bytes}, {"bound_counts", result.bound_counts}};
      nlohmann::json mods = nlohmann::json::array();
      for (const auto& m : result.modules) {
        mods.push_back({{"name", m.name}, {"kind", m.kind}, {"busy_cycles", m.busy_cycles},
                        {"utilisation", m.utilisation}, {"bytes_down", m.bytes_down}, {"bytes_up", m.bytes_up}});
      }
      report["levels"]["modules"] = mods;
    }
    std::ofstream out(vm["report"].as<std::string>());
    if (!out) throw InputError("cannot write --report " + vm["report"].as<std::string>());
    out << report.dump(2) << '\n';
  }
  return 0;
}

}  // namespace cimnet::cli
