#include "common/line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cimnet {

bool LineReader::next(std::string& line) {
  for (;;) {
    if (take(line)) return true;
    if (fill() <= 0) return false;
  }
}

bool LineReader::readable(int ms) const {
  pollfd p{fd_, POLLIN, 0};
  return poll(&p, 1, ms) > 0;
}

ssize_t LineReader::fill() {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) buffer_.append(buf, static_cast<std::size_t>(n));
    return n;
  }
}

bool LineReader::take(std::string& line) {
  const auto eol = buffer_.find('\n');
  if (eol == std::string::npos) return false;
  line.assign(buffer_, 0, eol);
  buffer_.erase(0, eol + 1);
  return true;
}

}  // namespace cimnet
