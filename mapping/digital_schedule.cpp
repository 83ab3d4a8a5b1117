#include "mapping/digital_schedule.hpp"

#include <vector>

#include "mapping/burst_schedule.hpp"
#include "mapping/digital_tiles.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

// One of the core's buffers, by digital_program.cpp's rules: an allocation waits for the Free of the
// allocation `depth` before it (two; one for weights written into the grid); a Free follows the
// allocation's last users.
struct Slots {
  std::size_t depth = 2;
  int current = -1;
  std::vector<int> frees;
  int space() const { return frees.size() < depth ? -1 : frees[frees.size() - depth]; }
  void release(BurstSchedule& s, std::vector<int> users) {
    if (current < 0) return;
    users.push_back(current);
    frees.push_back(s.add_free(users));
    current = -1;
  }
};

// The layer's program (digital_program.cpp builds the same ops in the same order) over the path's hops:
// moves in cross them in order, moves out in reverse; the grid is a hop of one step per cycle whose
// computations end pipeline_cycles after their last step.
std::int64_t run_layer(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                       const DigitalPath& path) {
  BurstSchedule s(path.burst_bytes);
  std::vector<DigitalHop> hops = path.hops;
  if (hops.empty()) hops = {DigitalHop{path.bytes_per_cycle, path.latency_down}};  // given by its rate alone
  std::vector<std::size_t> down, up;
  for (const DigitalHop& h : hops) down.push_back(s.add_hop(h.bytes_per_cycle, h.latency));
  up.assign(down.rbegin(), down.rend());
  const std::size_t grid = s.add_hop(1, 0);
  using Kind = BurstStage::Kind;
  const auto load = [&](std::int64_t bytes, const std::vector<int>& deps) {
    return s.add_op({{Kind::Flow, down, bytes, false, 0}}, deps, bytes);
  };
  Slots weights, inputs, outputs;
  weights.depth = static_cast<std::size_t>(core.weight_slots);
  int last_compute = -1;
  std::vector<int> spilled;  // per output tile: the move out of its partial sums
  std::vector<int> weight_users, input_users, output_users;
  walk_digital_tiles(layer, core, tiling, [&](const DigitalTile& t) {
    if (t.new_weights) {
      weights.release(s, weight_users);
      weight_users.clear();
      weights.current = load(t.weight_bytes, {weights.space()});
    }
    if (t.new_inputs) {
      inputs.release(s, input_users);
      input_users.clear();
      inputs.current = load(t.input_bytes, {inputs.space()});
    }
    std::vector<int> deps = {weights.current, inputs.current, last_compute};
    const std::int64_t psum_bytes = bits_to_bytes(t.output_elements, core.accumulator_bits);
    bool allocates = false;
    if (t.new_outputs) {
      if (t.outputs_return) {
        outputs.current = load(psum_bytes, {outputs.space(), spilled[static_cast<std::size_t>(t.output_tile)]});
        deps.push_back(outputs.current);
      } else {
        allocates = true;
        deps.push_back(outputs.space());
      }
    }
    const int c = s.add_op({{Kind::Command, {grid}, t.steps, false, core.pipeline_cycles}}, deps, t.steps);
    if (allocates) outputs.current = c;
    weight_users.push_back(c);
    input_users.push_back(c);
    output_users.push_back(c);
    last_compute = c;
    if (t.outputs_leave) {
      const std::int64_t bytes =
          t.outputs_final ? bits_to_bytes(t.output_elements, layer.output_bits) : psum_bytes;
      const int out = s.add_op({{Kind::Flow, up, bytes, true, 0}}, output_users, bytes);
      output_users.clear();
      if (!t.outputs_final) {
        if (spilled.size() <= static_cast<std::size_t>(t.output_tile)) {
          spilled.resize(static_cast<std::size_t>(t.output_tile) + 1, -1);
        }
        spilled[static_cast<std::size_t>(t.output_tile)] = out;
      }
      outputs.release(s, {out});
    }
  });
  weights.release(s, weight_users);
  inputs.release(s, input_users);
  return s.run();
}

}  // namespace

std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path) {
  return run_layer(layer, core, tiling, path);
}

}  // namespace cimnet
