// estimate() and simulate(): one network on one design, as `cimnet simulate --report` reports it — the
// analytical model in this process, or the SystemC model in a forked worker (models/simulate.hpp), so
// that a crash or hang of the model raises SimulationError and never takes Python down.
#include <pybind11/stl.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "apps/cimnet/json_views.hpp"
#include "apps/cimnet/options.hpp"
#include "common/error.hpp"
#include "common/output_file.hpp"
#include "evaluation/simulation_report.hpp"
#include "evaluation/stop_signal.hpp"
#include "python/bindings.hpp"
#include "python/python_values.hpp"

namespace cimnet::python {

namespace {

struct RunRequest {
  const PyNetwork* network = nullptr;
  std::optional<PyHardware> hardware;
  cli::GivenPolicies policies;
  std::optional<std::string> scenario;
  evaluation::Engine engine = evaluation::Engine::Analytical;
  double timeout = 600;
  py::object trace = py::none();  // None, a path, or True (returned in the result)
  std::string test_hook;          // "", "crash", "hang", "throw": the worker's test hooks
};

SimOptions::Hook hook_of(const std::string& name) {
  if (name.empty()) return SimOptions::Hook::None;
  if (name == "crash") return SimOptions::Hook::Crash;
  if (name == "hang") return SimOptions::Hook::Hang;
  if (name == "throw") return SimOptions::Hook::Throw;
  throw InputError("_test_hook '" + name + "' is not allowed; allowed: crash, hang, throw");
}

py::object run(const RunRequest& r) {
  // Everything that can be refused is refused before any work, as on the command line.
  const std::shared_ptr<const Scenario> scenario =
      r.scenario || !r.hardware ? scenario_of(r.scenario) : r.hardware->scenario;
  const HardwareConfig hw = r.hardware ? r.hardware->config : scenario->hardware.reference_config();
  const cli::RunPolicies p = cli::resolve_policies(r.policies, *scenario, !hw.digital_cores.empty());
  r.network->network.validate();
  if (!(r.timeout > 0)) throw InputError("timeout must be positive");
  SimOptions so;
  so.timeout_seconds = r.timeout;
  so.test_hook = hook_of(r.test_hook);
  std::optional<OutputLock> trace_lock;
  std::string trace_path;
  bool trace_returned = false;
  if (!r.trace.is_none()) {
    if (r.engine == evaluation::Engine::Analytical) throw InputError("trace needs the SystemC engine (simulate)");
    if (py::isinstance<py::bool_>(r.trace)) {
      if (r.trace.cast<bool>()) {
        char name[] = "/tmp/cimnet-trace-XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0) throw std::runtime_error("cannot create a temporary trace file in /tmp");
        close(fd);
        trace_path = name;
        trace_returned = true;
      }
    } else {
      trace_path = py::str(r.trace).cast<std::string>();
      trace_lock.emplace(claim_output_file("trace", trace_path));
    }
  }
  so.trace_path = trace_path;
  const EnergyTable& table = scenario->energy;
  nlohmann::json report;
  // Ctrl-C while the worker simulates kills it at once (the command line's handler, for the call only;
  // Python's own would be seen only when the call returns), then raises KeyboardInterrupt.
  std::optional<evaluation::StopSignal> stop;
  if (r.engine != evaluation::Engine::Analytical) {
    stop.emplace();
    so.cancelled = [] { return evaluation::StopSignal::requested(); };
  }
  const auto interrupted = [&] {
    if (!evaluation::StopSignal::requested()) return;
    evaluation::StopSignal::reset();
    stop.reset();
    py::gil_scoped_acquire gil;
    PyErr_SetString(PyExc_KeyboardInterrupt, "simulate: stopped by a signal; its worker was killed");
    throw py::error_already_set();
  };
  {
    py::gil_scoped_release release;
    evaluation::NetworkRun run;
    try {
      run = evaluation::run_network(r.network->network, hw, r.engine, so, p.execution,
                                    ScheduleObjective(p.cycles_of, p.latency_bound, p.allocation, table), &table);
    } catch (const InputError&) {
      throw;
    } catch (const std::runtime_error& e) {
      interrupted();
      throw SimulationFailure(e.what());  // run_network's failed, crashed or timed-out simulation
    }
    interrupted();  // a signal that came after the worker had finished
    nlohmann::json header = r.network->header;
    header["execution"] = to_string(p.execution);
    if (!hw.digital_cores.empty()) header["allocation"] = to_string(p.allocation);
    report = cli::simulation_report(header, r.network->network, hw, run, table,
                                    cli::energy_of_run(r.network->network, hw, run, table));
    if (trace_returned) {
      std::ifstream in(trace_path);
      std::stringstream text;
      text << in.rdbuf();
      std::remove(trace_path.c_str());
      report["trace"] = nlohmann::json::parse(text.str());
    }
  }
  return to_python(report);
}

cli::GivenPolicies policies(const std::optional<std::string>& execution, const std::optional<std::string>& cycles,
                            const std::optional<std::string>& latency_bound,
                            const std::optional<std::string>& allocation) {
  return cli::GivenPolicies{execution, cycles, latency_bound, allocation};
}

}  // namespace

void bind_engines(py::module_& m) {
  m.def(
      "estimate",
      [](const PyNetwork& network, std::optional<PyHardware> hardware, const std::optional<std::string>& execution,
         const std::optional<std::string>& cycles, const std::optional<std::string>& latency_bound,
         const std::optional<std::string>& allocation, const std::optional<std::string>& scenario) {
        RunRequest r;
        r.network = &network;
        r.hardware = std::move(hardware);
        r.policies = policies(execution, cycles, latency_bound, allocation);
        r.scenario = scenario;
        r.engine = evaluation::Engine::Analytical;
        return run(r);
      },
      py::arg("network"), py::arg("hardware") = std::nullopt, py::kw_only(), py::arg("execution") = std::nullopt,
      py::arg("cycles") = std::nullopt, py::arg("latency_bound") = std::nullopt, py::arg("allocation") = std::nullopt,
      py::arg("scenario") = std::nullopt,
      "The analytical model's figures for `network` on `hardware` (default: the scenario's reference design), in "
      "this process: the dict `cimnet simulate --engine analytical --report` writes (layers, totals, energy).");
  m.def(
      "simulate",
      [](const PyNetwork& network, std::optional<PyHardware> hardware, const std::string& engine,
         const std::optional<std::string>& execution, const std::optional<std::string>& cycles,
         const std::optional<std::string>& latency_bound, const std::optional<std::string>& allocation,
         const std::optional<std::string>& scenario, py::object trace, double timeout, const std::string& test_hook) {
        RunRequest r;
        r.network = &network;
        r.hardware = std::move(hardware);
        r.policies = policies(execution, cycles, latency_bound, allocation);
        r.scenario = scenario;
        r.engine = cli::checked_choice("engine", engine, {"systemc", "both"}) == "systemc" ? evaluation::Engine::SystemC
                                                                                             : evaluation::Engine::Both;
        r.trace = std::move(trace);
        r.timeout = timeout;
        r.test_hook = test_hook;
        return run(r);
      },
      py::arg("network"), py::arg("hardware") = std::nullopt, py::kw_only(), py::arg("engine") = "both",
      py::arg("execution") = std::nullopt, py::arg("cycles") = std::nullopt, py::arg("latency_bound") = std::nullopt,
      py::arg("allocation") = std::nullopt, py::arg("scenario") = std::nullopt, py::arg("trace") = py::none(),
      py::arg("timeout") = 600.0, py::arg("_test_hook") = "",
      "The SystemC model's run of `network` on `hardware` in a forked worker (and the analytical estimate beside it "
      "with engine='both'): the dict `cimnet simulate --report` writes, with per-layer and per-level figures. "
      "trace: a path to write the Perfetto trace to, or True to return it under 'trace'. SimulationError when the "
      "worker fails, crashes or exceeds `timeout` seconds.");
}

}  // namespace cimnet::python
