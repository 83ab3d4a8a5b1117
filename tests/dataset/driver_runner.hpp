#pragma once
// Running dataset_driver as a child process: with extra environment, stderr captured, killable.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dataset/dataset_file.hpp"

namespace cimnet::test {

using Env = std::map<std::string, std::string>;

struct Child {
  pid_t pid = -1;
  std::string stderr_path;
};

inline Child start_program(const std::vector<std::string>& argv, const Env& env, const std::string& stderr_path) {
  Child c;
  c.stderr_path = stderr_path;
  c.pid = fork();
  if (c.pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    const int fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDERR_FILENO);
      dup2(fd, STDOUT_FILENO);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return c;
}

// Exit status (or 128 + signal) of a child.
inline int wait_child(const Child& c) {
  int status = 0;
  waitpid(c.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct RunResult {
  int status = 0;
  std::string err;  // stderr and stdout
};

inline std::string driver_path() { return DATASET_DRIVER_PATH; }

inline RunResult run_driver(const std::vector<std::string>& args, const Env& env = {}) {
  std::vector<std::string> argv{driver_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string err = std::filesystem::temp_directory_path() / ("dataset_err_" + std::to_string(getpid()) + ".txt");
  const Child c = start_program(argv, env, err);
  RunResult r;
  r.status = wait_child(c);
  r.err = read_all(err);
  std::filesystem::remove(err);
  return r;
}

// Data lines (not comments, not the header) in a file, counting only whole lines.
inline std::size_t data_lines(const std::string& path) {
  const std::string text = read_all(path);
  std::size_t lines = 0;
  bool header_seen = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    if (text[start] != '#') {
      if (header_seen) ++lines;
      header_seen = true;
    }
    start = i + 1;
  }
  return lines;
}

// Rows keyed by index, without the non-deterministic wall-time column.
inline std::map<std::string, std::vector<std::string>> rows_by_index(const std::string& path) {
  const dataset::DatasetFile f = dataset::read_dataset(path);
  const std::size_t index = f.column("index");
  const std::size_t wall = f.column("wall_s");
  std::map<std::string, std::vector<std::string>> out;
  for (auto row : f.rows) {
    row[wall].clear();
    out[row[index]] = row;
  }
  return out;
}

// A fresh temporary directory per test.
inline std::filesystem::path temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("cimnet_dataset_" + name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace cimnet::test
