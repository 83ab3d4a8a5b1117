#pragma once
// What kind of training file a CSV is, and how a predictor's target and features map onto its columns.
//
// Two formats are recognised from the header:
//   dataset  written by `cimnet dataset`: optional '#' preamble, columns space, genome (or arch), one
//            column per gene, the eight hardware parameters, macs, params, status, cycles,
//            analytical_cycles, ...; rows with status != ok are skipped
//   dynast   DyNAS-T's measurement CSVs: Sub-network (a Python dict), Top-1 Acc (%), MACs, ...
// Anything else is an InputError that says what was expected. Users thereby never name the sub-network
// or hardware columns; they name a target (`cycles`, `accuracy` or any numeric column) and features.
#include <string>
#include <vector>

#include "common/csv.hpp"
#include "predict/encoding.hpp"
#include "predict/training_data.hpp"

namespace cimnet {

enum class DataFormat { dataset, dynast };
std::string to_string(DataFormat format);

struct DataLayout {
  DataFormat format = DataFormat::dataset;
  std::string network;     // column holding the sub-network
  bool hardware = false;   // all eight hardware parameter columns are present
  std::string status;      // "" when the file has no status column
  std::string space;       // "" when the file has no space column
  std::string space_name;  // the space the file names (first row's space column); "" when it names none
};

// Detects the format from the header (and, for the space, the first row). InputError naming the file
// and the expected columns when it is neither format.
DataLayout detect_layout(const CsvTable& table);

// The name a predictor stores for a target: "top1" for accuracy, top1, top-1 and DyNAS-T's column;
// otherwise the name itself.
std::string canonical_target(const std::string& target);
// The column holding `target` in the table: for top1 the first of "Top-1 Acc (%)", "top1", "accuracy"
// that exists; otherwise the column of that name. InputError naming the file and its columns.
std::string target_column(const CsvTable& table, const std::string& target);

// Parses a feature list: comma-separated words among
//   hardware    one-hot of the eight hardware parameters (needs hardware columns)
//   log_macs    ln of the sub-network's MACs (computed from the sub-network, no column needed)
//   analytical  ln of the mapper's analytical cycle estimate (column analytical_cycles)
//   ln(COL)     ln of a numeric column;  COL  a numeric column as it is
//   none        nothing beyond the architecture one-hot (alone)
// The architecture one-hot is always there. InputError for an empty word, a repeated word or "none"
// with others.
EncodingSpec parse_feature_list(const std::string& list);
// The default features of a file: hardware (when it has hardware columns) and log_macs.
EncodingSpec default_features(const DataLayout& layout);

// The columns to read for an encoding and target; InputError when the file lacks hardware columns the
// encoding needs.
TrainingColumns training_columns(const CsvTable& table, const DataLayout& layout, const EncodingSpec& encoding,
                                 const std::string& target);

}  // namespace cimnet
