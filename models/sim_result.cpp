// SimResult <-> JSON: how the forked child hands its result to the parent. SystemC-free.
#include <nlohmann/json.hpp>

#include "models/simulate.hpp"

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

const ModuleStats* SimResult::module(const std::string& name) const {
  for (const auto& m : modules) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string to_json(const SimResult& r) {
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
  auto& mods = j["modules"] = nlohmann::json::array();
  for (const auto& m : r.modules) {
    mods.push_back({{"name", m.name}, {"kind", m.kind}, {"busy_cycles", m.busy_cycles}, {"utilisation", m.utilisation},
                    {"bytes_down", m.bytes_down}, {"bytes_up", m.bytes_up}, {"transactions", m.transactions}});
  }
  auto& ops = j["ops"] = nlohmann::json::array();
  for (const auto& o : r.ops) {
    ops.push_back({{"id", o.id}, {"name", o.name}, {"kind", o.kind}, {"ready", o.ready}, {"start", o.start},
                   {"end", o.end}, {"bound", o.bound}, {"bound_cycles", o.bound_cycles}});
  }
  return j.dump();
}

SimResult result_from_json(const std::string& text) {
  SimResult r;
  try {
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
    for (const auto& m : j.at("modules")) {
      r.modules.push_back({m.at("name").get<std::string>(), m.at("kind").get<std::string>(),
                           m.at("busy_cycles").get<std::int64_t>(), m.at("utilisation").get<double>(),
                           m.at("bytes_down").get<std::int64_t>(), m.at("bytes_up").get<std::int64_t>(),
                           m.at("transactions").get<std::int64_t>()});
    }
    for (const auto& o : j.at("ops")) {
      r.ops.push_back({o.at("id").get<int>(), o.at("name").get<std::string>(), o.at("kind").get<std::string>(),
                       o.at("ready").get<std::int64_t>(), o.at("start").get<std::int64_t>(),
                       o.at("end").get<std::int64_t>(), o.at("bound").get<std::string>(),
                       o.at("bound_cycles").get<std::int64_t>()});
    }
  } catch (const std::exception& e) {
    SimResult bad;
    bad.status = SimStatus::Error;
    bad.message = std::string("unreadable result from the simulation process: ") + e.what();
    return bad;
  }
  return r;
}

}  // namespace cimnet
