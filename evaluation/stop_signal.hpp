#pragma once
// SIGINT and SIGTERM while a dataset runs: the handler only records the signal; the coordinator's
// loop sees it within one tick, stops issuing points, kills its workers and closes the file (every
// row in it is whole, since rows are written with one write() each). Installed without SA_RESTART so
// that a blocking poll() returns at once.
namespace cimnet::evaluation {

class StopSignal {
 public:
  StopSignal();   // installs the handlers
  ~StopSignal();  // restores the previous ones
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  static bool requested();
  static int signal_number();  // the signal received, 0 if none
  static void request(int signal_number);  // what the handler does (also for tests and MPI messages)
  static void reset();
};

}  // namespace cimnet::evaluation
