#pragma once
// Cross-layer prefetch (network_mapper.hpp, docs/mapping.md "Cross-layer prefetch"): how far a step's
// prefetched weight loads get while the previous step still runs, by the estimate.
//
// The loads are issued once the previous step's own loads are in (or when it starts, if it loads
// nothing) and are served last on every link and at the DRAM (Op::prefetch), so on each resource r
// they get the share 1 − u_r the previous step's other traffic leaves idle (u_r: its busy cycles there,
// its own loads excluded, ÷ its cycles). Alone the loads keep r busy t_r cycles, T the largest; they
// advance at pace = min(1, min_r (1 − u_r)·T ÷ t_r) of their pace alone, and the head start is the
// window × pace: cycles of the loads' own time done before the step starts.
#include "mapping/cost_model.hpp"

namespace cimnet {

// `previous`: the previous step's estimate; `previous_loads`: whether it loads weights (its loads are
// in by previous.loads_in, and its load_busy is excluded); `loads`: what the prefetched loads keep
// busy alone (only dram, l2, l1 and port are read).
double prefetch_head_start(const Cost& previous, bool previous_loads, const ResourceBusy& loads);

}  // namespace cimnet
