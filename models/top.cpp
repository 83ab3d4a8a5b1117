#include "models/top.hpp"

#include <string>

namespace cimnet::model {

Top::Top(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program)
    : sc_core::sc_module(name), pool(ctx.scratch()) {
  const HardwareConfig& hw = ctx.hw();
  const int n_l1 = static_cast<int>(hw.l1_decoders());
  const int per_l1 = static_cast<int>(hw.get(HwParam::MA_num_child));
  controller = std::make_unique<Controller>("controller", ctx, program, pool);
  dram = std::make_unique<Dram>("dram", ctx, *controller);
  l2 = std::make_unique<Decoder>("l2", ctx, *controller, -1);
  for (int i = 0; i < n_l1; ++i) {
    l1.push_back(std::make_unique<Decoder>(("l1_" + std::to_string(i)).c_str(), ctx, *controller, i));
  }
  for (int a = 0; a < n_l1 * per_l1; ++a) {
    arrays.push_back(std::make_unique<MemoryArray>(("ma_" + std::to_string(a)).c_str(), ctx, *controller, a));
  }
  for (int a = 0; a < n_l1 * per_l1; ++a) {
    cores.push_back(std::make_unique<ComputeCore>(("core_" + std::to_string(a)).c_str(), ctx, *controller, pool, a));
  }
  for (std::size_t d = 0; d < hw.digital_cores.size(); ++d) {
    digital.push_back(std::make_unique<DigitalCoreUnit>(("digital_" + std::to_string(d)).c_str(), ctx, *controller,
                                                        static_cast<int>(d)));
  }
  // The control path, in ControlPorts order: DRAM, L2, the L1 decoders, the arrays, the cores, the
  // digital cores.
  controller->ctrl.bind(dram->ctrl);
  controller->ctrl.bind(l2->ctrl);
  for (auto& d : l1) controller->ctrl.bind(d->ctrl);
  for (auto& m : arrays) controller->ctrl.bind(m->ctrl);
  for (auto& c : cores) controller->ctrl.bind(c->ctrl);
  for (auto& d : digital) controller->ctrl.bind(d->ctrl);
  // The data path.
  dram->below.bind(l2->above);
  for (int i = 0; i < n_l1; ++i) {
    l2->below.bind(l1[static_cast<std::size_t>(i)]->above);  // port i
    for (int j = 0; j < per_l1; ++j) {
      l1[static_cast<std::size_t>(i)]->below.bind(arrays[static_cast<std::size_t>(i * per_l1 + j)]->above);  // port j
    }
  }
  for (auto& d : digital) l2->below.bind(d->above);  // ports L1 decoders + d
  for (std::size_t a = 0; a < arrays.size(); ++a) cores[a]->to_array.bind(arrays[a]->operands);
}

}  // namespace cimnet::model
