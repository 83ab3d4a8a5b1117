#pragma once
// The system address map and the per-decoder routing tables built from it. Plain C++.
//
//   0x0000_1000 + 0x100          L2 decoder registers (vector unit, reduction unit)
//   0x0001_0000 + 0x100 * l1     registers of L1 decoder l1
//   (a + 1) << 32                array a: weights at offset 0, input buffer at offset 0x8000_0000
#include <cstdint>
#include <vector>

namespace cimnet::model {

constexpr std::uint64_t kL2Base = 0x1000;
constexpr std::uint64_t kRegisterSpan = 0x100;
constexpr std::uint64_t kL1Base = 0x10000;
constexpr std::uint64_t kInputBufferOffset = 0x80000000ULL;

inline std::uint64_t array_base(int array) { return (static_cast<std::uint64_t>(array) + 1) << 32; }
inline std::uint64_t l1_base(int l1) { return kL1Base + kRegisterSpan * static_cast<std::uint64_t>(l1); }
inline int array_of(std::uint64_t address) { return static_cast<int>(address >> 32) - 1; }

// Address ranges [lo, hi) each routed to a child port; anything else is not this decoder's.
class AddressMap {
 public:
  void add(std::uint64_t lo, std::uint64_t hi, int port);
  // The port whose range holds `address`, or -1.
  int route(std::uint64_t address) const;
  // The lowest and one past the highest address of any range (0, 0 when empty).
  std::uint64_t lowest() const { return ranges_.empty() ? 0 : ranges_.front().lo; }
  std::uint64_t highest() const { return ranges_.empty() ? 0 : ranges_.back().hi; }

 private:
  struct Range {
    std::uint64_t lo, hi;
    int port;
  };
  std::vector<Range> ranges_;  // sorted by lo, disjoint
};

}  // namespace cimnet::model
