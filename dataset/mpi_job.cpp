// The MPI run: one fork-free MPI process per rank, each with a pool server forked before MPI_Init
// (see mpi_job.hpp for why).
#include "dataset/mpi_job.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "common/error.hpp"
#include "common/line_reader.hpp"
#include "common/text.hpp"
#include "common/write_all.hpp"
#include "dataset/csv_line.hpp"
#include "dataset/mpi_text.hpp"
#include "dataset/output.hpp"
#include "dataset/progress.hpp"
#include "dataset/rank_server.hpp"
#include "dataset/stop_signal.hpp"

namespace cimnet::dataset {

namespace {

enum Tag : int { kRow = 1, kDone = 2, kStop = 3, kFin = 4 };

// The pool server (dataset/rank_server.hpp). Protocol on the socket: the rank sends "K\n" and K lines
// of point indices; the server sends "<status> <csv row>\n" per finished point and closes. SIGTERM
// (from the rank, or the kernel when the rank dies) stops it like SIGTERM stops a local run.
[[noreturn]] void serve(Plan& plan, int fd) {
  StopSignal stop;
  LineReader reader(fd);
  std::string line;
  if (!reader.next(line)) _exit(0);  // the rank gave up before sending work (bad input)
  const auto count = static_cast<std::size_t>(std::stoull(line));
  std::vector<std::size_t> tasks;
  for (std::size_t i = 0; i < count; ++i) {
    if (!reader.next(line)) _exit(0);
    tasks.push_back(static_cast<std::size_t>(std::stoull(line)));
  }

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

}  // namespace

int run_mpi_job(Plan& plan) {
  RankServer server = fork_rank_server([&plan](int fd) { serve(plan, fd); });  // before MPI_Init
  const int fd = server.fd;

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
  broadcast_text(error, rank);
  if (!error.empty()) {
    end_rank_server(server, false);
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
      send_text(message, 0, kRow);
      return;
    }
    const std::size_t space = message.find(' ');
    const std::string line = message.substr(space + 1);
    const auto index = static_cast<std::size_t>(std::stoull(line.substr(0, line.find(','))));
    output->writer->write(line);
    output->done[index] = true;
    progress->add(message.substr(0, space));
  };

  LineReader reader(fd);
  bool server_done = false;
  bool stop_sent = false;
  int others_done = 0;
  for (;;) {
    if (StopSignal::requested() && !stop_sent) {
      stop_rank_server(server);
      stop_sent = true;
      if (rank == 0) {
        for (int r = 1; r < size; ++r) send_text("", r, kStop);
      }
    }
    if (!server_done) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) > 0) {
        const bool open = reader.fill() > 0;
        std::string line;
        while (reader.take(line)) handle_row(line + "\n");
        if (!open) {
          server_done = true;  // EOF: the server finished (or was stopped) and exited
          end_rank_server(server, false);
          if (rank != 0) send_text("", 0, kDone);
        }
      }
    } else {
      usleep(10000);
    }
    int flag = 0;
    MPI_Status st;
    while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
      if (rank != 0 && server_done) break;  // leave the rest (STOP, FIN) to the wait below
      const std::string message = receive_text(st);
      if (rank == 0 && st.MPI_TAG == kRow) handle_row(message);
      if (rank == 0 && st.MPI_TAG == kDone) ++others_done;
      if (rank != 0 && st.MPI_TAG == kStop) StopSignal::request(SIGTERM);
    }
    if (rank == 0) progress->tick();
    if (server_done && (rank != 0 || others_done == size - 1)) break;
  }
  end_rank_server(server, false);

  int status = 0;
  if (rank == 0) {
    for (int r = 1; r < size; ++r) send_text("", r, kFin);
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
