// Over 500 lines: a MAC layer's ops (slice loads, streams, computes, reductions, write-backs, frees)
// interlock through their dependencies, and they are emitted together so that each rule stays beside
// the ones it depends on.
#include "mapping/program_builder.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace cimnet {

namespace {

// A tile's partial sums reduced at L1 and forwarded up to the global buffer (Op::forward_to_gb): one op
// for all the decoders whose share of the result is the same size (all of them but where a decoder
// holds fewer of the tile's arrays), each decoder's result moving up as soon as its reduction ends.
// Appends the ops to `in_gb`.
void add_forwarded_reductions(Program& program, const std::vector<int>& arrays, std::int64_t per_l1,
                              std::int64_t psum_bytes, std::int64_t r_split, const std::vector<int>& deps,
                              const std::string& name, std::vector<int>& in_gb) {
  std::map<std::int64_t, std::vector<int>> under;  // arrays under one decoder
  for (int a : arrays) under[a / per_l1].push_back(a);
  std::map<std::int64_t, std::vector<int>> by_result;  // the arrays of the decoders with that result size
  std::vector<std::int64_t> order;                     // result sizes, by their first decoder
  for (const auto& [l1, at] : under) {
    const std::int64_t here = psum_bytes * static_cast<std::int64_t>(at.size()) / r_split;
    auto& group = by_result[here];
    if (group.empty()) order.push_back(here);
    group.insert(group.end(), at.begin(), at.end());
  }
  for (std::int64_t here : order) {
    in_gb.push_back(program.reduce(by_result[here], psum_bytes, ReduceLevel::L1, here, deps, name));
    program.ops.back().forward_to_gb = true;
  }
}

}  // namespace

namespace {
std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
// Appends the ids of `more` (distinct) that `deps` lacks, in order: sorted look-ups, as a pass of a
// large layer has thousands of loads and evictions (a linear search each was a third of mapping ViT-B/16
// fused, and a std::set built per call a tenth of mapping and simulating a ViT-B/16 pair).
void add_all_unique(std::vector<int>& deps, const std::vector<int>& more) {
  if (more.size() <= 4) {
    for (int id : more) {
      if (std::find(deps.begin(), deps.end(), id) == deps.end()) deps.push_back(id);
    }
    return;
  }
  std::vector<int> held = deps;
  std::sort(held.begin(), held.end());
  for (int id : more) {
    if (!std::binary_search(held.begin(), held.end(), id)) deps.push_back(id);
  }
}
}  // namespace

VectorChunks vector_chunks(const Layer& layer, const HardwareConfig& hw) {
  VectorChunks c;
  c.in_bytes = std::max<std::int64_t>(1, layer.input_bytes());
  c.out_bytes = std::max<std::int64_t>(1, layer.output_bytes());
  c.ops = std::max<std::int64_t>(1, layer.vector_ops());
  // Chunks of four bursts of input, at most eight of them in the global buffer at once (and no more
  // than it holds): enough in flight to hide DRAM's latency behind the transfers of the others.
  const std::int64_t chunk_in = 4 * hw.fixed.burst_bytes;
  c.count = cdiv(c.in_bytes, chunk_in);
  const std::int64_t chunk_total = cdiv(c.in_bytes, c.count) + cdiv(c.out_bytes, c.count) + 2;
  c.lanes = std::max<std::int64_t>(1, std::min<std::int64_t>({c.count, 8, hw.fixed.gb_bytes / chunk_total}));
  return c;
}

ProgramBuilder::ProgramBuilder(const HardwareConfig& hw, Program& program)
    : hw_(hw),
      program_(program),
      resident_(static_cast<std::size_t>(hw.total_arrays())),
      resident_head_(static_cast<std::size_t>(hw.total_arrays()), 0),
      resident_bytes_(static_cast<std::size_t>(hw.total_arrays()), 0) {}

void ProgramBuilder::make_room(const std::vector<int>& arrays, std::int64_t bytes, std::vector<int>& deps) {
  const std::int64_t cap = hw_.get(HwParam::MA_mem_size);
  for (int a : arrays) {
    auto& q = resident_[static_cast<std::size_t>(a)];
    std::size_t& head = resident_head_[static_cast<std::size_t>(a)];
    std::int64_t& used = resident_bytes_[static_cast<std::size_t>(a)];
    // The oldest loads go first; kept weights (LayerIo::weights, not listed) never go: the network
    // mapper leaves room beside them (residency.hpp), and validate() would reject a program that
    // overflowed. Every listed load may go, so what goes is always the oldest: a prefix of the list.
    while (used + bytes > cap && head < q.size()) {
      const Resident& r = q[head++];
      used -= r.bytes;
      // One free per evicted load, usually the same for every array of a multicast: a linear look
      // (no temporary vector: this runs for every array of every load).
      if (r.free >= 0 && std::find(deps.begin(), deps.end(), r.free) == deps.end()) deps.push_back(r.free);
    }
    if (head > 32 && 2 * head > q.size()) {
      q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
}

void ProgramBuilder::note_load(int load, const std::vector<int>& arrays, std::int64_t bytes, bool pinned) {
  // Kept weights never leave: they count in the array's bytes but are not listed, so that make_room
  // walks only what it may evict (under fused an array can keep dozens of layers' weights).
  for (int a : arrays) {
    if (!pinned) resident_[static_cast<std::size_t>(a)].push_back(Resident{load, bytes, -1});
    resident_bytes_[static_cast<std::size_t>(a)] += bytes;
  }
}

void ProgramBuilder::note_free(int load, int free_op) {
  // An array holds a load once, and the one freed is usually among the newest: search from the back.
  for (int a : program_.ops[static_cast<std::size_t>(load)].arrays) {
    auto& q = resident_[static_cast<std::size_t>(a)];
    const std::size_t head = resident_head_[static_cast<std::size_t>(a)];
    for (std::size_t k = q.size(); k-- > head;) {
      if (q[k].load == load) {
        q[k].free = free_op;
        break;
      }
    }
  }
}

std::vector<int> ProgramBuilder::add_resident_weights(const Plan& plan, const std::string& name) {
  if (plan.passes != 1) throw std::logic_error(name + ": weights kept in the arrays need a plan of one pass");
  // The tiles as the first inference's loads place them: one unicast op over every array, or one
  // multicast op per tile to its replicas. Their timing is nobody's: the warm inference starts after.
  const std::int64_t gip = plan.groups_in_pass(0), r = plan.mapping.r_split;
  std::vector<std::vector<int>> sets;
  if (plan.replicas == 1) {
    sets.emplace_back();
    for (std::int64_t g = 0; g < gip; ++g) {
      for (std::int64_t i = 0; i < r; ++i) sets.back().push_back(static_cast<int>(plan.array_of(g, i)));
    }
  } else {
    for (std::int64_t g = 0; g < gip; ++g) {
      for (std::int64_t i = 0; i < r; ++i) {
        sets.emplace_back();
        for (std::int64_t rep = 0; rep < plan.replicas; ++rep) {
          sets.back().push_back(static_cast<int>(plan.array_of(rep * gip + g, i)));
        }
      }
    }
  }
  std::vector<int> loads;
  for (auto& arrays : sets) {
    const int id = program_.load(arrays, plan.tile_bytes, {}, plan.replicas > 1, name + " programmed");
    note_load(id, program_.ops[static_cast<std::size_t>(id)].arrays, plan.tile_bytes, true);
    loads.push_back(id);
  }
  return loads;
}

std::int64_t load_window(const Plan& plan, std::int64_t groups_in_pass, const HardwareConfig& hw) {
  const auto& f = hw.fixed;
  const std::int64_t path = f.dram_latency + f.l2_latency + f.l1_latency + f.ma_latency;
  // One slice on the DRAM: its distinct bytes (one tile per array of a replica; a multicast to the
  // replicas counts once), the shorter slice's.
  const std::int64_t bytes = plan.shorter.bytes * groups_in_pass * plan.mapping.r_split;
  const std::int64_t dram = std::max<std::int64_t>(1, cdiv(bytes, hw.get(HwParam::DRAM_bw)));
  return 1 + cdiv(path, dram);
}

LayerOps ProgramBuilder::add_mac_layer(const Plan& plan, const std::string& name, const std::vector<int>& gate,
                                       const LayerIo& io) {
  if (io.weights != Weights::Loaded && plan.passes != 1) {
    throw std::logic_error(name + ": weights kept in the arrays need a plan of one pass");
  }
  LayerOps out;
  out.first = static_cast<int>(program_.ops.size());
  released_.clear();
  staged_frees_.clear();
  piece_values_ = 0;
  piece_all_ = output_values(plan);
  // An input in the global buffer is streamed from there: no staging copy is needed.
  const bool copy_in = plan.staged && !io.input_in_gb;
  const Mapping& map = plan.mapping;
  const std::int64_t r = map.r_split;
  const std::int64_t n_slices = plan.slices;
  std::vector<int> outputs;
  std::vector<int> frees;  // every free is ordered before the gate, so later loads see them as done
  std::vector<int> prev_streams;
  int prev_compute = -1;
  int last_load = -1;
  int last_compute = -1;
  std::vector<int> last_pass_loads;
  std::vector<int> prev_loads;  // the previous pass's last slice (one op per tile with replicas)
  std::vector<int> first_loads;  // this pass's first slice
  std::vector<int> frees_prev, frees_prev2;  // frees of the previous pass and of the one before
  for (std::int64_t pass = 0; pass < plan.passes; ++pass) {
    const std::int64_t gip = plan.groups_in_pass(pass);
    const std::int64_t units = gip * plan.replicas;
    const std::string pfx = name + (plan.passes > 1 ? " p" + std::to_string(pass) : "");
    std::vector<int> all;
    for (std::int64_t u = 0; u < units; ++u) {
      for (std::int64_t i = 0; i < r; ++i) all.push_back(static_cast<int>(plan.array_of(u, i)));
    }
    // Loads, slice after slice: slice_loads[j] holds slice j's ops (one unicast op over all arrays, or
    // one multicast op per tile to its replicas). A pass's slices load after the previous pass's last
    // slice (one pass ahead at most: with half_capacity they overlap the previous pass's computation,
    // else they wait for its frees), explicit so that small tiles cannot run further ahead than the
    // cost model assumes.
    std::vector<std::vector<int>> slice_loads(static_cast<std::size_t>(n_slices));
    // The frees of the older loads the pass's loads displace: every load of the pass waits for all of
    // them, not only the one that found the array full (a prefetched step's loads are not ordered
    // after the previous step's frees, so one slice must not overtake another's eviction).
    std::vector<int> evicted;  // every free a load of this pass waits for, once each, in first-seen order
    std::set<int> evicted_seen;
    const std::int64_t window = load_window(plan, gip, hw_);
    auto emit_load = [&](std::vector<int> arrays, bool multicast, std::int64_t j) {
      const std::int64_t bytes = plan.slice(j).bytes;
      // Every slice becomes ready with the first; the DRAM serves them in order (Op::order) and one
      // right after the other, without waiting for the previous one to be in.
      // At most `window` slices are in flight: slice j also waits for slice j − window to be in, so a
      // link slower than the DRAM never queues more than that many slices ahead of the streams that
      // share it (the model has no back-pressure), while enough are in flight to cover the path's
      // latency and keep the DRAM busy.
      std::vector<int> deps;
      // The first pass's loads after the layer gate, or prefetched: after io.load_gate.
      const std::vector<int>& first = io.prefetch ? io.load_gate : gate;
      const std::vector<int>& after = prev_loads.empty() ? first : prev_loads;
      deps.insert(deps.end(), after.begin(), after.end());
      for (int f : map.half_capacity ? frees_prev2 : frees_prev) deps.push_back(f);
      if (j >= window) {
        const auto& back = slice_loads[static_cast<std::size_t>(j - window)];
        deps.insert(deps.end(), back.begin(), back.end());
      }
      std::vector<int> room;
      make_room(arrays, bytes, room);
      for (int f : room) if (evicted_seen.insert(f).second) evicted.push_back(f);
      deps.insert(deps.end(), room.begin(), room.end());
      const std::string suffix = n_slices > 1 ? " w" + std::to_string(j) : "";
      const int id = program_.load(arrays, bytes, deps, multicast, pfx + " load" + suffix);
      program_.ops[static_cast<std::size_t>(id)].order = static_cast<int>(j);
      program_.ops[static_cast<std::size_t>(id)].prefetch = io.prefetch && prev_loads.empty();
      note_load(id, arrays, bytes, io.weights == Weights::Kept);
      slice_loads[static_cast<std::size_t>(j)].push_back(id);
    };
    for (std::int64_t j = 0; j < n_slices && io.weights != Weights::Resident; ++j) {
      if (plan.replicas == 1) {
        emit_load(all, false, j);
      } else {
        for (std::int64_t g = 0; g < gip; ++g) {
          for (std::int64_t i = 0; i < r; ++i) {
            std::vector<int> arrays;
            for (std::int64_t rep = 0; rep < plan.replicas; ++rep) {
              arrays.push_back(static_cast<int>(plan.array_of(rep * gip + g, i)));
            }
            emit_load(arrays, true, j);
          }
        }
      }
    }
    for (const auto& sl : slice_loads) {
      for (int id : sl) {
        add_all_unique(program_.ops[static_cast<std::size_t>(id)].deps, evicted);
      }
    }
    const std::vector<int> prev_first_loads = std::move(first_loads);  // the previous pass's first slice
    first_loads = slice_loads.front();
    std::vector<int> loads;  // every slice of the pass, for the frees
    for (const auto& sl : slice_loads) loads.insert(loads.end(), sl.begin(), sl.end());
    prev_loads = slice_loads.back();
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
    // Sub-pass j computes weight slice j's columns for every input tile. With one input tile, the
    // tile is streamed once and stays in the input buffer for every sub-pass (its space is released
    // when every op that depends on it has completed). With more, each sub-pass streams them again,
    // from a copy in the global buffer (Plan::staged): tile t's input is moved there from DRAM once
    // (the moves one after another, in order) and freed after the last sub-pass has streamed it.
    const bool staged = plan.staged;
    const std::vector<int> prev_stage_frees = std::move(staged_frees_);  // the previous pass's copies
    staged_frees_.clear();
    const std::int64_t flows = map.k_split == 1 ? static_cast<std::int64_t>(all.size())
                                                : static_cast<std::int64_t>(slices.size());
    std::vector<int> moves;  // per input tile of this pass, when staged
    std::vector<std::vector<int>> first_streams;  // per input tile: the first sub-pass's streams
    const std::vector<int> pass_start = prev_streams.empty() ? gate : prev_streams;  // the first moves wait for it
    std::vector<int> streams;
    // The pieces of computation in order: (slice j, tile t) slice-major; in the first-tile order the
    // first tile's S slices, then every later tile whole (j = −1).
    std::vector<std::pair<std::int64_t, std::int64_t>> pieces;
    if (plan.first_tile) {
      for (std::int64_t j = 0; j < n_slices; ++j) pieces.emplace_back(j, 0);
      for (std::int64_t t = 1; t < map.tiles; ++t) pieces.emplace_back(-1, t);
    } else {
      for (std::int64_t j = 0; j < n_slices; ++j) {
        for (std::int64_t t = 0; t < map.tiles; ++t) pieces.emplace_back(j, t);
      }
    }
    for (const auto& [j, t] : pieces) {
      const Plan::Slice& sl = j < 0 ? plan.whole : plan.slice(j);
      {
        const std::string tn = pfx + (j >= 0 && n_slices > 1 ? " w" + std::to_string(j) : "") + " t" + std::to_string(t);
        // A tile is streamed for its first piece (every sub-pass streams its tiles again, from the
        // staged copy; one tile stays in the input buffer).
        const bool first_piece = j <= 0;
        if (first_piece || (map.tiles > 1 && !plan.first_tile)) {
          if (copy_in && j == 0) {
            // The pass's first move after every stream before it and the frees of the previous pass's
            // copies; the others after the first weight slice (like the streams, below), and a later
            // one after the first sub-pass's streams of the tile two back: the copies run at most two
            // tiles ahead of the first sub-pass (they go first at the DRAM, and the loads of the next
            // slices need it too), two at a time.
            std::vector<int> deps;
            if (t == 0) {
              deps.insert(deps.end(), pass_start.begin(), pass_start.end());
              deps.insert(deps.end(), prev_stage_frees.begin(), prev_stage_frees.end());
            } else if (t == 1) {
              deps.push_back(moves.front());
              deps.insert(deps.end(), slice_loads.front().begin(), slice_loads.front().end());
            } else {
              const auto& back = first_streams[static_cast<std::size_t>(t - 2)];
              deps.insert(deps.end(), back.begin(), back.end());
              if (t == 2) deps.insert(deps.end(), slice_loads.front().begin(), slice_loads.front().end());
            }
            moves.push_back(program_.move(Place::Dram, Place::GlobalBuffer, plan.stream_bytes * flows, deps,
                                          tn + " stage"));
          }
          streams.clear();
          for (std::size_t s = 0; s < slices.size(); ++s) {
            // The pass's first stream after every stream before it (the stream sets of two passes
            // differ), later ones after the same set's previous stream; a staged one after its copy.
            std::vector<int> deps;
            if (j == 0 && t == 0) {
              const std::vector<int>& after = prev_streams.empty() ? gate : prev_streams;
              deps.insert(deps.end(), after.begin(), after.end());
              // After the previous pass's first weight slice: streams go first at the DRAM, and the
              // computation running now needs its load more than the next pass needs its input.
              deps.insert(deps.end(), prev_first_loads.begin(), prev_first_loads.end());
            } else {
              deps.push_back(prev_streams[s]);
            }
            // A later sub-pass streams its tiles again once the previous slice is in: the streams go
            // first on the links, and run ahead they would hold up the loads the running sub-passes
            // wait for (docs/mapping.md, "Sub-pass streams").
            if (j >= 1) {
              const auto& after = slice_loads[static_cast<std::size_t>(j - 1)];
              deps.insert(deps.end(), after.begin(), after.end());
            }
            // The second tile after the first weight slice, likewise (in the first-tile order after
            // the last: the first tile's pieces need every slice before the second tile).
            if (first_piece && t == 1 && !copy_in) {
              const auto& after = plan.first_tile ? slice_loads.back() : slice_loads.front();
              deps.insert(deps.end(), after.begin(), after.end());
            }
            if (copy_in && j == 0) deps.push_back(moves.back());
            const bool multicast = map.k_split > 1;
            const int id = program_.stream(slices[s], plan.stream_bytes, deps, multicast, tn + " in");
            if (staged || io.input_in_gb) program_.ops[static_cast<std::size_t>(id)].source = Place::GlobalBuffer;
            streams.push_back(id);
          }
          prev_streams.assign(streams.begin(), streams.end());
          if (copy_in && j == 0) first_streams.push_back(streams);
          if (copy_in && j + 1 == n_slices) {
            // The copy of tile t has been streamed for the last time.
            staged_frees_.push_back(program_.free(moves[static_cast<std::size_t>(t)], streams, tn + " stage free"));
            frees.push_back(staged_frees_.back());
          }
        }
        std::vector<int> cdeps = streams;
        if (j >= 0) {
          for (int l : slice_loads[static_cast<std::size_t>(j)]) cdeps.push_back(l);
        } else {
          cdeps.insert(cdeps.end(), loads.begin(), loads.end());
        }
        if (prev_compute >= 0) cdeps.push_back(prev_compute);
        const int c = program_.compute(all, sl.macs, sl.bytes, cdeps, tn + " mac");
        prev_compute = c;
        if (io.output_to_gb) {
          outputs.push_back(add_fused_output(plan, io, sl, all, units, c, tn, out.kept));
        } else if (!plan.reduce) {
          outputs.push_back(program_.write_back(all, sl.out_bytes, {c}, tn + " out"));
        } else {
          outputs.push_back(add_reduced_output(plan, sl, all, units, c, tn));
        }
      }
    }
    // Frees: after the pass's last compute (the last compute follows all earlier ones).
    last_compute = prev_compute;
    if (pass + 1 < plan.passes) {
      frees_prev2 = frees_prev;
      frees_prev.clear();
      for (int l : loads) {
        frees.push_back(program_.free(l, {prev_compute}, pfx + " free"));
        frees_prev.push_back(frees.back());
        note_free(l, frees.back());
      }
    } else {
      last_pass_loads = loads;
    }
    if (!loads.empty()) last_load = loads.back();
  }
  out.last_loads = last_pass_loads;
  if (io.weights != Weights::Loaded) {
    // Kept or resident weights are never freed: the gate is every output, free and the last compute.
    out.done = outputs;
    out.done.insert(out.done.end(), frees.begin(), frees.end());
    out.done.push_back(last_compute);
    out.end = static_cast<int>(program_.ops.size());
    return out;
  }
  // The last pass's frees; the final one is the layer's gate and waits for every output too.
  for (int l : last_pass_loads) {
    if (l == last_load) continue;
    frees.push_back(program_.free(l, {last_compute}, name + " free"));
    note_free(l, frees.back());
  }
  std::vector<int> gdeps = outputs;
  gdeps.insert(gdeps.end(), frees.begin(), frees.end());
  gdeps.push_back(last_compute);
  const int gate_op = program_.free(last_load, gdeps, name + " done");
  note_free(last_load, gate_op);
  out.done = {gate_op};
  out.end = static_cast<int>(program_.ops.size());
  return out;
}

int ProgramBuilder::add_reduced_output(const Plan& plan, const Plan::Slice& slice, const std::vector<int>& arrays,
                                       std::int64_t units, int compute, const std::string& tile) {
  // Tile t's partial sums reduce into a decoder buffer only once tile t-2's output has left the
  // buffers (its last free): at most two tiles' results are in them, which is what make_plan checks
  // fits (half of each buffer per tile).
  std::vector<int> deps = {compute};
  if (released_.size() >= 2) deps.push_back(released_[released_.size() - 2]);
  const std::int64_t per_l1 = hw_.get(HwParam::MA_num_child);
  const std::int64_t values = slice.outputs * units;
  const std::int64_t result = slice.out_bytes * units;  // one accumulated psum per output value
  const std::int64_t out = bits_to_bytes(values, plan.view.output_bits);
  std::vector<int> in_gb;   // ops whose results are in the global buffer, for the vector op
  if (plan.mapping.reduce_at == ReduceLevel::L2) {
    const int red = program_.reduce(arrays, slice.out_bytes, ReduceLevel::L2, result, deps, tile + " psum");
    in_gb.push_back(red);
  } else {
    add_forwarded_reductions(program_, arrays, per_l1, slice.out_bytes, plan.mapping.r_split, deps, tile + " psum",
                             in_gb);
  }
  const int vec = program_.vector(result, values, out, in_gb, tile + " requant");
  // What must be done before nothing of the tile is in a buffer: the store, and the partial sums (in
  // the L1 buffers and the global buffer) released together once requantised.
  const std::vector<int> last = {program_.move(Place::GlobalBuffer, Place::Dram, out, {vec}, tile + " out"),
                                 program_.free(in_gb, {vec}, tile + " psum free")};
  // After the store and every psum free: once it is done, nothing of this tile is in a buffer.
  const int done = program_.free(vec, last, tile + " out free");
  released_.push_back(done);
  return done;
}

int ProgramBuilder::add_fused_output(const Plan& plan, const LayerIo& io, const Plan::Slice& slice,
                                     const std::vector<int>& arrays, std::int64_t units, int compute,
                                     const std::string& tile, std::vector<int>& kept) {
  // With intermediates to free, the piece waits for the piece two back to have left the buffer (at
  // most two pieces' intermediates in it; the network mapper counts them).
  std::vector<int> deps = {compute};
  if (io.throttled(plan) && released_.size() >= 2) deps.push_back(released_[released_.size() - 2]);
  // Frees are chained in the order they are emitted (each after the one before, which is never later):
  // the last one is the piece's end. Allocations released at one point share a Free: the partial sums
  // (in the L1 buffers and the global buffer) once requantised.
  int last_free = -1;
  auto free_after = [&](std::vector<int> ops, std::vector<int> after, const std::string& what) {
    if (last_free >= 0) after.push_back(last_free);
    last_free = program_.free(std::move(ops), std::move(after), tile + " " + what + " free");
  };
  const std::int64_t values = slice.outputs * units;
  int cur = -1;                 // the op whose allocation holds the piece's current result
  std::int64_t cur_bytes = 0;
  if (!plan.reduce) {
    cur = program_.write_back(arrays, slice.out_bytes, deps, tile + " out");
    program_.ops[static_cast<std::size_t>(cur)].dest = Place::GlobalBuffer;
    cur_bytes = slice.out_bytes * static_cast<std::int64_t>(arrays.size());
  } else {
    const std::int64_t per_l1 = hw_.get(HwParam::MA_num_child);
    const std::int64_t result = slice.out_bytes * units;
    cur_bytes = bits_to_bytes(values, plan.view.output_bits);
    std::vector<int> in_gb;
    if (plan.mapping.reduce_at == ReduceLevel::L2) {
      in_gb.push_back(program_.reduce(arrays, slice.out_bytes, ReduceLevel::L2, result, deps, tile + " psum"));
    } else {
      add_forwarded_reductions(program_, arrays, per_l1, slice.out_bytes, plan.mapping.r_split, deps,
                               tile + " psum", in_gb);
    }
    cur = program_.vector(result, values, cur_bytes, in_gb, tile + " requant");
    free_after(in_gb, {cur}, "psum");
  }
  // The post-ops, each on its share of this piece.
  const std::int64_t before = piece_values_;
  piece_values_ += values;
  for (const PostOp& post : io.post) {
    auto share = [&](std::int64_t total) { return piece_share(total, before, values, piece_all_); };
    std::vector<int> vdeps = {cur};
    int operand = -1;
    const std::int64_t other = share(post.other_bytes);
    if (other > 0 && !post.other_in_gb) {
      // The other operand's share comes in from DRAM while the piece's outputs travel (like them, only
      // once the piece two back has left the buffer).
      operand = program_.move(Place::Dram, Place::GlobalBuffer, other, deps, tile + " " + post.name + " operand");
      vdeps.push_back(operand);
    }
    const std::int64_t bytes_out = std::max<std::int64_t>(1, share(post.out_bytes));
    const int vec = program_.vector(std::max<std::int64_t>(1, share(post.in_bytes)),
                                    std::max<std::int64_t>(1, share(post.ops)), bytes_out, vdeps,
                                    tile + " " + post.name);
    // The post-op's input and its other operand both leave once it is done.
    free_after(operand >= 0 ? std::vector<int>{cur, operand} : std::vector<int>{cur}, {vec}, "in");
    cur = vec;
    cur_bytes = bytes_out;
  }
  if (io.keep_output) {
    kept.push_back(cur);
  } else {
    const int store = program_.move(Place::GlobalBuffer, Place::Dram, cur_bytes, {cur}, tile + " store");
    free_after({cur}, {store}, "out");
  }
  const int done = last_free >= 0 ? last_free : cur;
  released_.push_back(done);
  return done;
}

LayerOps ProgramBuilder::add_vector_layer(const Layer& layer, const std::vector<int>& gate, const VectorIo& io) {
  LayerOps out;
  out.first = static_cast<int>(program_.ops.size());
  const VectorChunks c = vector_chunks(layer, hw_);
  std::vector<int> released;  // per chunk: the free after its output has left the global buffer
  for (std::int64_t i = 0; i < c.count; ++i) {
    auto share = [&](std::int64_t total) { return c.share(total, i); };
    const std::int64_t in = std::max<std::int64_t>(1, share(c.in_bytes));
    const std::int64_t ops = std::max<std::int64_t>(1, share(c.ops));
    const std::int64_t bytes_out = std::max<std::int64_t>(1, share(c.out_bytes));
    // At most `lanes` chunks in the global buffer: chunk i waits for chunk i - lanes to have left it.
    const std::vector<int> deps = i < c.lanes ? gate : std::vector<int>{released[static_cast<std::size_t>(i - c.lanes)]};
    const std::string n = layer.name + " c" + std::to_string(i);
    if (io.fetch_bytes < 0 && io.store) {
      const int fetch = program_.move(Place::Dram, Place::GlobalBuffer, in, deps, n + " in");
      const int vec = program_.vector(in, ops, bytes_out, {fetch}, n + " vec");
      const int in_free = program_.free(fetch, {vec}, n + " in free");
      const int store = program_.move(Place::GlobalBuffer, Place::Dram, bytes_out, {vec}, n + " out");
      // After the input's free too: once it is done, nothing of this chunk is in the global buffer.
      released.push_back(program_.free(vec, {store, in_free}, n + " out free"));
      continue;
    }
    // Under `fused` (layer_io.hpp): only the part of the input in DRAM is fetched (the rest is read where
    // it lies in the global buffer), and an output that stays on chip is not stored.
    const std::int64_t fetched = io.fetch_bytes < 0 ? in : share(io.fetch_bytes);
    std::vector<int> vdeps = deps;
    const int fetch = fetched > 0 ? program_.move(Place::Dram, Place::GlobalBuffer, fetched, deps, n + " in") : -1;
    if (fetch >= 0) vdeps = {fetch};
    const int vec = program_.vector(in, ops, bytes_out, vdeps, n + " vec");
    int end = vec;
    if (fetch >= 0) end = program_.free(fetch, {vec}, n + " in free");
    if (io.store) {
      const int store = program_.move(Place::GlobalBuffer, Place::Dram, bytes_out, {vec}, n + " out");
      end = program_.free(vec, {store, end}, n + " out free");
    } else {
      out.kept.push_back(vec);
    }
    released.push_back(end);
  }
  // Every chunk's last free: the next layer starts when this one's outputs are all in DRAM.
  out.done = released;
  out.end = static_cast<int>(program_.ops.size());
  return out;
}

}  // namespace cimnet
