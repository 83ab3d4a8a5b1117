// Wall time of validate() on the programs of the largest sub-network of each space, on the reference
// hardware and the largest one (docs/model.md, "The program", records the figures). The capacity
// check compares every pair of allocations of a memory (chain cover, program_validation.cpp), so the
// table also gives the largest number of allocations in one memory.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "mapping/network_mapper.hpp"
#include "program/program.hpp"
#include "workloads/search_space.hpp"

namespace {

// Allocations per memory, keyed as validate() names them: ("array", a), ("gb", 0), ("l1", i).
std::map<std::pair<std::string, std::int64_t>, std::size_t> allocations_per_memory(const cimnet::Program& p,
                                                                                   std::int64_t per_l1) {
  using cimnet::OpKind;
  using cimnet::Place;
  std::map<std::pair<std::string, std::int64_t>, std::size_t> count;
  for (const cimnet::Op& op : p.ops) {
    switch (op.kind) {
      case OpKind::LoadWeights:
        for (int a : op.arrays) ++count[{"array", a}];
        break;
      case OpKind::Reduce:
        if (op.reduce_at == cimnet::ReduceLevel::L2) ++count[{"gb", 0}];
        else ++count[{"l1", op.arrays.front() / per_l1}];
        break;
      case OpKind::Vector: ++count[{"gb", 0}]; break;
      case OpKind::WriteBack:
      case OpKind::Move:
        if (op.dest == Place::GlobalBuffer) ++count[{"gb", 0}];
        if (op.dest == Place::L1Buffer) ++count[{"l1", op.l1}];
        break;
      default: break;
    }
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  // validate_bench [EXECUTION]: layer-by-layer (the default) or fused.
  const cimnet::Execution execution =
      argc > 1 ? cimnet::parse_execution(argv[1], "EXECUTION") : cimnet::Execution::LayerByLayer;
  using clock = std::chrono::steady_clock;
  const cimnet::HardwareSpace hs = cimnet::HardwareSpace::defaults();
  std::printf("%-14s %-9s %8s %12s %10s %10s %10s %12s\n", "network", "hardware", "ops", "allocations", "max in gb",
              "max in l1", "max in ma", "validate ms");
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = cimnet::make_space(name);
    const cimnet::Network net = space->build(space->largest());
    for (const auto& [hw_name, hw] : {std::pair<const char*, cimnet::HardwareConfig>{"reference", hs.reference_config()},
                                      {"largest", hs.config(hs.largest())}}) {
      const auto nm = cimnet::map_network(net, hw, nullptr, execution);
      std::size_t total = 0, gb = 0, l1 = 0, ma = 0;
      for (const auto& [memory, k] : allocations_per_memory(nm.program, hw.get(cimnet::HwParam::MA_num_child))) {
        total += k;
        std::size_t& most = memory.first == "gb" ? gb : memory.first == "l1" ? l1 : ma;
        most = std::max(most, k);
      }
      const int kReps = execution == cimnet::Execution::Fused ? 1 : 5;
      double best = 1e9;
      for (int i = 0; i < kReps; ++i) {
        const auto t0 = clock::now();
        cimnet::validate(nm.program, hw);
        best = std::min(best, std::chrono::duration<double>(clock::now() - t0).count());
      }
      std::printf("%-14s %-9s %8zu %12zu %10zu %10zu %10zu %12.2f\n", name, hw_name, nm.program.ops.size(), total, gb,
                  l1, ma, best * 1e3);
    }
  }
  return 0;
}
