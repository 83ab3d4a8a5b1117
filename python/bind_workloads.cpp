// Search spaces and networks from Python: list, sample, encode and decode sub-networks; build a network
// from a space and spec, a YAML network file, an ONNX model or a language model's phase; read its layers.
#include <pybind11/stl.h>

#include "apps/cimnet/json_views.hpp"
#include "common/error.hpp"
#include "common/random.hpp"
#include "python/bindings.hpp"
#include "python/python_values.hpp"
#include "workloads/inner_precision.hpp"
#include "workloads/llm.hpp"
#include "workloads/network_file.hpp"
#include "workloads/onnx_import.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::python {

namespace {

struct PySpace {
  std::shared_ptr<const SearchSpace> space;
};

InnerPrecision inner_of(const std::optional<std::string>& text) {
  return text ? parse_inner_precision(*text, "inner_precision") : InnerPrecision{};
}

// A sub-network as Python may give it: a spec string (compact, DyNAS-T dict text, min, max, random:S),
// a DyNAS-T dict, or a genome (a list of choice indices). Returned canonical.
Genome genome_of(const SearchSpace& space, const py::handle& spec) {
  if (py::isinstance<py::str>(spec)) return space.canonical(space.parse(spec.cast<std::string>()));
  if (py::isinstance<py::dict>(spec)) return space.canonical(space.parse(to_json(spec, "spec").dump()));
  if (py::isinstance<py::list>(spec) || py::isinstance<py::tuple>(spec)) {
    Genome g;
    for (const auto& v : spec) {
      if (!py::isinstance<py::int_>(v)) throw InputError("genome: every gene is a choice index (an int)");
      g.push_back(v.cast<int>());
    }
    space.check(g);
    return space.canonical(g);
  }
  throw InputError("spec: expected a str (compact spec, DyNAS-T dict text, min, max or random:SEED), a DyNAS-T "
                   "dict or a genome (list of choice indices)");
}

// DyNAS-T's dict text ("{'ks': [3, 5], 'wid': None}") as a Python dict: the text is JSON but for its
// quotes and None.
py::object dynast_dict(const SearchSpace& space, const Genome& genome) {
  std::string text = space.to_dynast_dict(genome);
  for (auto& c : text) {
    if (c == '\'') c = '"';
  }
  for (std::size_t at; (at = text.find("None")) != std::string::npos;) text.replace(at, 4, "null");
  return to_python(nlohmann::json::parse(text));
}

PyNetwork network_of_space(const SearchSpace& space, const Genome& genome) {
  PyNetwork out;
  out.network = space.build(genome);
  out.header = cli::space_network_header(space, genome);
  return out;
}

PySpace make_py_space(const std::string& name, const std::optional<std::vector<int>>& resolutions,
                      const std::optional<std::string>& inner_precision) {
  SpaceOptions options;
  if (resolutions) options.resolutions = *resolutions;
  options.inner_precision = inner_of(inner_precision);
  return PySpace{make_space(name, options)};
}

LlmConfig llm_config_of(const py::handle& model) {
  if (py::isinstance<py::str>(model)) return llm_preset(model.cast<std::string>());
  if (!py::isinstance<py::dict>(model)) throw InputError("llm: model is a preset name or a dict of its config");
  const nlohmann::json j = to_json(model, "llm");
  LlmConfig c = llm_preset(j.value("base", std::string("gpt2")));
  for (const auto& [key, v] : j.items()) {
    if (key == "base") continue;
    const bool flag = key == "gated" || key == "tied_embeddings" || key == "biases" || key == "rms_norm";
    if (key == "name" ? !v.is_string() : flag ? !v.is_boolean() : !v.is_number_integer()) {
      throw InputError("llm: config key '" + key + "' takes " + (key == "name" ? "a str" : flag ? "a bool" : "an int") +
                       ", got " + v.dump());
    }
    if (key == "name") c.name = v.get<std::string>();
    else if (key == "layers") c.layers = v.get<int>();
    else if (key == "width") c.width = v.get<std::int64_t>();
    else if (key == "heads") c.heads = v.get<int>();
    else if (key == "kv_heads") c.kv_heads = v.get<int>();
    else if (key == "ffn") c.ffn = v.get<std::int64_t>();
    else if (key == "gated") c.gated = v.get<bool>();
    else if (key == "vocabulary") c.vocabulary = v.get<std::int64_t>();
    else if (key == "tied_embeddings") c.tied_embeddings = v.get<bool>();
    else if (key == "learned_positions") c.learned_positions = v.get<std::int64_t>();
    else if (key == "biases") c.biases = v.get<bool>();
    else if (key == "rms_norm") c.rms_norm = v.get<bool>();
    else if (key == "context") c.context = v.get<std::int64_t>();
    else {
      throw InputError("llm: unknown config key '" + key + "'; allowed: base, name, layers, width, heads, kv_heads, "
                       "ffn, gated, vocabulary, tied_embeddings, learned_positions, biases, rms_norm, context");
    }
  }
  // A changed preset is no longer the preset: its outputs say so unless the config names it.
  if (!j.contains("name") && j.size() > (j.contains("base") ? 1u : 0u)) c.name += "-custom";
  c.validate();
  return c;
}

}  // namespace

void bind_workloads(py::module_& m) {
  m.def("spaces", &space_names, "The registered search spaces' names.");

  py::class_<PySpace>(m, "Space", "An elastic search space: sub-networks as specs, DyNAS-T dicts or genomes.")
      .def(py::init(&make_py_space), py::arg("name"), py::arg("resolutions") = std::nullopt,
           py::arg("inner_precision") = std::nullopt,
           "The space `name` (see spaces()), optionally at some input resolutions and an inner precision 'W/A'.")
      .def_property_readonly("name", [](const PySpace& s) { return s.space->name(); })
      .def_property_readonly("gene_count", [](const PySpace& s) { return s.space->gene_count(); })
      .def_property_readonly("log10_size", [](const PySpace& s) { return s.space->log10_genome_count(); },
                             "log10 of the number of genomes (not of distinct networks).")
      .def_property_readonly(
          "groups",
          [](const PySpace& s) {
            py::list out;
            for (const auto& g : s.space->groups()) {
              out.append(py::dict(py::arg("name") = g.name, py::arg("spec_name") = g.spec_name(),
                                  py::arg("description") = g.description, py::arg("choices") = g.choices,
                                  py::arg("count") = g.count));
            }
            return out;
          },
          "The gene groups: name, spec_name, description, choices and count.")
      .def_property_readonly(
          "gene_names",
          [](const PySpace& s) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < s.space->gene_count(); ++i) out.push_back(s.space->gene_name(i));
            return out;
          })
      .def("min", [](const PySpace& s) { return s.space->format(s.space->canonical(s.space->smallest())); },
           "The smallest sub-network's compact spec.")
      .def("max", [](const PySpace& s) { return s.space->format(s.space->canonical(s.space->largest())); },
           "The largest sub-network's compact spec.")
      .def(
          "sample",
          [](const PySpace& s, std::uint64_t seed, std::size_t count) {
            Rng rng(seed);
            std::vector<std::string> out;
            for (std::size_t i = 0; i < count; ++i) out.push_back(s.space->format(s.space->sample(rng)));
            return out;
          },
          py::arg("seed"), py::arg("count") = 1,
          "`count` sub-networks drawn uniformly (each gene over its choices) from `seed`, as compact specs.")
      .def("canonical", [](const PySpace& s, const py::handle& spec) { return s.space->format(genome_of(*s.space, spec)); },
           py::arg("spec"), "The canonical compact spec of a spec, DyNAS-T dict or genome.")
      .def("encode", [](const PySpace& s, const py::handle& spec) { return genome_of(*s.space, spec); }, py::arg("spec"),
           "The canonical genome (choice index per gene) of a spec, DyNAS-T dict or genome.")
      .def("decode", [](const PySpace& s, const py::handle& genome) { return s.space->format(genome_of(*s.space, genome)); },
           py::arg("genome"), "The compact spec of a genome (or of any spec).")
      .def("to_dynast", [](const PySpace& s, const py::handle& spec) { return dynast_dict(*s.space, genome_of(*s.space, spec)); },
           py::arg("spec"), "The DyNAS-T dict of a sub-network.")
      .def("from_dynast", [](const PySpace& s, const py::dict& d) { return s.space->format(genome_of(*s.space, d)); },
           py::arg("dict"), "The compact spec of a DyNAS-T dict.")
      .def("network", [](const PySpace& s, const py::handle& spec) { return network_of_space(*s.space, genome_of(*s.space, spec)); },
           py::arg("spec") = "max", "The sub-network's layers.")
      .def("__repr__", [](const PySpace& s) { return "cimnet.Space('" + s.space->name() + "')"; });

  py::class_<PyNetwork>(m, "Network", "A network's layers, with what it is (space and spec, or file).")
      .def_property_readonly("name", [](const PyNetwork& n) { return n.network.name; })
      .def_property_readonly("header", [](const PyNetwork& n) { return to_python(n.header); },
                             "What the network is: space, arch and dynast; or network_file, onnx_file, llm and phase.")
      .def_property_readonly("macs", [](const PyNetwork& n) { return n.network.total_macs(); })
      .def_property_readonly("params", [](const PyNetwork& n) { return n.network.total_params(); })
      .def_property_readonly("weight_bytes", [](const PyNetwork& n) { return n.network.total_weight_bytes(); })
      .def_property_readonly("mac_layers", [](const PyNetwork& n) { return n.network.mac_layer_count(); })
      .def_property_readonly(
          "layers",
          [](const PyNetwork& n) {
            py::list out;
            for (std::size_t i = 0; i < n.network.layers.size(); ++i) out.append(to_python(cli::layer_json(n.network, i)));
            return out;
          },
          "One dict per layer: shapes, operation, precisions, producers, MACs, params and bytes.")
      .def(
          "layers_array",
          [](const PyNetwork& n) {
            py::list rows;
            for (std::size_t i = 0; i < n.network.layers.size(); ++i) {
              nlohmann::json j = cli::layer_json(n.network, i);
              j["inputs"] = j["inputs"].dump();  // a column holds one value
              rows.append(to_python(j));
            }
            return structured_array(rows);
          },
          "The layers as a NumPy structured array (inputs as JSON text).")
      .def("to_dict", [](const PyNetwork& n) { return to_python(cli::network_json(n.header, n.network)); },
           "As `cimnet network --format json` prints it.")
      .def("__len__", [](const PyNetwork& n) { return n.network.layers.size(); })
      .def("__repr__", [](const PyNetwork& n) {
        return "<cimnet.Network " + n.network.name + ": " + std::to_string(n.network.layers.size()) + " layers, " +
               std::to_string(n.network.total_macs()) + " MACs>";
      });

  m.def(
      "network",
      [](const std::optional<std::string>& space, const py::handle& arch, std::optional<int> resolution,
         const std::optional<std::string>& inner_precision, const std::optional<std::string>& scenario) {
        SpaceOptions options;
        std::string name;
        if (space) {
          name = *space;
        } else {
          const auto s = scenario_of(scenario);
          name = s->space;
          options = s->space_options;
        }
        if (resolution) options.resolutions = {*resolution};
        if (inner_precision) options.inner_precision = inner_of(inner_precision);
        const auto made = make_space(name, options);
        return network_of_space(*made, genome_of(*made, arch));
      },
      py::arg("space") = std::nullopt, py::arg("arch") = "max", py::arg("resolution") = std::nullopt,
      py::arg("inner_precision") = std::nullopt, py::arg("scenario") = std::nullopt,
      "A sub-network of a space (default: the scenario's), as `cimnet network --space S --arch SPEC`.");
  m.def(
      "load_network",
      [](const std::string& path, const std::optional<std::string>& inner_precision) {
        PyNetwork out;
        const InnerPrecision inner = inner_of(inner_precision);
        out.header["network_file"] = path;
        if (inner.active()) out.header["inner_precision"] = inner.text();
        out.network = with_inner_precision(load_network_file(path), inner);
        return out;
      },
      py::arg("path"), py::arg("inner_precision") = std::nullopt, "A YAML network file (docs/user-guide.md).");
  m.def(
      "load_onnx",
      [](const std::string& path, std::optional<std::int64_t> batch, const std::map<std::string, std::int64_t>& dims,
         const std::optional<std::string>& inner_precision) {
        // The command line's bounds (--batch, --onnx-dim), checked before the file is read.
        const auto check = [](const std::string& what, std::int64_t size) {
          if (size < 1 || size > kMaxOnnxDimSize) {
            throw InputError(what + " must be 1.." + std::to_string(kMaxOnnxDimSize) + ", got " + std::to_string(size));
          }
        };
        OnnxDims d;
        if (batch) check("batch", *batch);
        if (batch) d.batch = *batch;
        for (const auto& [name, size] : dims) check("dims['" + name + "']", size);
        d.by_name = dims;
        PyNetwork out;
        const InnerPrecision inner = inner_of(inner_precision);
        out.header["onnx_file"] = path;
        if (inner.active()) out.header["inner_precision"] = inner.text();
        py::gil_scoped_release release;
        out.network = with_inner_precision(load_onnx_file(path, d), inner);
        return out;
      },
      py::arg("path"), py::arg("batch") = std::nullopt, py::arg("dims") = std::map<std::string, std::int64_t>{},
      py::arg("inner_precision") = std::nullopt,
      "An ONNX model (docs/onnx.md); `batch` sizes a symbolic first input dimension, `dims` others by name.");
  m.def("llm_models", &llm_names, "The language-model presets.");
  m.def(
      "llm",
      [](const py::handle& model, std::optional<std::int64_t> prefill, std::optional<std::int64_t> decode_at,
         const std::optional<std::string>& inner_precision) {
        const LlmConfig config = llm_config_of(model);
        if (prefill.has_value() == decode_at.has_value()) {
          throw InputError("llm needs one phase: prefill=P (prompt tokens) or decode_at=T (a token's position)");
        }
        const InnerPrecision inner = inner_of(inner_precision);
        PyNetwork out;
        out.header["llm"] = config.name;
        if (inner.active()) out.header["inner_precision"] = inner.text();
        if (prefill) {
          out.header["prefill"] = std::to_string(*prefill);
          out.network = with_inner_precision(llm_prefill(config, *prefill), inner);
        } else {
          out.header["decode_at"] = std::to_string(*decode_at);
          out.network = with_inner_precision(llm_decode(config, *decode_at), inner);
        }
        return out;
      },
      py::arg("model"), py::arg("prefill") = std::nullopt, py::arg("decode_at") = std::nullopt,
      py::arg("inner_precision") = std::nullopt,
      "A decoder-only language model's prefill of P tokens or decode step at position T (docs/llm.md); `model` "
      "is a preset name or a dict of its config (with 'base', a preset the other keys change).");
  m.def(
      "llm_parameters",
      [](const py::handle& model) {
        const LlmParameters p = llm_parameters(llm_config_of(model));
        return py::dict(py::arg("layers") = p.layers, py::arg("embeddings") = p.embeddings, py::arg("total") = p.total());
      },
      py::arg("model"), "A language model's parameters: in its layers, in its embedding tables, and in all.");
}

}  // namespace cimnet::python
