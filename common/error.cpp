#include "common/error.hpp"

namespace cimnet {

std::string located(const std::string& where, const std::string& message) {
  if (where.empty()) return message;
  return where + ": " + message;
}

}  // namespace cimnet
