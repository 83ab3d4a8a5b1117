#include "evaluation/rank_server.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace cimnet::evaluation {

RankServer fork_rank_server(const std::function<void(int fd)>& serve) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) {
    const int e = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    ::close(sv[0]);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    serve(sv[1]);
    _exit(0);
  }
  ::close(sv[1]);
  signal(SIGPIPE, SIG_IGN);
  return RankServer{pid, sv[0]};
}

void stop_rank_server(const RankServer& server) {
  if (server.pid > 0) kill(server.pid, SIGTERM);  // never kill(-1, ...): that is every process
}

void end_rank_server(RankServer& server, bool stop) {
  if (server.pid <= 0) return;
  if (stop) stop_rank_server(server);
  if (server.fd >= 0) ::close(server.fd);
  server.fd = -1;
  int status = 0;
  while (waitpid(server.pid, &status, 0) < 0 && errno == EINTR) {
  }
  server.pid = -1;
}

}  // namespace cimnet::evaluation
