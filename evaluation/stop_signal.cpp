#include "evaluation/stop_signal.hpp"

#include <signal.h>

namespace cimnet::evaluation {

namespace {

volatile sig_atomic_t g_signal = 0;
struct sigaction g_old_int;
struct sigaction g_old_term;

extern "C" void on_stop_signal(int s) { g_signal = s; }

}  // namespace

StopSignal::StopSignal() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: interrupt poll()
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

StopSignal::~StopSignal() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

bool StopSignal::requested() { return g_signal != 0; }
int StopSignal::signal_number() { return g_signal; }
void StopSignal::request(int signal_number) { g_signal = signal_number; }
void StopSignal::reset() { g_signal = 0; }

}  // namespace cimnet::evaluation
