// simulate_in_process(): elaborates the model in this process, runs it and collects the result.
// The only place that starts the SystemC kernel.
#include <sys/resource.h>

#include <chrono>
#include <stdexcept>

#include <systemc>

#include "common/error.hpp"
#include "models/context.hpp"
#include "models/resource_level.hpp"
#include "models/simulate.hpp"
#include "models/top.hpp"
#include "models/trace.hpp"
#include "models/vcd.hpp"
#include "program/memories.hpp"

// libsystemc refers to sc_main; cimnet's programs have their own main() and never call it.
int sc_main(int, char*[]) { return 0; }

namespace cimnet {

namespace {

std::string level_of(const model::Resource& r) { return model::resource_level(r.name(), r.kind()); }

// Collects the SystemC warnings of one run into its result. Installed for the run only; the handler
// it replaces gets every report too, except collected warnings when `hand_on` is false.
class WarningCollector {
 public:
  WarningCollector(std::vector<std::string>& into, bool hand_on) {
    into_ = &into;
    hand_on_ = hand_on;
    previous_ = sc_core::sc_report_handler::set_handler(&WarningCollector::handle);
    if (!previous_) previous_ = &sc_core::sc_report_handler::default_handler;
  }
  ~WarningCollector() {
    sc_core::sc_report_handler::set_handler(previous_);
    into_ = nullptr;
  }
  WarningCollector(const WarningCollector&) = delete;
  WarningCollector& operator=(const WarningCollector&) = delete;

 private:
  static void handle(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
    if (report.get_severity() == sc_core::SC_WARNING && into_) {
      // As SystemC prints it: "(W571) no activity ..." for the kernel's numbered warnings.
      std::string text = report.get_id() >= 0 ? "(W" + std::to_string(report.get_id()) + ") " : "";
      text += report.get_msg_type();
      if (*report.get_msg()) text += std::string(": ") + report.get_msg();
      into_->push_back(text);
      if (!hand_on_) return;
    }
    previous_(report, actions);
  }
  // SystemC's handler is a plain function pointer: the state is static (one run per process).
  static inline std::vector<std::string>* into_ = nullptr;
  static inline bool hand_on_ = true;
  static inline sc_core::sc_report_handler_proc previous_ = nullptr;
};

SimResult run(const Program& program, const HardwareConfig& hardware, const SimOptions& options, bool hand_on);

}  // namespace

SimResult simulate_in_process(const Program& program, const HardwareConfig& hardware, const SimOptions& options) {
  return run(program, hardware, options, true);
}

SimResult detail::simulate_in_child(const Program& program, const HardwareConfig& hardware,
                                    const SimOptions& options) {
  return run(program, hardware, options, false);
}

namespace {

SimResult run(const Program& program, const HardwareConfig& hardware, const SimOptions& options, bool hand_on) {
  static bool used = false;
  if (used) throw std::logic_error("simulate_in_process: SystemC elaborates once per process; use simulate()");
  used = true;
  // simulate() validated the program before forking this child (validate() costs seconds on the
  // largest two-inference programs): only a run in the caller's process validates here.
  if (hand_on) validate(program, hardware);

  std::vector<std::string> warnings;
  const WarningCollector collector(warnings, hand_on);
  const auto t0 = std::chrono::steady_clock::now();
  model::ModelContext ctx(hardware, !options.trace_path.empty() || !options.vcd_path.empty());
  ctx.set_op_count(program.ops.size());
  ctx.set_checkpoints(options.counter_checkpoints);
  ctx.count_memories(options.count_memories);
  model::Top top("top", ctx, program);
  sc_core::sc_start();
  const auto t1 = std::chrono::steady_clock::now();
  if (options.test_hook == SimOptions::Hook::Warn) sc_core::sc_start();  // nothing left: the kernel warns (W571)
  if (!top.controller->error().empty()) throw std::runtime_error(top.controller->error());

  SimResult r;
  r.status = SimStatus::Ok;
  r.total_cycles = top.controller->total_cycles();
  r.seconds = static_cast<double>(r.total_cycles) / (hardware.fixed.clock_ghz * 1e9);
  r.arrays = hardware.total_arrays();
  r.transport_calls = ctx.calls;
  r.wall_seconds = std::chrono::duration<double>(t1 - t0).count();
  for (const auto& res : ctx.resources()) {
    ModuleStats m;
    m.name = res.name();
    m.kind = res.kind();
    m.busy_cycles = res.busy();
    m.utilisation = r.total_cycles > 0 ? static_cast<double>(res.busy()) / static_cast<double>(r.total_cycles) : 0;
    m.bytes_down = res.bytes_down();
    m.bytes_up = res.bytes_up();
    m.transactions = res.transactions();
    r.hop_events += res.transactions();
    r.modules.push_back(m);
    const std::string level = level_of(res);
    if (model::moves_bytes(level)) {
      r.bytes[level + ".down"] += res.bytes_down();
      r.bytes[level + ".up"] += res.bytes_up();
    }
  }
  for (const auto& c : ctx.checkpoints()) r.checkpoints.push_back({c.op, c.calls, c.counters});
  int lanes = 0;
  const auto& records = top.controller->records();
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    OpTiming t;
    t.id = static_cast<int>(i);
    t.name = op.name;
    t.kind = to_string(op.kind);
    t.ready = records[i].ready;
    t.start = records[i].start;
    t.end = records[i].end;
    const int bound = ctx.bound_of(t.id, &t.bound_cycles);
    t.bound = bound >= 0 ? ctx.resources()[static_cast<std::size_t>(bound)].name() : "none";
    r.bound_counts[bound >= 0 ? level_of(ctx.resources()[static_cast<std::size_t>(bound)]) : "none"] += 1;
    if (t.start > t.ready) r.bound_counts["input_buffer_wait"] += 1;
    lanes = std::max(lanes, records[i].lane + 1);
    r.ops.push_back(std::move(t));
  }
  {
    std::vector<std::int64_t> peaks;
    for (const auto& use : ctx.memories()) peaks.push_back(use.peak_bytes());
    r.memories = memory_stats(Memories(hardware), peaks);
  }
  if (!options.trace_path.empty()) {
    std::vector<std::int64_t> starts(program.ops.size()), ends(program.ops.size());
    for (std::size_t i = 0; i < program.ops.size(); ++i) {
      starts[i] = records[i].start;
      ends[i] = records[i].end;
    }
    model::write_trace(options.trace_path, ctx, program, lanes, starts, ends, options.op_energy_pj,
                       options.static_power_mw);
  }
  if (!options.vcd_path.empty()) model::write_vcd(options.vcd_path, ctx, r.total_cycles, options.vcd_window_cycles);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  r.peak_rss_kib = usage.ru_maxrss;
  r.warnings = std::move(warnings);
  if (!r.warnings.empty()) {
    // A warning means SystemC found the model doing something suspect: the run is not a result to
    // trust. Its numbers stay in the result for diagnosis; its status says it failed.
    r.status = SimStatus::Error;
    r.message = "SystemC warning: " + r.warnings.front() +
                (r.warnings.size() > 1 ? " (and " + std::to_string(r.warnings.size() - 1) + " more)" : "");
  }
  return r;
}

}  // namespace

}  // namespace cimnet
