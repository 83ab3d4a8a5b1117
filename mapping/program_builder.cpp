#include "mapping/program_builder.hpp"

#include <algorithm>
#include <map>

namespace cimnet {

namespace {
std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
void add_unique(std::vector<int>& deps, int id) {
  if (std::find(deps.begin(), deps.end(), id) == deps.end()) deps.push_back(id);
}
}  // namespace

VectorChunks vector_chunks(const Layer& layer, const HardwareConfig& hw) {
  VectorChunks c;
  c.in_bytes = std::max<std::int64_t>(1, layer.input_bytes());
  c.out_bytes = std::max<std::int64_t>(1, layer.output_bytes());
  c.ops = std::max<std::int64_t>(1, layer.vector_ops());
  // Half a buffer per chunk: chunk i + lanes streams into the other half while chunk i is consumed.
  c.count = cdiv(c.in_bytes, std::max<std::int64_t>(1, hw.fixed.input_buffer_bytes / 2));
  c.lanes = std::min<std::int64_t>({c.count, hw.total_arrays(), 16});
  return c;
}

std::int64_t vector_lane_array(std::int64_t w, const HardwareConfig& hw) {
  const std::int64_t l1 = hw.l1_decoders();
  const std::int64_t per = hw.get(HwParam::MA_num_child);
  return (w % l1) * per + (w / l1) % per;
}

ProgramBuilder::ProgramBuilder(const HardwareConfig& hw, Program& program)
    : hw_(hw), program_(program), resident_(static_cast<std::size_t>(hw.total_arrays())) {}

void ProgramBuilder::make_room(const std::vector<int>& arrays, std::int64_t bytes, std::vector<int>& deps) {
  const std::int64_t cap = hw_.get(HwParam::MA_mem_size);
  for (int a : arrays) {
    auto& q = resident_[static_cast<std::size_t>(a)];
    std::int64_t used = 0;
    for (const auto& r : q) used += r.bytes;
    std::size_t gone = 0;
    while (gone < q.size() && used + bytes > cap) {
      used -= q[gone].bytes;
      if (q[gone].free >= 0) add_unique(deps, q[gone].free);
      ++gone;
    }
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(gone));
  }
}

void ProgramBuilder::note_load(int load, const std::vector<int>& arrays, std::int64_t bytes) {
  for (int a : arrays) resident_[static_cast<std::size_t>(a)].push_back(Resident{load, bytes, -1});
}

void ProgramBuilder::note_free(int load, int free_op) {
  for (int a : program_.ops[static_cast<std::size_t>(load)].arrays) {
    for (auto& r : resident_[static_cast<std::size_t>(a)]) {
      if (r.load == load) r.free = free_op;
    }
  }
}

LayerOps ProgramBuilder::add_mac_layer(const Plan& plan, const std::string& name, const std::vector<int>& gate) {
  LayerOps out;
  out.first = static_cast<int>(program_.ops.size());
  const Mapping& map = plan.mapping;
  const std::int64_t r = map.r_split;
  const std::int64_t per_l1 = hw_.get(HwParam::MA_num_child);
  std::vector<int> outputs;
  std::vector<int> frees;  // every free is ordered before the gate, so later loads see them as done
  std::vector<int> prev_streams;
  int prev_compute = -1;
  int last_load = -1;
  int last_compute = -1;
  std::vector<int> last_pass_loads;
  std::vector<int> prev_loads;
  std::vector<int> frees_prev, frees_prev2;  // frees of the previous pass and of the one before
  for (std::int64_t pass = 0; pass < plan.passes; ++pass) {
    const std::int64_t gip = plan.groups_in_pass(pass);
    const std::int64_t units = gip * plan.replicas;
    const std::string pfx = name + (plan.passes > 1 ? " p" + std::to_string(pass) : "");
    std::vector<int> all;
    for (std::int64_t u = 0; u < units; ++u) {
      for (std::int64_t i = 0; i < r; ++i) all.push_back(static_cast<int>(plan.array_of(u, i)));
    }
    // Loads.
    std::vector<int> loads;
    auto emit_load = [&](std::vector<int> arrays, bool multicast) {
      // A pass's weights load after the previous pass's (one pass ahead at most: with half_capacity
      // they overlap the previous pass's computation, else they wait for its frees).
      // Explicit, so that small tiles cannot run further ahead than the cost model assumes.
      std::vector<int> deps = prev_loads.empty() ? gate : prev_loads;
      for (int f : map.half_capacity ? frees_prev2 : frees_prev) deps.push_back(f);
      make_room(arrays, plan.tile_bytes, deps);
      const int id = program_.load(arrays, plan.tile_bytes, deps, multicast, pfx + " load");
      note_load(id, arrays, plan.tile_bytes);
      loads.push_back(id);
    };
    if (plan.replicas == 1) {
      emit_load(all, false);
    } else {
      for (std::int64_t g = 0; g < gip; ++g) {
        for (std::int64_t i = 0; i < r; ++i) {
          std::vector<int> arrays;
          for (std::int64_t rep = 0; rep < plan.replicas; ++rep) {
            arrays.push_back(static_cast<int>(plan.array_of(rep * gip + g, i)));
          }
          emit_load(arrays, true);
        }
      }
    }
    prev_loads = loads;
    // Stream slices: sets of arrays that receive the same data (multicast) or, for k_split = 1, one
    // unicast set of all arrays.
    std::vector<std::vector<int>> slices;
    if (map.k_split == 1) {
      slices.push_back(all);
    } else {
      std::map<std::int64_t, std::vector<int>> by_key;  // (replica, pack, ri) -> arrays
      for (std::int64_t rep = 0; rep < plan.replicas; ++rep) {
        for (std::int64_t g = 0; g < gip; ++g) {
          const std::int64_t rg = pass * plan.places + g;
          const std::int64_t pack = rg / map.k_split;
          for (std::int64_t i = 0; i < r; ++i) {
            by_key[(rep * plan.packs + pack) * r + i].push_back(static_cast<int>(plan.array_of(rep * gip + g, i)));
          }
        }
      }
      for (auto& kv : by_key) slices.push_back(std::move(kv.second));
    }
    for (std::int64_t t = 0; t < map.tiles; ++t) {
      const std::string tn = pfx + " t" + std::to_string(t);
      std::vector<int> streams;
      for (std::size_t s = 0; s < slices.size(); ++s) {
        std::vector<int> deps;
        if (t == 0) {
          deps = prev_streams.empty() ? gate : prev_streams;
        } else {
          deps = {prev_streams[s]};
        }
        const bool multicast = map.k_split > 1;
        streams.push_back(program_.stream(slices[s], plan.stream_bytes, deps, multicast, tn + " in"));
      }
      std::vector<int> cdeps = streams;
      for (int l : loads) cdeps.push_back(l);
      if (prev_compute >= 0) cdeps.push_back(prev_compute);
      const int c = program_.compute(all, plan.macs, plan.operand_bytes, cdeps, tn + " mac");
      prev_compute = c;
      prev_streams = streams;
      if (!plan.reduce) {
        outputs.push_back(program_.write_back(all, plan.out_bytes, {c}, tn + " out"));
      } else {
        std::vector<int> reds;
        if (map.reduce_at == ReduceLevel::L2) {
          reds.push_back(program_.reduce(all, plan.out_bytes, ReduceLevel::L2, {c}, tn + " psum"));
        } else {
          std::map<std::int64_t, std::vector<int>> by_l1;
          for (int a : all) by_l1[a / per_l1].push_back(a);
          for (auto& kv : by_l1) {
            reds.push_back(program_.reduce(kv.second, plan.out_bytes, ReduceLevel::L1, {c}, tn + " psum"));
          }
        }
        const std::int64_t values = plan.tile_outputs * units;
        outputs.push_back(program_.vector({}, 0, values, bits_to_bytes(values, plan.view.output_bits), reds,
                                          tn + " out"));
      }
    }
    // Frees: after the pass's last compute (the last compute follows all earlier ones).
    last_compute = prev_compute;
    if (pass + 1 < plan.passes) {
      frees_prev2 = frees_prev;
      frees_prev.clear();
      for (int l : loads) {
        frees.push_back(program_.free_weights(l, {prev_compute}, pfx + " free"));
        frees_prev.push_back(frees.back());
        note_free(l, frees.back());
      }
    } else {
      last_pass_loads = loads;
    }
    last_load = loads.back();
  }
  // The last pass's frees; the final one is the layer's gate and waits for every output too.
  for (int l : last_pass_loads) {
    if (l == last_load) continue;
    frees.push_back(program_.free_weights(l, {last_compute}, name + " free"));
    note_free(l, frees.back());
  }
  std::vector<int> gdeps = outputs;
  gdeps.insert(gdeps.end(), frees.begin(), frees.end());
  gdeps.push_back(last_compute);
  const int gate_op = program_.free_weights(last_load, gdeps, name + " done");
  note_free(last_load, gate_op);
  out.done = {gate_op};
  out.end = static_cast<int>(program_.ops.size());
  return out;
}

LayerOps ProgramBuilder::add_vector_layer(const Layer& layer, const std::vector<int>& gate) {
  LayerOps out;
  out.first = static_cast<int>(program_.ops.size());
  const VectorChunks c = vector_chunks(layer, hw_);
  std::vector<int> streams;
  for (std::int64_t i = 0; i < c.count; ++i) {
    // Even shares, the remainder on the first chunks, so that the totals are exact.
    auto share = [&](std::int64_t total) { return total / c.count + (i < total % c.count ? 1 : 0); };
    const std::int64_t in = share(c.in_bytes);
    const std::int64_t ops = share(c.ops);
    const std::int64_t bytes_out = share(c.out_bytes);
    std::vector<int> deps = i < c.lanes ? gate : std::vector<int>{streams[static_cast<std::size_t>(i - c.lanes)]};
    const int a = static_cast<int>(vector_lane_array(i % c.lanes, hw_));
    const std::string n = layer.name + " c" + std::to_string(i);
    const int s = program_.stream({a}, std::max<std::int64_t>(1, in), deps, false, n + " in");
    streams.push_back(s);
    // A chunk whose share of ops or output rounds to zero still does one (tiny remainders only).
    out.done.push_back(program_.vector({}, 0, std::max<std::int64_t>(1, ops), std::max<std::int64_t>(1, bytes_out),
                                       {s}, n + " vec"));
  }
  out.end = static_cast<int>(program_.ops.size());
  return out;
}

}  // namespace cimnet
