#include "predict/data_layout.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/text.hpp"
#include "hardware/hardware.hpp"

namespace cimnet {

std::string to_string(DataFormat format) { return format == DataFormat::dataset ? "dataset" : "dynast"; }

DataLayout detect_layout(const CsvTable& table) {
  DataLayout layout;
  if (table.has_column("Sub-network")) {
    layout.format = DataFormat::dynast;
    layout.network = "Sub-network";
  } else if (table.has_column("genome") || table.has_column("arch")) {
    // `cimnet dataset` names the canonical compact spec "genome"; "arch" is accepted for hand-made files.
    layout.format = DataFormat::dataset;
    layout.network = table.has_column("genome") ? "genome" : "arch";
  } else {
    throw InputError(table.source + ": not a training file: expected a cimnet dataset (columns space, genome, the "
                                    "genes, the hardware parameters, status, cycles, ...) or a DyNAS-T CSV (columns "
                                    "Sub-network, Top-1 Acc (%), ...); its columns are: " +
                     join(table.header, ", "));
  }
  layout.hardware = std::all_of(hw_param_infos().begin(), hw_param_infos().end(),
                                [&](const HwParamInfo& info) { return table.has_column(info.name); });
  if (table.has_column("status")) layout.status = "status";
  if (table.has_column("space")) {
    layout.space = "space";
    if (!table.rows.empty()) layout.space_name = trim(table.rows.front()[table.column("space")]);
  }
  return layout;
}

namespace {

bool is_accuracy_name(const std::string& target) {
  const std::string t = to_lower(target);
  return t == "accuracy" || t == "top1" || t == "top-1" || target == "Top-1 Acc (%)";
}

}  // namespace

std::string canonical_target(const std::string& target) { return is_accuracy_name(target) ? "top1" : target; }

std::string target_column(const CsvTable& table, const std::string& target) {
  if (is_accuracy_name(target)) {
    for (const char* name : {"Top-1 Acc (%)", "top1", "accuracy"}) {
      if (table.has_column(name)) return name;
    }
    throw InputError(table.source + ": no accuracy column (looked for 'Top-1 Acc (%)', 'top1', 'accuracy'); columns "
                                    "are: " +
                     join(table.header, ", "));
  }
  table.column(target);  // InputError naming the columns when absent
  return target;
}

EncodingSpec parse_feature_list(const std::string& list) {
  EncodingSpec spec;
  const auto words = split(list, ',');
  std::vector<std::string> seen;
  for (const auto& raw : words) {
    const std::string word = trim(raw);
    if (word.empty()) throw InputError("--features '" + list + "': empty feature name");
    if (std::find(seen.begin(), seen.end(), word) != seen.end()) {
      throw InputError("--features '" + list + "': '" + word + "' is given twice");
    }
    seen.push_back(word);
    if (word == "none") {
      if (words.size() != 1) throw InputError("--features '" + list + "': 'none' cannot be combined with others");
    } else if (word == "hardware") {
      spec.hardware = true;
    } else if (word == "log_macs") {
      spec.log_macs = true;
    } else if (word == "analytical") {
      spec.extra.push_back("ln(analytical_cycles)");
    } else {
      spec.extra.push_back(word);
    }
  }
  return spec;
}

EncodingSpec default_features(const DataLayout& layout) {
  EncodingSpec spec;
  spec.hardware = layout.hardware;
  spec.log_macs = true;
  return spec;
}

TrainingColumns training_columns(const CsvTable& table, const DataLayout& layout, const EncodingSpec& encoding,
                                 const std::string& target) {
  if (encoding.hardware && !layout.hardware) {
    std::vector<std::string> missing;
    for (const auto& info : hw_param_infos()) {
      if (!table.has_column(info.name)) missing.emplace_back(info.name);
    }
    throw InputError(table.source + ": hardware features need the hardware columns; missing: " + join(missing, ", "));
  }
  TrainingColumns columns;
  columns.network = layout.network;
  columns.target = target_column(table, target);
  columns.hardware = encoding.hardware;
  columns.extra = encoding.extra;
  columns.status = layout.status;
  columns.space = layout.space;
  return columns;
}

}  // namespace cimnet
