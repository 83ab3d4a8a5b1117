#pragma once
// Simulated time: one clock cycle is 1000 ps of SystemC time, so cycles stay exact integers, and
// within a cycle every kind of module acts at a fixed phase, so that whatever reaches a module in
// cycle c is known to it when it decides at c + its phase (docs/model.md, "Time and order"):
//
//   c + 100 ps  the controller: completions of cycle c are in; it issues the ops ready at c
//   c + 200 ps  the compute cores: commands issued at c are in; they start them
//   c + 500 ps  every hop (link, port, buffer port, reduction unit, vector unit): requests that
//               reach it at c are in; it serves them in order of arrival
//
// A hop forwards a burst to the next hop at least one cycle later (every latency is at least one
// cycle), and the controller and cores post what they issue at c for c + 500 ps, so every request is
// posted before the phase at which it is decided on: decisions never depend on the order in which
// SystemC runs processes of one delta cycle.
#include <cstdint>

#include <systemc>

namespace cimnet::model {

constexpr std::int64_t kPicosecondsPerCycle = 1000;
enum Phase : std::int64_t { kControllerPhase = 100, kCorePhase = 200, kHopPhase = 500 };

// The cycle the kernel is in.
inline std::int64_t current_cycle() {
  return static_cast<std::int64_t>(sc_core::sc_time_stamp().value()) / kPicosecondsPerCycle;
}

// The delay from now to cycle `cycle` at `phase` (never negative: a caller that asks for the past has
// broken the phase rule above, which the callers' invariants exclude).
inline sc_core::sc_time until(std::int64_t cycle, Phase phase) {
  const auto now = static_cast<std::int64_t>(sc_core::sc_time_stamp().value());
  const std::int64_t at = cycle * kPicosecondsPerCycle + phase;
  return sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(at > now ? at - now : 0));
}

// The time stamp of cycle `cycle` at `phase`, for checks.
inline std::int64_t picoseconds(std::int64_t cycle, Phase phase) { return cycle * kPicosecondsPerCycle + phase; }

}  // namespace cimnet::model
