#pragma once
// Running the timed SystemC/TLM-2.0 model of the CiM hierarchy. This header is SystemC-free: callers
// (the mapper, the search, the command line) include it without pulling in SystemC.
//
// SystemC elaborates once per process, so simulate() forks a child per simulation and reads the result
// back through a pipe (encode_result); a crash, a hang past the timeout or an error in the child becomes an
// error result, never a dead caller. simulate_in_process() runs in the calling process and can be used
// once per process (tests: one design per test process).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "program/program.hpp"

namespace cimnet {

enum class SimStatus { Ok, InputError, Error, Crashed, Timeout };
const char* to_string(SimStatus s);

struct SimOptions {
  double timeout_seconds = 600;   // wall clock for the child (simulate() only)
  // simulate() only: polled at least every 100 ms (and at once when a signal interrupts the wait) while
  // the child runs; true kills the child and returns an Error result "cancelled". How a front end stops
  // a long simulation (the Python module on Ctrl-C) without waiting for it to end.
  std::function<bool()> cancelled;
  std::string trace_path;         // Chrome/Perfetto trace-event JSON written here when not empty
  std::string vcd_path;           // VCD of per-resource busy and utilisation signals when not empty
  std::int64_t vcd_window_cycles = 0;  // utilisation window of the VCD (0: about 500 windows per run)
  // A power counter track in the trace (issue 16; docs/energy.md), when not empty: per op, its dynamic
  // energy in pJ (spread evenly over the op's span), and the design's static power in mW beneath it.
  std::vector<double> op_energy_pj;
  double static_power_mw = 0;
  // simulate() only: time each distinct segment between the program's clean cuts once and shift its
  // results to every segment equal to it (program/repeated_segments.hpp; exact: docs/model.md, "Equal
  // segments"). Off when a trace or a VCD is asked for, which need every event.
  bool replay_repeated_segments = true;
  // A replay pays for finding the cuts, validating by classes and rebuilding every op's result in the
  // caller; it runs only when the distinct segments hold at most this share of the program's ops (1:
  // whenever a segment repeats). OFA-ResNet-50's largest network under `fused`: 85 % distinct, 1.1-1.4 s
  // whole against 1.3-1.8 s replayed; ViT-B/16's: 19 %, 3.3 s against 1.1 s.
  double replay_max_distinct_share = 0.8;
  // Ops at whose completion the resources' counters are recorded (SimResult::checkpoints).
  std::vector<int> counter_checkpoints;
  // Whether the run counts the program's allocations (SimResult::memories' peaks; 0 when not). A replay
  // across held allocations runs a distinct program whose frees may name another segment's op, and
  // takes the whole program's peaks at the replayed timings instead (models/segment_replay.hpp).
  bool count_memories = true;
  // Test hooks: make simulate()'s child crash, hang or throw before simulating; or (Warn, also in
  // simulate_in_process) call sc_start() once more after the run, with nothing left to simulate, so
  // that the SystemC kernel itself reports its warning W571 — how the tests provoke a real warning.
  enum class Hook { None, Crash, Hang, Throw, Warn } test_hook = Hook::None;
};

// Busy cycles and traffic of one resource: a link (dram, l2, l1[i], ma[i].port), a reduction unit,
// the vector unit or a compute core.
struct ModuleStats {
  std::string name;
  std::string kind;               // "link", "port", "reduction", "vector", "core"
  std::int64_t busy_cycles = 0;
  double utilisation = 0;         // busy_cycles / total_cycles
  std::int64_t bytes_down = 0;    // towards the arrays (DRAM reads, array writes)
  std::int64_t bytes_up = 0;      // towards DRAM (array reads, DRAM writes)
  std::int64_t transactions = 0;  // bursts (or commands) it served
};

// The most a memory with a capacity held at once during the run (its program's allocations): the
// global buffer ("gb"), each L1 buffer ("l1[i].buf"), and the most used array ("ma[a]").
struct MemoryStats {
  std::string name;
  std::int64_t capacity = 0;
  std::int64_t peak_bytes = 0;
};

class Memories;
// SimResult::memories from every memory's peak (program/memories.hpp numbering): the most used array
// first (the lowest-numbered of the fullest), then the global buffer and the other buffers in order.
std::vector<MemoryStats> memory_stats(const Memories& memories, const std::vector<std::int64_t>& peaks);

struct OpTiming {
  int id = 0;
  std::string name;
  std::string kind;
  std::int64_t ready = 0;         // cycle its dependencies had completed
  std::int64_t start = 0;         // cycle the controller issued it (later than ready: buffer space)
  std::int64_t end = 0;           // cycle its last burst or command completed
  std::string bound;              // the resource that bounded it (largest busy + queueing time for it)
  std::int64_t bound_cycles = 0;  // that resource's busy + queueing cycles for this op
};

// The counters of every resource (in SimResult::modules' order) and the transport calls when op `op`
// completed: busy cycles, bytes down, bytes up and transactions so far.
struct CounterCheckpoint {
  int op = 0;
  std::int64_t transport_calls = 0;
  std::vector<std::int64_t> counters;  // four per module
};

struct SimResult {
  SimStatus status = SimStatus::Error;
  std::string message;            // empty when Ok
  std::int64_t total_cycles = 0;
  double seconds = 0;             // total_cycles / clock
  std::vector<ModuleStats> modules;
  std::map<std::string, std::int64_t> bytes;  // "dram.down", "l2.up", "l1.down", "ma.up", ... (level.direction)
  std::vector<OpTiming> ops;
  std::vector<MemoryStats> memories;
  std::map<std::string, std::int64_t> bound_counts;  // stall attribution: ops bounded by each kind of resource
  std::int64_t transport_calls = 0;  // nb_transport calls between modules (bursts and commands passed on)
  std::int64_t hop_events = 0;       // requests served by any resource (bursts at a hop, commands)
  std::int64_t arrays = 0;        // elaborated arrays (= cores)
  double wall_seconds = 0;        // simulation (elaboration + run) wall time
  std::int64_t peak_rss_kib = 0;  // getrusage(RUSAGE_SELF).ru_maxrss of the simulating process
  // Every SystemC warning (SC_WARNING report) of the run as SystemC words it ("(W571) no activity or
  // clock movement ...", or "<message type>: <message>" for a warning without a number), in order. A
  // warning means the model did something SystemC finds suspect: callers show it, tests fail on it.
  std::vector<std::string> warnings;
  std::vector<CounterCheckpoint> checkpoints;  // one per SimOptions::counter_checkpoints op, in completion order
  // Segments timed once for several (SimOptions::replay_repeated_segments): of how many segments, how
  // many distinct ones the timed model ran (0 and 0 when it ran the program whole).
  std::int64_t segments = 0, segments_timed = 0;

  bool ok() const { return status == SimStatus::Ok; }
  const ModuleStats* module(const std::string& name) const;
};

// The result as the forked child writes it to its pipe (sim_result.cpp), and read back against the
// program it ran (op names and kinds come from there); an Error result when the bytes are not one.
std::string encode_result(const SimResult& r);
SimResult decode_result(const std::string& bytes, const Program& program);

// Validates (in the caller, without SystemC), then forks and simulates. Never throws for bad input:
// the result carries status InputError and the message. The child's SystemC warnings come back in
// the result (the child does not print them) and are also passed to the warning observer, if any.
SimResult simulate(const Program& program, const HardwareConfig& hardware, const SimOptions& options = {});

// Elaborates and runs in this process: at most once per process. Throws InputError for bad input.
// SystemC warnings are collected into the result and also handed on to the report handler that was
// installed before (SystemC's default one prints them; a test harness's fails the test).
SimResult simulate_in_process(const Program& program, const HardwareConfig& hardware,
                              const SimOptions& options = {});

// A process-wide observer that simulate() calls, in the caller, with each SystemC warning its child
// reported (tests install one that fails the running test: tests/models/systemc_guard.cpp). Empty
// function: none (the default).
void set_simulation_warning_observer(std::function<void(const std::string& warning)> observer);

namespace detail {
// simulate_in_process() for simulate()'s child: warnings are only collected, not handed on (the
// caller reports them from the result), and the program is not validated again (simulate() did).
SimResult simulate_in_child(const Program& program, const HardwareConfig& hardware, const SimOptions& options);
}  // namespace detail

}  // namespace cimnet
