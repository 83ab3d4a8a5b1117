#pragma once
// The most one memory can hold at once over every schedule a program's dependencies allow: the exact
// check behind validate()'s capacity rule, used where the quick chain-cover bound (program_validation.cpp)
// cannot prove a memory fits.
//
// Allocation a lives from its op's start until its Free completes. Two allocations can be live
// together unless one's Free is an ancestor of the other's op, so the peak is the heaviest set of
// allocations pairwise free of that order (an antichain). By the min-flow / max-cut duality for DAGs
// (Dilworth's theorem with weights), it equals the least flow of "bytes" through the dependency graph
// in which every allocation's life (op → its Free) carries at least its size: bytes released by a
// Free flow on along the dependencies to later allocations. That flow is the sum of the sizes minus a
// maximum flow, computed here with Dinic's algorithm on the part of the program between the memory's
// first allocation and its last Free (no path between two of its allocations leaves that window).
#include <cstdint>
#include <vector>

#include "program/memories.hpp"
#include "program/program.hpp"

namespace cimnet {

struct LiveAllocation {
  int op;              // the allocating op
  int free_op;         // its Free, or -1 when it is never freed (live until the end)
  std::int64_t bytes;
};

// `position`: each op's index in a topological order of `program`; `order`, when given, that order (the
// window's ops are then found without a pass over the whole program).
std::int64_t peak_allocation(const Program& program, const std::vector<int>& position,
                             const std::vector<LiveAllocation>& allocations, const std::vector<int>* order = nullptr);

// The most memory `memory` of `memories` (memories.hpp numbering) holds at once over every schedule the
// program's dependencies allow: the same figure, gathered from the program's ops. Precondition: the
// program is valid (validate()).
std::int64_t worst_case_bytes(const Program& program, const Memories& memories, std::size_t memory);

}  // namespace cimnet
