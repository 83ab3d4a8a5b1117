#pragma once
// A long-lived child process that cimnet talks to in lines: requests to its stdin, answers from its
// stdout. Its stderr is inherited, so the progress a user's evaluation prints stays visible.
//
// The command runs as `/bin/sh -c COMMAND` in a process group of its own, so that stopping it (on a
// timeout or at the end) also stops what the shell started (a python interpreter, its workers).
// Requests are written while answers are read (poll on both ends): a child that answers as it reads
// never blocks on a full pipe, and one that batches sees several requests at once. Writing to a
// child that has exited is not a SIGPIPE here but an end of its output, reported with its exit status.
// Not thread-safe.
#include <sys/types.h>

#include <string>

namespace cimnet {

class ChildProcess {
 public:
  // InputError when the process cannot be created (no fork, no /bin/sh).
  explicit ChildProcess(const std::string& command);
  // Closes the child's stdin (its cue to exit), waits up to a second, then kills its process group.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Queues bytes for the child's stdin; they are written while read_line() waits.
  void send(const std::string& bytes);

  enum class Read { line, eof, timeout, too_long };
  // Waits up to `timeout_seconds` for one complete line (without its '\n', a '\r' before it dropped).
  // eof: the child closed its stdout (usually: it exited). too_long: a line beyond max_line bytes.
  Read read_line(std::string& line, double timeout_seconds);

  // After eof: waits up to `grace_seconds` for the exit and describes it ("exited with status 1",
  // "was killed by signal 11 (Segmentation fault)", "closed its output but is still running").
  std::string exit_description(double grace_seconds = 2.0);
  // Kills the process group now and reaps the child (idempotent).
  void kill();
  // Bytes already read past the last complete line (for messages about a truncated answer).
  const std::string& partial() const { return in_; }

  static constexpr std::size_t max_line = 1 << 20;

 private:
  bool reap(double wait_seconds);  // true when the child has exited (status_ set)
  void flush_some();

  pid_t pid_ = -1;
  int to_child_ = -1;    // our end of its stdin
  int from_child_ = -1;  // our end of its stdout
  std::string out_;      // queued for its stdin
  std::string in_;       // read from its stdout, not yet returned
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace cimnet
