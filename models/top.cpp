#include "models/top.hpp"

#include <string>

#include "models/address_map.hpp"
#include "models/payload.hpp"

namespace cimnet::model {

Top::Top(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program, std::int64_t quantum)
    : sc_core::sc_module(name) {
  const HardwareConfig& hw = ctx.hw();
  const int n_l1 = static_cast<int>(hw.l1_decoders());
  const int per_l1 = static_cast<int>(hw.get(HwParam::MA_num_child));

  controller = std::make_unique<Controller>("controller", ctx, program, quantum);
  dram = std::make_unique<Dram>("dram", ctx);

  AddressMap l2_map;
  for (int i = 0; i < n_l1; ++i) {
    l2_map.add(l1_base(i), l1_base(i) + kRegisterSpan, i);
    l2_map.add(array_base(i * per_l1), array_base((i + 1) * per_l1), i);
  }
  l2 = std::make_unique<Decoder>("l2", ctx, kL2, 0, l2_map, kL2Base, kL2Base + kRegisterSpan);

  for (int i = 0; i < n_l1; ++i) {
    AddressMap map;
    for (int j = 0; j < per_l1; ++j) {
      const int a = i * per_l1 + j;
      map.add(array_base(a), array_base(a + 1), j);
    }
    l1.push_back(std::make_unique<Decoder>(("l1_" + std::to_string(i)).c_str(), ctx, kL1, i, map, l1_base(i),
                                           l1_base(i) + kRegisterSpan));
  }
  for (int a = 0; a < n_l1 * per_l1; ++a) {
    arrays.push_back(std::make_unique<MemoryArray>(("ma_" + std::to_string(a)).c_str(), ctx, a));
    cores.push_back(std::make_unique<ComputeCore>(("core_" + std::to_string(a)).c_str(), ctx, a));
  }

  controller->data.bind(dram->in);
  dram->out.bind(l2->in);
  for (int i = 0; i < n_l1; ++i) {
    l2->out.bind(l1[static_cast<std::size_t>(i)]->in);  // port i
    for (int j = 0; j < per_l1; ++j) {
      l1[static_cast<std::size_t>(i)]->out.bind(arrays[static_cast<std::size_t>(i * per_l1 + j)]->in);  // port j
    }
  }
  for (std::size_t a = 0; a < arrays.size(); ++a) {
    cores[a]->to_array.bind(arrays[a]->operands);
    controller->cores.bind(cores[a]->cmd);  // port a
  }
}

}  // namespace cimnet::model
