#include "common/row_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/write_all.hpp"

namespace cimnet {

namespace {

void write_or_throw(int fd, const std::string& text, const std::string& path) {
  if (!write_all(fd, text)) throw std::runtime_error(path + ": write failed: " + std::strerror(errno));
}

// Makes a new directory entry durable (the file's own fsync does not cover its name).
void sync_directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

RowWriter::RowWriter(int fd, std::string path, double sync_interval)
    : fd_(fd), path_(std::move(path)), sync_interval_(sync_interval), last_sync_(monotonic_seconds()) {}

RowWriter::RowWriter(RowWriter&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), sync_interval_(other.sync_interval_), last_sync_(other.last_sync_) {
  other.fd_ = -1;
}

RowWriter::~RowWriter() {
  try {
    close();
  } catch (...) {
  }
}

RowWriter RowWriter::create(const std::string& path, const std::string& preamble, double sync_interval) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      throw InputError(path + ": output exists; pass --resume to continue it, or choose another --out");
    }
    throw InputError(path + ": cannot create the output file: " + std::strerror(errno));
  }
  RowWriter w(fd, path, sync_interval);
  w.write(preamble);
  w.sync();
  sync_directory_of(path);
  return w;
}

RowWriter RowWriter::append(const std::string& path, std::size_t valid_bytes, double sync_interval) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open the output file for appending: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && static_cast<std::size_t>(st.st_size) != valid_bytes) {
    if (::ftruncate(fd, static_cast<off_t>(valid_bytes)) != 0) {
      const int e = errno;
      ::close(fd);
      throw InputError(path + ": cannot drop the torn last line: " + std::strerror(e));
    }
  }
  RowWriter w(fd, path, sync_interval);
  w.sync();
  return w;
}

void RowWriter::write(const std::string& line) {
  if (fd_ < 0) throw std::logic_error("RowWriter::write after close");
  write_or_throw(fd_, line, path_);
  if (monotonic_seconds() - last_sync_ >= sync_interval_) sync();
}

void RowWriter::sync() {
  if (fd_ < 0) return;
  ::fsync(fd_);
  last_sync_ = monotonic_seconds();
}

void RowWriter::close() {
  if (fd_ < 0) return;
  ::fsync(fd_);
  ::close(fd_);
  fd_ = -1;
}

void replace_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(tmp + ": cannot create: " + std::strerror(errno));
  try {
    write_or_throw(fd, text, tmp);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::fsync(fd);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": cannot replace: " + std::strerror(e));
  }
  sync_directory_of(path);
}

}  // namespace cimnet
