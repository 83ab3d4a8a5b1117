#pragma once
// How a whole network runs (issue 14, Part B): the execution policy the network mapper builds the
// program and the estimate for (network_mapper.hpp; docs/mapping.md, "Execution policies").
//   layer-by-layer  every layer reads its inputs from DRAM and writes its outputs to DRAM, one layer
//                   after another: the CiMNet-like baseline
//   fused           element-wise post-ops run on the vector unit at L2 as a MAC layer's outputs land
//                   in the global buffer, and activations stay in the global buffer when they fit
//   pipelined       consecutive layers run as depth-first stacks in row bands, each MAC layer of a
//                   stack on L1 decoders of its own, computing concurrently on successive bands (issue
//                   15; mapping/stack_scheduler.hpp)
// and, below, which of its cycles count when weights stay resident (cold or steady).
#include <string>
#include <vector>

namespace cimnet {

enum class Execution { LayerByLayer, Fused, Pipelined };

// "layer-by-layer", "fused", "pipelined": the names scenarios and the command line use.
const char* to_string(Execution execution);
// Every policy's name, in declaration order.
std::vector<std::string> execution_names();

// The policy named `text`; InputError "<where>: unknown execution policy '<text>' (allowed:
// layer-by-layer, fused, pipelined)" otherwise. `where` names the file and key or the option.
Execution parse_execution(const std::string& text, const std::string& where);

// What a scenario's key `execution` or a command's --execution names: one policy for every network, or
// "searched": the co-search (cimnet search, cimnet run) picks each candidate's policy as one more gene of
// its genome, so that every point of its front carries the policy it runs under (docs/search.md).
// Commands that run networks under one policy (simulate, dataset) refuse "searched".
struct ExecutionSetting {
  bool searched = false;
  Execution policy = Execution::LayerByLayer;  // every network's, when not searched
  bool operator==(const ExecutionSetting& o) const { return searched == o.searched && (searched || policy == o.policy); }
  bool operator!=(const ExecutionSetting& o) const { return !(*this == o); }
};

// The policies a searched setting chooses among (the gene's values, in this order): layer-by-layer, fused
// and pipelined. A pipelined candidate's analytical estimate runs the stack scheduler (0.5–2 s on the
// largest networks with the layers' searches cached, docs/pipelined.md), which a search whose re-rank
// estimates many candidates pays for.
std::vector<Execution> searched_executions();
std::vector<std::string> searched_execution_names();

// The name of the searched setting.
inline constexpr const char* kSearchedExecution = "searched";

// "layer-by-layer", "fused" or "searched".
std::string to_string(const ExecutionSetting& setting);
// execution_names(), then "searched".
std::vector<std::string> execution_setting_names();
// The setting named `text`; InputError "<where>: unknown execution policy '<text>' (allowed:
// layer-by-layer, fused, searched)" otherwise.
ExecutionSetting parse_execution_setting(const std::string& text, const std::string& where);

// Which inference's cycles are "the network's cycles" — what a dataset's `cycles` column holds and what
// the search minimises — when weights stay in the arrays over a stream of inferences (fused,
// mapping/residency.hpp; pipelined, mapping/stack_residency.hpp):
//   cold    the first inference on an idle chip, every weight loaded (resident ones included)
//   steady  one inference once warm, the resident weights already in the arrays (the default)
//   stream  cycles per inference in a stream of inferences once warm, successive inferences
//           overlapping where the policy lets them: under `pipelined` the stages of
//           mapping/stream_schedule.hpp, each on decoders of its own; under layer-by-layer and fused
//           an inference starts when the previous one has ended, so `stream` is `steady` there
// When nothing stays resident (always under layer-by-layer) cold and steady are the same number.
enum class CyclesOf { Cold, Steady, Stream };

// Cycles of an inference once warm (steady or stream), not the first on an idle chip.
inline bool once_warm(CyclesOf cycles_of) { return cycles_of != CyclesOf::Cold; }

// "cold", "steady", "stream": the names scenarios (key `cycles`) and the command line (--cycles) use.
const char* to_string(CyclesOf cycles_of);
// Every choice's name, in declaration order.
std::vector<std::string> cycles_of_names();

// The choice named `text`; InputError "<where>: unknown choice of cycles '<text>' (allowed: cold,
// steady, stream)" otherwise. `where` names the file and key or the option.
CyclesOf parse_cycles_of(const std::string& text, const std::string& where);

}  // namespace cimnet
