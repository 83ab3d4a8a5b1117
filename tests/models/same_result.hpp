#pragma once
// Two results of one program equal in everything the timed model decides: the totals, every op's
// timing and bound, every resource's counters, the bytes per level, the stall attribution and the
// memories' peaks (what a replay of equal segments must reproduce: models/segment_replay.hpp).
#include <gtest/gtest.h>

#include "models/simulate.hpp"

namespace cimnet::test {

inline void expect_same_result(const SimResult& a, const SimResult& b) {
  EXPECT_EQ(a.total_cycles, b.total_cycles);
  EXPECT_DOUBLE_EQ(a.seconds, b.seconds);
  ASSERT_EQ(a.ops.size(), b.ops.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const OpTiming& x = a.ops[i];
    const OpTiming& y = b.ops[i];
    const bool same = x.id == y.id && x.name == y.name && x.kind == y.kind && x.ready == y.ready &&
                      x.start == y.start && x.end == y.end && x.bound == y.bound && x.bound_cycles == y.bound_cycles;
    if (!same && differ++ < 5) {
      ADD_FAILURE() << "op " << i << " '" << x.name << "': ready/start/end " << x.ready << "/" << x.start << "/"
                    << x.end << " bound " << x.bound << " " << x.bound_cycles << " against " << y.ready << "/"
                    << y.start << "/" << y.end << " bound " << y.bound << " " << y.bound_cycles;
    }
  }
  EXPECT_EQ(differ, 0U);
  ASSERT_EQ(a.modules.size(), b.modules.size());
  for (std::size_t m = 0; m < a.modules.size(); ++m) {
    const ModuleStats& x = a.modules[m];
    const ModuleStats& y = b.modules[m];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.busy_cycles, y.busy_cycles) << x.name;
    EXPECT_DOUBLE_EQ(x.utilisation, y.utilisation) << x.name;
    EXPECT_EQ(x.bytes_down, y.bytes_down) << x.name;
    EXPECT_EQ(x.bytes_up, y.bytes_up) << x.name;
    EXPECT_EQ(x.transactions, y.transactions) << x.name;
  }
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.bound_counts, b.bound_counts);
  EXPECT_EQ(a.transport_calls, b.transport_calls);
  EXPECT_EQ(a.hop_events, b.hop_events);
  ASSERT_EQ(a.memories.size(), b.memories.size());
  for (std::size_t m = 0; m < a.memories.size(); ++m) {
    EXPECT_EQ(a.memories[m].name, b.memories[m].name);
    EXPECT_EQ(a.memories[m].peak_bytes, b.memories[m].peak_bytes) << a.memories[m].name;
  }
}

}  // namespace cimnet::test
