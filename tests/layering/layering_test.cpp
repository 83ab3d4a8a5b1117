// The house rules that the compiler does not check, read from the source tree itself:
//   - each layer includes only the layers beneath it (the table below is docs/architecture.md's),
//     so no folder includes a folder that includes it back;
//   - SystemC and TLM headers appear only in models/ (and the model's own tests);
//   - no source file outside tests/ is over 500 lines unless its opening comment says why
//     ("Over 500 lines: ...").
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

namespace {

namespace fs = std::filesystem;

fs::path source_root() { return cimnet::test::source_dir(); }

// Layer of a path relative to the root: the folder that holds it, with search/ and apps/ one level
// deeper (their parts are layers of their own). Empty for files outside the layers.
std::string layer_of(const std::string& relative) {
  static const std::vector<std::string> layers = {
      "common", "workloads", "hardware", "program", "config", "mapping", "models", "predict",
      "accuracy", "evaluation", "dataset", "search/moo", "search/loop", "apps/cimnet", "python"};
  for (const auto& l : layers) {
    if (relative.rfind(l + "/", 0) == 0) return l;
  }
  return {};
}

// What each layer may include besides itself. Lowest first; every entry names only earlier layers,
// which is what makes the graph acyclic.
const std::map<std::string, std::set<std::string>>& allowed() {
  static const std::map<std::string, std::set<std::string>> table = {
      {"common", {}},
      {"workloads", {"common"}},
      {"hardware", {"common"}},
      {"program", {"common", "hardware"}},
      {"config", {"common", "workloads", "hardware"}},
      {"mapping", {"common", "workloads", "hardware", "program"}},
      {"models", {"common", "hardware", "program"}},
      {"predict", {"common", "workloads", "hardware"}},
      {"accuracy", {"common", "workloads", "predict"}},
      // The simulation evaluator (its own library) maps and simulates; the rest of evaluation/ does not.
      {"evaluation", {"common", "workloads", "hardware", "program", "mapping", "models"}},
      {"dataset", {"common", "workloads", "hardware", "config", "predict", "accuracy", "evaluation"}},
      {"search/moo", {"common"}},
      {"search/loop", {"common", "workloads", "hardware", "predict", "accuracy", "evaluation", "search/moo"}},
      {"apps/cimnet", {"common", "workloads", "hardware", "program", "config", "mapping", "models", "predict",
                       "accuracy", "evaluation", "dataset", "search/moo", "search/loop"}},
      // The Python module drives the command library (apps/cimnet) and the layers beneath it.
      {"python", {"common", "workloads", "hardware", "program", "config", "mapping", "models", "predict", "accuracy",
                  "evaluation", "dataset", "search/moo", "search/loop", "apps/cimnet"}},
  };
  return table;
}

struct SourceFile {
  std::string relative;
  std::vector<std::string> lines;
};

std::vector<SourceFile> source_files() {
  std::vector<SourceFile> out;
  const fs::path root = source_root();
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.rfind("build", 0) == 0 || name.rfind(".", 0) == 0 || name == "runs" ||
                               name.rfind("runs-", 0) == 0)) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const std::string ext = it->path().extension().string();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".py" && ext != ".sh" && ext != ".in") continue;
    SourceFile f;
    f.relative = fs::relative(it->path(), root).generic_string();
    std::ifstream in(it->path());
    for (std::string line; std::getline(in, line);) f.lines.push_back(line);
    out.push_back(std::move(f));
  }
  EXPECT_GT(out.size(), 100u) << "the source tree was not found at " << root;
  return out;
}

TEST(Layering, EveryIncludeGoesToALowerLayer) {
  const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::map<std::pair<std::string, std::string>, std::string> edges;  // (from, to) -> first example
  std::size_t checked = 0;
  for (const auto& f : source_files()) {
    const std::string from = layer_of(f.relative);
    if (from.empty()) continue;
    for (const auto& line : f.lines) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      const std::string to = layer_of(m[1].str());
      if (to.empty() || to == from) continue;
      ++checked;
      edges.emplace(std::make_pair(from, to), f.relative + " includes " + m[1].str());
    }
  }
  EXPECT_GT(checked, 100u);
  for (const auto& [edge, example] : edges) {
    const auto a = allowed().find(edge.first);
    ASSERT_NE(a, allowed().end()) << "layer " << edge.first << " is not in the table";
    EXPECT_TRUE(a->second.count(edge.second)) << edge.first << " must not include " << edge.second << ": " << example;
  }
}

TEST(Layering, TheAllowedTableIsAcyclic) {
  // Each layer may only name layers that come before it in the table's own order of definition is
  // not expressible with std::map; check acyclicity directly instead.
  std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
  std::function<bool(const std::string&)> visit = [&](const std::string& l) {
    if (state[l] == 1) return false;
    if (state[l] == 2) return true;
    state[l] = 1;
    for (const auto& d : allowed().at(l)) {
      if (!visit(d)) return false;
    }
    state[l] = 2;
    return true;
  };
  for (const auto& [l, deps] : allowed()) EXPECT_TRUE(visit(l)) << "a cycle through " << l;
}

TEST(Layering, SystemCOnlyInModels) {
  const std::regex systemc(R"re(^\s*#\s*include\s*[<"](systemc|tlm)[^>"]*[>"])re");
  for (const auto& f : source_files()) {
    const bool allowed_here = f.relative.rfind("models/", 0) == 0 || f.relative.rfind("tests/models/", 0) == 0 ||
                              f.relative.rfind("bench/", 0) == 0;
    for (const auto& line : f.lines) {
      if (std::regex_search(line, systemc)) {
        EXPECT_TRUE(allowed_here) << f.relative << " includes SystemC: " << line;
      }
    }
  }
}

TEST(Layering, LongFilesSayWhy) {
  for (const auto& f : source_files()) {
    if (f.relative.rfind("tests/", 0) == 0 || f.lines.size() <= 500) continue;
    bool reason = false;
    for (std::size_t i = 0; i < f.lines.size() && i < 40; ++i) {
      if (f.lines[i].find("Over 500 lines:") != std::string::npos) reason = true;
    }
    EXPECT_TRUE(reason) << f.relative << " has " << f.lines.size()
                        << " lines and its opening comment does not say why (\"Over 500 lines: ...\")";
  }
}

}  // namespace
