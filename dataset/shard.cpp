#include "dataset/shard.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::dataset {

std::string Shard::to_string() const {
  if (whole()) return "all";
  return std::to_string(index) + "/" + std::to_string(count);
}

Shard parse_shard(const std::string& text) {
  if (text == "all") return {};
  const auto parts = split(text, '/');
  const std::string usage = "--shard '" + text + "': expected I/K with 0 <= I < K (e.g. 0/4)";
  if (parts.size() != 2) throw InputError(usage);
  long long i = 0;
  long long k = 0;
  try {
    i = parse_integer(trim(parts[0]), "shard index");
    k = parse_integer(trim(parts[1]), "shard count");
  } catch (const InputError&) {
    throw InputError(usage);
  }
  if (k < 1 || i < 0 || i >= k) throw InputError(usage);
  return Shard{static_cast<std::size_t>(i), static_cast<std::size_t>(k)};
}

}  // namespace cimnet::dataset
