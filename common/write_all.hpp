#pragma once
// Writing a whole buffer to a file descriptor, as the forked workers do to hand their result back.
#include <string>

namespace cimnet {

// Writes every byte of `text` to `fd`, retrying after signal interruptions and partial writes.
// False when the descriptor fails (e.g. the reader is gone).
bool write_all(int fd, const std::string& text);

}  // namespace cimnet
