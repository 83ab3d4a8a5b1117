#pragma once
// Runs the cimnet executable (or any command) as a user would and captures its exit status, stdout
// and stderr (shared by the test files that run binaries).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace cimnet::test {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string binary() {
  const char* b = std::getenv("CIMNET_BINARY");  // lets the suite test an installed binary
  return b ? b : CIMNET_BINARY_PATH;
}

// Runs a shell command line, capturing stdout and (through a file) stderr.
inline Result run_command(const std::string& command) {
  // ctest runs tests in parallel processes: one stderr file per process.
  const std::string err_file = ::testing::TempDir() + "cimnet_cli_stderr." + std::to_string(getpid()) + ".txt";
  Result r;
  FILE* pipe = popen((command + " 2>" + err_file).c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::remove(err_file.c_str());
  return r;
}

// Runs the cimnet executable with `args`.
inline Result run(const std::string& args) { return run_command(binary() + " " + args); }

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace cimnet::test
