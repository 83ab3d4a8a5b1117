// Issue 18: how long reading an ONNX model takes (docs/onnx.md): every .onnx file of a folder (by default
// the test fixtures the build writes), read, shape-inferred and converted to layers, the median of five
// reads each. Files the importer refuses are listed as refused.
//
//   onnx_import_bench [FOLDER]      (default: build/tests/workloads/onnx_fixtures, from the build folder)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "workloads/onnx_import.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fs::path folder = argc > 1 ? argv[1] : "tests/workloads/onnx_fixtures";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.path().extension() == ".onnx") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::printf("%-40s %10s %8s %16s\n", "file", "ms", "layers", "MACs");
  for (const auto& f : files) {
    std::vector<double> ms;
    cimnet::Network net;
    try {
      for (int i = 0; i < 5; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        net = cimnet::load_onnx_file(f.string());
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
    } catch (const cimnet::InputError&) {
      std::printf("%-40s %10s\n", f.filename().c_str(), "refused");
      continue;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-40s %10.2f %8zu %16lld\n", f.filename().c_str(), ms[2], net.layers.size(),
                static_cast<long long>(net.total_macs()));
  }
  return 0;
}
