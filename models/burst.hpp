#pragma once
// A burst on its way through the hierarchy: a TLM-2.0 generic payload (data pointer to a scratch
// buffer: the model times data, it never moves values) with a BurstExt that says which flow it
// belongs to and where the flow goes. Payloads come from a pool (tlm_mm_interface) and are reference
// counted: a multicast burst is one payload held by every branch it travels, released by each branch
// when it completes there.
//
// Between modules a burst travels by nb_transport: down the hierarchy on the forward path, up it on
// the backward path, with phase BEGIN_REQ meaning "the burst's head reaches you at cycle `arrival`,
// its last data at `tail`" (the annotated delay is the time until the receiver's decision phase of
// that cycle). This is cimnet's own protocol (no END_REQ / BEGIN_RESP handshake: a receiver queues
// what arrives and never refuses it), declared as such by its protocol type.
#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/hop.hpp"

namespace cimnet::model {

// Where a flow starts or ends.
enum class End : std::uint8_t {
  Dram,
  GlobalBuffer,
  L1Buffer,      // the buffer of L1 decoder `l1`
  Weights,       // an array's weight cells, through its port
  InputBuffer,   // an array's input buffer (no port)
  Reduce,        // the reduction unit of L1 decoder `l1`, or of L2 when `l1` < 0
  Vector,        // the vector unit at L2
  Core,          // a compute core (operand reads)
  DigitalBuffer, // a buffer of digital core `digital` (a child of the L2 decoder)
  Digital,       // the PE grid of digital core `digital` (commands)
};

struct BurstExt : tlm::tlm_extension<BurstExt> {
  int flow = -1;
  int op = -1;
  End source = End::Dram;
  End dest = End::Dram;
  int l1 = -1;                                // the L1 decoder of an L1Buffer or Reduce end
  int array = -1;                             // the array of a unicast down flow, or an up flow's source
  int digital = -1;                           // the digital core of a DigitalBuffer or Digital end
  const std::vector<int>* targets = nullptr;  // down flows to arrays: every target array (sorted)
  bool up = false;                            // towards DRAM (the destination is above the source)
  bool at_source = false;                     // not yet served by the flow's first hop
  bool background = false;                    // a prefetched weight load (Op::prefetch): served last
  std::int64_t bytes = 0;                     // this burst (a command: MACs or element operations)
  std::int64_t operands = 0;                  // a compute command: operand bytes to read from its array
  TieKey key;                                 // key.burst: this burst's index in its flow
  // Message fields of one nb_transport call: when the head and the last data reach the receiver.
  std::int64_t arrival = 0;
  std::int64_t tail = 0;

  tlm::tlm_extension_base* clone() const override { return new BurstExt(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const BurstExt&>(other); }
};

// cimnet's nb_transport protocol (see above): generic payloads, but not the base protocol's phases.
struct BurstProtocol {
  typedef tlm::tlm_generic_payload tlm_payload_type;
  typedef tlm::tlm_phase tlm_phase_type;
};

inline BurstExt& ext_of(tlm::tlm_generic_payload& p) { return *p.get_extension<BurstExt>(); }

class BurstPool : public tlm::tlm_mm_interface {
 public:
  explicit BurstPool(unsigned char* scratch) : scratch_(scratch) {}
  BurstPool(const BurstPool&) = delete;
  BurstPool& operator=(const BurstPool&) = delete;
  ~BurstPool() override {
    for (auto* p : all_) delete p;  // the payload deletes its extension
  }
  // A payload with reference count 1 and a BurstExt to fill.
  tlm::tlm_generic_payload* acquire() {
    tlm::tlm_generic_payload* p;
    if (free_.empty()) {
      p = new tlm::tlm_generic_payload(this);
      p->set_extension(new BurstExt);
      p->set_data_ptr(scratch_);
      all_.push_back(p);
    } else {
      p = free_.back();
      free_.pop_back();
    }
    p->acquire();
    return p;
  }
  void free(tlm::tlm_generic_payload* p) override { free_.push_back(p); }
  std::size_t allocated() const { return all_.size(); }

 private:
  unsigned char* scratch_;
  std::vector<tlm::tlm_generic_payload*> all_;
  std::vector<tlm::tlm_generic_payload*> free_;
};

// Where modules report what they finished (implemented by the controller).
class FlowSink {
 public:
  virtual ~FlowSink() = default;
  // The flow's first hop has served a burst: its next burst may reach that hop at `free_at`.
  virtual void left_source(tlm::tlm_generic_payload& burst, std::int64_t free_at) = 0;
  // One copy of a burst reached one of its destinations at cycle `done`.
  virtual void arrived(tlm::tlm_generic_payload& burst, std::int64_t done) = 0;
};

}  // namespace cimnet::model
