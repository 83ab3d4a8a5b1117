// dataset_driver: `cimnet dataset` with the test evaluator (or the real one, see below), run as a child process by the tests (so
// that they can SIGKILL it, run it under mpirun, and check its exit status and messages).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "common/error.hpp"
#include "evaluation/simulation_evaluator.hpp"
#include "tests/dataset/dataset_command.hpp"
#include "tests/dataset/test_evaluator.hpp"

int main(int argc, char** argv) {
  const cimnet::cli::Args args(argv + 1, argv + argc);
  try {
    // CIMNET_DATASET_EVALUATOR=real: the real evaluator (mapping + SystemC), for trying it by hand.
    const char* which = std::getenv("CIMNET_DATASET_EVALUATOR");
    if (which && std::string(which) == "real") {
      return cimnet::cli::run_dataset_with(
          args, [](const cimnet::Scenario& s) { return cimnet::evaluation::simulation_evaluator(s.energy); });
    }
    return cimnet::cli::run_dataset_with(args, [](const cimnet::Scenario&) {
      return cimnet::evaluation::Evaluator(cimnet::test::fake_evaluate);
    });
  } catch (const cimnet::cli::HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const cimnet::InputError& e) {
    std::cerr << "cimnet dataset: " << e.what() << '\n';
    return 2;
  } catch (const cimnet::RunFailure& e) {
    std::cerr << "cimnet dataset: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "cimnet dataset: internal error: " << e.what() << '\n';
    return 1;
  }
}
