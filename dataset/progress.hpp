#pragma once
// Progress of a dataset run on stderr: on a terminal a bar redrawn in place (at most 10 times a
// second) with rate and ETA; otherwise — a log file, a batch system — a plain line every
// `plain_interval` seconds, so logs stay readable.
#include <cstddef>
#include <string>

namespace cimnet::dataset {

class Progress {
 public:
  // `total`: points this run evaluates; `already`: points done before it started (resume).
  Progress(std::size_t total, std::size_t already, bool enabled = true, double plain_interval = 10);
  void add(const std::string& status);  // one finished point
  void tick();                          // redraw if due
  void finish();                        // final line

 private:
  std::string line() const;
  void draw(bool final);

  std::size_t total_;
  std::size_t already_;
  std::size_t done_ = 0;
  std::size_t errors_ = 0;
  std::size_t timeouts_ = 0;
  bool enabled_;
  bool tty_;
  double plain_interval_;
  double start_;
  double last_draw_ = 0;
};

}  // namespace cimnet::dataset
