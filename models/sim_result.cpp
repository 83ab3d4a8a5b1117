// SimResult on the pipe: how the forked child hands its result to the parent. SystemC-free.
//
// Everything but the op timings goes as JSON; the op timings, one per op of the program (a quarter of
// a million on the largest two-inference programs), go as a binary table after it, without the op
// names and kinds, which the parent takes from its own copy of the program. As JSON they were a sixth
// of a ViT-B/16 simulation's time, writing and parsing them.
//
//   "CIMR" · u64 json bytes · json · u64 ops · ops × (i64 ready, start, end, bound_cycles · u32 bound)
//   · u32 bound names · names × (u32 bytes · bytes)
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "models/simulate.hpp"
#include "program/memories.hpp"

namespace cimnet {

const char* to_string(SimStatus s) {
  switch (s) {
    case SimStatus::Ok: return "ok";
    case SimStatus::InputError: return "input_error";
    case SimStatus::Error: return "error";
    case SimStatus::Crashed: return "crashed";
    case SimStatus::Timeout: return "timeout";
  }
  return "error";
}

std::vector<MemoryStats> memory_stats(const Memories& memories, const std::vector<std::int64_t>& peaks) {
  std::vector<MemoryStats> out;
  std::size_t busiest = 0;
  for (std::size_t m = 0; m < memories.count(); ++m) {
    if (memories.is_array(m)) {
      if (peaks.at(m) > peaks.at(busiest)) busiest = m;
    } else {
      out.push_back({memories.short_name(m), memories.capacity(m), peaks.at(m)});
    }
  }
  out.insert(out.begin(), MemoryStats{memories.short_name(busiest), memories.capacity(busiest), peaks.at(busiest)});
  return out;
}

const ModuleStats* SimResult::module(const std::string& name) const {
  for (const auto& m : modules) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

namespace {

std::string head_json(const SimResult& r) {
  nlohmann::json j;
  j["status"] = to_string(r.status);
  j["message"] = r.message;
  j["total_cycles"] = r.total_cycles;
  j["seconds"] = r.seconds;
  j["bytes"] = r.bytes;
  j["bound_counts"] = r.bound_counts;
  nlohmann::json memories = nlohmann::json::array();
  for (const auto& m : r.memories) memories.push_back({{"name", m.name}, {"capacity", m.capacity}, {"peak_bytes", m.peak_bytes}});
  j["memories"] = memories;
  j["transport_calls"] = r.transport_calls;
  j["hop_events"] = r.hop_events;
  j["arrays"] = r.arrays;
  j["wall_seconds"] = r.wall_seconds;
  j["peak_rss_kib"] = r.peak_rss_kib;
  j["warnings"] = r.warnings;
  j["segments"] = r.segments;
  j["segments_timed"] = r.segments_timed;
  auto& checkpoints = j["checkpoints"] = nlohmann::json::array();
  for (const auto& c : r.checkpoints) {
    checkpoints.push_back({{"op", c.op}, {"transport_calls", c.transport_calls}, {"counters", c.counters}});
  }
  auto& mods = j["modules"] = nlohmann::json::array();
  for (const auto& m : r.modules) {
    mods.push_back({{"name", m.name}, {"kind", m.kind}, {"busy_cycles", m.busy_cycles}, {"utilisation", m.utilisation},
                    {"bytes_down", m.bytes_down}, {"bytes_up", m.bytes_up}, {"transactions", m.transactions}});
  }
  return j.dump();
}

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Reads from `text` at `at`, throwing when it runs out (a truncated result).
class Reader {
 public:
  explicit Reader(const std::string& text) : text_(text) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string bytes(std::size_t n) { return std::string(take(n), n); }
  bool done() const { return at_ == text_.size(); }

 private:
  const char* take(std::size_t n) {
    if (n > text_.size() - at_) throw std::runtime_error("truncated");
    const char* p = text_.data() + at_;
    at_ += n;
    return p;
  }
  const std::string& text_;
  std::size_t at_ = 0;
};

SimResult head_from_json(const std::string& text) {
  SimResult r;

  const nlohmann::json j = nlohmann::json::parse(text);
    const std::string status = j.at("status").get<std::string>();
    for (SimStatus s : {SimStatus::Ok, SimStatus::InputError, SimStatus::Error, SimStatus::Crashed, SimStatus::Timeout}) {
      if (status == to_string(s)) r.status = s;
    }
    r.message = j.at("message").get<std::string>();
    r.total_cycles = j.at("total_cycles").get<std::int64_t>();
    r.seconds = j.at("seconds").get<double>();
    r.bytes = j.at("bytes").get<std::map<std::string, std::int64_t>>();
    r.bound_counts = j.at("bound_counts").get<std::map<std::string, std::int64_t>>();
    for (const auto& m : j.at("memories")) {
      r.memories.push_back({m.at("name").get<std::string>(), m.at("capacity").get<std::int64_t>(),
                            m.at("peak_bytes").get<std::int64_t>()});
    }
    r.transport_calls = j.at("transport_calls").get<std::int64_t>();
    r.hop_events = j.at("hop_events").get<std::int64_t>();
    r.arrays = j.at("arrays").get<std::int64_t>();
    r.wall_seconds = j.at("wall_seconds").get<double>();
    r.peak_rss_kib = j.at("peak_rss_kib").get<std::int64_t>();
    r.warnings = j.at("warnings").get<std::vector<std::string>>();
    r.segments = j.at("segments").get<std::int64_t>();
    r.segments_timed = j.at("segments_timed").get<std::int64_t>();
    for (const auto& c : j.at("checkpoints")) {
      r.checkpoints.push_back({c.at("op").get<int>(), c.at("transport_calls").get<std::int64_t>(),
                               c.at("counters").get<std::vector<std::int64_t>>()});
    }
    for (const auto& m : j.at("modules")) {
      r.modules.push_back({m.at("name").get<std::string>(), m.at("kind").get<std::string>(),
                           m.at("busy_cycles").get<std::int64_t>(), m.at("utilisation").get<double>(),
                           m.at("bytes_down").get<std::int64_t>(), m.at("bytes_up").get<std::int64_t>(),
                           m.at("transactions").get<std::int64_t>()});
    }
  return r;
}

}  // namespace

std::string encode_result(const SimResult& r) {
  const std::string head = head_json(r);
  std::string out = "CIMR";
  put<std::uint64_t>(out, head.size());
  out += head;
  put<std::uint64_t>(out, r.ops.size());
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t> index;
  out.reserve(out.size() + r.ops.size() * 36);
  for (std::size_t i = 0; i < r.ops.size(); ++i) {
    const OpTiming& o = r.ops[i];
    if (o.id != static_cast<int>(i)) throw std::logic_error("encode_result: op timings out of order");
    put<std::int64_t>(out, o.ready);
    put<std::int64_t>(out, o.start);
    put<std::int64_t>(out, o.end);
    put<std::int64_t>(out, o.bound_cycles);
    const auto [it, added] = index.emplace(o.bound, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(o.bound);
    put<std::uint32_t>(out, it->second);
  }
  put<std::uint32_t>(out, static_cast<std::uint32_t>(names.size()));
  for (const std::string& n : names) {
    put<std::uint32_t>(out, static_cast<std::uint32_t>(n.size()));
    out += n;
  }
  return out;
}

SimResult decode_result(const std::string& bytes, const Program& program) {
  try {
    Reader in(bytes);
    if (in.bytes(4) != "CIMR") throw std::runtime_error("not a result");
    SimResult r = head_from_json(in.bytes(static_cast<std::size_t>(in.get<std::uint64_t>())));
    const std::uint64_t count = in.get<std::uint64_t>();
    if (count != 0 && count != program.ops.size()) throw std::runtime_error("op count differs from the program's");
    std::vector<std::uint32_t> bound(static_cast<std::size_t>(count));
    r.ops.resize(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < r.ops.size(); ++i) {
      OpTiming& o = r.ops[i];
      o.id = static_cast<int>(i);
      o.name = program.ops[i].name;
      o.kind = to_string(program.ops[i].kind);
      o.ready = in.get<std::int64_t>();
      o.start = in.get<std::int64_t>();
      o.end = in.get<std::int64_t>();
      o.bound_cycles = in.get<std::int64_t>();
      bound[i] = in.get<std::uint32_t>();
    }
    std::vector<std::string> names(in.get<std::uint32_t>());
    for (std::string& n : names) n = in.bytes(in.get<std::uint32_t>());
    for (std::size_t i = 0; i < r.ops.size(); ++i) {
      if (bound[i] >= names.size()) throw std::runtime_error("bad resource index");
      r.ops[i].bound = names[bound[i]];
    }
    if (!in.done()) throw std::runtime_error("trailing bytes");
    return r;
  } catch (const std::exception& e) {
    SimResult bad;
    bad.status = SimStatus::Error;
    bad.message = std::string("unreadable result from the simulation process: ") + e.what();
    return bad;
  }
}

}  // namespace cimnet
