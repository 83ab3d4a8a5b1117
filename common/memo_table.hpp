#pragma once
// A bounded memo of a pure function whose arguments are integers (a fixed-size std::array or a
// std::vector of std::int64_t): the analytical model asks the same questions many times while a
// scheduler scores overlapping candidates (stacks of layers i .. j and i .. j + 1 hold the same bands of
// layer i). The table forgets everything once it holds `capacity` entries, so memory stays bounded
// whatever runs; a hit returns exactly what the function returned, so results never depend on what was
// asked before. Not shared between threads: callers keep one per thread (thread_local).
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace cimnet {

template <typename Key, typename Value>
class MemoTable {
 public:
  explicit MemoTable(std::size_t capacity = 1u << 16) : capacity_(capacity) {}

  // The value held for `key`, or nullptr.
  const Value* find(const Key& key) const {
    const auto it = table_.find(key);
    return it == table_.end() ? nullptr : &it->second;
  }
  const Value& put(const Key& key, Value value) {
    if (table_.size() >= capacity_) table_.clear();
    return table_.insert_or_assign(key, std::move(value)).first->second;
  }
  // The value for `key`, computed by `compute()` when not held.
  template <typename Compute>
  const Value& get(const Key& key, Compute&& compute) {
    if (const Value* held = find(key)) return *held;
    return put(key, compute());
  }

  std::size_t size() const { return table_.size(); }

 private:
  struct Hash {
    std::size_t operator()(const Key& k) const {
      std::uint64_t h = 14695981039346656037ULL;  // FNV-1a over the words
      for (std::int64_t v : k) {
        h ^= static_cast<std::uint64_t>(v);
        h *= 1099511628211ULL;
      }
      return static_cast<std::size_t>(h ^ (h >> 29));
    }
  };
  std::size_t capacity_;
  std::unordered_map<Key, Value, Hash> table_;
};

}  // namespace cimnet
