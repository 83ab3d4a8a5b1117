#pragma once
// A strict reader for cimnet's YAML files (scenarios, users' networks).
//
// yaml-cpp hands back whatever the file holds and leaves it to the caller to notice a misspelled key.
// This wrapper makes every mapping read declare its allowed keys, so an unknown key is always an
// error, and every typed read report the file, the line and the full key path of a bad value:
//   scenario.yaml:4: unknown key 'hardwre' in 'scenario' (did you mean 'hardware'?); allowed: ...
//   scenario.yaml:9: scenario.hardware.choices.DRAM_bw[1]: expected a positive integer ..., got 'x'
// yaml-cpp stays an implementation detail: the header does not include it, so the layers that read
// YAML through this class do not depend on yaml-cpp's headers.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cimnet {

// Reads a whole file. InputError "cannot open WHAT 'PATH': REASON" (REASON from the system, e.g.
// "No such file or directory") when it is missing, a directory or unreadable.
std::string read_text_file(const std::string& path, const std::string& what);

class YamlMap;

// One value of a parsed document, with where it came from: origin (file name), line and key path.
class YamlValue {
 public:
  // Parses a document holding exactly one YAML value. `origin` names the source in messages (a file
  // path); `root` names the top-level value in key paths ("scenario", "network"). Malformed YAML is
  // an InputError "ORIGIN:LINE: malformed YAML: ...".
  static YamlValue parse(const std::string& text, const std::string& origin, const std::string& root);

  const std::string& origin() const { return *origin_; }
  const std::string& path() const { return path_; }
  int line() const { return line_; }  // 1-based; 0 when yaml-cpp does not know it
  std::string where() const;          // "ORIGIN:LINE", or "ORIGIN" when the line is unknown

  // InputError "ORIGIN:LINE: PATH: message".
  [[noreturn]] void fail(const std::string& message) const;
  // InputError "ORIGIN:LINE: message" (for messages that name their subject themselves).
  [[noreturn]] void fail_here(const std::string& message) const;

  // The same value under another key path (e.g. a list element named by its "name" key).
  YamlValue renamed(std::string path) const;

  bool is_null() const;
  bool is_scalar() const;
  bool is_list() const;
  bool is_mapping() const;
  // "nothing", "a scalar 'x'", "a list" or "a mapping": for "expected …, got …" messages.
  std::string describe() const;

  // A mapping whose keys must all be in `allowed`: an unknown key fails with a did-you-mean
  // suggestion and the allowed keys; so does a duplicated or non-scalar key.
  YamlMap map(const std::vector<std::string>& allowed) const;
  // A key of a mapping without checking the other keys: for dispatching on a "type" key before the
  // keys allowed for that type are known. Fails when this is not a mapping.
  std::optional<YamlValue> peek(const std::string& key) const;
  // The plain keys of a mapping in file order, unchecked: for a mapping whose allowed keys depend on
  // the keys themselves (`hardware: choices:` takes "<core>.<field>" for the cores described). Fails
  // when this is not a mapping.
  std::vector<std::string> keys() const;
  // The elements of a list (a single scalar is not silently turned into a list).
  std::vector<YamlValue> list() const;

  std::string as_string() const;  // a non-empty scalar
  std::string as_choice(const std::vector<std::string>& allowed) const;
  std::int64_t as_integer(std::int64_t min, std::int64_t max) const;
  double as_number(double min, double max) const;
  bool as_bool() const;  // true or false (any letter case)
  // A scalar converted by `parse` (e.g. parse_hw_value for "256KiB"): an InputError from `parse`
  // becomes "expected EXPECTED, got 'TEXT'" at this value. common/ sits below hardware/, so the
  // hardware-specific parsers are passed in rather than called from here.
  std::int64_t as_parsed(const std::string& expected,
                         const std::function<std::int64_t(const std::string&)>& parse) const;

  std::vector<std::string> as_string_list() const;
  std::vector<std::int64_t> as_integer_list(std::int64_t min, std::int64_t max) const;

  struct Node;  // the yaml-cpp node, hidden from users of this header

 private:
  YamlValue(std::shared_ptr<const Node> node, std::shared_ptr<const std::string> origin, std::string path, int line);
  YamlValue child(const Node& node, std::string path, int fallback_line) const;
  std::string scalar_text(const std::string& expected) const;

  std::shared_ptr<const Node> node_;
  std::shared_ptr<const std::string> origin_;
  std::string path_;
  int line_ = 0;
};

// A mapping whose keys have been checked against the allowed ones.
class YamlMap {
 public:
  const YamlValue& value() const { return value_; }
  // Entries in file order.
  const std::vector<std::pair<std::string, YamlValue>>& entries() const { return entries_; }

  bool has(const std::string& key) const;
  std::optional<YamlValue> find(const std::string& key) const;
  // Fails "missing required key 'KEY' in 'PATH'" when absent.
  YamlValue required(const std::string& key) const;

  // Optional values with their defaults (the range applies to a value that is present).
  std::string string_or(const std::string& key, const std::string& fallback) const;
  std::int64_t integer_or(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  bool bool_or(const std::string& key, bool fallback) const;

 private:
  friend class YamlValue;
  // Asking for a key the caller did not declare is a programming error, not the user's.
  void check_declared(const std::string& key) const;

  YamlValue value_;
  std::vector<std::string> allowed_;
  std::vector<std::pair<std::string, YamlValue>> entries_;

  explicit YamlMap(YamlValue value) : value_(std::move(value)) {}
};

}  // namespace cimnet
