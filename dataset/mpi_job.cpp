// The MPI run: one fork-free MPI process per rank, each with a pool server forked before MPI_Init
// (see mpi_job.hpp for why).
#include "dataset/mpi_job.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "common/error.hpp"
#include "common/line_reader.hpp"
#include "common/text.hpp"
#include "common/write_all.hpp"
#include "common/csv_line.hpp"
#include "evaluation/dealer.hpp"
#include "evaluation/mpi_text.hpp"
#include "dataset/output.hpp"
#include "dataset/progress.hpp"
#include "evaluation/rank_server.hpp"
#include "evaluation/stop_signal.hpp"

namespace cimnet::dataset {

namespace {

enum Tag : int {
  kRow = 1,    // r -> 0: "<status> <csv row>"
  kDone = 2,   // r -> 0: this rank's server has exited
  kStop = 3,   // 0 -> r: stop (a signal)
  kFin = 4,    // 0 -> r: the run is over
  kTasks = 5,  // 0 -> r: point indices, one per line
  kEnd = 6,    // 0 -> r: no more tasks will come
};

constexpr const char* kEndLine = "end";

// The pool server (evaluation/rank_server.hpp). Protocol on the socket: the rank sends point indices, one
// per line, as rank 0 deals them, then "end"; the server runs them as they arrive and sends
// "<status> <csv row>\n" per finished point, and exits once the last is done after "end" (or at end of
// file). SIGTERM (from the rank, or the kernel when the rank dies) stops it like a local run.
[[noreturn]] void serve(Plan& plan, int fd) {
  evaluation::StopSignal stop;
  LineReader reader(fd);

  evaluation::PoolHooks hooks;
  hooks.feed_fd = fd;
  hooks.feed = [&](std::vector<std::size_t>& more) {
    if (reader.readable(0) && reader.fill() <= 0) return false;  // the rank is gone
    std::string line;
    while (reader.take(line)) {
      if (line == kEndLine) return false;
      more.push_back(static_cast<std::size_t>(std::stoull(line)));
    }
    return true;
  };
  hooks.prepare = [&plan](std::size_t i) { plan.prepare(i); };
  hooks.work = [&plan](std::size_t i) { return plan.work(i); };
  hooks.done = [&](const evaluation::TaskOutcome& o) {
    if (!write_all(fd, o.status + " " + format_csv_line(plan.row(o)))) evaluation::StopSignal::request(SIGTERM);
  };
  hooks.should_stop = [] { return evaluation::StopSignal::requested(); };
  evaluation::PoolOptions options;
  options.jobs = plan.options().jobs;
  options.timeout_seconds = plan.options().timeout_seconds;
  try {
    evaluation::run_pool({}, options, hooks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dataset: pool server: %s\n", e.what());
    _exit(1);
  }
  ::close(fd);
  _exit(0);
}

}  // namespace

int run_mpi_job(Plan& plan) {
  evaluation::RankServer server = evaluation::fork_rank_server([&plan](int fd) { serve(plan, fd); });  // before MPI_Init
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
  evaluation::broadcast_text(error, rank);
  if (!error.empty()) {
    evaluation::end_rank_server(server, false);
    MPI_Finalize();
    if (rank == 0) throw InputError(error);
    return 2;
  }
  MPI_Bcast(done.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);

  std::vector<std::size_t> remaining;
  for (std::size_t i : plan.slice()) {
    if (!done[i]) remaining.push_back(i);
  }
  // Rank 0 deals the points as the ranks finish them (evaluation/dealer.hpp).
  const int jobs = plan.options().jobs;
  std::vector<int> rank_jobs(static_cast<std::size_t>(size), 0);
  MPI_Gather(&jobs, 1, MPI_INT, rank_jobs.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  evaluation::Dealer dealer(rank_jobs);
  dealer.add(remaining);
  bool ended = false;
  const auto to_rank = [&](int r, const std::string& text, int tag) {
    if (r == 0) {
      write_all(fd, tag == kEnd ? std::string(kEndLine) + "\n" : text);
    } else {
      evaluation::send_text(text, r, tag);
    }
  };
  const auto deal = [&](int r) {
    std::string text;
    for (std::size_t i : dealer.deal(r)) text += std::to_string(i) + "\n";
    if (!text.empty()) to_rank(r, text, kTasks);
  };
  // "No more points" only once every point is finished: until then a lost rank's points may still
  // have to go to the others.
  const auto end_if_finished = [&] {
    if (ended || !dealer.idle()) return;
    ended = true;
    for (int r = 0; r < size; ++r) {
      if (dealer.alive(r)) to_rank(r, "", kEnd);
    }
  };
  if (rank == 0) {
    for (int r = 0; r < size; ++r) deal(r);
    end_if_finished();  // nothing to do (a complete file)
  }

  std::optional<Progress> progress;
  if (rank == 0) {
    progress.emplace(remaining.size(), output->done_count, plan.options().progress);
    if (output->done_count > 0) {
      std::cerr << "dataset: resuming " << plan.options().out << ": " << output->done_count << " points done, "
                << remaining.size() << " to go over " << size << " ranks\n";
    }
  }
  evaluation::StopSignal stop;
  std::size_t finished = 0;  // this run's points (rank 0)
  const auto handle_row = [&](const std::string& message, int from) {
    if (rank != 0) {
      evaluation::send_text(message, 0, kRow);
      return;
    }
    const std::size_t space = message.find(' ');
    const std::string line = message.substr(space + 1);
    const auto index = static_cast<std::size_t>(std::stoull(line.substr(0, line.find(','))));
    output->writer->write(line);
    output->done[index] = true;
    progress->add(message.substr(0, space));
    if (plan.options().on_point) plan.options().on_point(output->done_count + ++finished, plan.slice().size());
    dealer.finished(from, index);
    if (!evaluation::StopSignal::requested()) deal(from);
    end_if_finished();
  };
  // Rank 0: rank `r`'s server has exited. Points it still held go back to the queue for the others.
  const auto rank_gone = [&](int r) {
    const auto back = dealer.lost(r);
    if (back.empty() || evaluation::StopSignal::requested()) return;
    std::cerr << "dataset: rank " << r << " stopped with " << back.size()
              << " points unfinished; dealing them to the other ranks\n";
    for (int o = 0; o < size; ++o) deal(o);
  };

  LineReader reader(fd);
  bool server_done = false;
  bool stop_sent = false;
  int others_done = 0;
  for (;;) {
    if (evaluation::StopSignal::requested() && !stop_sent) {
      evaluation::stop_rank_server(server);
      stop_sent = true;
      if (rank == 0) {
        for (int r = 1; r < size; ++r) evaluation::send_text("", r, kStop);
      }
    }
    if (!server_done) {
      if (reader.readable(20)) {
        const bool open = reader.fill() > 0;
        std::string line;
        while (reader.take(line)) handle_row(line + "\n", 0);
        if (!open) {
          server_done = true;  // EOF: the server finished (or was stopped) and exited
          evaluation::end_rank_server(server, false);
          if (rank != 0) evaluation::send_text("", 0, kDone);
          if (rank == 0) rank_gone(0);
        }
      }
    } else {
      usleep(10000);
    }
    int flag = 0;
    MPI_Status st;
    while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
      if (rank != 0 && server_done) break;  // leave the rest (STOP, FIN) to the wait below
      const std::string message = evaluation::receive_text(st);
      if (rank == 0 && st.MPI_TAG == kRow) handle_row(message, st.MPI_SOURCE);
      if (rank == 0 && st.MPI_TAG == kDone) {
        ++others_done;
        rank_gone(st.MPI_SOURCE);
      }
      if (rank != 0 && st.MPI_TAG == kStop) evaluation::StopSignal::request(SIGTERM);
      if (rank != 0 && st.MPI_TAG == kTasks && !stop_sent) write_all(fd, message);
      if (rank != 0 && st.MPI_TAG == kEnd) write_all(fd, std::string(kEndLine) + "\n");
    }
    if (rank == 0) progress->tick();
    if (server_done && (rank != 0 || others_done == size - 1)) break;
  }
  evaluation::end_rank_server(server, false);

  int status = 0;
  if (rank == 0) {
    for (int r = 1; r < size; ++r) evaluation::send_text("", r, kFin);
    progress->finish();
    std::string counts;
    for (int r = 0; r < size; ++r) counts += " " + std::to_string(dealer.finished_by(r));
    std::cerr << "dataset: points per rank (this run):" << counts << "\n";
    if (evaluation::StopSignal::requested()) {
      output->writer->close();
      status = 128 + evaluation::StopSignal::signal_number();
      std::cerr << "dataset: stopped; " << plan.options().out << " holds every finished row; continue with --resume\n";
    } else if (finish_output(plan, *output)) {
      if (output->missing_accuracy > 0) {
        status = 1;
        std::cerr << missing_accuracy_line(plan, *output) << '\n';
      } else {
        std::cerr << "dataset: " << plan.options().out << " complete (" << size << " ranks)\n";
      }
    } else {
      status = 1;
      std::cerr << "dataset: points left undone after the ranks finished\n";
    }
  } else {
    // Rank 0 sends FIN after every DONE; a STOP (or points dealt before rank 0 learnt that this
    // rank's server had gone) may still be queued before it.
    for (;;) {
      MPI_Status st;
      MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      evaluation::receive_text(st);
      if (st.MPI_TAG == kFin) break;
    }
    if (evaluation::StopSignal::requested()) status = 128 + evaluation::StopSignal::signal_number();
  }
  evaluation::StopSignal::reset();
  MPI_Finalize();
  return status;
}

}  // namespace cimnet::dataset
