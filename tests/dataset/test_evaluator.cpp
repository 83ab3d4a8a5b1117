#include "tests/dataset/test_evaluator.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "common/fnv_hash.hpp"

namespace cimnet::test {

namespace {

bool matches(const char* variable, const std::string& genome) {
  const char* v = std::getenv(variable);
  return v && (genome == v || std::string(v) == "*");
}

}  // namespace

evaluation::Fields fake_evaluate(const evaluation::EvalPoint& point) {
  const std::string genome = point.space.format(point.genome);
  if (const char* d = std::getenv("CIMNET_TEST_DELAY_MS")) usleep(static_cast<useconds_t>(std::atoi(d)) * 1000);
  if (matches("CIMNET_TEST_CRASH_GENOME", genome)) raise(SIGSEGV);
  if (matches("CIMNET_TEST_HANG_GENOME", genome)) {
    for (;;) pause();
  }
  if (matches("CIMNET_TEST_THROW_GENOME", genome)) throw std::runtime_error("test evaluator threw on purpose");
  if (const char* k = std::getenv("CIMNET_TEST_KILL_PARENT"); k && std::string(k) == "1") {
    kill(getppid(), SIGKILL);
    pause();  // dies with the parent (PR_SET_PDEATHSIG)
  }
  const std::string key = genome + " " + point.hardware.summary();
  const auto h = std::stoull(fnv1a_hex(key).substr(0, 8), nullptr, 16);
  const auto macs = point.network.total_macs();
  // Steady: once warm; cold: the first inference, which also loads the weights that stay.
  const auto steady = macs / point.hardware.peak_macs_per_cycle() + static_cast<std::int64_t>(h % 100000);
  const auto cold = steady + static_cast<std::int64_t>(point.network.total_weight_bytes() / 64);
  const auto estimate = [&](std::int64_t cycles) { return cycles - static_cast<std::int64_t>(h % 1000); };
  const auto cycles = point.cycles_of == CyclesOf::Cold ? cold : steady;
  evaluation::Fields f;
  f["cycles"] = std::to_string(cycles);
  f["analytical_cycles"] = std::to_string(estimate(cycles));
  f["cold_cycles"] = std::to_string(cold);
  f["steady_cycles"] = std::to_string(steady);
  f["analytical_cold_cycles"] = std::to_string(estimate(cold));
  f["analytical_steady_cycles"] = std::to_string(estimate(steady));
  f["dram_bytes_down"] = std::to_string(point.network.total_weight_bytes());
  f["utilisation"] = "0.5";
  f["bound"] = "link";
  return f;
}

}  // namespace cimnet::test
