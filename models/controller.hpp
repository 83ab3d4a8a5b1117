#pragma once
// The controller: the only initiator. It runs the program as an event-driven scheduler in one
// SC_THREAD: events (an op became ready, a flow may present its next burst, a phase of an op ended)
// are handled in time order; each burst or command is one b_transport whose delay is the event time
// minus kernel time (temporal decoupling with a tlm_quantumkeeper). Because every reservation is made
// in event-time order, the quantum changes nothing in the results, only how often the kernel is entered.
//
// Issue rules: an op is issued when all its dependencies have completed and, for a stream, when every
// destination's input buffer has room for it (input_buffer_bytes per array; the space is released when
// every op that depends on the stream has completed: double buffering emerges from two half-size tiles).
// A flow presents its next burst when its previous burst has left the flow's first resource.
#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "program/program.hpp"
#include "models/context.hpp"

namespace cimnet::model {

class Controller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Controller> data;               // to the DRAM: every flow and decoder command
  tlm_utils::multi_passthrough_initiator_socket<Controller> cores;  // to each compute core, in array order

  struct OpRecord {
    std::int64_t ready = -1, start = -1, end = -1;
    int lane = 0;  // trace lane
  };

  SC_HAS_PROCESS(Controller);
  Controller(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program, std::int64_t quantum);

  const std::vector<OpRecord>& records() const { return records_; }
  std::int64_t total_cycles() const { return total_; }
  const std::string& error() const { return error_; }
  // Flow slots ever allocated: the most flows in flight at once, since finished flows' slots are reused.
  std::size_t flow_slots() const { return flows_.size(); }

 private:
  enum class EventKind { Ready, Burst, PhaseEnd };
  struct Event {
    std::int64_t time;
    std::uint64_t seq;
    EventKind kind;
    int index;  // op or flow
    bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  struct Flow {
    int op;
    bool up;
    int top, bottom;
    bool port, reduce;
    std::vector<int> targets;
    std::uint64_t address;
    std::int64_t remaining;
  };
  struct OpState {
    int deps_left = 0;
    std::vector<int> dependents;
    int phase = 0;
    int pending = 0;
    std::int64_t phase_end = 0;
    int consumers_left = 0;  // stream: dependents still to complete before its buffer space is released
    bool holds_buffer = false;
    bool done = false;
  };

  void run();
  void schedule(std::int64_t time, EventKind kind, int index);
  void try_issue(int op, std::int64_t t);
  bool start_phase(int op, std::int64_t t);  // false when the op has no further phase
  void add_flow(int op, std::int64_t t, bool up, int top, int bottom, bool port, bool reduce, std::vector<int> targets,
                std::uint64_t address, std::int64_t bytes);
  void issue_burst(int flow, std::int64_t t);
  void complete(int op, std::int64_t t);
  void release_buffer(int op, std::int64_t t);

  ModelContext& ctx_;
  const Program& program_;
  std::int64_t quantum_;
  std::vector<OpRecord> records_;
  std::vector<OpState> state_;
  std::vector<Flow> flows_;
  std::vector<int> free_flows_;            // slots of finished flows, reused: memory ∝ flows in flight
  std::vector<std::int64_t> buffer_free_;  // per array input buffer
  std::vector<int> blocked_;               // streams waiting for buffer space
  std::vector<std::int64_t> lane_end_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> queue_;
  std::uint64_t seq_ = 0;
  std::int64_t total_ = 0;
  std::size_t completed_ = 0;
  std::string error_;
  tlm_utils::tlm_quantumkeeper qk_;
  tlm::tlm_generic_payload data_trans_;  // bursts (FlowExt)
  tlm::tlm_generic_payload cmd_trans_;   // compute commands (ComputeCmdExt)
  tlm::tlm_generic_payload vec_trans_;   // vector-unit commands (VectorCmdExt)
};

}  // namespace cimnet::model
