#include "common/yaml_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

struct YamlValue::Node {
  YAML::Node node;
};

namespace {

// yaml-cpp counts lines from 0 and marks some nodes (e.g. an absent value) with a null mark.
int line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::string read_text_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  // An ifstream opens a directory without complaint on Linux and then reads nothing, so check first.
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError("cannot open " + what + " '" + path + "': " + std::strerror(EISDIR));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno ? errno : ENOENT;
    throw InputError("cannot open " + what + " '" + path + "': " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError("cannot read " + what + " '" + path + "': " + std::strerror(errno ? errno : EIO));
  return text.str();
}

YamlValue::YamlValue(std::shared_ptr<const Node> node, std::shared_ptr<const std::string> origin, std::string path,
                     int line)
    : node_(std::move(node)), origin_(std::move(origin)), path_(std::move(path)), line_(line) {}

YamlValue YamlValue::parse(const std::string& text, const std::string& origin, const std::string& root) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    const std::string where = e.mark.is_null() ? origin : origin + ":" + std::to_string(e.mark.line + 1);
    throw InputError(where + ": malformed YAML: " + e.msg);
  }
  // A second document would otherwise be ignored without a word.
  if (documents.size() > 1) {
    const int line = line_of(documents[1]);
    throw InputError((line ? origin + ":" + std::to_string(line) : origin) +
                     ": the file holds more than one YAML document ('---'); expected one");
  }
  auto node = std::make_shared<Node>();
  if (!documents.empty()) node->node = documents.front();
  const int line = documents.empty() ? 0 : line_of(documents.front());
  return YamlValue(std::move(node), std::make_shared<const std::string>(origin), root, line ? line : 1);
}

YamlValue YamlValue::child(const Node& node, std::string path, int fallback_line) const {
  // An empty value ("name:" and nothing) is marked where the parser saw the next token, often the
  // following line; the key's line is the one to report.
  const int line = node.node.IsNull() ? 0 : line_of(node.node);
  return YamlValue(std::make_shared<const Node>(node), origin_, std::move(path), line ? line : fallback_line);
}

std::string YamlValue::where() const { return line_ > 0 ? *origin_ + ":" + std::to_string(line_) : *origin_; }

void YamlValue::fail(const std::string& message) const {
  throw InputError(where() + ": " + (path_.empty() ? message : path_ + ": " + message));
}

void YamlValue::fail_here(const std::string& message) const { throw InputError(where() + ": " + message); }

YamlValue YamlValue::renamed(std::string path) const {
  YamlValue v = *this;
  v.path_ = std::move(path);
  return v;
}

bool YamlValue::is_null() const { return !node_->node.IsDefined() || node_->node.IsNull(); }
bool YamlValue::is_scalar() const { return node_->node.IsScalar(); }
bool YamlValue::is_list() const { return node_->node.IsSequence(); }
bool YamlValue::is_mapping() const { return node_->node.IsMap(); }

std::string YamlValue::describe() const {
  if (is_null()) return "nothing";
  if (is_scalar()) return "'" + node_->node.Scalar() + "'";
  if (is_list()) return "a list";
  return "a mapping";
}

YamlMap YamlValue::map(const std::vector<std::string>& allowed) const {
  if (!is_mapping()) fail("expected a mapping (key: value lines), got " + describe());
  YamlMap m(*this);
  m.allowed_ = allowed;
  for (auto it = node_->node.begin(); it != node_->node.end(); ++it) {
    // Copies: the iterator hands out a temporary pair, so references into it would dangle.
    const YAML::Node key = it->first;
    const int key_line = line_of(key) ? line_of(key) : line_;
    const std::string at = *origin_ + ":" + std::to_string(key_line);
    if (!key.IsScalar()) {
      throw InputError(at + ": a key in " + quote(path_) + " is not a plain name");
    }
    const std::string name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      throw InputError(at + ": unknown key " + quote(name) + " in " + quote(path_) + did_you_mean(name, allowed) +
                       "; allowed: " + (allowed.empty() ? std::string("none") : join(allowed, ", ")));
    }
    // yaml-cpp keeps both entries of a repeated key and lookups see the first: reject, since the
    // user most likely meant the second.
    for (const auto& [seen, value] : m.entries_) {
      if (seen == name) {
        throw InputError(at + ": duplicate key " + quote(name) + " in " + quote(path_) + " (first at line " +
                         std::to_string(value.line()) + ")");
      }
    }
    const Node value{YAML::Node(it->second)};
    m.entries_.emplace_back(name, child(value, path_.empty() ? name : path_ + "." + name, key_line));
  }
  return m;
}

std::vector<std::string> YamlValue::keys() const {
  if (!is_mapping()) fail("expected a mapping (key: value lines), got " + describe());
  std::vector<std::string> out;
  for (auto it = node_->node.begin(); it != node_->node.end(); ++it) {
    const YAML::Node name = it->first;
    if (name.IsScalar()) out.push_back(name.Scalar());
  }
  return out;
}

std::optional<YamlValue> YamlValue::peek(const std::string& key) const {
  if (!is_mapping()) fail("expected a mapping (key: value lines), got " + describe());
  for (auto it = node_->node.begin(); it != node_->node.end(); ++it) {
    const YAML::Node name = it->first;
    if (name.IsScalar() && name.Scalar() == key) {
      const int key_line = line_of(name) ? line_of(name) : line_;
      return child(Node{YAML::Node(it->second)}, path_.empty() ? key : path_ + "." + key, key_line);
    }
  }
  return std::nullopt;
}

std::vector<YamlValue> YamlValue::list() const {
  if (!is_list()) fail("expected a list ([a, b] or '- a' lines), got " + describe());
  std::vector<YamlValue> items;
  std::size_t i = 0;
  for (auto it = node_->node.begin(); it != node_->node.end(); ++it, ++i) {
    items.push_back(child(Node{YAML::Node(*it)}, path_ + "[" + std::to_string(i) + "]", line_));
  }
  return items;
}

std::string YamlValue::scalar_text(const std::string& expected) const {
  if (!is_scalar()) fail("expected " + expected + ", got " + describe());
  return node_->node.Scalar();
}

std::string YamlValue::as_string() const {
  const std::string s = scalar_text("a string");
  if (trim(s).empty()) fail("expected a non-empty string");
  return s;
}

std::string YamlValue::as_choice(const std::vector<std::string>& allowed) const {
  const std::string expected = "one of " + join(allowed, ", ");
  const std::string s = scalar_text(expected);
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    fail("unknown value " + quote(s) + did_you_mean(s, allowed) + "; allowed: " + join(allowed, ", "));
  }
  return s;
}

namespace {

std::string integer_range(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) {
    return min == 1 ? "a positive integer" : "an integer >= " + std::to_string(min);
  }
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::int64_t YamlValue::as_integer(std::int64_t min, std::int64_t max) const {
  const std::string expected = integer_range(min, max);
  const std::string s = scalar_text(expected);
  long long v = 0;
  try {
    v = parse_integer(s, path_);
  } catch (const InputError&) {
    fail("expected " + expected + ", got " + quote(s));
  }
  if (v < min || v > max) fail("expected " + expected + ", got " + std::to_string(v));
  return v;
}

double YamlValue::as_number(double min, double max) const {
  // The full double range means "any number": then the caller checks the range with its own message.
  const bool any = min == std::numeric_limits<double>::lowest() && max == std::numeric_limits<double>::max();
  const std::string expected =
      any ? std::string("a number") : "a number from " + format_number(min) + " to " + format_number(max);
  const std::string s = scalar_text(expected);
  double v = 0;
  try {
    v = parse_number(s, path_);
  } catch (const InputError&) {
    fail("expected " + expected + ", got " + quote(s));
  }
  if (!(v >= min && v <= max)) fail("expected " + expected + ", got " + format_number(v));
  return v;
}

bool YamlValue::as_bool() const {
  const std::string s = scalar_text("true or false");
  const std::string lowered = to_lower(s);
  if (lowered == "true") return true;
  if (lowered == "false") return false;
  fail("expected true or false, got " + quote(s));
}

std::int64_t YamlValue::as_parsed(const std::string& expected,
                                  const std::function<std::int64_t(const std::string&)>& parse) const {
  const std::string s = scalar_text(expected);
  try {
    return parse(s);
  } catch (const InputError&) {
    fail("expected " + expected + ", got " + quote(s));
  }
}

std::vector<std::string> YamlValue::as_string_list() const {
  std::vector<std::string> out;
  for (const auto& item : list()) out.push_back(item.as_string());
  return out;
}

std::vector<std::int64_t> YamlValue::as_integer_list(std::int64_t min, std::int64_t max) const {
  std::vector<std::int64_t> out;
  for (const auto& item : list()) out.push_back(item.as_integer(min, max));
  return out;
}

void YamlMap::check_declared(const std::string& key) const {
  if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end()) {
    throw std::logic_error("YamlMap: key '" + key + "' of '" + value_.path() + "' read but not declared allowed");
  }
}

bool YamlMap::has(const std::string& key) const { return find(key).has_value(); }

std::optional<YamlValue> YamlMap::find(const std::string& key) const {
  check_declared(key);
  for (const auto& [name, value] : entries_) {
    if (name == key) return value;
  }
  return std::nullopt;
}

YamlValue YamlMap::required(const std::string& key) const {
  auto v = find(key);
  if (!v) value_.fail_here("missing required key " + quote(key) + " in " + quote(value_.path()));
  return *v;
}

std::string YamlMap::string_or(const std::string& key, const std::string& fallback) const {
  auto v = find(key);
  return v ? v->as_string() : fallback;
}

std::int64_t YamlMap::integer_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
  auto v = find(key);
  return v ? v->as_integer(min, max) : fallback;
}

bool YamlMap::bool_or(const std::string& key, bool fallback) const {
  auto v = find(key);
  return v ? v->as_bool() : fallback;
}

}  // namespace cimnet
