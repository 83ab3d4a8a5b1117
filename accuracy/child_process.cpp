#include "accuracy/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "common/error.hpp"

namespace cimnet {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

ChildProcess::ChildProcess(const std::string& command) {
  // stdin is a socket so that writing to an exited child can be told not to raise SIGPIPE
  // (MSG_NOSIGNAL), which would otherwise kill cimnet; stdout is an ordinary pipe.
  int in_pair[2];
  int out_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
    throw InputError("cannot create a socket pair for '" + command + "': " + std::strerror(errno));
  }
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in_pair[0]);
    ::close(in_pair[1]);
    throw InputError("cannot create a pipe for '" + command + "': " + std::strerror(e));
  }
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  long max_fd = ::sysconf(_SC_OPEN_MAX);
  if (max_fd < 0 || max_fd > 65536) max_fd = 65536;
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    for (int fd : {in_pair[0], in_pair[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    throw InputError("cannot start '" + command + "': fork failed: " + std::strerror(e));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);  // the command gets ordinary pipe semantics whatever cimnet does
    ::dup2(in_pair[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    // Other descriptors cimnet holds (dataset files, other children's pipes) must not leak into the
    // command: a leaked write end would keep another pipe from ever reporting its end.
    for (long fd = 3; fd < max_fd; ++fd) ::close(static_cast<int>(fd));
    ::execv("/bin/sh", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: whichever of parent and child runs first, the group exists
  ::close(in_pair[0]);
  ::close(out_pipe[1]);
  pid_ = pid;
  to_child_ = in_pair[1];
  from_child_ = out_pipe[0];
  set_nonblocking(to_child_);
  set_nonblocking(from_child_);
}

ChildProcess::~ChildProcess() {
  if (to_child_ >= 0) ::close(to_child_);
  to_child_ = -1;
  if (pid_ > 0 && !reap(1.0)) kill();
  if (from_child_ >= 0) ::close(from_child_);
}

void ChildProcess::send(const std::string& bytes) {
  out_ += bytes;
  flush_some();
}

void ChildProcess::flush_some() {
  while (!out_.empty() && to_child_ >= 0) {
    const ssize_t n = ::send(to_child_, out_.data(), out_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      out_.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      // The child closed its stdin (exited, or stopped reading for good): drop what is queued; the
      // end of its output, which follows, says what happened.
      out_.clear();
      return;
    }
  }
}

ChildProcess::Read ChildProcess::read_line(std::string& line, double timeout_seconds) {
  const double deadline = now_seconds() + timeout_seconds;
  bool eof = false;
  for (;;) {
    const std::size_t nl = in_.find('\n');
    if (nl != std::string::npos) {
      line = in_.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      in_.erase(0, nl + 1);
      return Read::line;
    }
    if (in_.size() > max_line) return Read::too_long;
    if (eof) return Read::eof;
    const double remaining = deadline - now_seconds();
    if (remaining <= 0) return Read::timeout;
    pollfd fds[2] = {{from_child_, POLLIN, 0}, {to_child_, POLLOUT, 0}};
    const nfds_t count = out_.empty() || to_child_ < 0 ? 1 : 2;
    const int ms = static_cast<int>(std::ceil(std::min(remaining, 3600.0) * 1000.0));
    const int ready = ::poll(fds, count, ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw InputError(std::string("poll on the command's pipes failed: ") + std::strerror(errno));
    }
    if (count == 2 && fds[1].revents != 0) flush_some();
    if (fds[0].revents != 0) {
      char buf[65536];
      const ssize_t n = ::read(from_child_, buf, sizeof buf);
      if (n > 0) {
        in_.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0) {
        eof = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        eof = true;
      }
    }
  }
}

bool ChildProcess::reap(double wait_seconds) {
  if (exited_ || pid_ <= 0) return true;
  const double deadline = now_seconds() + wait_seconds;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) {
      exited_ = true;
      return true;
    }
    if (now_seconds() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ChildProcess::exit_description(double grace_seconds) {
  if (!reap(grace_seconds)) return "closed its output but is still running";
  if (WIFEXITED(status_)) {
    const int code = WEXITSTATUS(status_);
    std::string s = "exited with status " + std::to_string(code);
    if (code == 127) s += " (command not found?)";
    return s;
  }
  if (WIFSIGNALED(status_)) {
    const int sig = WTERMSIG(status_);
    return "was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  return "ended";
}

void ChildProcess::kill() {
  if (pid_ <= 0 || exited_) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  exited_ = true;
}

}  // namespace cimnet
