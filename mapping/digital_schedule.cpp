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

// The layer's program (digital_program.cpp builds the same ops in the same order) over its operands'
// routes: moves in cross their route's hops in order, moves out in reverse; the grid is a hop of one
// step per cycle whose computations end pipeline_cycles after their last step.
std::int64_t run_layer(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                       const DigitalRoutes& routes) {
  BurstSchedule s(routes.burst_bytes);
  std::vector<std::size_t> hop_ids;
  for (const DigitalHop& h : routes.hops) hop_ids.push_back(s.add_hop(h.bytes_per_cycle, h.latency));
  auto path_of = [&](const std::vector<std::size_t>& route) {
    std::vector<std::size_t> down;
    for (std::size_t h : route) down.push_back(hop_ids[h]);
    return down;
  };
  const std::vector<std::size_t> weights_down = path_of(routes.weights), inputs_down = path_of(routes.inputs);
  const std::vector<std::size_t> psums_down = path_of(routes.psums);
  const std::vector<std::size_t> psums_up(psums_down.rbegin(), psums_down.rend());
  const std::vector<std::size_t> results_down = path_of(routes.results);
  const std::vector<std::size_t> results_up(results_down.rbegin(), results_down.rend());
  const std::size_t grid = s.add_hop(1, 0);
  using Kind = BurstStage::Kind;
  const auto load = [&](const std::vector<std::size_t>& down, std::int64_t bytes, const std::vector<int>& deps) {
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
      weights.current = load(weights_down, t.weight_bytes, {weights.space()});
    }
    if (t.new_inputs) {
      inputs.release(s, input_users);
      input_users.clear();
      inputs.current = load(inputs_down, t.input_bytes, {inputs.space()});
    }
    std::vector<int> deps = {weights.current, inputs.current, last_compute};
    const std::int64_t psum_bytes = bits_to_bytes(t.output_elements, core.accumulator_bits);
    bool allocates = false;
    if (t.new_outputs) {
      if (t.outputs_return) {
        outputs.current = load(psums_down, psum_bytes, {outputs.space(), spilled[static_cast<std::size_t>(t.output_tile)]});
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
      const int out = s.add_op({{Kind::Flow, t.outputs_final ? results_up : psums_up, bytes, true, 0}}, output_users, bytes);
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

DigitalRoutes single_route(const DigitalPath& path) {
  DigitalRoutes r;
  r.hops = path.hops;
  if (r.hops.empty()) r.hops = {DigitalHop{path.bytes_per_cycle, path.latency_down}};  // given by its rate alone
  for (std::size_t h = 0; h < r.hops.size(); ++h) r.weights.push_back(h);
  r.inputs = r.results = r.psums = r.weights;
  r.burst_bytes = path.burst_bytes;
  return r;
}

std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path) {
  return run_layer(layer, core, tiling, single_route(path));
}

std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalRoutes& routes) {
  return run_layer(layer, core, tiling, routes);
}

}  // namespace cimnet
