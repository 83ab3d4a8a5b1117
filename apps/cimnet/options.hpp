#pragma once
// Argument parsing shared by the subcommands (Boost.Program_options with strict rules: unknown
// options and stray positional arguments are errors, not ignored).
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "apps/cimnet/command.hpp"
#include "config/scenario.hpp"
#include "hardware/hardware.hpp"
#include "workloads/network.hpp"

namespace cimnet::cli {

namespace po = boost::program_options;

// Parses `args` against `options`; throws HelpRequested for --help and InputError for bad usage: an
// unknown option, a missing value, or any word that is not an option (commands parsed here take no
// positional arguments).
po::variables_map parse_options(const std::string& command, const std::string& usage,
                                const po::options_description& options, const Args& args);

// The scenario named by --scenario, or the embedded default scenario.
Scenario scenario_from(const po::variables_map& vm);

// The network named by --network FILE, --onnx FILE, or by --space (default: the scenario's), --arch
// (default: max) and --resolution where the command has it. Adds what identifies it (file, or space,
// canonical spec and DyNAS-T dict) to `header`. InputError when a file is combined with --space, --arch
// or --resolution, or --network with --onnx.
Network network_from(const po::variables_map& vm, nlohmann::json& header);
// --llm NAME with --prefill P or --decode-at T (workloads/llm.hpp), for the commands that take --network.
void add_llm_options(po::options_description& options);
// --onnx FILE, --batch N and --onnx-dim NAME=N, for the commands that take --network.
void add_onnx_options(po::options_description& options);
// For dataset and search: --network FILE and the ONNX options, whose one network replaces the scenario's
// space (workloads/network_space.hpp). apply_network_file() makes the replacement when either file is
// given, and returns whether it did; InputError for --network with --onnx, or the ONNX sizes without it.
void add_network_file_options(po::options_description& options);
bool apply_network_file(const po::variables_map& vm, Scenario& scenario);

// The scenario's reference hardware with every --hw KEY=VALUE override applied, validated.
HardwareConfig hardware_from(const po::variables_map& vm);

// The execution policy of a command that runs networks under one policy (simulate, dataset):
// --execution when given, else the scenario's (key `execution`). InputError naming --execution and the
// allowed values for an unknown one, and for `searched` — a search's choice, not a policy — whether
// the option or the scenario (named with its key) says it. Commands that compute cycles add the option
// with add_execution_option(); `searched` = true for the searches (search, run), whose help names it.
Execution execution_from(const po::variables_map& vm);
void add_execution_option(po::options_description& options, bool searched = false);
// A search's --execution (layer-by-layer, fused or searched) when given; InputError naming the option
// and the three allowed values for an unknown one. Not given: the scenario's applies.
std::optional<ExecutionSetting> search_execution_from(const po::variables_map& vm);

// Which inference's cycles count: --cycles when given, else the scenario's (key `cycles`); InputError
// naming --cycles and the allowed values for an unknown one. Every command with --execution has it
// (add_cycles_option()).
CyclesOf cycles_of_from(const po::variables_map& vm);
void add_cycles_option(po::options_description& options);

// The pipelined scheduler's least-memory objective: --latency-bound when given, else the scenario's (key
// `latency_bound`); none when neither. InputError naming the option (or the scenario's file and key)
// for a malformed bound, and for a bound under any policy but `execution` pipelined.
LatencyBound latency_bound_from(const po::variables_map& vm, Execution execution);
void add_latency_bound_option(po::options_description& options);

// What the choice of core for each MAC layer minimises (designs with digital cores): --allocation when
// given, else the scenario's (key `allocation`); latency when neither. InputError naming the option
// for an unknown value, and for an objective other than latency on a design without digital cores
// (`has_digital_cores`: the design's, or the scenario's hardware space's).
CoreAllocation allocation_from(const po::variables_map& vm, bool has_digital_cores);
void add_allocation_option(po::options_description& options);

// The four policies of one run from the options given (nullopt: not given; as their command-line
// texts) and, for the others, the scenario's keys: the checks and messages of execution_from(),
// cycles_of_from(), latency_bound_from() and allocation_from() above, which front ends without a
// variables_map (python/) share.
struct GivenPolicies {
  std::optional<std::string> execution, cycles, latency_bound, allocation;
};
struct RunPolicies {
  Execution execution = Execution::LayerByLayer;
  CyclesOf cycles_of = CyclesOf::Steady;
  LatencyBound latency_bound;
  CoreAllocation allocation = CoreAllocation::Latency;
};
RunPolicies resolve_policies(const GivenPolicies& given, const Scenario& scenario, bool has_digital_cores);

// One of `allowed`, else InputError naming the option and the allowed values.
std::string checked_choice(const std::string& option, const std::string& value,
                           const std::vector<std::string>& allowed);

}  // namespace cimnet::cli
