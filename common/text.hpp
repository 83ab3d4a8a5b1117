#pragma once
// String helpers used by the parsers and the error messages.
#include <string>
#include <vector>

namespace cimnet {

std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, char delimiter);
// Splits on any of the given characters, dropping empty pieces.
std::vector<std::string> split_any(const std::string& s, const std::string& delimiters);
std::string join(const std::vector<std::string>& parts, const std::string& separator);
bool starts_with(const std::string& s, const std::string& prefix);
std::string to_lower(std::string s);

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);
// The candidate closest to `word`, or "" when none is reasonably close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "" — appended to unknown-name errors.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Strict number parsing: the whole string must be the number, else InputError naming `what`.
long long parse_integer(const std::string& s, const std::string& what);
double parse_number(const std::string& s, const std::string& what);

// Shortest decimal text that reads back as the same double (0.25 -> "0.25", 3 -> "3").
std::string format_number(double v);

}  // namespace cimnet
