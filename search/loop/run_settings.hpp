#pragma once
// What decides a search's evaluated set, as named settings: the scenario's fingerprint, the space, the
// mode, the methods, the budget, the seeds, ... A run folder records them (the first line of
// evaluations.csv, checkpoint.json) and --resume continues it only with the same settings; when they
// differ, the refusal names each differing setting with both values.
//
// Written as one line of `name=value` pairs separated by spaces, in the order they were added; values
// contain no spaces (lists are joined by '.').
#include <string>
#include <utility>
#include <vector>

namespace cimnet::loop {

class RunSettings {
 public:
  RunSettings() = default;
  // `value` must not contain a space, nor `name` a space or '=' (std::logic_error otherwise).
  void add(const std::string& name, const std::string& value);

  std::string line() const;
  // The settings of a line written by line(); a piece without '=' is kept as a setting named by the
  // whole piece, with no value, so that an unexpected line still compares (and differs) sensibly.
  static RunSettings parse(const std::string& line);

  bool operator==(const RunSettings& other) const { return pairs_ == other.pairs_; }
  bool operator!=(const RunSettings& other) const { return !(*this == other); }

  // Each setting that differs, "name A in the run folder, B now", joined by "; " ("(none)" for a
  // setting one side lacks). Empty when equal.
  std::string difference(const RunSettings& recorded) const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace cimnet::loop
