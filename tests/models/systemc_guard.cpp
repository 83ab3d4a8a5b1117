// Shared test harness for the model tests: every SystemC warning, error or fatal report fails the
// running test (GTest's global environment installs the handler before any test runs).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <systemc>

namespace {

void fail_on_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() >= sc_core::SC_WARNING) {
    ADD_FAILURE() << "SystemC report (severity " << report.get_severity() << ") " << report.get_msg_type() << ": "
                  << report.get_msg();
  }
  // Keep SystemC's own behaviour (e.g. throwing on errors) so a failing model cannot run on.
  sc_core::sc_report_handler::default_handler(report, actions);
}

class SystemCGuard : public ::testing::Environment {
 public:
  void SetUp() override { sc_core::sc_report_handler::set_handler(fail_on_report); }
};

[[maybe_unused]] ::testing::Environment* const guard = ::testing::AddGlobalTestEnvironment(new SystemCGuard);

}  // namespace

TEST(SystemCGuard, AWarningFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(SC_REPORT_WARNING("cimnet/test", "deliberate warning"), "deliberate warning");
}

void report_error_and_catch() {
  try {
    SC_REPORT_ERROR("cimnet/test", "deliberate error");
  } catch (const sc_core::sc_report&) {  // SystemC throws on errors; the guard has recorded the failure
  }
}

TEST(SystemCGuard, AnErrorFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(report_error_and_catch(), "deliberate error");
}
