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

// A pass's traffic for `plan` from that of another plan of the same placement (`of`, measured with
// that plan's tile_bytes and stream_bytes): the flows are the placement's, only their sizes (the
// weight tile and the stream per input tile, which the tiles and the weight slices set) are the
// plan's own. Exact: pass_traffic's bytes are flows times those sizes. The mapper walks the arrays
// once per placement and calls this per plan (scoring a plan with more tiles with the first plan's
// larger streams overestimated DRAM-bound layers by up to twice: docs/mapping.md).
PassTraffic traffic_for(const PassTraffic& of, std::int64_t of_tile_bytes, std::int64_t of_stream_bytes,
                        const Plan& plan);

}  // namespace cimnet
