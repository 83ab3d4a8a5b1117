// A stand-in for `cimnet report` until the command is registered in apps/cimnet/main.cpp: the same
// run_report() with main.cpp's handling of help, bad input (exit 2) and internal errors (exit 1).
#include <exception>
#include <iostream>

#include "apps/cimnet/command.hpp"
#include "common/error.hpp"

namespace cimnet::cli {
int run_report(const Args& args);  // apps/cimnet/command_report.cpp (declared in command.hpp once registered)
}

int main(int argc, char** argv) {
  const cimnet::cli::Args args(argv + 1, argv + argc);
  try {
    return cimnet::cli::run_report(args);
  } catch (const cimnet::cli::HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const cimnet::InputError& e) {
    std::cerr << "cimnet report: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cimnet report: internal error: " << e.what() << '\n';
    return 1;
  }
}
