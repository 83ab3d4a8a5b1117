#include "models/compute_core.hpp"

#include <algorithm>

#include "models/address_map.hpp"
#include "models/payload.hpp"

namespace cimnet::model {

ComputeCore::ComputeCore(const sc_core::sc_module_name& name, ModelContext& ctx, int id)
    : sc_core::sc_module(name),
      cmd("cmd"),
      to_array("to_array"),
      ctx_(ctx),
      id_(id),
      core_(ctx.add_resource("core[" + std::to_string(id) + "]", "core", ctx.hw().get(HwParam::MA_comp_per_core), 0)) {
  cmd.register_b_transport(this, &ComputeCore::b_transport);
  read_.set_command(tlm::TLM_READ_COMMAND);
  read_.set_data_ptr(ctx.scratch());
  read_.set_extension(new ComputeCmdExt);  // owned by the payload
}

void ComputeCore::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++ctx_.calls;
  const ComputeCmdExt* c = trans.get_extension<ComputeCmdExt>();
  if (!c) {
    trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  const std::int64_t now = now_cycles();
  const std::int64_t head = now + to_cycles(delay);
  const Reservation r = core_.reserve(head, head, c->macs, false);
  // Operand reads stream through the array port in bursts while the MACs run.
  read_.get_extension<ComputeCmdExt>()->op = c->op;
  std::int64_t t = r.start;
  const std::int64_t burst = ctx_.hw().fixed.burst_bytes;
  for (std::int64_t left = c->operand_bytes; left > 0;) {
    const std::int64_t b = std::min(burst, left);
    read_.set_address(array_base(id_));
    read_.set_data_length(static_cast<unsigned int>(b));
    sc_core::sc_time d = cycles(t - now);
    to_array->b_transport(read_, d);
    t = now + to_cycles(d);
    left -= b;
  }
  const std::int64_t end = std::max(r.busy_end, t) + ctx_.hw().fixed.core_pipeline;
  core_.hold_until(end);
  ctx_.record(core_, c->op, r, c->macs, end);
  delay = cycles(end - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace cimnet::model
