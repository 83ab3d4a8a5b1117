#include "evaluation/worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/clock.hpp"
#include "common/text.hpp"
#include "common/write_all.hpp"

namespace cimnet::evaluation {

namespace {

struct Running {
  pid_t pid = -1;
  int fd = -1;
  std::size_t task = 0;
  double start = 0;
  std::string data;
};

[[noreturn]] void run_worker(int fd, pid_t parent, std::size_t task, const PoolHooks& hooks) {
  // Own process group: a terminal's Ctrl-C goes to the coordinator only, which then kills us.
  setpgid(0, 0);
  // Die with the coordinator; if it died before this line ran, getppid() already differs.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  nlohmann::json out;
  try {
    out["fields"] = hooks.work(task);
    out["status"] = "ok";
  } catch (const std::exception& e) {
    out["status"] = "error";
    out["message"] = e.what();
  } catch (...) {
    out["status"] = "error";
    out["message"] = "the evaluation threw an unknown exception";
  }
  const std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!write_all(fd, text)) _exit(3);
  _exit(0);  // no atexit handlers or static destructors of the coordinator's state
}

Running spawn(std::size_t task, const PoolHooks& hooks) {
  if (hooks.prepare) hooks.prepare(task);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int e = errno;
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    close(fds[0]);
    run_worker(fds[1], parent, task, hooks);
  }
  setpgid(pid, pid);  // also here: whichever of parent and child runs first, the group exists
  close(fds[1]);
  Running r;
  r.pid = pid;
  r.fd = fds[0];
  r.task = task;
  r.start = monotonic_seconds();
  return r;
}

int reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void kill_worker(Running& r) {
  kill(-r.pid, SIGKILL);  // the whole group: an evaluator may have forked helpers
  kill(r.pid, SIGKILL);
  close(r.fd);
  reap(r.pid);
}

TaskOutcome finish(Running& r) {
  close(r.fd);
  const int status = reap(r.pid);
  kill(-r.pid, SIGKILL);  // helpers the worker left behind
  TaskOutcome o;
  o.task = r.task;
  o.wall_seconds = monotonic_seconds() - r.start;
  o.status = "error";
  if (WIFSIGNALED(status)) {
    o.message = "worker died of signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return o;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    o.message = "worker exited with status " + std::to_string(WEXITSTATUS(status));
    return o;
  }
  try {
    const auto j = nlohmann::json::parse(r.data);
    o.status = j.at("status").get<std::string>();
    if (j.contains("message")) o.message = j["message"].get<std::string>();
    if (j.contains("fields")) o.fields = j["fields"].get<Fields>();
  } catch (const std::exception& e) {
    o.status = "error";
    o.message = std::string("worker sent an unreadable result: ") + e.what();
    o.fields.clear();
    return o;
  }
  // An evaluator reports a point it cannot evaluate through the status and message fields.
  if (auto it = o.fields.find("status"); it != o.fields.end()) {
    o.status = it->second;
    o.fields.erase(it);
  }
  if (auto it = o.fields.find("message"); it != o.fields.end()) {
    o.message = it->second;
    o.fields.erase(it);
  }
  if (o.status != "ok" && o.status != "error") {
    o.message = "evaluator returned status '" + o.status + "' (expected ok or error)";
    o.status = "error";
  }
  return o;
}

}  // namespace

int default_jobs() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

bool run_pool(const std::vector<std::size_t>& tasks, const PoolOptions& options, const PoolHooks& hooks) {
  if (options.jobs < 1) throw std::logic_error("run_pool: jobs must be at least 1");
  std::vector<Running> running;
  std::vector<std::size_t> queue = tasks;
  std::size_t next = 0;
  bool open = static_cast<bool>(hooks.feed);
  const auto stop_all = [&] {
    for (auto& r : running) kill_worker(r);
    running.clear();
  };
  try {
    for (;;) {
      if (hooks.should_stop && hooks.should_stop()) {
        stop_all();
        return false;
      }
      if (open && next == queue.size() && static_cast<int>(running.size()) < options.jobs) {
        open = hooks.feed(queue);
      }
      while (static_cast<int>(running.size()) < options.jobs && next < queue.size()) {
        running.push_back(spawn(queue[next++], hooks));
      }
      if (running.empty() && !open) break;

      double wait = options.tick_seconds;
      const double now = monotonic_seconds();
      if (options.timeout_seconds > 0) {
        for (const auto& r : running) wait = std::min(wait, r.start + options.timeout_seconds - now);
      }
      std::vector<pollfd> fds;
      for (const auto& r : running) fds.push_back({r.fd, POLLIN, 0});
      // The feed wakes the pool only when a slot is free (else a pending arrival would spin the loop).
      if (open && hooks.feed_fd >= 0 && static_cast<int>(running.size()) < options.jobs) {
        fds.push_back({hooks.feed_fd, POLLIN, 0});  // last: not a worker
      }
      const int ready = poll(fds.data(), fds.size(), std::max(0, static_cast<int>(wait * 1000) + 1));
      if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));

      std::vector<TaskOutcome> finished;
      std::vector<bool> gone(running.size(), false);
      if (ready > 0) {
        for (std::size_t i = 0; i < running.size(); ++i) {  // the feed's entry, if any, is after these
          if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
          char buf[65536];
          const ssize_t n = read(running[i].fd, buf, sizeof buf);
          if (n < 0 && errno == EINTR) continue;
          if (n > 0) {
            running[i].data.append(buf, static_cast<std::size_t>(n));
            continue;
          }
          finished.push_back(finish(running[i]));  // EOF (or a read error): the worker is done
          gone[i] = true;
        }
      }
      if (options.timeout_seconds > 0) {
        const double t = monotonic_seconds();
        for (std::size_t i = 0; i < running.size(); ++i) {
          if (gone[i] || t - running[i].start < options.timeout_seconds) continue;
          kill_worker(running[i]);
          TaskOutcome o;
          o.task = running[i].task;
          o.status = "timeout";
          o.message = "evaluation exceeded --timeout-per-sample " + format_number(options.timeout_seconds) +
                      " s and was killed";
          o.wall_seconds = t - running[i].start;
          finished.push_back(std::move(o));
          gone[i] = true;
        }
      }
      std::vector<Running> still;
      for (std::size_t i = 0; i < running.size(); ++i) {
        if (!gone[i]) still.push_back(std::move(running[i]));
      }
      running = std::move(still);
      for (const auto& o : finished) hooks.done(o);
      if (hooks.tick) hooks.tick();
    }
  } catch (...) {
    stop_all();
    throw;
  }
  return true;
}

}  // namespace cimnet::evaluation
