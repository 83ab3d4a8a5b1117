// cimnet report: the figures (PNG) and one static HTML page of a search run folder, a simulate report,
// or predictor / dataset CSVs.
//
// The C++ side writes the data (search, simulate, predictor, dataset); a Python script draws it with
// Debian's python3-matplotlib: scripts/report/cimnet_report.py. This command finds the interpreter and
// the script, lets the script check the inputs (`--check`: what the paths hold, and that matplotlib
// imports) so that every problem is one InputError line here, then replaces itself with the script.
//
//   interpreter: $CIMNET_PYTHON, else /usr/bin/python3 (Debian's, which python3-matplotlib serves)
//   scripts:     $CIMNET_SCRIPTS_DIR, else <executable>/../share/cimnet/scripts when installed, else the
//                source tree's scripts/ (CIMNET_SOURCE_SCRIPTS_DIR from CMake, else derived from this
//                file's path)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/cimnet/command.hpp"
#include "common/error.hpp"

namespace cimnet::cli {

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

const char* const kSetupHint =
    "install Debian's python3-matplotlib ('apt-get install python3-matplotlib'; scripts/setup.sh does) or "
    "set CIMNET_PYTHON to an interpreter that has matplotlib";

std::string source_scripts_dir() {
#ifdef CIMNET_SOURCE_SCRIPTS_DIR
  return CIMNET_SOURCE_SCRIPTS_DIR;
#else
  // apps/cimnet/command_report.cpp -> <source root>/scripts (CMake compiles with absolute paths).
  return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts").string();
#endif
}

std::string scripts_dir() {
  if (const char* env = std::getenv("CIMNET_SCRIPTS_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "cimnet" / "scripts";
    if (fs::is_regular_file(installed / "report" / "cimnet_report.py", ec)) return installed.string();
  }
  return source_scripts_dir();
}

std::string interpreter() {
  if (const char* env = std::getenv("CIMNET_PYTHON"); env && *env) return env;
  return "/usr/bin/python3";
}

std::vector<char*> c_args(std::vector<std::string>& args) {
  std::vector<char*> out;
  for (auto& a : args) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

struct Check {
  int status = -1;     // exit status of the check, -1 when it did not exit normally
  std::string errors;  // what it printed on stderr
};

// Runs `argv` with stdout discarded and stderr captured.
Check run_captured(std::vector<std::string> argv) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    auto args = c_args(argv);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(pipe_fds[1]);
  Check check;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    check.errors.append(buf, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int raw = 0;
  while (waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  check.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return check;
}

// The last non-empty line of `text`, without the script's "cimnet report: " prefix.
std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  const std::string prefix = "cimnet report: ";
  if (last.compare(0, prefix.size(), prefix) == 0) last = last.substr(prefix.size());
  return last;
}

}  // namespace

int run_report(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("out", po::value<std::string>(), "output folder (default: RUN_DIR/report, or <stem>_report beside a file)")
      ("title", po::value<std::string>(), "title of the HTML page (default: cimnet report)");
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>(), "inputs");
  po::options_description all(options);
  all.add(hidden);
  all.add_options()("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("input", -1);
  const std::string usage =
      "RUN_DIR [RUN_DIR ...] [--out DIR] [--title TEXT]\n\n"
      "RUN_DIR: a search run folder (cimnet search --out), a simulate report (cimnet simulate --report\n"
      "out.json), predictor CSVs (predictor eval --scatter, predictor curve --out), a cimnet dataset CSV,\n"
      "or a folder holding any of them (sub-folders that are search runs are drawn together). Writes the\n"
      "PNG figures and index.html (static, no external assets) into the output folder and prints its path.\n"
      "Drawn by scripts/report/cimnet_report.py with Debian's python3-matplotlib ($CIMNET_PYTHON, default\n"
      "/usr/bin/python3; the script folder: $CIMNET_SCRIPTS_DIR). See docs/report.md.";
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional)
                  .style(po::command_line_style::unix_style).run(),
              vm);
    if (vm.count("help")) {
      std::ostringstream text;
      po::options_description shown(options);
      shown.add_options()("help,h", "show this help");
      text << "usage: cimnet report " << usage << "\n\n" << shown << "\n";
      throw HelpRequested{text.str()};
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string(e.what()) + " (see 'cimnet report --help')");
  }
  if (!vm.count("input")) throw InputError("name a search run folder, a simulate report or predictor CSVs (see 'cimnet report --help')");
  const auto inputs = vm["input"].as<std::vector<std::string>>();
  for (const auto& path : inputs) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError("'" + path + "' does not exist");
  }

  const std::string python = interpreter();
  if (access(python.c_str(), X_OK) != 0) {
    throw InputError("no Python interpreter at " + python + " to draw the report: " + kSetupHint);
  }
  const std::string script = (fs::path(scripts_dir()) / "report" / "cimnet_report.py").string();
  {
    std::error_code ec;
    if (!fs::is_regular_file(script, ec)) {
      throw InputError("the report script is not at " + script +
                       ": set CIMNET_SCRIPTS_DIR to the scripts/ folder of a cimnet source tree");
    }
  }

  // -B: no __pycache__ beside the script (a source tree stays clean).
  std::vector<std::string> check_argv = {python, "-B", script, "--check"};
  check_argv.insert(check_argv.end(), inputs.begin(), inputs.end());
  const Check check = run_captured(check_argv);
  if (check.status != 0) {
    const std::string why = last_line(check.errors);
    if (check.status == 2) throw InputError(why.empty() ? "the report script refused the inputs" : why);
    if (check.status == 127) throw InputError("cannot run " + python + ": " + kSetupHint);
    throw std::runtime_error("the report script's check failed (status " + std::to_string(check.status) +
                             "): " + (why.empty() ? "no message" : why));
  }

  std::vector<std::string> argv = {python, "-B", script};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  if (vm.count("out")) {
    argv.push_back("--out");
    argv.push_back(vm["out"].as<std::string>());
  }
  if (vm.count("title")) {
    argv.push_back("--title");
    argv.push_back(vm["title"].as<std::string>());
  }
  std::cout.flush();
  std::cerr.flush();
  auto c_argv = c_args(argv);
  execv(c_argv[0], c_argv.data());
  throw std::runtime_error("cannot run " + python + ": " + std::strerror(errno));
}

}  // namespace cimnet::cli
