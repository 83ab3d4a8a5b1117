#pragma once
// Conversions between the C++ libraries' values and plain Python objects: JSON documents to dicts and
// lists (and back), CSV files to lists of dicts with typed fields, and rows to NumPy structured arrays
// (imported only when asked for: NumPy is optional).
#include <pybind11/pybind11.h>

#include <string>

#include <nlohmann/json.hpp>

namespace cimnet::python {

namespace py = pybind11;

py::object to_python(const nlohmann::json& value);
// InputError naming `what` for a value JSON cannot hold (a set, an object with non-string keys).
nlohmann::json to_json(const py::handle& value, const std::string& what);

// A CSV file (its leading '#' lines skipped) as a list of dicts: empty fields None, integers int,
// other numbers float, the rest str.
py::list csv_rows(const std::string& path);

// A list of dicts with the same keys as a NumPy structured array: int64 columns where every value is an
// int, float64 where every value is a number (None as NaN), Unicode strings otherwise. ImportError
// naming python3-numpy when NumPy is not installed.
py::object structured_array(const py::list& rows);

}  // namespace cimnet::python
