// simulate(): one forked child per simulation, the result back through a pipe (encode_result: JSON,
// then the op timings as a binary table), a wall-clock timeout. The parent never touches SystemC, so a
// crash, hang or error in the model cannot take it down.
#include "models/simulate.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "common/error.hpp"
#include "common/write_all.hpp"
#include "models/segment_replay.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_groups.hpp"
#include "program/segment_validation.hpp"

namespace cimnet {

namespace {

SimResult failure(SimStatus status, std::string message) {
  SimResult r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

[[noreturn]] void run_child(int fd, const Program& program, const HardwareConfig& hardware, const SimOptions& options) {
  SimResult r;
  try {
    switch (options.test_hook) {
      case SimOptions::Hook::Crash: raise(SIGSEGV); break;
      case SimOptions::Hook::Hang:
        for (;;) pause();
      case SimOptions::Hook::Throw: throw std::runtime_error("test hook: the simulation threw");
      case SimOptions::Hook::Warn:
      case SimOptions::Hook::None: break;
    }
    r = detail::simulate_in_child(program, hardware, options);
  } catch (const InputError& e) {
    r = failure(SimStatus::InputError, e.what());
  } catch (const std::exception& e) {
    r = failure(SimStatus::Error, std::string("simulation failed: ") + e.what());
  } catch (...) {
    r = failure(SimStatus::Error, "simulation failed with an unknown exception");
  }
  const std::string text = encode_result(r);
  if (!write_all(fd, text)) _exit(3);
  close(fd);
  _exit(0);  // skip the parent's atexit handlers and static destructors
}

std::function<void(const std::string&)>& warning_observer() {
  static std::function<void(const std::string&)> observer;
  return observer;
}

}  // namespace

void set_simulation_warning_observer(std::function<void(const std::string& warning)> observer) {
  warning_observer() = std::move(observer);
}

namespace {

// Forks a child that simulates the (valid) program and reads its result.
SimResult run_forked(const Program& program, const HardwareConfig& hardware, const SimOptions& options) {
  int fds[2];
  if (pipe(fds) != 0) return failure(SimStatus::Error, std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return failure(SimStatus::Error, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(fds[1], program, hardware, options);
  }
  close(fds[1]);

  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(
                                           std::chrono::duration<double>(options.timeout_seconds));
  std::string text;
  bool timed_out = false, cancelled = false;
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (options.cancelled && options.cancelled()) {
      cancelled = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, options.cancelled ? 100 : 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child closed its end (finished or died)
    text.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out || cancelled) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancelled) return failure(SimStatus::Error, "simulation cancelled");
  if (timed_out) {
    return failure(SimStatus::Timeout, "simulation exceeded its wall-clock timeout of " +
                                           std::to_string(options.timeout_seconds) + " s and was killed");
  }
  if (WIFSIGNALED(status)) {
    return failure(SimStatus::Crashed, "simulation process died of signal " + std::to_string(WTERMSIG(status)) + " (" +
                                           strsignal(WTERMSIG(status)) + ")");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return failure(SimStatus::Crashed, "simulation process exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  SimResult result = decode_result(text, program);
  if (warning_observer()) {
    for (const auto& w : result.warnings) warning_observer()(w);
  }
  return result;
}

}  // namespace

SimResult simulate(const Program& program, const HardwareConfig& hardware, const SimOptions& options) {
  // A trace, a VCD or checkpoints asked for by the caller need the whole program's events.
  RepeatedSegments plan;
  if (options.replay_repeated_segments && options.trace_path.empty() && options.vcd_path.empty() &&
      options.counter_checkpoints.empty()) {
    try {
      // Clean cuts first: then validating the distinct segments validates the program. Where nothing
      // repeats between them (a fused program holds weights and activations across its layers), the
      // timing cuts: the program is validated, and its memories' peaks taken, by groups of segments.
      plan = find_repeated_segments(program);
      if (static_cast<double>(plan.distinct.ops.size()) >
          options.replay_max_distinct_share * static_cast<double>(program.ops.size())) {
        plan = {};  // too little repeated to pay for the replay
      }
    } catch (const InputError&) {
      plan = {};  // a cycle or a missing dependency: validate() below says so in its own words
    }
  }
  // SystemC-free: bad input never costs a fork. Every rule of validate() holds for the whole program
  // exactly when it holds for its distinct segments when nothing is held across a cut
  // (repeated_segments.hpp), and otherwise when it holds for each class's group with what it carries
  // in and what spans it (segment_validation.hpp); when one fails, the whole program is validated for
  // the message, which names its own op.
  SegmentGroups groups;  // timing cuts holding allocations: for the validation and the memories' peaks
  try {
    if (plan.repeats() && !plan.holds_across) {
      try {
        validate(plan.distinct, hardware);
      } catch (const InputError&) {
        validate(program, hardware);
        plan = {};
      }
    } else if (plan.repeats()) {
      groups = group_segments(program, plan, Memories(hardware));
      validate_segments(program, plan, hardware, groups);
    } else {
      validate(program, hardware);
    }
  } catch (const InputError& e) {
    return failure(SimStatus::InputError, e.what());
  }
  if (!plan.repeats()) return run_forked(program, hardware, options);
  SimOptions distinct = options;
  distinct.counter_checkpoints = replay_checkpoints(plan);
  distinct.count_memories = !plan.holds_across;
  try {
    SimResult r = replay_segments(run_forked(plan.distinct, hardware, distinct), program, plan, hardware, &groups);
    if (r.ok()) r.seconds = static_cast<double>(r.total_cycles) / (hardware.fixed.clock_ghz * 1e9);
    return r;
  } catch (const std::exception& e) {
    return failure(SimStatus::Error, std::string("replaying equal segments failed: ") + e.what());
  }
}

}  // namespace cimnet
