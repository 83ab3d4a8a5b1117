#pragma once
// Chrome / Perfetto trace-event JSON (opens in ui.perfetto.dev or chrome://tracing): one track per
// resource (links, ports, reduction and vector units, cores) with one slice per burst or command, and
// the controller's op lanes with one slice per operation. Timestamps are cycles converted to
// microseconds at clock_ghz; they are kernel time plus the controller's local offset at the moment each
// reservation was made, so temporal decoupling does not shift them. Counter tracks: each buffer's
// occupancy, and the power drawn when the caller gives each op's energy. Plain C++.
#include <cstdint>
#include <string>
#include <vector>

#include "program/program.hpp"
#include "models/context.hpp"

namespace cimnet::model {

// `op_start`, `op_end`: every op's cycles. `op_energy_pj` (one per op, or empty for none): a "power (mW)"
// counter track, each op's dynamic energy spread evenly over its span, above `static_power_mw`.
// Throws std::runtime_error when the file cannot be written.
void write_trace(const std::string& path, const ModelContext& ctx, const Program& program, int op_lanes,
                 const std::vector<std::int64_t>& op_start, const std::vector<std::int64_t>& op_end,
                 const std::vector<double>& op_energy_pj, double static_power_mw);

}  // namespace cimnet::model
