#include "dataset/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "common/clock.hpp"

namespace cimnet::dataset {

namespace {

std::string duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long long t = std::llround(s);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, t / 60 % 60);
  } else if (t >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llds", t);
  }
  return buf;
}

}  // namespace

Progress::Progress(std::size_t total, std::size_t already, bool enabled, double plain_interval)
    : total_(total),
      already_(already),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      plain_interval_(plain_interval),
      start_(monotonic_seconds()) {}

void Progress::add(const std::string& status) {
  ++done_;
  if (status == "error") ++errors_;
  if (status == "timeout") ++timeouts_;
}

std::string Progress::line() const {
  const double elapsed = monotonic_seconds() - start_;
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  const std::size_t all = already_ + total_;
  const std::size_t finished = already_ + done_;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : NAN;
  const double fraction = all ? static_cast<double>(finished) / static_cast<double>(all) : 1.0;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu/%zu points (%.1f%%)  %.2f/s  elapsed %s  ETA %s  errors %zu  timeouts %zu",
                finished, all, 100 * fraction, rate, duration(elapsed).c_str(), duration(eta).c_str(), errors_,
                timeouts_);
  if (!tty_) return std::string("dataset: ") + buf;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] " + buf;
}

void Progress::draw(bool final) {
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K%s", line().c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line().c_str());
  }
  std::fflush(stderr);
  last_draw_ = monotonic_seconds();
}

void Progress::tick() {
  if (!enabled_) return;
  const double interval = tty_ ? 0.1 : plain_interval_;
  if (monotonic_seconds() - last_draw_ >= interval) draw(false);
}

void Progress::finish() {
  if (enabled_) draw(true);
}

}  // namespace cimnet::dataset
