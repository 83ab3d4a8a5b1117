#pragma once
// One writer per output: a process claims an output (a dataset file, a search run folder, a
// predictor's output file) before it reads or writes any of it, and a second process that wants the
// same output is refused at once, naming the holder's pid.
//
// The claim is an exclusive flock(2) on a lock file: `<file>.lock` beside a file output, `<dir>/.lock`
// inside a folder output. The kernel drops the lock when the holder dies, however it dies (SIGKILL
// included), so a stale lock file never blocks anybody: the next claimant locks it and takes over.
// The holder writes its pid into the file for the refusal message. Released on destruction (the file
// is removed; a claimant that locked the removed file notices that the path now names another file and
// tries again, so two processes can never both hold one output).
//
// A claim belongs to the process that made it. A forked child (a simulation worker, a rank server)
// closes its inherited copy of the descriptor at once (pthread_atfork), and never removes the lock file.
// Otherwise a worker that outlives a SIGKILLed coordinator by a few milliseconds (PR_SET_PDEATHSIG is
// delivered, not instantaneous) would still hold the flock, and an immediate `--resume` would be refused
// as if another run were writing.
#include <string>

namespace cimnet {

class OutputLock {
 public:
  // Claims the file output `path` (the file itself need not exist). InputError, naming `path` and the
  // holder's pid, when another process holds it; also when its folder is missing, the path is a
  // folder, the lock file cannot be created (a read-only folder) or an existing file cannot be written:
  // claiming an output first also checks that it can be written, before any work.
  static OutputLock for_file(const std::string& path);
  // Claims the folder output `dir`, which must exist.
  static OutputLock for_folder(const std::string& dir);

  OutputLock(OutputLock&& other) noexcept;
  OutputLock& operator=(OutputLock&& other) noexcept;
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  ~OutputLock();

  const std::string& lock_path() const { return lock_path_; }
  void release();

 private:
  OutputLock(int fd, std::string lock_path, std::string output);
  static OutputLock claim(const std::string& lock_path, const std::string& output);
  int fd_ = -1;
  int owner_pid_ = -1;  // the claimant: only it releases (a child's copy of this object does nothing)
  std::string lock_path_;
  std::string output_;
};

}  // namespace cimnet
