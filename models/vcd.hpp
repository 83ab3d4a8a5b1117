#pragma once
// Value change dump (VCD) of utilisation signals, for waveform viewers such as GTKWave.
//
// One scope per resource (links, array ports, reduction and vector units, compute cores) with two
// signals: `busy`, a 1-bit wire that is 1 while the resource is occupied, and `utilisation`, a real
// signal holding the busy fraction of each window of `window_cycles`. One VCD time unit is one clock
// cycle (the header declares 1 ns, exact at the default 1 GHz clock). Built from the reservations the
// model recorded, so it shows exactly what the results count. Plain C++.
#include <cstdint>
#include <string>

#include "models/context.hpp"

namespace cimnet::model {

// window_cycles <= 0 picks about 500 windows over the run. Throws std::runtime_error when the file
// cannot be written.
void write_vcd(const std::string& path, const ModelContext& ctx, std::int64_t total_cycles,
               std::int64_t window_cycles);

}  // namespace cimnet::model
