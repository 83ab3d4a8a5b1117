// The MPI run: one fork-free MPI process per rank, each with a pool server forked before MPI_Init
// (see mpi_job.hpp for why).
#include "dataset/mpi_job.hpp"

#include <mpi.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"
#include "dataset/csv_line.hpp"
#include "dataset/output.hpp"
#include "dataset/progress.hpp"
#include "dataset/stop_signal.hpp"

namespace cimnet::dataset {

namespace {

enum Tag : int { kRow = 1, kDone = 2, kStop = 3, kFin = 4 };

bool write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads until `lines` complete lines have arrived (false on EOF first).
bool read_lines(int fd, std::size_t lines, std::string& text) {
  char buf[4096];
  for (;;) {
    std::size_t have = 0;
    for (char c : text) have += c == '\n';
    if (have >= lines) return true;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

// The pool server: an MPI-free child of the rank. Protocol on the socket: the rank sends "K\n" and K
// lines of point indices; the server sends "<status> <csv row>\n" per finished point and closes.
// SIGTERM (from the rank, or the kernel when the rank dies) stops it like SIGTERM stops a local run.
[[noreturn]] void serve(Plan& plan, int fd) {
  setpgid(0, 0);  // a terminal's Ctrl-C is for the rank to handle
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  signal(SIGPIPE, SIG_IGN);
  StopSignal stop;
  std::string text;
  if (!read_lines(fd, 1, text)) _exit(0);  // the rank gave up before sending work (bad input)
  const auto count = static_cast<std::size_t>(std::stoull(text.substr(0, text.find('\n'))));
  if (!read_lines(fd, count + 1, text)) _exit(0);
  std::vector<std::size_t> tasks;
  const auto lines = split(text, '\n');
  for (std::size_t i = 1; i <= count; ++i) tasks.push_back(static_cast<std::size_t>(std::stoull(lines[i])));

  PoolHooks hooks;
  hooks.prepare = [&plan](std::size_t i) { plan.prepare(i); };
  hooks.work = [&plan](std::size_t i) { return plan.work(i); };
  hooks.done = [&](const TaskOutcome& o) {
    if (!write_all(fd, o.status + " " + format_csv_line(plan.row(o)))) StopSignal::request(SIGTERM);
  };
  hooks.should_stop = [] { return StopSignal::requested(); };
  PoolOptions options;
  options.jobs = plan.options().jobs;
  options.timeout_seconds = plan.options().timeout_seconds;
  try {
    run_pool(tasks, options, hooks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dataset: pool server: %s\n", e.what());
    _exit(1);
  }
  ::close(fd);
  _exit(0);
}

void broadcast_string(std::string& s, int rank) {
  unsigned long long size = s.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  if (rank != 0) s.assign(size, '\0');
  if (size > 0) MPI_Bcast(s.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
}

void reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

int run_mpi_job(Plan& plan) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  std::fflush(nullptr);
  const pid_t server = fork();  // before MPI_Init: the server never holds MPI state
  if (server < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (server == 0) {
    ::close(sv[0]);
    serve(plan, sv[1]);
  }
  ::close(sv[1]);
  const int fd = sv[0];
  signal(SIGPIPE, SIG_IGN);

  MPI_Init(nullptr, nullptr);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  // Rank 0 alone touches the file; everyone learns the outcome before any work starts.
  const std::size_t n = plan.list().points.size();
  std::optional<Output> output;
  std::string error;
  std::vector<char> done(n, 0);
  if (rank == 0) {
    try {
      output.emplace(open_output(plan));
      if (!plan.accuracy_note().empty()) std::cerr << "note: dataset: " << plan.accuracy_note() << '\n';
      for (std::size_t i = 0; i < n; ++i) done[i] = output->done[i] ? 1 : 0;
    } catch (const InputError& e) {
      error = e.what();
    }
  }
  broadcast_string(error, rank);
  if (!error.empty()) {
    ::close(fd);
    reap(server);
    MPI_Finalize();
    if (rank == 0) throw InputError(error);
    return 2;
  }
  MPI_Bcast(done.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);

  std::vector<std::size_t> remaining;
  for (std::size_t i : plan.slice()) {
    if (!done[i]) remaining.push_back(i);
  }
  std::string tasks;
  std::size_t mine = 0;
  for (std::size_t k = 0; k < remaining.size(); ++k) {
    if (static_cast<int>(k % static_cast<std::size_t>(size)) != rank) continue;
    tasks += std::to_string(remaining[k]) + "\n";
    ++mine;
  }
  write_all(fd, std::to_string(mine) + "\n" + tasks);

  std::optional<Progress> progress;
  if (rank == 0) {
    progress.emplace(remaining.size(), output->done_count, plan.options().progress);
    if (output->done_count > 0) {
      std::cerr << "dataset: resuming " << plan.options().out << ": " << output->done_count << " points done, "
                << remaining.size() << " to go over " << size << " ranks\n";
    }
  }
  StopSignal stop;
  const auto handle_row = [&](const std::string& message) {
    if (rank != 0) {
      MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kRow, MPI_COMM_WORLD);
      return;
    }
    const std::size_t space = message.find(' ');
    const std::string line = message.substr(space + 1);
    const auto index = static_cast<std::size_t>(std::stoull(line.substr(0, line.find(','))));
    output->writer->write(line);
    output->done[index] = true;
    progress->add(message.substr(0, space));
  };

  std::string pending;
  bool server_done = false;
  bool stop_sent = false;
  int others_done = 0;
  for (;;) {
    if (StopSignal::requested() && !stop_sent) {
      kill(server, SIGTERM);
      stop_sent = true;
      if (rank == 0) {
        for (int r = 1; r < size; ++r) MPI_Send(nullptr, 0, MPI_CHAR, r, kStop, MPI_COMM_WORLD);
      }
    }
    if (!server_done) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) > 0) {
        char buf[65536];
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got > 0) {
          pending.append(buf, static_cast<std::size_t>(got));
          std::size_t eol;
          while ((eol = pending.find('\n')) != std::string::npos) {
            handle_row(pending.substr(0, eol + 1));
            pending.erase(0, eol + 1);
          }
        } else if (got == 0 || errno != EINTR) {
          server_done = true;  // EOF: the server finished (or was stopped) and exited
          reap(server);
          if (rank != 0) MPI_Send(nullptr, 0, MPI_CHAR, 0, kDone, MPI_COMM_WORLD);
        }
      }
    } else {
      usleep(10000);
    }
    int flag = 0;
    MPI_Status st;
    while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
      if (rank != 0 && server_done) break;  // leave the rest (STOP, FIN) to the wait below
      int count = 0;
      MPI_Get_count(&st, MPI_CHAR, &count);
      std::string message(static_cast<std::size_t>(count), '\0');
      MPI_Recv(message.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (rank == 0 && st.MPI_TAG == kRow) handle_row(message);
      if (rank == 0 && st.MPI_TAG == kDone) ++others_done;
      if (rank != 0 && st.MPI_TAG == kStop) StopSignal::request(SIGTERM);
    }
    if (rank == 0) progress->tick();
    if (server_done && (rank != 0 || others_done == size - 1)) break;
  }
  ::close(fd);

  int status = 0;
  if (rank == 0) {
    for (int r = 1; r < size; ++r) MPI_Send(nullptr, 0, MPI_CHAR, r, kFin, MPI_COMM_WORLD);
    progress->finish();
    if (StopSignal::requested()) {
      output->writer->close();
      status = 128 + StopSignal::signal_number();
      std::cerr << "dataset: stopped; " << plan.options().out << " holds every finished row; continue with --resume\n";
    } else if (finish_output(plan, *output)) {
      std::cerr << "dataset: " << plan.options().out << " complete (" << size << " ranks)\n";
    } else {
      status = 1;
      std::cerr << "dataset: points left undone after the ranks finished\n";
    }
  } else {
    // Rank 0 sends FIN after every DONE; a STOP may still be queued before it.
    for (;;) {
      MPI_Status st;
      MPI_Recv(nullptr, 0, MPI_CHAR, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == kFin) break;
    }
    if (StopSignal::requested()) status = 128 + StopSignal::signal_number();
  }
  StopSignal::reset();
  MPI_Finalize();
  return status;
}

}  // namespace cimnet::dataset
