#include "accuracy/data_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace cimnet {

namespace fs = std::filesystem;

std::string data_dir() {
  if (const char* env = std::getenv("CIMNET_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "cimnet" / "data";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return CIMNET_SOURCE_DATA_DIR;
}

std::string shipped_accuracy_model(const std::string& space_name) {
  // Only OFA-MobileNetV3 w1.0 has measured accuracies to fit (DyNAS-T's, data/accuracy/README.md).
  if (space_name == "ofa-mbv3") return (fs::path(data_dir()) / "accuracy" / "ofa-mbv3-w10.json").string();
  return "";
}

}  // namespace cimnet
