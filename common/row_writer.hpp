#pragma once
// Appends rows to a dataset file, one write(2) per row.
//
// Durability policy: each row goes to the kernel with a single write() as soon as it is finished, so
// a killed process (SIGINT, SIGTERM, SIGKILL, a crash) loses no finished row — the page cache holds
// it. fsync(2) only protects against a crash of the machine itself; it costs milliseconds on a disk,
// so it runs at most once per `sync_interval` seconds and when the file is closed: a power cut loses
// at most the last interval's rows, and the torn line it may leave is dropped on resume.
#include <string>

namespace cimnet {

class RowWriter {
 public:
  // A new file holding `preamble`; InputError when it exists or cannot be created.
  static RowWriter create(const std::string& path, const std::string& preamble, double sync_interval = 1.0);
  // An existing file cut to `valid_bytes` (dropping a torn line), positioned at its end.
  static RowWriter append(const std::string& path, std::size_t valid_bytes, double sync_interval = 1.0);

  RowWriter(RowWriter&& other) noexcept;
  RowWriter& operator=(RowWriter&&) = delete;
  RowWriter(const RowWriter&) = delete;
  ~RowWriter();

  void write(const std::string& line);  // one whole line, ending in '\n'
  void sync();                          // fsync now
  void close();                         // fsync and close (idempotent)

 private:
  RowWriter(int fd, std::string path, double sync_interval);
  int fd_ = -1;
  std::string path_;
  double sync_interval_;
  double last_sync_ = 0;
};

// Writes `text` to `path` atomically (temporary file, fsync, rename, fsync of the directory), so a
// reader sees the old or the new file, never a mixture.
void replace_file_atomically(const std::string& path, const std::string& text);

}  // namespace cimnet
