#pragma once
// Training points read from a CSV: sub-network, optional hardware, optional extra numeric columns,
// and the target.
//
// Columns:
//   network   any spec SearchSpace::parse accepts (DyNAS-T dicts as in the shared data, compact specs)
//   hardware  when requested: one column per gene of the hardware space: the eight parameters, named as
//             in CiMNet ("DRAM_bw"), then any component genes ("pe.rows"); values as parse_hw_value
//             reads them ("256KiB"); each must be one of the space's choices
//   extra     numeric columns, by name; "ln(name)" reads column `name` and takes its natural log (the
//             form a log-target cycles model wants of the analytical estimate)
//   target    numeric column, by name
//   status    optional: rows whose status is not "ok" are skipped and counted (dataset files keep the
//             points that failed or timed out, with empty measurements)
//   space     optional: the space of each row, which must be the space read against — a file of
//             another space would otherwise parse into nonsense or fail on its first gene
// Leading '#' lines (the preamble of dataset files) are skipped. Every bad field is an InputError
// naming the file, line and column.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "common/csv.hpp"
#include "predict/encoding.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

struct TrainingColumns {
  std::string network = "Sub-network";
  std::string target;
  bool hardware = false;
  std::vector<std::string> extra;
  std::string status;  // empty: no status column
  std::string space;   // empty: no space column
};

// "ln(x)" -> "x" (and sets *log), anything else unchanged.
std::string extra_source_column(const std::string& extra, bool* log = nullptr);

struct TrainingData {
  std::vector<Genome> genomes;      // canonical
  std::vector<HwGenome> hardware;   // empty unless hardware columns were read
  Eigen::MatrixXd extra;            // rows = genomes.size(), one column per TrainingColumns::extra
  Eigen::VectorXd target;
  std::vector<std::string> origin;  // "file:line" of each point (first occurrence after deduplication)
  std::size_t skipped = 0;          // rows skipped because their status was not "ok"

  std::size_t size() const { return genomes.size(); }
};

// `hardware_space` is required when columns.hardware is set.
TrainingData read_training_data(const std::string& path, const SearchSpace& space, const TrainingColumns& columns,
                                const HardwareSpace* hardware_space = nullptr);
// The same on a table already read (for callers that inspect the header first).
TrainingData read_training_table(const CsvTable& table, const SearchSpace& space, const TrainingColumns& columns,
                                 const HardwareSpace* hardware_space = nullptr);
// Appends `more` to `data` (same columns).
void append(TrainingData& data, const TrainingData& more);
// Merges points of the same canonical genome (and hardware): target and extra columns are averaged —
// repeated measurements differ only by noise, and a duplicate would leak across cross-validation folds.
// Keeps the order of first occurrence.
TrainingData deduplicate(const TrainingData& data);

// The feature matrix of the data under an encoder (extra columns in the encoder's order must match).
Eigen::MatrixXd encode(const Encoder& encoder, const TrainingData& data);

}  // namespace cimnet
