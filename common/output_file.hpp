#pragma once
// An output file named on the command line, checked and claimed before any work: a run that would
// fail to write its result only at the end (after a long simulation) is refused at once instead.
#include <string>

#include "common/output_lock.hpp"

namespace cimnet {

// OutputLock::for_file (the path's checks, then the claim) for a path given as `option` (e.g.
// "--trace"): its InputError names the option and the path, e.g.
//   --trace /nonexistent/dir/t.json: the folder /nonexistent/dir does not exist
// Hold the returned lock until the file is written.
OutputLock claim_output_file(const std::string& option, const std::string& path);

}  // namespace cimnet
