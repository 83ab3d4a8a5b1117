#pragma once
// The golden cycle counts (tests/mapping/golden/cycles.csv): the exact analytical and SystemC cycles
// of fixed networks on fixed hardware, so that any change of timing — in the mapper, the cost model,
// the program builder or the SystemC model — shows up as a changed number that someone had to write
// down on purpose (docs/model.md, "Golden numbers").
//
// Shared by the test (golden_test.cpp compares every case) and the writer (golden_write.cpp
// recomputes every case and rewrites the file). A case is "<space>:max" (the largest sub-network of
// a search space) or "file:<path>" (a network file, relative to the repository root).
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "hardware/hardware.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet::golden {

struct Case {
  std::string network;   // "ofa-mbv3:max" or "file:tests/mapping/golden/networks/conv.yaml"
  std::string hardware;  // "reference", "smallest" or "largest" of the default hardware space
};

// How GoogleTest names a case in its output.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.network << " on " << c.hardware; }

struct Row {
  Case c;
  std::int64_t ops = 0;
  std::int64_t analytical_cycles = 0;
  std::int64_t simulated_cycles = 0;
};

inline const char* kFile = "tests/mapping/golden/cycles.csv";
inline const char* kHeader = "network,hardware,ops,analytical_cycles,simulated_cycles";

// Every case, in file order: the largest sub-network of each space on the reference design (the
// figures docs/mapping.md publishes), then small networks of one kind of layer each and the two
// example networks on the reference, smallest and largest designs.
inline std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* space : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) out.push_back({std::string(space) + ":max", "reference"});
  const std::vector<std::string> files = {
      "tests/mapping/golden/networks/conv.yaml",   "tests/mapping/golden/networks/depthwise.yaml",
      "tests/mapping/golden/networks/linear.yaml", "tests/mapping/golden/networks/fc.yaml",
      "tests/mapping/golden/networks/matmul.yaml", "tests/mapping/golden/networks/vector.yaml",
      "examples/networks/tiny-cnn.yaml",           "examples/networks/transformer-block.yaml"};
  for (const auto& f : files) {
    for (const char* hw : {"reference", "smallest", "largest"}) out.push_back({"file:" + f, hw});
  }
  return out;
}

// A name usable as a GoogleTest parameter name: letters, digits and underscores.
inline std::string test_name(const Case& c) {
  std::string s = c.network + "_" + c.hardware;
  if (s.rfind("file:", 0) == 0) s = s.substr(5);
  const std::string prefix = "tests/mapping/golden/networks/";
  if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
  std::string out;
  for (char ch : s) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out;
}

inline HardwareConfig hardware_of(const std::string& name) {
  const HardwareSpace hs = HardwareSpace::defaults();
  if (name == "reference") return hs.reference_config();
  if (name == "smallest") return hs.config(hs.smallest());
  if (name == "largest") return hs.config(hs.largest());
  throw std::invalid_argument("golden: unknown hardware '" + name + "'");
}

inline Network network_of(const std::string& name, const std::filesystem::path& root) {
  if (name.rfind("file:", 0) == 0) return load_network_file((root / name.substr(5)).string());
  const auto colon = name.find(':');
  const auto space = make_space(name.substr(0, colon));
  return space->build(space->canonical(space->parse(name.substr(colon + 1))));
}

// Maps, estimates and simulates one case (simulate() forks: one elaboration per child).
inline Row compute(const Case& c, const std::filesystem::path& root) {
  const HardwareConfig hw = hardware_of(c.hardware);
  const NetworkMapping nm = map_network(network_of(c.network, root), hw);
  SimOptions options;
  options.timeout_seconds = 600;
  const SimResult r = simulate(nm.program, hw, options);
  if (!r.ok()) throw std::runtime_error("golden case " + c.network + " on " + c.hardware + ": " + r.message);
  // A run SystemC warned about is no reference.
  if (!r.warnings.empty()) {
    throw std::runtime_error("golden case " + c.network + " on " + c.hardware + ": SystemC warning " + r.warnings[0]);
  }
  Row row;
  row.c = c;
  row.ops = static_cast<std::int64_t>(nm.program.ops.size());
  row.analytical_cycles = nm.analytical_cycles;
  row.simulated_cycles = r.total_cycles;
  return row;
}

inline std::string format(const Row& r) {
  return r.c.network + "," + r.c.hardware + "," + std::to_string(r.ops) + "," + std::to_string(r.analytical_cycles) +
         "," + std::to_string(r.simulated_cycles);
}

// The rows of the golden file (its header checked).
inline std::vector<Row> read(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the golden file " + path.string());
  std::string line;
  std::getline(in, line);
  if (line != kHeader) throw std::runtime_error(path.string() + ": header is not '" + std::string(kHeader) + "'");
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> f = split(line, ',');
    if (f.size() != 5) throw std::runtime_error(path.string() + ": not 5 fields: " + line);
    Row r;
    r.c = {f[0], f[1]};
    r.ops = std::stoll(f[2]);
    r.analytical_cycles = std::stoll(f[3]);
    r.simulated_cycles = std::stoll(f[4]);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace cimnet::golden
