#pragma once
// Random programs of blocks for the tests of segments between timing cuts (segment_validation_test.cpp,
// segment_groups_test.cpp): blocks drawn from a few templates, allocations kept across blocks.
#include <cstdint>
#include <vector>

#include "common/random.hpp"
#include "program/program.hpp"
#include "tests/program/validation_support.hpp"

namespace cimnet::test {

// Capacities the random blocks' allocations (200–1 200 bytes each) often exceed: about two programs in
// five overflow.
inline HardwareConfig tight_hw() {
  HardwareConfig hw = small_hw();
  hw.set(HwParam::MA_mem_size, 3200);
  hw.fixed.gb_bytes = 3600;
  hw.fixed.l1_buffer_bytes = 2400;
  return hw;
}

// Random programs: blocks drawn from three templates (a few ops each with random dependencies inside
// the block, each block behind the previous block's closing op), some allocations kept past their
// block and freed by the next block or never. On tight capacities about two in five overflow.
struct Template {
  struct Step {
    int roll = 0;
    std::int64_t bytes = 0;
    std::vector<int> deps;  // inside the block
    bool keep = false;      // an allocation the next block frees (or nothing, after the last block)
  };
  std::vector<Step> steps;
  int free_kept_after = 0;  // the block's step after which it frees what the block before kept
  bool free_together = false;  // one Free for the kept allocations, and one for the block's own
};

inline Template random_template(Rng& rng) {
  Template t;
  const int n = 3 + static_cast<int>(rng.uniform_int(5));
  for (int i = 0; i < n; ++i) {
    Template::Step s;
    s.roll = static_cast<int>(rng.uniform_int(6));
    s.bytes = 200 * (1 + static_cast<std::int64_t>(rng.uniform_int(6)));
    for (int d = 0; d < i; ++d) {
      if (rng.uniform_int(3) == 0) s.deps.push_back(d);
    }
    s.keep = rng.uniform_int(3) == 0;
    t.steps.push_back(s);
  }
  t.free_kept_after = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(n)));
  t.free_together = rng.uniform_int(2) == 0;
  return t;
}

inline Program random_blocks(Rng& rng, const std::vector<Template>& templates) {
  Program p;
  int gate = -1;
  std::vector<int> kept_before;
  const int blocks = 3 + static_cast<int>(rng.uniform_int(8));
  for (int b = 0; b < blocks; ++b) {
    const Template& t = templates[rng.uniform_int(templates.size())];
    std::vector<int> id(t.steps.size(), -1), kept, local_allocations;
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
      const auto& s = t.steps[i];
      std::vector<int> deps;
      for (int d : s.deps) deps.push_back(id[static_cast<std::size_t>(d)]);
      if (deps.empty() && gate >= 0) deps.push_back(gate);
      switch (s.roll) {
        case 0: id[i] = p.load({0}, s.bytes, deps); break;
        case 1: id[i] = p.load({0, 1, 2, 3}, s.bytes, deps); break;
        case 2: id[i] = p.move(Place::Dram, Place::GlobalBuffer, s.bytes, deps); break;
        case 3: id[i] = p.vector(64, 8, s.bytes, deps); break;
        case 4: id[i] = p.move(Place::GlobalBuffer, Place::L1Buffer, s.bytes, deps, "", 0); break;
        default: id[i] = p.compute({static_cast<int>(s.bytes / 200) % 4}, 10, 0, deps); break;
      }
      if (allocates(p.ops.back())) (s.keep ? kept : local_allocations).push_back(id[i]);
      if (static_cast<int>(i) == t.free_kept_after) {
        if (t.free_together && !kept_before.empty()) {
          p.free(kept_before, {id[i]});
        } else {
          for (int k : kept_before) p.free(k, {id[i]});
        }
      }
    }
    // The closing op: after every op of the block (and the frees of its own allocations).
    std::vector<int> all;
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      if (gate < 0 || static_cast<int>(i) > gate) all.push_back(static_cast<int>(i));
    }
    if (t.free_together && !local_allocations.empty()) {
      std::vector<int> after = local_allocations;
      after.push_back(id.back());
      all.push_back(p.free(local_allocations, after));
    } else {
      for (int a : local_allocations) all.push_back(p.free(a, {a, id.back()}));
    }
    gate = p.compute({0}, 10, 0, all, "close");
    kept_before = kept;
  }
  return p;
}

}  // namespace cimnet::test
