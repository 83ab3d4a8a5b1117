#include "common/output_file.hpp"

#include "common/error.hpp"

namespace cimnet {

OutputLock claim_output_file(const std::string& option, const std::string& path) {
  if (path.empty()) throw InputError(option + ": the path is empty");
  try {
    return OutputLock::for_file(path);
  } catch (const InputError& e) {
    throw InputError(option + " " + e.what());
  }
}

}  // namespace cimnet
