#pragma once
// An on-chip buffer of a decoder (the global buffer at L2, the buffer of an L1 decoder): its port, a
// hop that serves reads and writes in the order they reach it (gb_bw / l1_buffer_bw bytes per cycle,
// gb_latency / l1_buffer_latency), and its capacity (gb_bytes / l1_buffer_bytes). What it holds is
// the program's allocations (program/memories.hpp): validate() proves they never exceed the capacity
// in any order, and the controller tracks the occupancy over the run (ModelContext::allocate), whose
// peak the results report.
#include <cstdint>
#include <string>

#include <systemc>

#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class Buffer : public sc_core::sc_module {
 public:
  Buffer(const sc_core::sc_module_name& name, ModelContext& ctx, const std::string& resource, std::int64_t rate,
         std::int64_t latency, std::int64_t capacity, HopClient& owner)
      : sc_core::sc_module(name), port(ctx, resource, "buffer", rate, latency, owner), capacity_(capacity) {}

  Hop port;
  std::int64_t capacity() const { return capacity_; }

 private:
  std::int64_t capacity_;
};

}  // namespace cimnet::model
