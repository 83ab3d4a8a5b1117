// Shared test harness for the tests that simulate: every SystemC warning, error or fatal report fails
// the running test — in this process (a report handler) and in the child of a forked simulate() (the
// child's warnings come back in its result and reach the simulation warning observer installed here).
// GTest's global environment installs both before any test runs.
#include <gtest/gtest.h>

#include <string>
#include <systemc>

#include "models/simulate.hpp"

namespace {

void fail_on_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() >= sc_core::SC_WARNING) {
    ADD_FAILURE() << "SystemC report (severity " << report.get_severity() << "): " << report.what();
  }
  // Keep SystemC's own behaviour (e.g. throwing on errors) so a failing model cannot run on.
  sc_core::sc_report_handler::default_handler(report, actions);
}

class SystemCGuard : public ::testing::Environment {
 public:
  void SetUp() override {
    sc_core::sc_report_handler::set_handler(fail_on_report);
    cimnet::set_simulation_warning_observer([](const std::string& warning) {
      ADD_FAILURE() << "SystemC warning in a simulate() child: " << warning;
    });
  }
};

[[maybe_unused]] ::testing::Environment* const guard = ::testing::AddGlobalTestEnvironment(new SystemCGuard);

}  // namespace
