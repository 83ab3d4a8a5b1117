#include "mapping/mapping.hpp"

#include <algorithm>

namespace cimnet {

namespace {
std::int64_t cdiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
}  // namespace

std::string Mapping::summary() const {
  std::string s;
  if (group_pack > 1) s += "gp" + std::to_string(group_pack) + " ";
  s += "k" + std::to_string(k_split) + " r" + std::to_string(r_split);
  if (r_split > 1) s += reduce_at == ReduceLevel::L1 ? "@L1" : "@L2";
  s += " x" + std::to_string(replicas) + " t" + std::to_string(tiles);
  if (weight_slices > 1) s += " w" + std::to_string(weight_slices) + (first_tile_slices ? "f" : "");
  if (pass_groups > 0) s += " " + std::to_string(pass_groups) + "/pass";
  if (spread) s += " spread";
  if (half_capacity) s += " half";
  return s;
}

bool Mapping::operator==(const Mapping& o) const {
  return group_pack == o.group_pack && k_split == o.k_split && r_split == o.r_split && replicas == o.replicas &&
         tiles == o.tiles && half_capacity == o.half_capacity && spread == o.spread && reduce_at == o.reduce_at &&
         pass_groups == o.pass_groups && weight_slices == o.weight_slices &&
         first_tile_slices == o.first_tile_slices;
}

std::int64_t Plan::groups_in_pass(std::int64_t p) const { return std::min(places, reduction_groups - p * places); }

std::int64_t Plan::array_of(std::int64_t u, std::int64_t i) const {
  std::int64_t decoder = 0, slot = 0;
  if (!mapping.spread) {
    decoder = u % l1_decoders;
    slot = (u / l1_decoders) * mapping.r_split + i;
  } else {
    const std::int64_t j = u * mapping.r_split + i;
    decoder = j % l1_decoders;
    slot = j / l1_decoders;
  }
  return ((decoder + decoder_offset) % l1_decoders + decoder_base) * per_l1_arrays + (slot + slot_offset) % per_l1_arrays;
}

Plan make_plan(const GemmView& v, const Mapping& map, const HardwareConfig& hw, bool explain) {
  Plan p;
  p.view = v;
  p.mapping = map;
  // The message is built only when asked for (see mapping.hpp); `detail` is called lazily.
  auto fail = [&](Infeasible reason, auto detail) {
    p.feasible = false;
    p.reason = reason;
    if (explain) p.why = detail();
    return p;
  };
  auto text = [](const char* t) { return [t] { return std::string(t); }; };
  const std::int64_t arrays = hw.total_arrays();
  p.per_l1_arrays = hw.get(HwParam::MA_num_child);
  p.l1_decoders = hw.l1_decoders();
  const std::int64_t cap = hw.get(HwParam::MA_mem_size) / (map.half_capacity ? 2 : 1);
  const std::int64_t half_buffer = hw.fixed.input_buffer_bytes / 2;
  if (map.group_pack < 1 || map.group_pack > v.groups) return fail(Infeasible::OutOfRange, text("group pack out of range"));
  if (map.k_split < 1 || map.k_split > v.k) return fail(Infeasible::OutOfRange, text("k split out of range"));
  if (map.r_split < 1 || map.r_split > v.c) return fail(Infeasible::OutOfRange, text("r split out of range"));
  if (map.r_split > arrays) return fail(Infeasible::OutOfRange, text("r split larger than the number of arrays"));
  if (map.replicas < 1 || map.replicas > v.m || map.tiles < 1 || map.pass_groups < 0 || map.weight_slices < 1) {
    return fail(Infeasible::OutOfRange, text("replicas, tiles, pass groups or weight slices out of range"));
  }

  p.kt = cdiv(v.k, map.k_split);
  p.ct = cdiv(v.c, map.r_split);
  p.rt = p.ct * v.rs;
  // Weight slices: the tile's gp·kt output columns as evenly as possible, the shorter slices first.
  const std::int64_t cols = map.group_pack * p.kt;
  if (map.weight_slices > cols) {
    return fail(Infeasible::WeightSlices, [&] {
      return std::to_string(cols) + " output columns per tile cannot be cut into " +
             std::to_string(map.weight_slices) + " weight slices";
    });
  }
  p.slices = map.weight_slices;
  p.short_slices = p.slices - cols % p.slices;
  p.shorter.cols = cols / p.slices;
  p.longer.cols = p.shorter.cols + (cols % p.slices ? 1 : 0);
  p.shorter.bytes = bits_to_bytes(p.shorter.cols * p.rt, v.weight_bits);
  p.longer.bytes = bits_to_bytes(p.longer.cols * p.rt, v.weight_bits);
  p.tile_bytes = p.short_slices * p.shorter.bytes + (p.slices - p.short_slices) * p.longer.bytes;
  if (p.tile_bytes > cap) {
    return fail(Infeasible::TileCapacity, [&] {
      return "a weight tile of " + std::to_string(map.group_pack * p.kt * p.rt) + " elements (" +
             std::to_string(p.tile_bytes) + " bytes) exceeds the capacity used per array (" + std::to_string(cap) +
             " bytes of MA_mem_size)";
    });
  }
  // Streamed bytes per output position, as a fraction: gp·ct input channels × in_num/in_den pixels.
  const std::int64_t pos_num = map.group_pack * p.ct * v.in_num * v.input_bits;
  const std::int64_t pos_den = v.in_den * 8;
  const std::int64_t m_max = half_buffer * pos_den / pos_num;
  if (m_max < 1) {
    return fail(Infeasible::OnePosition, [&] {
      return "one output position needs " + std::to_string(cdiv(pos_num, pos_den)) +
             " bytes of streamed input, more than half the input buffer (" + std::to_string(half_buffer) +
             " bytes of input_buffer_bytes)";
    });
  }
  p.packs = cdiv(v.groups, map.group_pack);
  p.reduction_groups = p.packs * map.k_split;
  if (map.spread) {
    p.places = arrays / map.r_split;
  } else {
    if (map.r_split > p.per_l1_arrays) {
      return fail(Infeasible::PackedSplit, text("a packed R split must fit under one L1 decoder"));
    }
    p.per_l1_slots = p.per_l1_arrays / map.r_split;
    p.places = p.l1_decoders * p.per_l1_slots;
  }
  if (map.pass_groups > 0) {
    if (map.pass_groups > p.places) {
      return fail(Infeasible::PassGroups, [&] {
        return std::to_string(map.pass_groups) + " reduction groups per pass do not fit on " +
               std::to_string(p.places) + " places";
      });
    }
    p.places = map.pass_groups;
  }
  p.passes = cdiv(p.reduction_groups, p.places);
  if (map.replicas > 1 && p.reduction_groups * map.replicas > p.places) {
    return fail(Infeasible::Replicas, [&] {
      return "replicas do not fit: " + std::to_string(map.replicas) + " copies of " +
             std::to_string(p.reduction_groups) + " tile groups on " + std::to_string(p.places) + " places";
    });
  }
  p.replicas = map.replicas;
  p.positions_per_replica = cdiv(v.m, p.replicas);
  if (map.tiles > p.positions_per_replica) return fail(Infeasible::TooManyTiles, text("more tiles than positions"));
  p.m = cdiv(p.positions_per_replica, map.tiles);
  if (p.m > m_max) return fail(Infeasible::InputTile, text("input tile larger than half the input buffer"));
  p.reduce = map.r_split > 1;
  if (map.reduce_at == ReduceLevel::L1 && (!p.reduce || map.spread)) {
    return fail(Infeasible::ReduceAtL1, text("reduce at L1 needs an R split within one L1 decoder"));
  }
  p.stream_bytes = cdiv(p.m * pos_num, pos_den);
  p.macs = p.m * map.group_pack * p.kt * p.rt;
  // Peripheral compute: the array reads its weight tile out through its port once per input tile
  // and applies each row read to every position held in the input buffer (the buffer is the reuse).
  p.operand_bytes = p.tile_bytes;
  p.tile_outputs = p.m * map.group_pack * p.kt;
  const std::int64_t out_bits = p.reduce ? hw.fixed.psum_bits : v.output_bits;
  p.out_bytes = bits_to_bytes(p.tile_outputs, out_bits);
  if (map.first_tile_slices && (map.weight_slices == 1 || map.tiles == 1)) {
    return fail(Infeasible::WeightSlices, text("slices pacing the first tile need several slices and tiles"));
  }
  p.first_tile = map.first_tile_slices;
  p.whole.cols = cols;
  p.whole.bytes = p.tile_bytes;
  for (Plan::Slice* sl : {&p.shorter, &p.longer, &p.whole}) {
    sl->macs = p.m * sl->cols * p.rt;
    sl->outputs = p.m * sl->cols;
    sl->out_bytes = bits_to_bytes(sl->outputs, out_bits);
  }
  // A staged input: every stream flow of the fullest pass for every tile — a flow per array without a
  // K split, else one per (replica, pack, R slice), and a window of gip consecutive reduction groups
  // spans at most ceil((gip − 1) / k_split) + 1 packs.
  p.staged = p.slices > 1 && map.tiles > 1 && !p.first_tile;
  const std::int64_t gip = std::min(p.reduction_groups, p.places);
  const std::int64_t units = gip * p.replicas;
  if (p.staged) {
    const std::int64_t packs_in_pass = std::min(p.packs, cdiv(gip - 1, map.k_split) + 1);
    const std::int64_t flows = map.k_split == 1 ? units * map.r_split : p.replicas * packs_in_pass * map.r_split;
    p.staged_bytes = map.tiles * p.stream_bytes * flows;
  }
  std::int64_t in_gb = p.staged_bytes;
  bool l1_full = false;
  if (p.reduce) {
    // A tile's accumulated results (one psum per output value) and its requantised output sit in the
    // global buffer, and at L1 each decoder's results in its buffer first; two tiles may be in flight
    // (program_builder.hpp), so one tile may take half of each buffer.
    const std::int64_t results = p.out_bytes * units + bits_to_bytes(p.tile_outputs * units, v.output_bits);
    in_gb += 2 * results;
    // Packed groups are dealt round-robin over the L1 decoders (mapping.hpp): the busiest holds
    // ceil(units / decoders) of them, whatever MA_num_child is.
    const std::int64_t groups_per_l1 = cdiv(units, p.l1_decoders);
    l1_full = map.reduce_at == ReduceLevel::L1 && 2 * groups_per_l1 * p.out_bytes > hw.fixed.l1_buffer_bytes;
  }
  if (in_gb > hw.fixed.gb_bytes || l1_full) {
    return fail(Infeasible::ResultBuffer, [&] {
      return "two tiles' reduction results and the staged input (" + std::to_string(in_gb) +
             " bytes in the global buffer) need more than gb_bytes, or the results more than half of "
             "l1_buffer_bytes";
    });
  }
  p.feasible = true;
  return p;
}

}  // namespace cimnet
