// Hardware from Python: the scenario's reference design, any design by keyword (the eight CiMNet
// parameters and the fixed ones, as `--hw KEY=VALUE`), and the hardware search space.
#include <pybind11/stl.h>

#include <map>
#include <mutex>

#include "apps/cimnet/json_views.hpp"
#include "common/error.hpp"
#include "common/random.hpp"
#include "common/text.hpp"
#include "config/digital_cores_section.hpp"
#include "python/bindings.hpp"
#include "python/python_values.hpp"

namespace cimnet::python {

std::shared_ptr<const Scenario> scenario_of(const std::optional<std::string>& path) {
  static std::mutex lock;
  static std::map<std::string, std::shared_ptr<const Scenario>> read;
  const std::string key = path.value_or("");
  std::lock_guard<std::mutex> guard(lock);
  auto& slot = read[key];
  if (!slot) {
    try {
      slot = std::make_shared<const Scenario>(path ? load_scenario(*path) : default_scenario());
    } catch (...) {
      read.erase(key);
      throw;
    }
  }
  return slot;
}

namespace {

// "KEY=VALUE" overrides from keyword arguments, applied in the order given; a str value may carry a
// size suffix ("2MiB"), as on the command line.
HardwareConfig with_overrides(HardwareConfig hw, const py::kwargs& overrides) {
  for (const auto& [key, value] : overrides) {
    std::string text;
    if (py::isinstance<py::bool_>(value)) {
      throw InputError("hardware " + key.cast<std::string>() + ": expected a number or a size text, got a bool");
    }
    if (py::isinstance<py::int_>(value) || py::isinstance<py::str>(value)) {
      text = py::str(value).cast<std::string>();
    } else if (py::isinstance<py::float_>(value)) {
      text = format_number(value.cast<double>());
    } else {
      throw InputError("hardware " + key.cast<std::string>() + ": expected a number or a size text");
    }
    apply_hw_override(hw, key.cast<std::string>() + "=" + text);
  }
  hw.validate("hardware");
  return hw;
}

struct PyHardwareSpace {
  std::shared_ptr<const Scenario> scenario;
};

// Equal parameters, fixed parameters and components: the digital cores property by property, so that
// two designs differing only in a core's size (a component gene) differ.
bool same_design(const HardwareConfig& a, const HardwareConfig& b) {
  if (a.values != b.values || a.summary() != b.summary()) return false;
  for (const auto& f : fixed_param_infos()) {
    if (get_fixed(a.fixed, f.name) != get_fixed(b.fixed, f.name)) return false;
  }
  for (std::size_t i = 0; i < a.digital_cores.size(); ++i) {
    if (digital_core_yaml(a.digital_cores[i], true) != digital_core_yaml(b.digital_cores[i], true)) return false;
  }
  return true;
}

PyHardware design(const std::shared_ptr<const Scenario>& scenario, const HardwareConfig& config) {
  return PyHardware{config, scenario};
}

}  // namespace

void bind_hardware(py::module_& m) {
  py::class_<PyHardware>(m, "Hardware", "One hardware design: the eight CiMNet parameters and the fixed ones.")
      .def(py::init([](const std::optional<std::string>& scenario, const py::kwargs& overrides) {
             const auto s = scenario_of(scenario);
             return design(s, with_overrides(s->hardware.reference_config(), overrides));
           }),
           py::arg("scenario") = std::nullopt,
           "The scenario's reference design (default: the embedded scenario's), with any parameter set by keyword: "
           "Hardware(DRAM_bw=128, gb_bytes='2MiB').")
      .def("replace", [](const PyHardware& h, const py::kwargs& overrides) {
             return design(h.scenario, with_overrides(h.config, overrides));
           },
           "A copy with the keyword parameters changed.")
      .def_property_readonly("values",
                             [](const PyHardware& h) {
                               const HardwareSpace& space = h.scenario->hardware;
                               const auto names = space.gene_names();
                               const auto values = space.gene_values(h.config);
                               py::dict out;
                               for (std::size_t i = 0; i < names.size(); ++i) out[names[i].c_str()] = values[i];
                               return out;
                             },
                             "The eight CiMNet parameters, then each searched digital-core size ('pe.rows').")
      .def_property_readonly("fixed",
                             [](const PyHardware& h) {
                               py::dict out;
                               for (const auto& f : fixed_param_infos()) out[f.name] = get_fixed(h.config.fixed, f.name);
                               return out;
                             },
                             "The fixed microarchitecture parameters.")
      .def_property_readonly("arrays", [](const PyHardware& h) { return h.config.total_arrays(); })
      .def_property_readonly("peak_macs_per_cycle", [](const PyHardware& h) { return h.config.peak_macs_per_cycle(); })
      .def_property_readonly("capacity_bytes", [](const PyHardware& h) { return h.config.total_capacity_bytes(); })
      .def_property_readonly("summary", [](const PyHardware& h) { return h.config.summary(); })
      .def("to_dict", [](const PyHardware& h) { return to_python(cli::hardware_json(*h.scenario, h.config)); },
           "As `cimnet hardware --format json` prints it.")
      .def("__eq__", [](const PyHardware& a, const PyHardware& b) { return same_design(a.config, b.config); })
      .def("__repr__", [](const PyHardware& h) { return "<cimnet.Hardware " + h.config.summary() + ">"; });

  py::class_<PyHardwareSpace>(m, "HardwareSpace", "A scenario's hardware search space.")
      .def_property_readonly("choices",
                             [](const PyHardwareSpace& s) {
                               const HardwareSpace& space = s.scenario->hardware;
                               const auto names = space.gene_names();
                               py::dict out;
                               for (std::size_t i = 0; i < names.size(); ++i) out[names[i].c_str()] = space.gene_choices(i);
                               return out;
                             },
                             "The allowed values of each parameter, then of each searched digital-core size.")
      .def_property_readonly("size",
                             [](const PyHardwareSpace& s) {
                               return s.scenario->hardware.size();
                             })
      .def("reference", [](const PyHardwareSpace& s) { return design(s.scenario, s.scenario->hardware.reference_config()); })
      .def("smallest", [](const PyHardwareSpace& s) {
        return design(s.scenario, s.scenario->hardware.config(s.scenario->hardware.smallest()));
      })
      .def("largest", [](const PyHardwareSpace& s) {
        return design(s.scenario, s.scenario->hardware.config(s.scenario->hardware.largest()));
      })
      .def(
          "sample",
          [](const PyHardwareSpace& s, std::uint64_t seed, std::size_t count) {
            Rng rng(seed);
            std::vector<PyHardware> out;
            for (std::size_t i = 0; i < count; ++i) {
              out.push_back(design(s.scenario, s.scenario->hardware.config(s.scenario->hardware.sample(rng))));
            }
            return out;
          },
          py::arg("seed"), py::arg("count") = 1, "`count` designs drawn uniformly from `seed`.")
      .def(
          "encode",
          [](const PyHardwareSpace& s, const PyHardware& h) {
            return s.scenario->hardware.genome_of(h.config);
          },
          py::arg("hardware"),
          "The choice index of each parameter, then of each searched digital-core size; InputError for a value not "
          "among the choices.")
      .def(
          "decode",
          [](const PyHardwareSpace& s, const std::vector<int>& genome) {
            const HardwareSpace& space = s.scenario->hardware;
            if (genome.size() != space.gene_count()) {
              throw InputError("hardware genome: expected " + std::to_string(space.gene_count()) +
                               " choice indices (" + join(space.gene_names(), ", ") + "), got " +
                               std::to_string(genome.size()));
            }
            for (std::size_t p = 0; p < genome.size(); ++p) {
              if (genome[p] < 0 || genome[p] >= static_cast<int>(space.gene_choices(p).size())) {
                throw InputError("hardware genome: " + space.gene_names()[p] + " index " + std::to_string(genome[p]) +
                                 " is not one of its " + std::to_string(space.gene_choices(p).size()) + " choices");
              }
            }
            return design(s.scenario, space.config(genome));
          },
          py::arg("genome"), "The design of a choice index per parameter, then per searched digital-core size.");

  m.def("hardware_space", [](const std::optional<std::string>& scenario) { return PyHardwareSpace{scenario_of(scenario)}; },
        py::arg("scenario") = std::nullopt, "The scenario's hardware search space (default: the embedded scenario's).");
}

}  // namespace cimnet::python
