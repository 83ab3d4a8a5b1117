#include "apps/cimnet/options.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "apps/cimnet/json_views.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "workloads/inner_precision.hpp"
#include "workloads/llm.hpp"
#include "workloads/network_file.hpp"
#include "workloads/network_space.hpp"
#include "workloads/onnx_import.hpp"

namespace cimnet::cli {

po::variables_map parse_options(const std::string& command, const std::string& usage,
                                const po::options_description& options, const Args& args) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    const po::parsed_options parsed =
        po::command_line_parser(args).options(all).style(po::command_line_style::unix_style).run();
    // Without a positional description Boost keeps stray words as unnamed options and store() drops
    // them: `cimnet hardware extra` ran as if `extra` were not there.
    for (const auto& option : parsed.options) {
      if (option.position_key >= 0 || option.string_key.empty()) {
        const std::string word = option.original_tokens.empty() ? std::string() : option.original_tokens.front();
        throw InputError("unexpected argument '" + word + "': 'cimnet " + command +
                         "' takes only options (see 'cimnet " + command + " --help')");
      }
    }
    po::store(parsed, vm);
    if (vm.count("help")) {
      std::ostringstream text;
      text << "usage: cimnet " << command << " " << usage << "\n\n" << all << "\n";
      throw HelpRequested{text.str()};
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + " (see 'cimnet " + command + " --help')");
  }
  return vm;
}

Scenario scenario_from(const po::variables_map& vm) {
  if (vm.count("scenario")) return load_scenario(vm["scenario"].as<std::string>());
  return default_scenario();
}

void add_llm_options(po::options_description& options) {
  options.add_options()
      ("llm", po::value<std::string>(), "a decoder-only language model: gpt2, gpt2-medium, gpt2-large, gpt2-xl, "
                                        "llama-2-7b, llama-3-8b (docs/llm.md)")
      ("prefill", po::value<std::int64_t>(), "--llm: the prefill of this many prompt tokens")
      ("decode-at", po::value<std::int64_t>(), "--llm: the decode step of the token at this position (0-based)");
}

void add_onnx_options(po::options_description& options) {
  options.add_options()
      ("onnx", po::value<std::string>(), "an ONNX model instead of --space/--arch (docs/onnx.md)")
      ("batch", po::value<std::int64_t>(), "size of a symbolic first dimension of the ONNX inputs (default 1)")
      ("onnx-dim", po::value<std::vector<std::string>>()->composing(),
       "NAME=N: size of the symbolic ONNX input dimension NAME; repeatable");
}

namespace {
void refuse_onnx_sizes_without_onnx(const po::variables_map& vm) {
  if (vm.count("onnx")) return;
  for (const char* onnx_only : {"batch", "onnx-dim"}) {
    if (vm.count(onnx_only)) throw InputError(std::string("--") + onnx_only + " applies only with --onnx");
  }
}

// The sizes --batch and --onnx-dim give to the ONNX inputs' symbolic dimensions.
OnnxDims onnx_dims_from(const po::variables_map& vm) {
  OnnxDims dims;
  const std::int64_t kMax = kMaxOnnxDimSize;
  if (vm.count("batch")) {
    dims.batch = vm["batch"].as<std::int64_t>();
    if (dims.batch < 1 || dims.batch > kMax) {
      throw InputError("--batch must be 1.." + std::to_string(kMax) + ", got " + std::to_string(dims.batch));
    }
  }
  if (vm.count("onnx-dim")) {
    for (const auto& text : vm["onnx-dim"].as<std::vector<std::string>>()) {
      const auto eq = text.find('=');
      const std::string name = eq == std::string::npos ? std::string() : text.substr(0, eq);
      std::int64_t size = 0;
      try {
        std::size_t used = 0;
        size = std::stoll(text.substr(eq + 1), &used);
        if (used != text.size() - eq - 1) size = 0;
      } catch (const std::exception&) {
        size = 0;
      }
      if (name.empty() || eq == std::string::npos || size < 1 || size > kMax) {
        throw InputError("--onnx-dim '" + text + "': expected NAME=N with N in 1.." + std::to_string(kMax));
      }
      if (!dims.by_name.emplace(name, size).second) throw InputError("--onnx-dim " + name + " is given twice");
    }
  }
  return dims;
}

}  // namespace

void add_network_file_options(po::options_description& options) {
  options.add_options()("network", po::value<std::string>(),
                        "a network file (YAML) whose one network replaces the scenario's space (--mode hw)");
  add_onnx_options(options);
}

bool apply_network_file(const po::variables_map& vm, Scenario& scenario) {
  refuse_onnx_sizes_without_onnx(vm);
  if (vm.count("onnx") && vm.count("network")) throw InputError("--onnx cannot be combined with --network");
  if (!vm.count("onnx") && !vm.count("network")) return false;
  SpaceOptions options;
  options.inner_precision = scenario.space_options.inner_precision;
  options.network_file = vm[vm.count("onnx") ? "onnx" : "network"].as<std::string>();
  if (vm.count("onnx")) options.onnx_dims = onnx_dims_from(vm);
  make_space(kNetworkFileSpace, options);  // read now: a bad file is refused before any work
  scenario.space = kNetworkFileSpace;
  scenario.space_options = options;
  return true;
}

namespace {
// A network file is deployed at `inner` here; a space's sub-network by the space (the option replaces
// the scenario's space: inner_precision).
Network network_as_chosen(const po::variables_map& vm, nlohmann::json& header, const InnerPrecision& inner) {
  // An option with a default (the network command's --arch) was not given unless it was written.
  auto given = [&](const char* name) { return vm.count(name) && !vm[name].defaulted(); };
  refuse_onnx_sizes_without_onnx(vm);
  if (vm.count("llm")) {
    for (const char* conflicting : {"network", "onnx", "space", "arch", "resolution"}) {
      if (given(conflicting)) throw InputError(std::string("--llm cannot be combined with --") + conflicting);
    }
    const LlmConfig config = llm_preset(vm["llm"].as<std::string>());
    if (vm.count("prefill") == vm.count("decode-at")) {
      throw InputError("--llm needs one phase: --prefill P (prompt tokens) or --decode-at T (a token's position)");
    }
    header["llm"] = config.name;
    if (inner.active()) header["inner_precision"] = inner.text();
    if (vm.count("prefill")) {
      header["prefill"] = std::to_string(vm["prefill"].as<std::int64_t>());
      return with_inner_precision(llm_prefill(config, vm["prefill"].as<std::int64_t>()), inner);
    }
    header["decode_at"] = std::to_string(vm["decode-at"].as<std::int64_t>());
    return with_inner_precision(llm_decode(config, vm["decode-at"].as<std::int64_t>()), inner);
  }
  for (const char* llm_only : {"prefill", "decode-at"}) {
    if (vm.count(llm_only)) throw InputError(std::string("--") + llm_only + " applies only with --llm");
  }
  if (vm.count("onnx")) {
    for (const char* conflicting : {"network", "space", "arch", "resolution"}) {
      if (given(conflicting)) throw InputError(std::string("--onnx cannot be combined with --") + conflicting);
    }
    const OnnxDims dims = onnx_dims_from(vm);
    header["onnx_file"] = vm["onnx"].as<std::string>();
    if (inner.active()) header["inner_precision"] = inner.text();
    return with_inner_precision(load_onnx_file(vm["onnx"].as<std::string>(), dims), inner);
  }
  if (vm.count("network")) {
    for (const char* conflicting : {"space", "arch", "resolution"}) {
      if (given(conflicting)) throw InputError(std::string("--network cannot be combined with --") + conflicting);
    }
    header["network_file"] = vm["network"].as<std::string>();
    if (inner.active()) header["inner_precision"] = inner.text();
    return with_inner_precision(load_network_file(vm["network"].as<std::string>()), inner);
  }
  std::string space_name;
  SpaceOptions space_options;
  if (vm.count("space")) {
    space_name = vm["space"].as<std::string>();
  } else {
    const Scenario scenario = scenario_from(vm);
    space_name = scenario.space;
    space_options = scenario.space_options;
  }
  if (vm.count("resolution")) space_options.resolutions = {vm["resolution"].as<int>()};
  if (inner.active()) space_options.inner_precision = inner;
  const auto space = make_space(space_name, space_options);
  const Genome genome = space->canonical(space->parse(vm.count("arch") ? vm["arch"].as<std::string>() : "max"));
  header.update(space_network_header(*space, genome));
  return space->build(genome);
}
}  // namespace

Network network_from(const po::variables_map& vm, nlohmann::json& header) {
  InnerPrecision inner;  // parsed before any work
  if (vm.count("inner-precision")) {
    inner = parse_inner_precision(vm["inner-precision"].as<std::string>(), "--inner-precision");
  }
  return network_as_chosen(vm, header, inner);
}

HardwareConfig hardware_from(const po::variables_map& vm) {
  HardwareConfig hw = scenario_from(vm).hardware.reference_config();
  if (vm.count("hw")) {
    std::map<std::string, std::string> given;  // key -> the override that set it
    for (const auto& a : vm["hw"].as<std::vector<std::string>>()) {
      const auto [first, inserted] = given.emplace(hw_override_key(a), a);
      if (!inserted) {
        throw InputError("--hw " + first->first + " is given twice ('" + first->second + "' and '" + a +
                         "'); give each parameter once");
      }
      apply_hw_override(hw, a);
    }
  }
  hw.validate("--hw");
  return hw;
}

namespace {

// `searched` names no policy (`what`: "a policy") or objective ("an objective"): only a search picks one
// per candidate.
std::string searched_here(const std::string& where, const std::string& remedy, const std::string& what = "a policy") {
  return where + ": 'searched' is a search's choice of " + what + " per candidate (cimnet search, cimnet run); " +
         remedy;
}

// --execution, --cycles and --latency-bound, when given, are all checked before any falls back on the
// scenario, so that a bad value is named whatever the scenario file holds (or whether it exists).
// Commands that run one policy (every caller here) refuse `searched`; --latency-bound is checked against
// --execution.
void check_given_policies(const GivenPolicies& g) {
  if (g.execution) {
    if (*g.execution == kSearchedExecution) {
      throw InputError(searched_here("--execution", "this command runs one (allowed: " +
                                                        join(execution_names(), ", ") + ")"));
    }
    parse_execution(*g.execution, "--execution");
  }
  if (g.cycles) parse_cycles_of(*g.cycles, "--cycles");
  if (g.latency_bound) {
    parse_latency_bound(*g.latency_bound, "--latency-bound");
    if (g.execution && *g.execution != to_string(Execution::Pipelined)) {
      throw InputError("--latency-bound: applies only under --execution pipelined (this run: " + *g.execution + ")");
    }
  }
}

using ScenarioSource = std::function<Scenario()>;  // read only when a policy falls back on it

Execution resolve_execution(const GivenPolicies& g, const ScenarioSource& scenario_source) {
  check_given_policies(g);
  if (g.execution) return parse_execution(*g.execution, "--execution");
  const Scenario scenario = scenario_source();
  if (scenario.execution.searched) {
    throw InputError(searched_here(scenario.origin + ": execution",
                                   "this command runs one: give --execution " + join(execution_names(), " or ")));
  }
  return scenario.execution.policy;
}

CyclesOf resolve_cycles_of(const GivenPolicies& g, const ScenarioSource& scenario_source) {
  check_given_policies(g);
  if (g.cycles) return parse_cycles_of(*g.cycles, "--cycles");
  return scenario_source().cycles_of;
}

LatencyBound resolve_latency_bound(const GivenPolicies& g, Execution execution, const ScenarioSource& scenario_source) {
  check_given_policies(g);
  if (g.latency_bound) {
    const LatencyBound bound = parse_latency_bound(*g.latency_bound, "--latency-bound");
    if (execution != Execution::Pipelined) {
      throw InputError(std::string("--latency-bound: applies only under --execution pipelined (this run: ") +
                       to_string(execution) + ")");
    }
    return bound;
  }
  const Scenario scenario = scenario_source();
  if (scenario.latency_bound.active() && execution != Execution::Pipelined) {
    throw InputError(scenario.origin + ": latency_bound: applies only under execution pipelined (this run: " +
                     to_string(execution) + ", from --execution)");
  }
  return scenario.latency_bound;
}

CoreAllocation resolve_allocation(const GivenPolicies& g, bool has_digital_cores, const ScenarioSource& scenario_source) {
  if (g.allocation && *g.allocation == kSearchedAllocation) {
    throw InputError(searched_here("--allocation", "this command runs one (allowed: " + join(allocation_names(), ", ") + ")",
                                   "an objective"));
  }
  if (!g.allocation) {
    const Scenario scenario = scenario_source();
    if (scenario.allocation_searched) {
      throw InputError(searched_here(scenario.origin + ": allocation",
                                     "this command runs one: give --allocation latency, energy or energy-delay",
                                     "an objective"));
    }
    return scenario.allocation;
  }
  const CoreAllocation allocation =
      parse_allocation(checked_choice("allocation", *g.allocation, allocation_names()), "--allocation");
  if (allocation != CoreAllocation::Latency && !has_digital_cores) {
    throw InputError("--allocation: applies only to designs with digital cores (a scenario's hardware: "
                     "digital_cores); this design has only the arrays");
  }
  return allocation;
}

GivenPolicies given_policies(const po::variables_map& vm) {
  GivenPolicies g;
  const auto take = [&](const char* name, std::optional<std::string>& into) {
    if (vm.count(name)) into = vm[name].as<std::string>();
  };
  take("execution", g.execution);
  take("cycles", g.cycles);
  take("latency-bound", g.latency_bound);
  take("allocation", g.allocation);
  return g;
}

ScenarioSource scenario_source(const po::variables_map& vm) {
  return [&vm] { return scenario_from(vm); };
}

}  // namespace

RunPolicies resolve_policies(const GivenPolicies& given, const Scenario& scenario, bool has_digital_cores) {
  const ScenarioSource source = [&scenario] { return scenario; };
  RunPolicies out;
  out.execution = resolve_execution(given, source);
  out.cycles_of = resolve_cycles_of(given, source);
  out.latency_bound = resolve_latency_bound(given, out.execution, source);
  out.allocation = resolve_allocation(given, has_digital_cores, source);
  return out;
}

Execution execution_from(const po::variables_map& vm) {
  return resolve_execution(given_policies(vm), scenario_source(vm));
}

std::optional<ExecutionSetting> search_execution_from(const po::variables_map& vm) {
  if (!vm.count("execution")) return std::nullopt;
  return parse_execution_setting(vm["execution"].as<std::string>(), "--execution");
}

void add_execution_option(po::options_description& options, bool searched) {
  options.add_options()("execution", po::value<std::string>(),
                        searched ? "how the networks run: layer-by-layer, fused, pipelined, or searched (the search "
                                   "picks each candidate's policy, layer-by-layer, fused or pipelined, one more gene) (default: the "
                                   "scenario's, else layer-by-layer)"
                                 : "how the network runs: layer-by-layer, fused or pipelined (default: the scenario's, "
                                   "else layer-by-layer)");
}

CyclesOf cycles_of_from(const po::variables_map& vm) {
  return resolve_cycles_of(given_policies(vm), scenario_source(vm));
}

void add_cycles_option(po::options_description& options) {
  options.add_options()("cycles", po::value<std::string>(),
                        "which inference's cycles count when weights stay resident: cold (the first), steady "
                        "(once warm) or stream (once warm, successive inferences overlapping; pipelined: "
                        "stages on decoders of their own) (default: the scenario's, else steady)");
}

LatencyBound latency_bound_from(const po::variables_map& vm, Execution execution) {
  return resolve_latency_bound(given_policies(vm), execution, scenario_source(vm));
}

void add_latency_bound_option(po::options_description& options) {
  options.add_options()("latency-bound", po::value<std::string>(),
                        "pipelined only: schedule for the least global buffer among the segmentations whose "
                        "latency is within this bound, a factor of the fastest (1.2x) or cycles (450000) "
                        "(default: the scenario's latency_bound, else none: the fewest cycles)");
}

CoreAllocation allocation_from(const po::variables_map& vm, bool has_digital_cores) {
  return resolve_allocation(given_policies(vm), has_digital_cores, scenario_source(vm));
}

void add_allocation_option(po::options_description& options) {
  options.add_options()("allocation", po::value<std::string>(),
                        "designs with digital cores: what the choice of core for each MAC layer minimises, "
                        "latency, energy or energy-delay (default: the scenario's allocation, else latency)");
}

std::string checked_choice(const std::string& option, const std::string& value,
                           const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  throw InputError("--" + option + " '" + value + "' is not allowed" + did_you_mean(value, allowed) +
                   "; allowed: " + join(allowed, ", "));
}

}  // namespace cimnet::cli
