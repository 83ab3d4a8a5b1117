// The guard (systemc_guard.cpp) itself: a SystemC warning or error fails the running test, whether it
// is reported in this process or in the forked child of simulate().
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <systemc>

#include "models/simulate.hpp"

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

// A one-op program on the reference design whose child provokes the kernel's own warning W571.
cimnet::SimResult simulate_with_a_warning() {
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  cimnet::Program program;
  program.load({0}, 4096);
  cimnet::SimOptions options;
  options.test_hook = cimnet::SimOptions::Hook::Warn;
  return cimnet::simulate(program, hw, options);
}

TEST(SystemCGuard, AWarningInTheForkedChildReachesTheCallerAndFailsTheTest) {
  cimnet::SimResult result;
  EXPECT_NONFATAL_FAILURE(result = simulate_with_a_warning(), "W571");
  // The warning fails the simulation itself too, in the forked worker.
  EXPECT_EQ(result.status, cimnet::SimStatus::Error);
  EXPECT_NE(result.message.find("SystemC warning: (W571)"), std::string::npos) << result.message;
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("no activity or clock movement for sc_start() invocation"), std::string::npos)
      << result.warnings[0];
}

TEST(SystemCGuard, AWarningInProcessIsCollectedAndStillFailsTheTest) {
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  cimnet::Program program;
  program.load({0}, 4096);
  cimnet::SimOptions options;
  options.test_hook = cimnet::SimOptions::Hook::Warn;
  cimnet::SimResult result;
  EXPECT_NONFATAL_FAILURE(result = cimnet::simulate_in_process(program, hw, options), "W571");
  EXPECT_EQ(result.status, cimnet::SimStatus::Error);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("W571"), std::string::npos) << result.warnings[0];
}
