#pragma once
// Where cimnet's shipped data (data/accuracy/...) is found at run time.
//
// In this order:
//   1. the environment variable CIMNET_DATA_DIR, when set and non-empty (a relocated or custom copy);
//   2. <executable's directory>/../share/cimnet/data, when it exists (an installed cimnet);
//   3. the source tree's data/ directory, compiled in by CMake (a build tree: no install step needed).
#include <string>

namespace cimnet {

std::string data_dir();
// The accuracy model shipped for a space ("" when none ships): data_dir()/accuracy/<file>.
std::string shipped_accuracy_model(const std::string& space_name);

}  // namespace cimnet
