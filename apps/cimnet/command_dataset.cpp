// cimnet dataset: ground-truth cycle datasets of (sub-network, hardware) points on every local core,
// interruptible and resumable, in shards or over MPI ranks; `cimnet dataset merge` joins shards.
// The machinery is dataset/ (docs/datasets.md); this file is the command line.
#include <cstdint>
#include <iostream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "dataset/job.hpp"
#include "dataset/merge.hpp"
#include "evaluation/simulation_evaluator.hpp"
#include "mapping/network_allocation.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::cli {

namespace {

int run_merge(const Args& args) {
  po::options_description options("options");
  options.add_options()("files", po::value<std::vector<std::string>>()->composing(), "OUT then the inputs");
  po::positional_options_description positional;
  positional.add("files", -1);
  const std::string usage = "merge OUT IN...";
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      throw HelpRequested{"usage: cimnet dataset merge OUT IN...\n\nJoins the shard files of one run (same "
                          "scenario, seed, mode and N) into OUT, sorted by index; every point must appear exactly "
                          "once.\n"};
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + " (see 'cimnet dataset merge --help')");
  }
  const auto files = vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (files.size() < 2) throw InputError("usage: cimnet dataset " + usage);
  const std::vector<std::string> inputs(files.begin() + 1, files.end());
  const std::size_t rows = dataset::merge_datasets(files[0], inputs);
  std::cerr << "dataset: merged " << inputs.size() << " files into " << files[0] << " (" << rows << " points)\n";
  return 0;
}

// The seed is written into the file's preamble and read back on resume as a signed 64-bit number, so
// it must be one: -1 used to wrap to 2^64 - 1, run to the end and leave a file that never resumed.
std::uint64_t parse_seed(const std::string& text) {
  long long seed = -1;
  try {
    seed = parse_integer(text, "--seed");
  } catch (const InputError&) {
  }
  if (seed < 0) throw InputError("--seed must be a whole number from 0 to 9223372036854775807, got '" + text + "'");
  return static_cast<std::uint64_t>(seed);
}

}  // namespace

// The command with any evaluator (tests run the machinery with a test evaluator) and an optional callback
// per finished point (run_dataset_watched).
int run_dataset_with(const Args& args, const std::function<evaluation::Evaluator(const Scenario&)>& make_evaluator,
                     const std::function<void(std::size_t, std::size_t)>& on_point) {
  if (!args.empty() && args[0] == "merge") return run_merge(Args(args.begin() + 1, args.end()));
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("samples,n", po::value<long long>(), "number of points to sample (not with --points)")
      ("mode", po::value<std::string>(), "joint, arch (sub-networks on the reference hardware) or hw (the largest "
                                          "sub-network on sampled hardware); not with --points")
      ("points", po::value<std::string>(), "CSV of explicit points: a genome column and optional hardware columns")
      ("out,o", po::value<std::string>(), "output CSV file")
      ("jobs,j", po::value<int>()->default_value(0), "worker processes (default 0: the number of cores)")
      ("seed", po::value<std::string>()->default_value("1"), "sampling seed, 0 to 9223372036854775807")
      ("resume", po::bool_switch(), "continue an interrupted run of the same scenario, seed, mode, N and shard")
      ("shard", po::value<std::string>()->default_value("all"), "I/K: evaluate only points with index mod K = I")
      ("timeout-per-sample", po::value<double>()->default_value(600), "seconds before a point's worker is killed "
                                                                      "and recorded as timeout (0: no limit)")
      ("no-progress", po::bool_switch(), "no progress display");
  add_network_file_options(options);
  add_execution_option(options);
  add_cycles_option(options);
  add_latency_bound_option(options);
  add_allocation_option(options);
  const auto vm = parse_options(
      "dataset",
      "--samples N --mode joint|arch|hw --out FILE [--scenario F] [--network FILE | --onnx FILE] [--execution P] [--cycles cold|steady|stream] [--latency-bound B] "
      "[--allocation latency|energy|energy-delay] [--jobs J] "
      "[--seed S] [--resume] [--shard I/K] [--timeout-per-sample SEC] | --points FILE --out FILE ... | merge OUT IN...",
      options, args);
  const Execution execution = execution_from(vm);
  const CyclesOf cycles_of = cycles_of_from(vm);
  const LatencyBound latency_bound = latency_bound_from(vm, execution);

  dataset::JobOptions job;
  if (!vm.count("out")) throw InputError("--out is required");
  job.out = vm["out"].as<std::string>();
  if (vm.count("points")) {
    if (vm.count("samples") || vm.count("mode")) {
      throw InputError("--points gives the points explicitly: drop --samples and --mode");
    }
    job.points_file = vm["points"].as<std::string>();
    job.mode = dataset::Mode::Points;
  } else {
    if (!vm.count("samples")) throw InputError("--samples is required (or --points)");
    if (!vm.count("mode")) throw InputError("--mode is required: joint, arch or hw");
    job.samples = vm["samples"].as<long long>();
    if (job.samples <= 0) throw InputError("--samples must be positive (got " + std::to_string(job.samples) + ")");
    job.mode = dataset::mode_from_string(checked_choice("mode", vm["mode"].as<std::string>(), {"joint", "arch", "hw"}));
  }
  job.jobs = vm["jobs"].as<int>();
  if (job.jobs < 0) throw InputError("--jobs must be at least 1 (0: the number of cores)");
  job.seed = parse_seed(vm["seed"].as<std::string>());
  job.resume = vm["resume"].as<bool>();
  job.shard = dataset::parse_shard(vm["shard"].as<std::string>());
  job.timeout_seconds = vm["timeout-per-sample"].as<double>();
  job.progress = !vm["no-progress"].as<bool>();
  job.on_point = on_point;
  job.execution = execution;
  job.cycles_of = cycles_of;
  job.latency_bound = latency_bound;
  Scenario scenario = scenario_from(vm);
  if (apply_network_file(vm, scenario) && job.mode != dataset::Mode::Hw && job.mode != dataset::Mode::Points) {
    throw InputError(std::string("--") + (vm.count("onnx") ? "onnx" : "network") +
                     " fixes the network: use --mode hw (its one network on sampled hardware) or --points");
  }
  job.allocation = allocation_from(vm, !scenario.hardware.digital_cores.empty());
  // A design without CiM arrays whose cores cannot take some MAC layer's widths fails here, not point by
  // point (the dataset layer does not see the mapper).
  require_a_core_for_the_space(*make_space(scenario.space, scenario.space_options),
                               scenario.hardware.reference_config());
  return dataset::run_job(scenario, job, make_evaluator(scenario));
}

int run_dataset(const Args& args) { return run_dataset_watched(args, {}); }

int run_dataset_watched(const Args& args, const std::function<void(std::size_t, std::size_t)>& on_point) {
  return run_dataset_with(
      args, [](const Scenario& s) { return evaluation::simulation_evaluator(s.energy); }, on_point);
}

}  // namespace cimnet::cli
