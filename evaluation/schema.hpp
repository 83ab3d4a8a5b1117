#pragma once
// The columns of a dataset row, in their stable order, with units.
//
// Point columns describe the point and are filled by the coordinating process; measurement columns
// are what an evaluator returns from its worker. Every column but the ones marked non-deterministic
// is a pure function of the point, so runs with any number of workers, shards or ranks agree row for
// row on them.
#include <cstddef>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::evaluation {

struct Column {
  std::string name;
  std::string unit;         // "cycles", "bytes", "B/cycle", "s", "-" for text or dimensionless
  std::string description;
  bool deterministic = true;  // false: differs between runs (wall time)
  bool measured = false;      // true: returned by the evaluator
};

class Schema {
 public:
  explicit Schema(const SearchSpace& space);
  // With an `accuracy` column (after params) when `accuracy_label` is not empty: the label of the
  // run's accuracy source (AccuracySource::label(); a proxy's starts with "PROXY"), which goes into
  // the column's description line.
  Schema(const SearchSpace& space, const std::string& accuracy_label);
  // With a column per component gene of `hardware` ("pe.rows", issue 17) after the eight parameters';
  // a space without component genes has the columns above.
  Schema(const SearchSpace& space, const HardwareSpace& hardware, const std::string& accuracy_label = "");

  const std::vector<Column>& columns() const { return columns_; }
  std::vector<std::string> names() const;
  std::size_t size() const { return columns_.size(); }
  // Index of a column; std::out_of_range for an unknown name.
  std::size_t index_of(const std::string& name) const;
  bool has(const std::string& name) const;

  // The layouts of files written by earlier versions, newest first: without energy_columns() (before
  // issue 16), and without those nor cold_steady_columns() (before issue 14). A run that resumes such a
  // file keeps its layout, and its rows leave those measurements out.
  std::vector<Schema> earlier_layouts() const;
  Schema without_energy() const;
  Schema without_cold_steady() const;  // (and without the energy columns, which came later)

 private:
  Schema() = default;
  std::vector<Column> columns_;
};

// The fixed names, for code that fills or reads them.
namespace col {
inline constexpr const char* kIndex = "index";
inline constexpr const char* kSpace = "space";
inline constexpr const char* kGenome = "genome";
inline constexpr const char* kMacs = "macs";
inline constexpr const char* kParams = "params";
inline constexpr const char* kAccuracy = "accuracy";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kMessage = "message";
inline constexpr const char* kCycles = "cycles";
inline constexpr const char* kAnalyticalCycles = "analytical_cycles";
inline constexpr const char* kColdCycles = "cold_cycles";
inline constexpr const char* kEnergy = "energy_pj";
inline constexpr const char* kAnalyticalEnergy = "analytical_energy_pj";
inline constexpr const char* kSteadyCycles = "steady_cycles";
inline constexpr const char* kAnalyticalColdCycles = "analytical_cold_cycles";
inline constexpr const char* kAnalyticalSteadyCycles = "analytical_steady_cycles";
inline constexpr const char* kUtilisation = "utilisation";
inline constexpr const char* kBound = "bound";
inline constexpr const char* kWall = "wall_s";
}  // namespace col

// The measured columns of cold and steady cycles (issue 14: weights that stay in the arrays over a
// stream of inferences), in their order; files written before them lack them.
const std::vector<std::string>& cold_steady_columns();
bool is_cold_steady_column(const std::string& name);

}  // namespace cimnet::evaluation
