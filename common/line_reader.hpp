#pragma once
// Line-at-a-time reading of a pipe or socket, for the protocols between cimnet's own processes (an
// MPI rank and its evaluation server): whole lines whatever sizes read() returns.
#include <string>
#include <sys/types.h>

namespace cimnet {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // Blocks until a whole line is there and returns it without its '\n'; false at end of file (or on
  // a read error) first.
  bool next(std::string& line);
  // True when the descriptor becomes readable (data or end of file) within `ms` milliseconds; 0 polls.
  bool readable(int ms) const;
  // One read() (retried after a signal): > 0 bytes appended, 0 at end of file, < 0 on error. Call it
  // when poll() says the descriptor is readable, then take() the whole lines.
  ssize_t fill();
  // The next whole line already read, without its '\n'; false when there is none.
  bool take(std::string& line);

 private:
  int fd_;
  std::string buffer_;
};

}  // namespace cimnet
