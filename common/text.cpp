#include "common/text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.hpp"

namespace cimnet {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split(const std::string& s, char delimiter) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : s) {
    if (c == delimiter) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

std::vector<std::string> split_any(const std::string& s, const std::string& delimiters) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : s) {
    if (delimiters.find(c) != std::string::npos) {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string to_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  const std::string lowered = to_lower(word);
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(lowered, to_lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Accept a suggestion only when it shares most of the word: a third of its letters may differ.
  const std::size_t tolerance = std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3);
  if (best_distance <= tolerance) return best;
  // Spelled-out names ("DRAM_bandwidth" for "DRAM_bw") are far in edits but share a long prefix.
  std::string by_prefix;
  std::size_t longest = 0;
  for (const auto& c : candidates) {
    const std::string lc = to_lower(c);
    std::size_t n = 0;
    while (n < lc.size() && n < lowered.size() && lc[n] == lowered[n]) ++n;
    if (n > longest && n >= 4 && 2 * n >= lc.size()) {
      longest = n;
      by_prefix = c;
    }
  }
  return by_prefix;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string m = closest_match(word, candidates);
  return m.empty() ? std::string() : " (did you mean '" + m + "'?)";
}

long long parse_integer(const std::string& s, const std::string& what) {
  const std::string t = trim(s);
  if (t.empty()) throw InputError(what + ": expected an integer, got an empty value");
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno == ERANGE) throw InputError(what + ": integer '" + t + "' is out of range");
  if (end != t.c_str() + t.size()) throw InputError(what + ": expected an integer, got '" + t + "'");
  return v;
}

double parse_number(const std::string& s, const std::string& what) {
  const std::string t = trim(s);
  if (t.empty()) throw InputError(what + ": expected a number, got an empty value");
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (errno == ERANGE || !std::isfinite(v)) throw InputError(what + ": number '" + t + "' is out of range");
  if (end != t.c_str() + t.size()) throw InputError(what + ": expected a number, got '" + t + "'");
  return v;
}

std::string format_number(double v) {
  char buf[64];
  // Whole numbers print as integers ("160", not "1.6e+02"): specs and DyNAS-T dicts must read as ints.
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace cimnet
