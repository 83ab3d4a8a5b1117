#pragma once
// The controller: runs the program. It is a SystemC process that acts at the controller phase of a
// cycle (models/timing.hpp): it takes the completions of that cycle, then issues, in tie-key order,
// every op whose dependencies have completed — for a stream only when every destination's input
// buffer has room (input_buffer_bytes per array; released when every op that depends on the stream
// has completed, or at its own end when none does: double buffering emerges from two half-size tiles).
//
// Issuing an op starts its flows (a burst at a time: a flow presents its next burst to its first hop
// when the previous one has left it) or sends its commands to the cores or the vector unit; it hears
// back from the modules when each burst reaches each destination (FlowSink) and completes the op, or
// starts its next phase, in the cycle the last one did. Commands and the first bursts of flows reach
// their modules over the control path: free and at once (docs/model.md).
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "program/memories.hpp"
#include "program/program.hpp"

namespace cimnet::model {

// The controller's ports on its control socket, in binding order (models/top.cpp binds them so).
struct ControlPorts {
  int dram = 0;
  int l2 = 1;
  int first_l1 = 2;
  int first_array = 0;  // first_l1 + L1 decoders
  int first_core = 0;   // first_array + arrays
  int first_digital = 0;  // first_core + arrays: the digital cores (HardwareConfig::digital_cores)
};

class Controller : public sc_core::sc_module, public FlowSink {
 public:
  tlm_utils::multi_passthrough_initiator_socket<Controller, 32, BurstProtocol> ctrl;

  struct OpRecord {
    std::int64_t ready = -1, start = -1, end = -1;
    int lane = 0;  // trace lane
  };

  SC_HAS_PROCESS(Controller);
  Controller(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program, BurstPool& pool);

  const std::vector<OpRecord>& records() const { return records_; }
  std::int64_t total_cycles() const { return total_; }
  // Flow slots ever allocated (finished flows' slots are reused: a structural fact the tests check).
  std::size_t flow_slots() const { return flows_.size(); }
  // Empty after a run in which every op completed; else why not (a deadlock on input-buffer space).
  std::string error() const;

  void left_source(tlm::tlm_generic_payload& burst, std::int64_t free_at) override;
  void arrived(tlm::tlm_generic_payload& burst, std::int64_t done) override;

 private:
  struct Flow {
    int op;
    End source, dest;
    int l1, array;
    int digital;               // the digital core at a DigitalBuffer end, else -1
    const std::vector<int>* targets;  // the op's sorted arrays of a multicast (OpState::targets), else null
    bool up;
    int port;                  // control port of the module holding its first hop
    std::int64_t remaining;
    std::int64_t next_burst = 0;
    int copies;                // destinations each burst reaches
    int part = -1;             // a forwarding reduce's flow: its decoder's rank in OpState::decoders
    bool forward = false;      // ... the move of that decoder's result up (ranked as that Move would be)
    std::int64_t forward_ready = 0;  // ... the cycle that decoder's reduction ended
  };
  // A reduce forwarding its results up (Op::forward_to_gb), per decoder: its reduction, then, once that
  // ends, the move of its result up into the global buffer, as separate reduce and Move ops would run.
  struct DecoderPart {
    int l1 = 0;
    std::int64_t pending = 0;  // burst copies of its reduction not yet arrived
    int flows_open = 0;        // flows of its reduction with bursts still to present
    std::int64_t end = 0;      // when its reduction's last burst arrived
  };
  struct OpState {
    int deps_left = 0;
    std::vector<int> dependents;
    int phase = 0;
    std::int64_t pending = 0;      // burst copies and commands of the current phase not yet arrived
    int flows_open = 0;            // flows of the current phase with bursts still to present
    std::int64_t phase_end = 0;
    int consumers_left = 0;        // stream: dependents still to complete before its buffer space is freed
    bool holds_buffer = false;
    bool done = false;
    std::vector<int> targets;      // multicast load or stream: its arrays, sorted (bursts point here)
    std::vector<DecoderPart> decoders;  // a forwarding reduce: its decoders, by L1 index
    std::size_t forwards_started = 0;
  };
  struct Event {
    std::int64_t cycle;
    int op;
    int part;  // a forwarding reduce's decoder whose reduction ended (its rank), or -1: the op's phase
    bool operator>(const Event& o) const {
      return cycle != o.cycle ? cycle > o.cycle : op != o.op ? op > o.op : part > o.part;
    }
  };

  void act();
  void schedule_phase_end(int op, std::int64_t cycle, int part = -1);
  void start_forward(int op, int part, std::int64_t now);
  void issue_ready(std::int64_t now);
  bool try_issue(int op, std::int64_t now);
  bool start_phase(int op, std::int64_t now);  // false when the op has no further phase
  void add_flow(int op, std::int64_t now, End source, End dest, int l1, int array, const std::vector<int>* targets,
                std::int64_t bytes, int digital = -1, int part = -1, bool forward = false);
  tlm::tlm_sync_enum unexpected(int port, tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  void present(int flow, std::int64_t arrival);
  void command(int op, int port, std::int64_t amount, std::int64_t operands, int array, End end, std::int64_t now,
               int digital = -1);
  void complete(int op, std::int64_t now);
  void release_buffer(int op);
  TieKey key_of(int op, bool up, int array) const;
  int port_of(End source, int l1, int array, int digital) const;

  ModelContext& ctx_;
  const Program& program_;
  Memories memories_;
  BurstPool& pool_;
  ControlPorts ports_;
  std::int64_t per_l1_;
  std::vector<OpRecord> records_;
  std::vector<OpState> state_;
  std::vector<Flow> flows_;
  std::vector<int> free_flows_;            // slots of finished flows, reused
  std::vector<std::int64_t> buffer_free_;  // per array input buffer
  std::vector<int> ready_;                 // ops ready (or blocked on buffer space), not yet issued
  std::vector<Event> events_;              // phase ends, min-heap by cycle
  sc_core::sc_event wake_;
  std::int64_t armed_ = -1;
  std::vector<std::int64_t> lane_end_;
  std::int64_t total_ = 0;
  std::size_t completed_ = 0;
};

}  // namespace cimnet::model
