#include "mapping/digital_schedule.hpp"

#include <algorithm>
#include <vector>

#include "mapping/digital_tiles.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One of the core's buffers: per allocation, when its space returns (-1: not yet known).
struct BufferSlots {
  std::vector<std::int64_t> freed;
  // A new allocation's index, and when it may start: after the one two before it is freed.
  std::size_t take(std::int64_t& space) {
    space = freed.size() < 2 ? 0 : freed[freed.size() - 2];
    freed.push_back(-1);
    return freed.size() - 1;
  }
};

}  // namespace

std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path) {
  std::vector<DigitalTile> tiles;
  walk_digital_tiles(layer, core, tiling, [&](const DigitalTile& t) { tiles.push_back(t); });
  const std::int64_t b = path.bytes_per_cycle;
  // A move in reaches the narrowest hop after the latencies before it, and its buffer after the core's
  // link; a move out starts at the core's link.
  const std::int64_t after_link = std::min(core.link_latency, path.latency_down);
  const std::int64_t before_link = path.latency_down - after_link;
  std::int64_t link_free = 0, grid_free = 0, end = 0;
  BufferSlots w, in, out;
  std::vector<std::int64_t> spilled;  // per output tile: when its partial sums arrived out
  // Per tile: its weight, input and output allocations and when their data is in (outputs it
  // allocates itself: when their space is free).
  struct Use {
    std::size_t w = 0, in = 0, out = 0;
    std::int64_t w_in = 0, in_in = 0, out_in = 0;
  };
  std::vector<Use> use(tiles.size());
  struct Request {
    std::int64_t issue, bytes;
    std::int64_t* arrival;
  };
  // Moves issued in the same cycle are served largest first (the model's tie rule), then in order.
  auto place = [&](std::vector<Request>& requests) {
    std::stable_sort(requests.begin(), requests.end(), [](const Request& x, const Request& y) {
      return x.issue != y.issue ? x.issue < y.issue : x.bytes > y.bytes;
    });
    for (const Request& r : requests) {
      const std::int64_t start = std::max(r.issue + before_link, link_free);
      link_free = start + ceil_div(r.bytes, b);
      *r.arrival = link_free + after_link;
    }
  };
  // Tile i's moves in, each issued when its slot is free (the allocations two before are done with).
  auto load = [&](std::size_t i, std::vector<Request>& requests) {
    const DigitalTile& t = tiles[i];
    Use& u = use[i];
    if (i > 0) u = use[i - 1];
    std::int64_t space = 0;
    if (t.new_weights) {
      u.w = w.take(space);
      requests.push_back({space, t.weight_bytes, &u.w_in});
    }
    if (t.new_inputs) {
      u.in = in.take(space);
      requests.push_back({space, t.input_bytes, &u.in_in});
    }
    if (t.new_outputs) {
      u.out = out.take(space);
      if (t.outputs_return) {
        requests.push_back({std::max(space, spilled[static_cast<std::size_t>(t.output_tile)]),
                            bits_to_bytes(t.output_elements, core.accumulator_bits), &u.out_in});
      } else {
        u.out_in = space;
      }
    }
  };
  {
    std::vector<Request> first;  // the first two tiles' moves are all issued at the start
    for (std::size_t i = 0; i < std::min<std::size_t>(2, tiles.size()); ++i) load(i, first);
    place(first);
  }
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const DigitalTile& t = tiles[i];
    const Use& u = use[i];
    const std::int64_t start = std::max({grid_free, u.w_in, u.in_in, u.out_in});
    grid_free = start + t.steps + core.pipeline_cycles;  // in order: the pipeline drains between tiles
    const std::int64_t done = grid_free;
    w.freed[u.w] = done;  // its last use so far
    in.freed[u.in] = done;
    end = std::max(end, done);
    if (t.outputs_leave) {  // out first: at equal cycles the model serves up flows before down flows
      const std::int64_t bytes = t.outputs_final ? bits_to_bytes(t.output_elements, layer.output_bits)
                                                 : bits_to_bytes(t.output_elements, core.accumulator_bits);
      const std::int64_t s = std::max(done, link_free);
      link_free = s + ceil_div(bytes, b);
      const std::int64_t arrived = link_free + path.latency_up;
      out.freed[u.out] = arrived;
      if (!t.outputs_final) {
        if (spilled.size() <= static_cast<std::size_t>(t.output_tile)) {
          spilled.resize(static_cast<std::size_t>(t.output_tile) + 1, 0);
        }
        spilled[static_cast<std::size_t>(t.output_tile)] = arrived;
      }
      end = std::max(end, arrived);
    }
    if (i + 2 < tiles.size()) {
      std::vector<Request> next;
      load(i + 2, next);
      place(next);
    }
  }
  return end;
}

}  // namespace cimnet
