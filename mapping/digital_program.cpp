#include "mapping/digital_program.hpp"

#include <algorithm>
#include <cstddef>

#include "mapping/digital_tiles.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

// The tiles held in one of the core's buffers: each allocation's op, its last user, and the Free
// appended once the tile two later needs the space.
class Slots {
 public:
  explicit Slots(int depth = 2) : depth_(static_cast<std::size_t>(depth)) {}
  // Deps a new allocation in this buffer needs: the Free of the allocation `depth` before it (two in a
  // double buffer; one where weights are written into the grid itself).
  std::vector<int> space() const {
    if (frees_.size() < depth_) return {};
    return {frees_[frees_.size() - depth_]};
  }
  // The current tile is done with: free it after `users`.
  void release(Program& p, const std::vector<int>& users, const std::string& name) {
    if (current_ < 0) return;
    frees_.push_back(p.free(current_, users, name));
    current_ = -1;
  }
  void hold(int op) { current_ = op; }
  // The last `depth` Frees: every earlier one is their ancestor (each Free precedes the allocation
  // `depth` after it, whose users precede that allocation's Free).
  std::vector<int> last_frees() const {
    if (frees_.size() <= depth_) return frees_;
    return std::vector<int>(frees_.end() - static_cast<std::ptrdiff_t>(depth_), frees_.end());
  }
  int current() const { return current_; }

 private:
  std::size_t depth_;
  int current_ = -1;
  std::vector<int> frees_;
};

std::vector<int> joined(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

DigitalPath digital_path(const HardwareConfig& hw, int core, Place place) {
  const DigitalCore& d = hw.digital_cores[static_cast<std::size_t>(core)];
  const bool dram = place == Place::Dram;
  const std::int64_t memory_bw = dram ? hw.get(HwParam::DRAM_bw) : hw.fixed.gb_bw;
  const std::int64_t memory_latency = dram ? hw.fixed.dram_latency : hw.fixed.gb_latency;
  DigitalPath path;
  path.bytes_per_cycle = std::min({memory_bw, hw.get(HwParam::L2_bw), d.port_bytes_per_cycle});
  path.latency_down = path.latency_up = memory_latency + hw.fixed.l2_latency + d.link_latency;
  // The model's way: the memory's port (DRAM, or the global buffer's), the L2 decoder's link, the core's.
  path.hops = {{memory_bw, memory_latency}, {hw.get(HwParam::L2_bw), hw.fixed.l2_latency},
               {d.port_bytes_per_cycle, d.link_latency}};
  path.burst_bytes = hw.fixed.burst_bytes;
  return path;
}

DigitalRoutes digital_routes(const HardwareConfig& hw, int core, const DigitalLayerIo& io) {
  const DigitalCore& d = hw.digital_cores[static_cast<std::size_t>(core)];
  DigitalRoutes r;
  // Hops 0 and 1 are the memories' ports, 2 the L2 decoder's link, 3 the core's link.
  r.hops = {{hw.get(HwParam::DRAM_bw), hw.fixed.dram_latency},
            {hw.fixed.gb_bw, hw.fixed.gb_latency},
            {hw.get(HwParam::L2_bw), hw.fixed.l2_latency},
            {d.port_bytes_per_cycle, d.link_latency}};
  auto route = [](Place place) { return std::vector<std::size_t>{place == Place::Dram ? 0u : 1u, 2u, 3u}; };
  r.weights = route(io.weights);
  r.inputs = route(io.inputs);
  r.results = route(io.outputs);
  r.psums = route(io.psums);
  r.burst_bytes = hw.fixed.burst_bytes;
  return r;
}

DigitalLayerOps build_digital_layer(Program& p, const Layer& layer, const HardwareConfig& hw, int core,
                                    const DigitalTiling& tiling, const DigitalLayerIo& io,
                                    const std::vector<int>& after) {
  const DigitalCore& d = hw.digital_cores[static_cast<std::size_t>(core)];
  DigitalLayerOps ops;
  ops.first = static_cast<int>(p.ops.size());
  Slots weights(d.weight_slots), inputs, outputs;
  int last_compute = -1;
  std::vector<int> spilled;  // per output tile: the move out of its partial sums (-1: none)
  // Computations on the current weight, input and output tile. A move out waits for every computation
  // that accumulated into its outputs (the grid serves them in order; the dependency says so).
  std::vector<int> weight_users, input_users, output_users;
  const std::string& name = layer.name;
  // A load waits for `after` only while its slot's space frees nothing: a free of the slot is after an
  // earlier load of it, which waited for `after` — the same order, without copying `after` (a gate of
  // hundreds of ops) into every tile's loads, which made stream programs' validation slow.
  const std::vector<int> none;
  auto unless_ordered = [&](const std::vector<int>& space) -> const std::vector<int>& { return space.empty() ? after : none; };
  walk_digital_tiles(layer, d, tiling, [&](const DigitalTile& t) {
    const std::string tn = name + " t" + std::to_string(t.index);
    std::vector<int> deps;
    if (t.new_weights) {
      weights.release(p, weight_users, tn + " w free");
      weight_users.clear();
      const std::vector<int> space = weights.space();
      weights.hold(p.digital_load(core, DigitalBuffer::Weights, io.weights, t.weight_bytes, joined(space, unless_ordered(space)),
                                  tn + " w"));
    }
    if (t.new_inputs) {
      inputs.release(p, input_users, tn + " in free");
      input_users.clear();
      const std::vector<int> space = inputs.space();
      inputs.hold(p.digital_load(core, DigitalBuffer::Inputs, io.inputs, t.input_bytes, joined(space, unless_ordered(space)),
                                 tn + " in"));
    }
    deps = {weights.current(), inputs.current()};
    const std::int64_t psum_bytes = bits_to_bytes(t.output_elements, d.accumulator_bits);
    std::int64_t allocate = 0;
    if (t.new_outputs) {
      if (t.outputs_return) {
        // After the space, and after these partial sums went out (so after `after` already).
        std::vector<int> wait = outputs.space();
        wait.push_back(spilled[static_cast<std::size_t>(t.output_tile)]);
        outputs.hold(p.digital_load(core, DigitalBuffer::Outputs, io.psums, psum_bytes, wait, tn + " psum in"));
        deps.push_back(outputs.current());
      } else {
        allocate = psum_bytes;  // the computation allocates its outputs
        const std::vector<int> space = outputs.space();
        deps.insert(deps.end(), space.begin(), space.end());
      }
    }
    // The grid runs the tiles in order (a sequencer walking the loop nest): each after its predecessor.
    if (last_compute >= 0) deps.push_back(last_compute);
    const int c = p.digital_compute(core, t.macs, t.steps, allocate, deps, tn + " mac");
    if (allocate > 0) outputs.hold(c);
    weight_users.push_back(c);
    input_users.push_back(c);
    output_users.push_back(c);
    last_compute = c;
    if (t.outputs_leave) {
      const bool final_values = t.outputs_final;
      const std::int64_t bytes = final_values ? bits_to_bytes(t.output_elements, layer.output_bits) : psum_bytes;
      const int out = p.digital_store(core, final_values ? io.outputs : io.psums, bytes, output_users,
                                      tn + (final_values ? " out" : " psum out"));
      output_users.clear();
      if (final_values) ops.outputs.push_back(out);
      if (!final_values) {
        if (spilled.size() <= static_cast<std::size_t>(t.output_tile)) spilled.resize(static_cast<std::size_t>(t.output_tile) + 1, -1);
        spilled[static_cast<std::size_t>(t.output_tile)] = out;
      }
      outputs.release(p, {out}, tn + " out free");
    }
  });
  weights.release(p, weight_users, name + " w free");
  inputs.release(p, input_users, name + " in free");
  ops.done = ops.outputs;
  for (const Slots* slots : {&weights, &inputs, &outputs}) {
    for (int f : slots->last_frees()) ops.done.push_back(f);
  }
  ops.last = static_cast<int>(p.ops.size()) - 1;
  return ops;
}

}  // namespace cimnet
