// dataset() and search() from Python: the command line's `cimnet dataset` and `cimnet search`, run in
// this process with the same options (keyword arguments named as the options, '_' for '-'), the same
// checks, messages and files, and the finished rows read back as dicts or a NumPy array. Long runs
// release the GIL; a callback sees each finished point; Ctrl-C stops the run cleanly and resumably.
#include <pybind11/stl.h>

#include <csignal>
#include <filesystem>
#include <optional>

#include "apps/cimnet/command.hpp"
#include "common/error.hpp"
#include "evaluation/stop_signal.hpp"
#include "python/bindings.hpp"
#include "python/python_values.hpp"

namespace cimnet::python {

namespace {

// Keyword arguments as command-line words: flag=True → "--flag", flag=False → nothing, a list → the
// option once per item, anything else → its str(). Unknown names reach the command's parser, which
// refuses them as it does on the command line.
cli::Args args_of(const std::string& out, const py::kwargs& options) {
  cli::Args args{"--out", out};
  for (const auto& [key, value] : options) {
    std::string name = key.cast<std::string>();
    for (auto& c : name) {
      if (c == '_') c = '-';
    }
    if (value.is_none()) continue;
    if (py::isinstance<py::bool_>(value)) {
      if (value.cast<bool>()) args.push_back("--" + name);
      continue;
    }
    if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
      for (const auto& item : value) {
        args.push_back("--" + name);
        args.push_back(py::str(item).cast<std::string>());
      }
      continue;
    }
    args.push_back("--" + name);
    args.push_back(py::str(value).cast<std::string>());
  }
  return args;
}

// A Python callback called from the run's coordinator (with the GIL released around the run). An
// exception it raises stops the run as Ctrl-C would, and is raised again once the run has closed its
// files.
class Watch {
 public:
  explicit Watch(py::object callback) : callback_(std::move(callback)) {}
  bool active() const { return !callback_.is_none(); }
  template <typename... A>
  void call(A&&... a) {
    py::gil_scoped_acquire gil;
    if (error_) return;
    try {
      callback_(std::forward<A>(a)...);
    } catch (py::error_already_set& e) {
      error_.emplace(std::move(e));
      evaluation::StopSignal::request(SIGINT);
    }
  }
  // After the run, with the GIL held: the callback's exception, else KeyboardInterrupt for a run a
  // signal stopped (its files hold every finished point; resume=True continues it).
  void raise_for(int status, const std::string& what) {
    if (error_) {
      evaluation::StopSignal::reset();
      throw *error_;
    }
    if (status > 128) {
      const std::string text = what + " stopped by signal " + std::to_string(status - 128) +
                               "; every finished point is kept: call again with resume=True to continue";
      PyErr_SetString(PyExc_KeyboardInterrupt, text.c_str());
      throw py::error_already_set();
    }
  }

 private:
  py::object callback_;
  std::optional<py::error_already_set> error_;
};

py::object dataset(const std::string& out, const py::object& progress, bool as_numpy, const py::kwargs& options) {
  cli::Args args = args_of(out, options);
  // progress: True → the command line's display on stderr; None/False → none; a callable → called as
  // progress(done, total) after each finished point.
  const bool display = py::isinstance<py::bool_>(progress) && progress.cast<bool>();
  if (!display) args.push_back("--no-progress");
  Watch watch(py::isinstance<py::bool_>(progress) ? py::none() : progress);
  if (watch.active() && !PyCallable_Check(progress.ptr())) throw InputError("progress: expected None, a bool or a callable");
  int status = 0;
  {
    py::gil_scoped_release release;
    std::function<void(std::size_t, std::size_t)> on_point;
    if (watch.active()) on_point = [&watch](std::size_t done, std::size_t total) { watch.call(done, total); };
    status = cli::run_dataset_watched(args, on_point);
  }
  watch.raise_for(status, "dataset");
  py::list rows = csv_rows(out);
  if (as_numpy) return structured_array(rows);
  return std::move(rows);
}

py::object search(const std::string& out, const py::object& progress, bool quiet, bool as_numpy,
                  const py::kwargs& options) {
  cli::Args args = args_of(out, options);
  Watch watch(progress);
  if (watch.active() && !PyCallable_Check(progress.ptr())) throw InputError("progress: expected None or a callable");
  int status = 0;
  {
    py::gil_scoped_release release;
    std::function<void(const loop::Record&, std::size_t)> on_evaluation;
    if (watch.active()) {
      on_evaluation = [&watch](const loop::Record& r, std::size_t evaluations) {
        py::gil_scoped_acquire gil;
        py::dict d;
        d["method"] = r.method;
        d["seed"] = r.seed;
        d["iteration"] = r.iteration;
        d["status"] = r.m.status;
        d["cycles"] = r.m.cycles;
        d["analytical_cycles"] = r.m.analytical_cycles;
        d["accuracy"] = r.m.accuracy;
        d["energy_pj"] = r.m.energy_pj;
        d["evaluations"] = evaluations;
        watch.call(d);
      };
    }
    status = cli::run_search_watched(args, on_evaluation, quiet);
  }
  watch.raise_for(status, "search");
  namespace fs = std::filesystem;
  py::dict result;
  result["run_folder"] = out;
  for (const char* file : {"front", "evaluations", "iterations"}) {
    const fs::path path = fs::path(out) / (std::string(file) + ".csv");
    py::list rows = fs::exists(path) ? csv_rows(path.string()) : py::list();
    result[file] = as_numpy ? structured_array(rows) : py::object(rows);
  }
  return std::move(result);
}

}  // namespace

void bind_runs(py::module_& m) {
  m.def("dataset", &dataset, py::arg("out"), py::kw_only(), py::arg("progress") = py::none(),
        py::arg("as_numpy") = false,
        "`cimnet dataset --out OUT ...` with the other options as keywords (samples=64, mode='arch', jobs=2, "
        "resume=True, execution='fused', points='points.csv', onnx='m.onnx', ...). progress: None (quiet), True (the "
        "command line's display) or a callable progress(done, total). Returns the file's rows as dicts (as_numpy: a "
        "NumPy structured array). KeyboardInterrupt after Ctrl-C, with every finished row kept.");
  m.def("search", &search, py::arg("out"), py::kw_only(), py::arg("progress") = py::none(), py::arg("quiet") = false,
        py::arg("as_numpy") = false,
        "`cimnet search --out RUN_DIR ...` with the other options as keywords (mode='hw', method='linas', "
        "objectives='cycles,area', budget=20, seed=1, jobs=2, resume=True, ...). progress: a callable given a dict "
        "per real evaluation (method, seed, iteration, status, cycles, accuracy, energy_pj, evaluations). Returns "
        "the run folder's front, evaluations and iterations as lists of dicts (as_numpy: NumPy structured arrays).");
  m.def(
      "merge_datasets",
      [](const std::string& out, const std::vector<std::string>& inputs) {
        cli::Args args{"merge", out};
        args.insert(args.end(), inputs.begin(), inputs.end());
        {
          py::gil_scoped_release release;
          cli::run_dataset(args);
        }
        return csv_rows(out);
      },
      py::arg("out"), py::arg("inputs"), "`cimnet dataset merge OUT IN...`: the shards' rows as one file.");
}

}  // namespace cimnet::python
