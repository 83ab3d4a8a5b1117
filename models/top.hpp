#pragma once
// The top level: elaborates DRAM — L2 decoder — L1_num_child L1 decoders — MA_num_child arrays under
// each, every array with its compute core — and the controller, from a HardwareConfig.
//
//   Controller --data--> Dram --> Decoder l2 --> Decoder l1[i] --> MemoryArray ma[i*M+j] <-- ComputeCore core[..]
//        \------------------------------------ cores[a] ----------------------------------------^
#include <memory>
#include <vector>

#include <systemc>

#include "program/program.hpp"
#include "models/compute_core.hpp"
#include "models/context.hpp"
#include "models/controller.hpp"
#include "models/decoder.hpp"
#include "models/dram.hpp"
#include "models/memory_array.hpp"

namespace cimnet::model {

class Top : public sc_core::sc_module {
 public:
  Top(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program, std::int64_t quantum);

  std::unique_ptr<Controller> controller;
  std::unique_ptr<Dram> dram;
  std::unique_ptr<Decoder> l2;
  std::vector<std::unique_ptr<Decoder>> l1;
  std::vector<std::unique_ptr<MemoryArray>> arrays;
  std::vector<std::unique_ptr<ComputeCore>> cores;
};

}  // namespace cimnet::model
