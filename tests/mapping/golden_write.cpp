// golden_write: recomputes every golden case (golden_cases.hpp) and rewrites
// tests/mapping/golden/cycles.csv, printing the rows that changed. Run it only when a timing change is
// intended, and say why in the commit (docs/model.md, "Golden numbers"):
//   build/tests/mapping/golden_write [repository root, default: the one it was built from]
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/mapping/golden_cases.hpp"

int main(int argc, char** argv) {
  using namespace cimnet;
  try {
    const std::filesystem::path root = argc > 1 ? argv[1] : CIMNET_TEST_SOURCE_DIR;
    const std::filesystem::path file = root / golden::kFile;
    std::map<std::string, std::string> before;
    if (std::filesystem::exists(file)) {
      for (const auto& r : golden::read(file)) before[r.c.network + "," + r.c.hardware] = golden::format(r);
    }
    std::string text = std::string(golden::kHeader) + "\n";
    int changed = 0;
    for (const auto& c : golden::cases()) {
      const std::string row = golden::format(golden::compute(c, root));
      const auto it = before.find(c.network + "," + c.hardware);
      if (it == before.end() || it->second != row) {
        std::printf("%s\n  was: %s\n", row.c_str(), it == before.end() ? "(new case)" : it->second.c_str());
        ++changed;
      }
      text += row + "\n";
    }
    std::ofstream out(file);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
    std::printf("%s: %d of %zu rows changed\n", file.string().c_str(), changed, golden::cases().size());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "golden_write: %s\n", e.what());
    return 1;
  }
}
