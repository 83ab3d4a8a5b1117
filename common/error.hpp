#pragma once
// Error types shared by every layer of cimnet.
//
// InputError is the user's fault (malformed file, unknown key, value out of range): the command line
// reports it in one line and exits with status 2. Anything else escaping to main() is an internal
// failure (status 1).
#include <stdexcept>
#include <string>

namespace cimnet {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// Prefixes a message with its origin ("file:line: " or "what: "), skipping empty parts.
std::string located(const std::string& where, const std::string& message);

}  // namespace cimnet
