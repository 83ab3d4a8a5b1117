#pragma once
// What the parts of the Python module share: the Python-side objects that carry a C++ value, the
// scenario a call names, and the registration function of each part (module.cpp calls them in order).
//
// The module is thin by rule: every figure, check and message comes from the C++ libraries; this layer
// converts arguments and results and releases the GIL around long calls.
#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "config/scenario.hpp"
#include "hardware/hardware.hpp"
#include "workloads/network.hpp"

namespace cimnet::python {

namespace py = pybind11;

// A simulation that failed in its worker (an error, a crash, a timeout): cimnet.SimulationError.
struct SimulationFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A network as Python holds it: the layers, and what it is (space and sub-network, or the file, or the
// language model and phase) as `cimnet network --format json` heads its output.
struct PyNetwork {
  Network network;
  nlohmann::json header = nlohmann::json::object();
};

// A hardware design, and the scenario whose hardware space it belongs to (for its choices).
struct PyHardware {
  HardwareConfig config;
  std::shared_ptr<const Scenario> scenario;
};

// The scenario a call names: a file path, or None for the embedded default scenario. Read once per
// path and process (scenarios are small and immutable).
std::shared_ptr<const Scenario> scenario_of(const std::optional<std::string>& path);

void bind_workloads(py::module_& m);
void bind_hardware(py::module_& m);
void bind_engines(py::module_& m);
void bind_runs(py::module_& m);

}  // namespace cimnet::python
