// Real evaluations over MPI ranks: an MPI-free evaluation server per rank, forked before MPI_Init;
// rank 0 deals each batch and collects the outcomes (see mpi_evaluator.hpp for why).
#include "search/loop/mpi_evaluator.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "common/error.hpp"
#include "common/line_reader.hpp"
#include "common/text.hpp"
#include "common/write_all.hpp"
#include "evaluation/dealer.hpp"
#include "evaluation/mpi_text.hpp"
#include "evaluation/rank_server.hpp"
#include "evaluation/stop_signal.hpp"
#include "evaluation/worker_pool.hpp"
#include "search/loop/task_line.hpp"

namespace cimnet::loop {

namespace {

using evaluation::receive_text;
using evaluation::send_text;

// Messages between ranks. Non-overtaking order between a pair of ranks makes kBye the last word.
enum Tag : int {
  kBatch = 1,        // 0 -> r: task lines, one per candidate dealt
  kResult = 2,       // r -> 0: one outcome line
  kStop = 3,         // 0 -> r: stop evaluating (the search was interrupted)
  kStopRequest = 4,  // r -> 0: this rank received a signal (its number as text)
  kLost = 5,         // r -> 0: this rank's server died (the reason as text)
  kFin = 6,          // 0 -> r: the search is over
  kBye = 7,          // r -> 0: nothing more will come from this rank
};

constexpr const char* kKept = "; every finished evaluation is in evaluations.csv: continue with --resume";

std::string outcome_line(std::size_t id, const evaluation::TaskOutcome& o) {
  nlohmann::json j;
  j["id"] = id;
  j["status"] = o.status;
  j["message"] = o.message;
  j["fields"] = o.fields;
  j["wall"] = o.wall_seconds;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

evaluation::TaskOutcome parse_outcome(const std::string& line) {
  const auto j = nlohmann::json::parse(line);
  evaluation::TaskOutcome o;
  o.task = j.at("id").get<std::size_t>();
  o.status = j.at("status").get<std::string>();
  o.message = j.at("message").get<std::string>();
  o.fields = j.at("fields").get<evaluation::Fields>();
  o.wall_seconds = j.at("wall").get<double>();
  return o;
}

// The evaluation server: a child of the rank forked before MPI_Init, with no MPI state. It reads task
// lines as rank 0 deals them, runs each on the worker pool as it arrives (one fresh fork per
// candidate, SystemC elaborated there) and writes an outcome line per finished candidate. It ends when
// the rank closes the socket, and dies with the rank (SIGTERM); its workers die with it.
[[noreturn]] void serve_tasks(const CoSpace& space, const evaluation::Evaluator& evaluator, int jobs, double timeout,
                              int fd) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);  // dying is stopping: the workers die with the server
  LineReader reader(fd);
  std::vector<std::pair<std::size_t, Candidate>> tasks;  // pool task i: (batch index, candidate)
  evaluation::PoolHooks hooks;
  hooks.feed_fd = fd;
  hooks.feed = [&](std::vector<std::size_t>& more) {
    if (reader.readable(0) && reader.fill() <= 0) return false;  // the rank closed: the search is over
    std::string line;
    while (reader.take(line)) {
      tasks.push_back(parse_task(space, line));
      more.push_back(tasks.size() - 1);
    }
    return true;
  };
  hooks.work = [&](std::size_t i) {
    const Candidate& c = tasks[i].second;
    const Network network = space.space().build(c.arch);
    const HardwareConfig hw = space.hardware().config(c.hw);
    return evaluator(evaluation::EvalPoint{space.space(), c.arch, hw, network, c.execution, space.cycles_of(), LatencyBound{},
                                                 c.allocation});
  };
  hooks.done = [&](const evaluation::TaskOutcome& o) {
    if (!write_all(fd, outcome_line(tasks[o.task].first, o))) _exit(0);  // the rank is gone
  };
  evaluation::PoolOptions options;
  options.jobs = jobs;
  options.timeout_seconds = timeout;
  options.tick_seconds = 0.05;
  try {
    evaluation::run_pool({}, options, hooks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "search: evaluation server: %s\n", e.what());
    _exit(1);
  }
  _exit(0);
}

}  // namespace

struct MpiEvaluation::State : BatchEvaluator {
  const CoSpace* co_space = nullptr;
  evaluation::RankServer server;
  bool server_stopped = false;
  int rank = 0;
  int size = 1;
  std::vector<int> jobs;  // per rank (rank 0 only)
  std::unique_ptr<LineReader> reader;

  void stop_server() {
    evaluation::stop_rank_server(server);
    server_stopped = true;
  }

  // Rank 0: deal the batch as the ranks finish its candidates (largest networks first: a batch lasts
  // as long as its last long simulation), evaluate the own share, collect the others'.
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override {
    if (server_stopped) return false;
    std::vector<std::size_t> order(batch.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return networks[a]->total_macs() > networks[b]->total_macs();
    });
    dealer->add(order);
    std::function<void(int, const std::string&)> lose;  // and deal: each calls the other
    const auto deal = [&](int r) {
      std::string lines;
      for (std::size_t i : dealer->deal(r)) lines += task_line(*co_space, i, batch[i]);
      if (lines.empty()) return;
      if (r != 0) {
        send_text(lines, r, kBatch);
      } else if (!write_all(server.fd, lines)) {
        lose(0, "its evaluation server no longer reads");
      }
    };
    lose = [&](int r, const std::string& why) {
      if (!dealer->alive(r)) return;
      const auto back = dealer->lost(r);
      if (!dealer->any_alive()) {
        throw RunFailure("search: rank " + std::to_string(r) + ": " + why + "; no rank is left to evaluate" + kKept);
      }
      std::cerr << "search: rank " << r << ": " << why << "; its " << back.size()
                << " unfinished evaluations go to the other ranks\n";
      for (int o = 0; o < size; ++o) deal(o);
    };
    for (int r = 0; r < size; ++r) deal(r);

    std::size_t outstanding = batch.size();
    const auto handle = [&](const std::string& line, int from) {
      evaluation::TaskOutcome o;
      try {
        o = parse_outcome(line);
      } catch (const std::exception& e) {
        throw std::runtime_error(std::string("search: unreadable outcome from an evaluation server: ") + e.what());
      }
      if (o.task >= batch.size()) throw std::runtime_error("search: an evaluation server answered an unknown task");
      if (!dealer->finished(from, o.task)) return;  // from a rank already given up on
      done(o);
      --outstanding;
      deal(from);
    };
    while (outstanding > 0) {
      if (evaluation::StopSignal::requested()) {
        for (int r = 1; r < size; ++r) send_text("", r, kStop);
        stop_server();
        return false;
      }
      if (dealer->alive(0) && reader->readable(20)) {
        const bool open = reader->fill() > 0;
        std::string line;
        while (reader->take(line)) handle(line, 0);
        if (!open) lose(0, "its evaluation server exited");
      } else if (!dealer->alive(0)) {
        usleep(10000);
      }
      int flag = 0;
      MPI_Status st;
      while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
        const std::string text = receive_text(st);
        if (st.MPI_TAG == kResult) handle(text, st.MPI_SOURCE);
        if (st.MPI_TAG == kStopRequest) evaluation::StopSignal::request(std::atoi(text.c_str()));
        if (st.MPI_TAG == kLost) lose(st.MPI_SOURCE, text);
      }
    }
    return true;
  }

  std::unique_ptr<evaluation::Dealer> dealer;  // rank 0: who holds what, across batches
};

MpiEvaluation::MpiEvaluation(const CoSpace& space, evaluation::Evaluator evaluator, int jobs, double timeout_seconds,
                             const std::function<void()>& before_mpi_init)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.co_space = &space;
  // Before MPI_Init: the server never holds MPI state.
  s.server = evaluation::fork_rank_server(
      [&](int fd) { serve_tasks(space, evaluator, jobs, timeout_seconds, fd); });
  s.reader = std::make_unique<LineReader>(s.server.fd);
  if (before_mpi_init) {
    try {
      before_mpi_init();
    } catch (...) {
      evaluation::end_rank_server(s.server, true);
      throw;
    }
  }

  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &s.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &s.size);
  s.jobs.assign(static_cast<std::size_t>(s.size), 0);
  MPI_Gather(&jobs, 1, MPI_INT, s.jobs.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (s.rank == 0) s.dealer = std::make_unique<evaluation::Dealer>(s.jobs);
}

MpiEvaluation::~MpiEvaluation() {
  State& s = *state_;
  if (s.rank == 0) {
    for (int r = 1; r < s.size; ++r) send_text("", r, kFin);
    // Drain until every rank has said its last word, so that no message is left unmatched.
    for (int byes = 0; byes < s.size - 1;) {
      MPI_Status st;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      receive_text(st);
      byes += st.MPI_TAG == kBye;
    }
  }
  // Idle or not (an error may have left a batch running): its workers die with it.
  evaluation::end_rank_server(s.server, true);
  MPI_Finalize();
}

int MpiEvaluation::rank() const { return state_->rank; }
int MpiEvaluation::size() const { return state_->size; }
int MpiEvaluation::total_jobs() const {
  return std::accumulate(state_->jobs.begin(), state_->jobs.end(), 0);
}

std::vector<std::size_t> MpiEvaluation::evaluations_per_rank() const {
  std::vector<std::size_t> out;
  for (int r = 0; state_->dealer && r < state_->size; ++r) out.push_back(state_->dealer->finished_by(r));
  return out;
}

BatchEvaluator& MpiEvaluation::evaluator() {
  if (state_->rank != 0) throw std::logic_error("MpiEvaluation::evaluator: only rank 0 runs the loop");
  return *state_;
}

int MpiEvaluation::serve() {
  State& s = *state_;
  if (s.rank == 0) throw std::logic_error("MpiEvaluation::serve: rank 0 runs the loop");
  evaluation::StopSignal stop;
  bool server_alive = true;
  bool stop_reported = false;
  int status = 0;
  for (;;) {
    if (evaluation::StopSignal::requested() && !stop_reported) {
      // This rank was signalled: the whole search stops (rank 0 decides and tells everyone).
      stop_reported = true;
      status = 128 + evaluation::StopSignal::signal_number();
      s.stop_server();
      send_text(std::to_string(evaluation::StopSignal::signal_number()), 0, kStopRequest);
    }
    if (server_alive && !s.server_stopped) {
      if (s.reader->readable(20)) {
        const bool open = s.reader->fill() > 0;
        std::string line;
        while (s.reader->take(line)) send_text(line, 0, kResult);
        if (!open) {
          server_alive = false;
          send_text("its evaluation server exited unexpectedly", 0, kLost);
        }
      }
    } else {
      usleep(10000);
    }
    int flag = 0;
    MPI_Status st;
    bool finished = false;
    while (!finished && MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
      const std::string text = receive_text(st);
      if (st.MPI_TAG == kBatch && server_alive && !s.server_stopped && !write_all(s.server.fd, text)) {
        server_alive = false;
        send_text("its evaluation server no longer reads", 0, kLost);
      }
      if (st.MPI_TAG == kStop) s.stop_server();
      if (st.MPI_TAG == kFin) finished = true;
    }
    if (finished) break;
  }
  send_text("", 0, kBye);
  evaluation::StopSignal::reset();
  return status;
}

}  // namespace cimnet::loop
