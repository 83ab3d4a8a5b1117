#include "python/python_values.hpp"

#include <cmath>
#include <cstdlib>

#include "common/csv.hpp"
#include "common/error.hpp"

namespace cimnet::python {

py::object to_python(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(value.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(value.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& item : value) out.append(to_python(item));
      return std::move(out);
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items()) out[py::str(key)] = to_python(item);
      return std::move(out);
    }
    case nlohmann::json::value_t::binary:
      break;
  }
  return py::none();
}

nlohmann::json to_json(const py::handle& value, const std::string& what) {
  if (value.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
  if (py::isinstance<py::float_>(value)) return value.cast<double>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::dict>(value)) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key)) throw InputError(what + ": a dict key is not a string");
      out[key.cast<std::string>()] = to_json(item, what);
    }
    return out;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(to_json(item, what));
    return out;
  }
  throw InputError(what + ": a " + std::string(py::str(value.get_type().attr("__name__"))) +
                   " is not a plain value (None, bool, int, float, str, list or dict)");
}

namespace {

// The field as the value it spells: the dataset and run-folder files write integers without a point
// and floats with %g-style text.
py::object typed_field(const std::string& text) {
  if (text.empty()) return py::none();
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(text.c_str(), &end, 10);
  if (end && *end == '\0' && errno == 0) return py::int_(i);
  const double d = std::strtod(text.c_str(), &end);
  if (end && *end == '\0') return py::float_(d);
  return py::str(text);
}

}  // namespace

py::list csv_rows(const std::string& path) {
  const CsvTable table = read_csv(path, CsvComments::leading);
  py::list out;
  std::vector<py::str> keys;
  for (const auto& h : table.header) keys.emplace_back(h);
  for (const auto& row : table.rows) {
    py::dict d;
    for (std::size_t c = 0; c < keys.size(); ++c) d[keys[c]] = typed_field(row[c]);
    out.append(std::move(d));
  }
  return out;
}

py::object structured_array(const py::list& rows) {
  py::module_ numpy;
  try {
    numpy = py::module_::import("numpy");
  } catch (const py::error_already_set&) {
    throw py::import_error("NumPy is needed for arrays (Debian: apt-get install python3-numpy); "
                           "the lists of dicts need nothing");
  }
  py::list names;
  if (!rows.empty()) names = py::list(rows[0].cast<py::dict>().attr("keys")());
  py::list dtype;
  py::list columns;
  for (const auto& name : names) {
    bool all_int = true, all_number = true;
    std::size_t longest = 1;
    py::list column;
    for (const auto& row : rows) {
      const py::object v = row.cast<py::dict>()[name];
      column.append(v);
      if (v.is_none()) {
        all_int = false;
        continue;
      }
      const bool is_bool = py::isinstance<py::bool_>(v);
      if (!py::isinstance<py::int_>(v) || is_bool) all_int = false;
      if (!(py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)) || is_bool) all_number = false;
      longest = std::max(longest, py::len(py::str(v)));
    }
    std::string type = all_int ? "i8" : all_number ? "f8" : "U" + std::to_string(longest);
    if (all_number && !all_int) {
      for (std::size_t i = 0; i < column.size(); ++i) {
        if (column[i].is_none()) column[i] = py::float_(std::nan(""));
      }
    } else if (!all_number) {
      for (std::size_t i = 0; i < column.size(); ++i) {
        column[i] = column[i].is_none() ? py::str("") : py::str(column[i]);
      }
    }
    dtype.append(py::make_tuple(name, type));
    columns.append(column);
  }
  py::list records;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    py::list record;
    for (const auto& column : columns) record.append(column.cast<py::list>()[r]);
    records.append(py::tuple(record));
  }
  return numpy.attr("array")(records, py::arg("dtype") = dtype);
}

}  // namespace cimnet::python
