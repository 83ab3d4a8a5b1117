#include "common/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace cimnet {

OutputLock claim_output_file(const std::string& option, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string who = option + " " + path;
  if (path.empty()) throw InputError(option + ": the path is empty");
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(who + ": is a folder; give a file path");
  const fs::path parent = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (!fs::exists(parent, ec)) throw InputError(who + ": the folder " + parent.string() + " does not exist");
  if (!fs::is_directory(parent, ec)) throw InputError(who + ": " + parent.string() + " is not a folder");
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw InputError(who + ": cannot write in the folder " + parent.string() + " (" + std::strerror(errno) + ")");
  }
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) {
    throw InputError(who + ": cannot write the file (" + std::string(std::strerror(errno)) + ")");
  }
  try {
    return OutputLock::for_file(path);
  } catch (const InputError& e) {
    throw InputError(option + " " + e.what());
  }
}

}  // namespace cimnet
