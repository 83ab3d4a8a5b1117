#pragma once
// Chrome / Perfetto trace-event JSON (opens in ui.perfetto.dev or chrome://tracing): one track per
// resource (links, ports, reduction and vector units, cores) with one slice per burst or command, and
// the controller's op lanes with one slice per operation. Timestamps are cycles converted to
// microseconds at clock_ghz; they are kernel time plus the controller's local offset at the moment each
// reservation was made, so temporal decoupling does not shift them. Plain C++.
#include <string>
#include <vector>

#include "program/program.hpp"
#include "models/context.hpp"

namespace cimnet::model {

// Throws std::runtime_error when the file cannot be written.
void write_trace(const std::string& path, const ModelContext& ctx, const Program& program, int op_lanes);

}  // namespace cimnet::model
