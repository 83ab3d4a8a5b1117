#include "common/output_lock.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "common/write_all.hpp"

namespace cimnet {

namespace {

// The pid the holder wrote, or an empty string when the file holds none yet (the holder is between
// its flock() and its write()).
std::string holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return {};
  std::string text(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The descriptors of the claims this process holds, so that a forked child can close its copies. A
// fixed table of atomics: the child handler runs between fork() and the child's first instruction,
// where only async-signal-safe work is allowed (no locks, no allocation).
// Each slot holds a descriptor + 1 (0: empty), so that the table is zero-initialised before any code
// runs.
constexpr std::size_t kMaxClaims = 64;
std::atomic<int> held_descriptors[kMaxClaims];

void close_inherited_claims() {
  for (auto& slot : held_descriptors) {
    const int fd = slot.exchange(0) - 1;
    if (fd >= 0) ::close(fd);  // the parent's description, and its flock, stay with the parent
  }
}

void remember(int fd) {
  static const bool installed = ::pthread_atfork(nullptr, nullptr, close_inherited_claims) == 0;
  if (!installed) throw RunFailure("cannot install the fork handler that keeps output claims out of workers");
  for (auto& slot : held_descriptors) {
    int empty = 0;
    if (slot.compare_exchange_strong(empty, fd + 1)) return;
  }
  ::close(fd);
  throw std::logic_error("more than " + std::to_string(kMaxClaims) + " outputs claimed at once");
}

void forget(int fd) {
  for (auto& slot : held_descriptors) {
    int expected = fd + 1;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace

OutputLock::OutputLock(int fd, std::string lock_path, std::string output)
    : fd_(fd), owner_pid_(::getpid()), lock_path_(std::move(lock_path)), output_(std::move(output)) {
  remember(fd_);
}

OutputLock OutputLock::claim(const std::string& lock_path, const std::string& output) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw InputError(output + ": cannot create its lock file " + lock_path + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      const std::string pid = holder_pid(fd);
      ::close(fd);
      if (e == EWOULDBLOCK) {
        throw InputError(output + " is being written by another process" + (pid.empty() ? "" : " (pid " + pid + ")") +
                         "; wait for it to end or choose another output");
      }
      throw InputError(output + ": cannot lock " + lock_path + ": " + std::strerror(e));
    }
    // The holder before us may have released and removed the file between our open() and flock():
    // then we hold a lock on a file nobody else can see. Only a lock on the file the path names counts.
    struct stat held {}, named {};
    if (::fstat(fd, &held) == 0 && ::stat(lock_path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd, 0) != 0 || !write_all(fd, pid)) {
        // The claim holds without the pid; a refused claimant's message only lacks the number.
      }
      return OutputLock(fd, lock_path, output);
    }
    ::close(fd);
  }
  throw InputError(output + ": could not claim " + lock_path + " (it keeps being replaced)");
}

OutputLock OutputLock::for_file(const std::string& path) {
  // The checks every file output needs before any work, with messages that say what to fix (the lock
  // file's creation would fail too, but with a message about the lock file).
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError("the output path is empty");
  std::error_code ec;
  const fs::path folder = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (!fs::exists(folder, ec)) throw InputError(path + ": the folder " + folder.string() + " does not exist");
  if (!fs::is_directory(folder, ec)) throw InputError(path + ": " + folder.string() + " is not a folder");
  if (fs::is_directory(path, ec)) throw InputError(path + " is a folder; name a file to write");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw InputError(path + ": cannot write in the folder " + folder.string() + " (" + std::strerror(errno) + ")");
  }
  OutputLock lock = claim(path + ".lock", path);
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) {
    throw InputError(path + " exists and cannot be written: " + std::strerror(errno));
  }
  return lock;
}

OutputLock OutputLock::for_folder(const std::string& dir) {
  return claim((std::filesystem::path(dir) / ".lock").string(), dir);
}

OutputLock::OutputLock(OutputLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      owner_pid_(other.owner_pid_),
      lock_path_(std::move(other.lock_path_)),
      output_(std::move(other.output_)) {}

OutputLock& OutputLock::operator=(OutputLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    owner_pid_ = other.owner_pid_;
    lock_path_ = std::move(other.lock_path_);
    output_ = std::move(other.output_);
  }
  return *this;
}

OutputLock::~OutputLock() { release(); }

void OutputLock::release() {
  if (fd_ < 0) return;
  if (::getpid() != owner_pid_) {  // a forked child's copy: its descriptor was closed at the fork
    fd_ = -1;
    return;
  }
  forget(fd_);
  // Remove while still holding the lock: a claimant that opened the old file sees that the path now
  // names another file (or none) and starts over.
  ::unlink(lock_path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace cimnet
