#pragma once
// An output file named on the command line, checked and claimed before any work: a run that would
// fail to write its result only at the end (after a long simulation) is refused at once instead.
#include <string>

#include "common/output_lock.hpp"

namespace cimnet {

// Checks that `path`, given as `option` (e.g. "--trace"), can be written: not empty, not a folder,
// its folder exists and is writable, and an existing file is writable. Then claims it (OutputLock)
// so that no other process writes it during the run; hold the returned lock until the file is
// written. InputError naming the option and the path otherwise, e.g.
//   --trace /nonexistent/dir/t.json: the folder /nonexistent/dir does not exist
OutputLock claim_output_file(const std::string& option, const std::string& path);

}  // namespace cimnet
