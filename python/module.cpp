// The Python module `cimnet` (docs/python.md): its exceptions and its parts.
//
// Errors keep the command line's one-line messages: bad input raises cimnet.InputError (a ValueError),
// a simulation that fails, crashes or times out in its worker raises cimnet.SimulationError (a
// RuntimeError); --help-style requests do not exist here.
#include "common/error.hpp"
#include "python/bindings.hpp"

namespace cimnet::python {
namespace {

PYBIND11_MODULE(cimnet, m) {
  m.doc() =
      "cimnet: co-design of compute-in-memory accelerators and the neural networks that run on them.\n\n"
      "Search spaces and networks (Space, network, load_network, load_onnx, llm), hardware (Hardware,\n"
      "hardware_space), the analytical model (estimate) and the SystemC model (simulate), datasets and\n"
      "co-searches (dataset, search). See docs/python.md.";
  m.attr("__version__") = CIMNET_VERSION;
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  static py::exception<SimulationFailure> simulation_error(m, "SimulationError", PyExc_RuntimeError);
  input_error.attr("__doc__") =
      "Bad input: the one-line message the command line prints (the file, key or option, and the allowed values).";
  simulation_error.attr("__doc__") = "The SystemC model's worker failed, crashed or exceeded its timeout.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const SimulationFailure& e) {
      simulation_error(e.what());
    }
  });
  bind_workloads(m);
  bind_hardware(m);
  bind_engines(m);
  bind_runs(m);
}

}  // namespace
}  // namespace cimnet::python
