// cimnet search: the joint architecture + hardware co-search (docs/search.md).
//
// The predictor-guided loop and its baselines live in search/loop (SystemC-free); this command wires
// them to the real evaluator (mapping + SystemC, one forked worker per point) and to the scenario's
// accuracy source.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "mapping/network_allocation.hpp"
#include "dataset/job.hpp"
#include "dataset/preamble.hpp"
#include "evaluation/simulation_evaluator.hpp"
#include "evaluation/worker_pool.hpp"
#include "accuracy/accuracy_config.hpp"
#include "mapping/network_mapper.hpp"
#include "search/loop/search.hpp"
#include "workloads/network_space.hpp"
#ifdef CIMNET_HAVE_MPI
#include "search/loop/mpi_evaluator.hpp"
#endif

namespace cimnet::cli {

namespace {

// --method: method specs (search/loop/method_spec.hpp) separated by commas; "all" stands for the four
// methods. Each is checked here, before anything else is read.
std::vector<std::string> methods_of_option(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& piece : split(text, ',')) {
    if (piece == "all") {
      for (const char* m : {"linas", "random", "nsga2", "dynast"}) out.push_back(m);
      continue;
    }
    const std::string method = piece.substr(0, piece.find(':'));
    auto allowed = loop::method_names();
    if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
      allowed.push_back("all");
      throw InputError("--method: unknown method '" + method + "'" + did_you_mean(method, allowed) + "; allowed: " +
                       join(allowed, ", ") + ", several separated by commas, each optionally with settings of its "
                       "own (linas:rerank=0)");
    }
    try {
      loop::parse_method_spec(piece, loop::MethodSettings{});
    } catch (const InputError& e) {
      throw InputError("--method: " + std::string(e.what()));
    }
    out.push_back(piece);
  }
  return out;
}

}  // namespace

// --objectives: two or more of the search's objectives (search/loop/objective.hpp) separated by
// commas, each once; checked here, before anything else is read.
std::vector<std::string> objectives_of_option(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& raw : split(text, ',')) {
    const std::string piece = trim(raw);
    const auto& allowed = loop::objective_names();
    if (std::find(allowed.begin(), allowed.end(), piece) == allowed.end()) {
      throw InputError("--objectives: unknown objective '" + piece + "'" + did_you_mean(piece, allowed) +
                       "; allowed: " + join(allowed, ", "));
    }
    if (std::find(out.begin(), out.end(), piece) != out.end()) {
      throw InputError("--objectives: '" + piece + "' is listed twice");
    }
    out.push_back(piece);
  }
  if (out.size() < 2) {
    throw InputError("--objectives: needs two or more of " + join(loop::objective_names(), ", ") + ", separated by commas");
  }
  return out;
}

int run_search_job(const Scenario& scenario, const SearchRequest& request) {
  SearchSettings s = scenario.search;
  if (!request.mode.empty()) s.mode = request.mode;
  if (!request.objectives.empty()) s.objectives = request.objectives;
  if (!request.method.empty()) s.methods = methods_of_option(request.method);
  if (request.budget > 0) s.budget = request.budget;
  if (request.seed >= 0) s.seeds = {request.seed};
  if (request.out.empty()) throw InputError("search: --out RUN_DIR is needed");
  if (scenario.latency_bound.active()) {
    // The search's cycles objective and the least-memory schedule would pull against each other inside
    // one number; a search under it is not built (docs/pipelined.md, "The scheduler").
    throw InputError(scenario.origin + ": latency_bound: the search does not take the least-memory objective "
                     "(simulate and dataset do); remove the key to search for cycles");
  }
  // The methods by their canonical names (linas:rerank=0); the scenario's are checked here, naming it.
  try {
    std::vector<std::string> names;
    for (const auto& spec : loop::parse_method_specs(
             s.methods, loop::MethodSettings{s.initial, s.batch, s.population, s.generations, s.rerank})) {
      names.push_back(spec.name);
    }
    s.methods = names;
  } catch (const InputError& e) {
    throw InputError((request.method.empty() ? scenario.origin + ": search.methods: " : std::string("--method: ")) +
                     e.what());
  }
  const int ranks = dataset::mpi_world_size_from_environment();
  // The run folder must be writable before any work. Under mpirun only rank 0 writes it, and checks it
  // once the ranks are up (run_search), so that a refusal releases the other ranks.
  if (ranks == 0) loop::check_run_folder(request.out);
#ifndef CIMNET_HAVE_MPI
  if (ranks > 1) {
    throw InputError("search: launched by mpirun with " + std::to_string(ranks) +
                     " ranks, but this cimnet was built without MPI (CIMNET_WITH_MPI=OFF); run one process with "
                     "--jobs J");
  }
#endif

  const auto space = make_space(scenario.space, scenario.space_options);
  require_a_core_for_the_space(*space, scenario.hardware.reference_config());  // before any work
  const loop::Mode mode = loop::mode_from_string(s.mode);
  const ExecutionSetting execution = request.execution.value_or(scenario.execution);
  const CyclesOf cycles_of = request.cycles_of.value_or(scenario.cycles_of);
  const loop::CoSpace co(*space, scenario.hardware, mode, s.reference_network, s.area_budget, execution, cycles_of,
                       scenario.allocation_setting());

  AccuracyConfig ac;
  ac.kind = scenario.accuracy.source;
  ac.path = scenario.accuracy.path;
  ac.command = scenario.accuracy.command;
  ac.timeout = scenario.accuracy.timeout;
  // A network file's one network has one accuracy, which no shipped source knows: its hardware search
  // needs none unless accuracy is an objective (then the scenario must name a source).
  const bool network_file = scenario.space == kNetworkFileSpace;
  const bool accuracy_objective = std::find(s.objectives.begin(), s.objectives.end(), "accuracy") != s.objectives.end();
  if (network_file && accuracy_objective && ac.kind == "auto") {
    throw InputError("a network file's hardware search has no accuracy source: choose objectives without accuracy "
                     "(--objectives cycles,area, cycles,energy, ...) or name a source in the scenario (accuracy: kind)");
  }
  std::unique_ptr<AccuracySource> source;
  if (!network_file || accuracy_objective) source = make_accuracy_source(*space, ac);
  loop::AccuracyFunction accuracy;
  if (source) {
    accuracy.top1 = [&source](const std::vector<Genome>& gs) { return source->top1(gs); };
    accuracy.label = source->label();
  } else {
    accuracy.top1 = [](const std::vector<Genome>& gs) {
      return std::vector<double>(gs.size(), std::numeric_limits<double>::quiet_NaN());
    };
    accuracy.label = "none (one network; accuracy is no objective)";
  }
  // An external command (a super-network evaluated on GPUs) is too slow for the inner loop's tens of
  // thousands of queries: the loop then predicts accuracy from the real evaluations, like DyNAS-T.
  accuracy.cheap = ac.kind != "command";

  loop::SearchOptions o;
  o.methods = s.methods;
  o.seeds = s.seeds;
  o.objectives = loop::objectives_from_strings(s.objectives);
  o.budget = s.budget;
  o.initial = s.initial;
  o.batch = s.batch;
  o.population = s.population;
  o.generations = s.generations;
  o.out = request.out;
  o.resume = request.resume;
  o.scenario_text = scenario.text;
  std::string seeds;
  for (auto x : s.seeds) seeds += (seeds.empty() ? "" : ".") + std::to_string(x);
  // Everything that decides the evaluated set; a resume must match it exactly (and is told which
  // setting differs when it does not).
  o.config.add("scenario", dataset::scenario_fingerprint(scenario.text));
  o.config.add("space", space->name());
  o.config.add("mode", s.mode);
  o.config.add("methods", join(s.methods, "."));
  o.config.add("objectives", join(s.objectives, "."));
  o.config.add("area_budget", format_number(s.area_budget));
  o.config.add("budget", std::to_string(s.budget));
  o.config.add("initial", std::to_string(s.initial));
  o.config.add("batch", std::to_string(s.batch));
  o.config.add("population", std::to_string(s.population));
  o.config.add("generations", std::to_string(s.generations));
  o.config.add("seeds", seeds);
  o.config.add("rerank", std::to_string(s.rerank));
  o.config.add("reference", space->format(co.reference_network()));
  // Named only when not the default, so that run folders of earlier versions (all layer by layer)
  // still resume; a searched policy is named `searched`.
  if (execution != ExecutionSetting{}) o.config.add("execution", to_string(execution));
  // Likewise: earlier run folders counted the one inference they simulated, which nothing then told apart
  // from the steady state.
  if (cycles_of != CyclesOf::Steady) o.config.add("cycles", to_string(cycles_of));
  if (scenario.allocation_setting() != AllocationSetting{}) o.config.add("allocation", to_string(scenario.allocation_setting()));

  o.rerank = s.rerank;
  // The analytical estimate of the chosen inference under each candidate's own policy (mapping only, no
  // SystemC: safe in this parent process), one mapper cache for the run: sub-networks share layer
  // shapes, so repeated (shape, hardware) pairs are free.
  MapperCache mapper_cache;
  const bool energy = loop::needs_energy(o.objectives);
  o.analytical = [&](const std::vector<loop::Candidate>& cs) {
    std::vector<loop::AnalyticalEstimate> out;
    for (const auto& c : cs) {
      try {
        const ScheduleObjective objective(cycles_of, {}, c.allocation, scenario.energy);
        const Network network = space->build(c.arch);
        const HardwareConfig hw = scenario.hardware.config(c.hw);
        if (energy) {
          const auto f = evaluation::analytical_figures(network, hw, &mapper_cache, c.execution, objective, scenario.energy);
          out.push_back({static_cast<double>(f.cycles), f.energy_pj});
        } else {
          out.push_back({static_cast<double>(
                             evaluation::analytical_cycles(network, hw, &mapper_cache, c.execution, objective)),
                         0.0});
        }
      } catch (const InputError&) {
        out.push_back({1e18, 1e30});  // does not map: last in every ranking
      }
    }
    return out;
  };
  const int jobs = request.jobs > 0 ? request.jobs : evaluation::default_jobs();
  std::string workers = std::to_string(jobs) + " workers";
  std::unique_ptr<loop::BatchEvaluator> local;
  loop::BatchEvaluator* evaluator = nullptr;
#ifdef CIMNET_HAVE_MPI
  // Under mpirun: rank 0 runs the loop, every rank evaluates its share of each batch. The accuracy
  // command (if any) is rank 0's and starts before MPI_Init (no fork after it).
  std::unique_ptr<loop::MpiEvaluation> mpi;
  if (ranks > 0) {
    mpi = std::make_unique<loop::MpiEvaluation>(co, evaluation::simulation_evaluator(scenario.energy), jobs, s.timeout, [&] {
      if (dataset::mpi_world_rank_from_environment() == 0 && source) source->start();
    });
    if (mpi->rank() != 0) return mpi->serve();
    evaluator = &mpi->evaluator();
    workers = std::to_string(mpi->total_jobs()) + " workers over " + std::to_string(mpi->size()) + " MPI ranks";
  }
#endif
  if (!evaluator) {
    local = std::make_unique<loop::PoolEvaluator>(co, evaluation::simulation_evaluator(scenario.energy), jobs, s.timeout);
    evaluator = local.get();
  }
  o.on_evaluation = request.on_evaluation;
  o.verbose = !request.quiet;
  o.on_start = [&] {
    if (request.quiet) return;
    std::cerr << "search: " << space->name() << " mode " << s.mode << ", methods " << join(s.methods, ", ")
              << ", budget " << s.budget << " real evaluations each, seeds " << seeds << ", " << workers
              << "; "
              << (execution.searched ? std::string("execution policy searched (one more gene)") : to_string(execution))
              << ", " << to_string(cycles_of) << " cycles"
              << "; accuracy: " << accuracy.label << "; area budget "
              << (s.area_budget > 0 ? format_number(s.area_budget) + " x the reference design (relative area model)"
                                    : std::string("none"))
              << "; run folder " << request.out << "\n";
  };
  const loop::SearchResult result = loop::run_search(co, *evaluator, accuracy, o);
#ifdef CIMNET_HAVE_MPI
  if (mpi) {
    std::string counts;
    for (auto n : mpi->evaluations_per_rank()) counts += " " + std::to_string(n);
    std::cerr << "search: real evaluations per MPI rank (this run):" << counts << "\n";
  }
#endif
  if (result.exit_status != 0 || request.quiet) return result.exit_status;
  loop::print_result(std::cout, co, result);
  if (source && source->is_proxy()) std::cout << "NOTE: accuracies are a PROXY (" << accuracy.label << ")\n";
  std::cout << "run folder: " << request.out << " (evaluations.csv, front.csv, iterations.csv, checkpoint.json, scenario.yaml)\n";
  return 0;
}

int run_search(const Args& args) { return run_search_watched(args, {}, false); }

int run_search_watched(const Args& args,
                       const std::function<void(const loop::Record&, std::size_t)>& on_evaluation, bool quiet) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("mode", po::value<std::string>(), "arch | hw | joint (default: the scenario's search.mode)")
      ("method", po::value<std::string>(),
       "linas | nsga2 | random | dynast | all, or several separated by commas; a method may carry settings of its "
       "own, e.g. linas:rerank=0 (default: the scenario's search.methods)")
      ("objectives", po::value<std::string>(),
       "two or more of accuracy, cycles, energy, edp, area, separated by commas (default: the scenario's "
       "search.objectives)")
      ("budget", po::value<long long>(), "real evaluations per method and seed (default: search.budget)")
      ("seed", po::value<long long>(), "one seed instead of the scenario's search.seeds")
      ("jobs,j", po::value<int>()->default_value(0), "worker processes (per rank under mpirun; default 0: the number of cores)")
      ("out", po::value<std::string>(), "run folder (required)")
      ("resume", po::bool_switch(), "continue the interrupted search in --out");
  add_network_file_options(options);
  add_execution_option(options, true);
  add_cycles_option(options);
  const auto vm = parse_options(
      "search", "[--scenario F] [--network FILE | --onnx FILE] [--mode arch|hw|joint] [--method M[,M...]] [--objectives O,O[,...]] [--budget N] [--seed S] "
                "[--execution layer-by-layer|fused|pipelined|searched] [--cycles cold|steady|stream] [--jobs J] --out RUN_DIR [--resume]",
      options, args);
  SearchRequest r;
  r.execution = search_execution_from(vm);
  if (vm.count("cycles")) r.cycles_of = parse_cycles_of(vm["cycles"].as<std::string>(), "--cycles");
  if (vm.count("mode")) r.mode = checked_choice("mode", vm["mode"].as<std::string>(), {"arch", "hw", "joint"});
  if (vm.count("method")) {
    r.method = vm["method"].as<std::string>();
    methods_of_option(r.method);  // bad specs are refused before the scenario is read
  }
  if (vm.count("objectives")) r.objectives = objectives_of_option(vm["objectives"].as<std::string>());
  if (vm.count("budget")) {
    r.budget = vm["budget"].as<long long>();
    if (r.budget < 1) throw InputError("--budget must be at least 1");
  }
  if (vm.count("seed")) {
    r.seed = vm["seed"].as<long long>();
    if (r.seed < 0) throw InputError("--seed must be non-negative");
  }
  r.jobs = vm["jobs"].as<int>();
  if (r.jobs < 0) throw InputError("--jobs must be at least 1 (0: the number of cores)");
  if (!vm.count("out")) throw InputError("search: --out RUN_DIR is needed");
  r.out = vm["out"].as<std::string>();
  r.resume = vm["resume"].as<bool>();
  r.on_evaluation = on_evaluation;
  r.quiet = quiet;
  Scenario scenario = scenario_from(vm);
  if (apply_network_file(vm, scenario)) {
    const std::string mode = r.mode.empty() ? scenario.search.mode : r.mode;
    if (mode != "hw") {
      throw InputError(std::string("--") + (vm.count("onnx") ? "onnx" : "network") +
                       " fixes the network: only --mode hw searches its hardware (this run: " + mode + ")");
    }
  }
  return run_search_job(scenario, r);
}

}  // namespace cimnet::cli
