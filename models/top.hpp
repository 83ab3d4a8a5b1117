#pragma once
// The top level: elaborates DRAM — L2 decoder (global buffer, reduction and vector units) —
// L1_num_child L1 decoders (L1 buffer, reduction unit) — MA_num_child arrays under each, every array
// with its compute core — every digital core (a child of L2 after the L1 decoders) — and the
// controller, from a HardwareConfig.
//
//   Controller --ctrl--> every module (the control path: commands, the first hop of each flow)
//   Dram --below--> Decoder l2 --below[i]--> Decoder l1_i --below[j]--> MemoryArray ma_(i*M+j) <-- ComputeCore
//   (down the forward path, up the backward path of the same sockets)
#include <memory>
#include <vector>

#include <systemc>

#include "models/burst.hpp"
#include "models/compute_core.hpp"
#include "models/context.hpp"
#include "models/controller.hpp"
#include "models/decoder.hpp"
#include "models/digital_core_unit.hpp"
#include "models/dram.hpp"
#include "models/memory_array.hpp"
#include "program/program.hpp"

namespace cimnet::model {

class Top : public sc_core::sc_module {
 public:
  Top(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program);

  BurstPool pool;
  std::unique_ptr<Controller> controller;
  std::unique_ptr<Dram> dram;
  std::unique_ptr<Decoder> l2;
  std::vector<std::unique_ptr<Decoder>> l1;
  std::vector<std::unique_ptr<MemoryArray>> arrays;
  std::vector<std::unique_ptr<ComputeCore>> cores;
  std::vector<std::unique_ptr<DigitalCoreUnit>> digital;
};

}  // namespace cimnet::model
