#pragma once
// What one pass of a plan moves, from its placement: the arrays it uses, how many sit under the
// busiest L1 decoder, and the weight and input bytes that cross DRAM and the busiest L1 link (a
// multicast counts once per link it crosses). Every load and stream flow carries one tile or one slice,
// so the bytes divided by tile_bytes / stream_bytes are also the flows (the cost model rounds per flow).
#include <cstdint>

#include "mapping/mapping.hpp"

namespace cimnet {

struct PassTraffic {
  std::int64_t arrays = 0;          // arrays the pass uses
  std::int64_t arrays_l1_max = 0;   // most of them under one L1 decoder
  std::int64_t decoders_used = 0;
  std::int64_t load_dram = 0;       // distinct weight bytes (a multicast counts once)
  std::int64_t load_l1_max = 0;     // weight bytes on the busiest L1 link
  std::int64_t stream_dram = 0;     // per input tile: distinct streamed bytes
  std::int64_t stream_l1_max = 0;   // per input tile: streamed bytes on the busiest L1 link
};

// Decoder by decoder, with one stamp per key: memory linear in the arrays (docs/model.md, "Memory as
// the arrays grow"); the scratch tables are thread_local.
PassTraffic pass_traffic(const Plan& plan, std::int64_t pass);

}  // namespace cimnet
