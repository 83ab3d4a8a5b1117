// cimnet: one executable, one subcommand per job.
// Exit status: 0 success; 2 bad usage or bad input (one clear line on stderr); 1 internal failure.
#include <cstring>
#include <exception>
#include <iostream>

#include "apps/cimnet/command.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace {

using cimnet::cli::Command;

const Command kCommands[] = {
    {"run", "the main job on a scenario (default: the embedded default scenario)", cimnet::cli::run_main_job},
    {"network", "list the layers of a sub-network or network file, with MACs, params and bytes",
     cimnet::cli::run_network},
    {"hardware", "show the effective hardware configuration and its derived totals", cimnet::cli::run_hardware},
    {"simulate", "map a network layer by layer and run it (analytical model and/or SystemC)", cimnet::cli::run_simulate},
    {"map", "the best mappings of one layer, with scores and cost breakdowns", cimnet::cli::run_map},
    {"dataset", "ground-truth cycle datasets on all cores: resumable, sharded, MPI ('dataset merge' joins shards)",
     cimnet::cli::run_dataset},
    {"predictor", "fit, evaluate and chart predictors of cycles and accuracy (fit, eval, curve)",
     cimnet::cli::run_predictor},
    {"report", "figures and a static HTML page of a search run, a simulation or predictor outputs",
     cimnet::cli::run_report},
    {"search", "joint sub-network + hardware co-search (predictor-guided NSGA-II; random and NSGA-II baselines)",
     cimnet::cli::run_search},
};

void print_usage(std::ostream& out) {
  out << "usage: cimnet <command> [options]   (cimnet <command> --help for its options)\n\n"
      << "Co-design of compute-in-memory accelerators and the neural networks that run on them.\n\n"
      << "commands:\n";
  for (const auto& c : kCommands) out << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << '\n';
  out << "\noptions:\n  --help      this text\n  --version   print the version\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  const bool overview = name == "--help" || name == "-h" || name == "help";
  if ((overview || name == "--version") && argc > 2) {
    std::cerr << "cimnet: unexpected argument '" << argv[2] << "' after " << name << '\n';
    return 2;
  }
  if (overview) {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "cimnet " << CIMNET_VERSION << '\n';
    return 0;
  }
  const cimnet::cli::Args args(argv + 2, argv + argc);
  try {
    for (const auto& c : kCommands) {
      if (name == c.name) return c.run(args);
    }
    std::vector<std::string> names;
    for (const auto& c : kCommands) names.emplace_back(c.name);
    std::cerr << "cimnet: unknown command '" << name << "'" << cimnet::did_you_mean(name, names)
              << "; commands: " << cimnet::join(names, ", ") << '\n';
    return 2;
  } catch (const cimnet::cli::HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const cimnet::InputError& e) {
    std::cerr << "cimnet " << name << ": " << e.what() << '\n';
    return 2;
  } catch (const cimnet::RunFailure& e) {
    std::cerr << "cimnet " << name << ": " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "cimnet " << name << ": internal error: " << e.what() << '\n';
    return 1;
  }
}
