#pragma once
// The level a timed resource belongs to, by its name and kind (models/top.cpp names them): the key of
// SimResult::bytes ("<level>.down") and of its stall attribution (bound_counts). SystemC-free, so that
// a result replayed from equal segments (segment_replay.hpp) is summed by the same rule.
#include <string>

namespace cimnet::model {

inline std::string resource_level(const std::string& name, const std::string& kind) {
  if (kind == "reduction") return "reduce";
  if (kind == "vector") return "vector";
  if (kind == "core") return "core";
  if (kind == "digital") return "grid";  // a digital core's PE grid (steps, not bytes)
  if (kind == "buffer") return name.rfind("gb", 0) == 0 ? "gb" : "l1buf";
  if (name.rfind("ma[", 0) == 0) return "ma";
  if (name.rfind("l1[", 0) == 0) return "l1";
  if (name != "dram" && name != "l2") return "digital";  // a digital core's link (NAME.link)
  return name;  // "dram", "l2"
}

// Levels whose resources move bytes (counted in SimResult::bytes).
inline bool moves_bytes(const std::string& level) { return level != "core" && level != "vector" && level != "grid"; }

}  // namespace cimnet::model
