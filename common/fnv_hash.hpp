#pragma once
// FNV-1a, 64 bits, as 16 hex digits: a short fingerprint of a scenario text or a point list for the
// dataset header, or of a network file for the space it makes. Not cryptographic; it only has to tell accidental mix-ups apart.
#include <cstdint>
#include <cstdio>
#include <string>

namespace cimnet {

inline std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace cimnet
