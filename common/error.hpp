#pragma once
// Error types shared by every layer of cimnet.
//
// InputError is the user's fault (malformed file, unknown key, value out of range): the command line
// reports it in one line and exits with status 2. RunFailure is the environment's (status 1). Anything
// else escaping to main() is an internal failure (status 1).
#include <stdexcept>
#include <string>

namespace cimnet {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// The run itself failed although the input was fine and cimnet has no bug: a helper process or an
// MPI rank died. Reported in one line, status 1, without the "internal error" label.
class RunFailure : public std::runtime_error {
 public:
  explicit RunFailure(const std::string& message) : std::runtime_error(message) {}
};

// Prefixes a message with its origin ("file:line: " or "what: "), skipping empty parts.
std::string located(const std::string& where, const std::string& message);

}  // namespace cimnet
