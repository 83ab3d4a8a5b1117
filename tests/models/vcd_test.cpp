// The VCD of utilisation signals: its busy wires and windowed utilisation must add up to exactly the
// busy cycles the result reports for each resource.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "models/simulate.hpp"
#include "tests/models/model_hw.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

struct Signal {
  std::string id;
  std::int64_t busy = 0;     // from the busy wire's edges
  double util_sum = 0;       // Σ utilisation × window over value changes
};

// Reads a VCD written by the model: scope -> (busy id, utilisation id), then integrates both signals.
std::map<std::string, Signal> read_vcd(const std::string& path, std::int64_t end) {
  std::ifstream in(path);
  std::map<std::string, std::string> busy_scope, util_scope;
  std::string line, scope;
  while (std::getline(in, line) && line != "$enddefinitions $end") {
    std::istringstream s(line);
    std::string a, b, c, d, e;
    s >> a >> b >> c >> d >> e;
    if (a == "$scope" && c != "cimnet") scope = c;
    if (a == "$var" && e == "busy") busy_scope[d] = scope;
    if (a == "$var" && e == "utilisation") util_scope[d] = scope;
  }
  std::map<std::string, Signal> out;
  std::map<std::string, std::int64_t> rose;
  std::map<std::string, std::pair<std::int64_t, double>> util_since;  // id -> (time, value)
  std::int64_t now = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '$') continue;
    if (line[0] == '#') {
      now = std::stoll(line.substr(1));
    } else if (line[0] == 'r') {
      const auto space = line.find(' ');
      const double v = std::stod(line.substr(1, space - 1));
      const std::string id = line.substr(space + 1);
      auto& [t, last] = util_since[id];
      out[util_scope[id]].util_sum += last * static_cast<double>(now - t);
      t = now;
      last = v;
    } else {
      const std::string id = line.substr(1);
      if (line[0] == '1') rose[id] = now;
      if (line[0] == '0' && rose.count(id)) out[busy_scope[id]].busy += now - rose[id], rose.erase(id);
    }
  }
  for (const auto& [id, tv] : util_since) out[util_scope[id]].util_sum += tv.second * static_cast<double>(end - tv.first);
  return out;
}

TEST(Vcd, BusyWiresAndUtilisationAddUpToTheReportedBusyCycles) {
  const HardwareConfig hw = test::make_hw(test::Bw{});
  Program p;
  const int w = p.load({5}, 64 * 1024);
  p.compute({5}, 100000, 64 * 1024, {w});
  p.load({0, 1, 2}, 8 * 1024, {}, /*multicast=*/true);
  SimOptions options;
  options.vcd_path = (test::scratch_dir("cimnet_vcd_test") / "model.vcd").string();
  options.vcd_window_cycles = 64;
  const SimResult r = simulate_in_process(p, hw, options);
  ASSERT_TRUE(r.ok()) << r.message;

  // The run ends on a window boundary or inside the last window; integrate to its end.
  const std::int64_t end = (r.total_cycles / 64 + 1) * 64;
  const auto signals = read_vcd(options.vcd_path, end);
  ASSERT_EQ(signals.size(), r.modules.size());
  for (const auto& m : r.modules) {
    std::string scope;
    for (char c : m.name) scope += (c == '[' || c == '.') ? '_' : c;
    scope.erase(std::remove(scope.begin(), scope.end(), ']'), scope.end());
    ASSERT_TRUE(signals.count(scope)) << scope;
    EXPECT_EQ(signals.at(scope).busy, m.busy_cycles) << m.name;
    EXPECT_NEAR(signals.at(scope).util_sum, static_cast<double>(m.busy_cycles), 1e-6) << m.name;
  }
  EXPECT_EQ(signals.at("dram").busy, 64 * 1024 / 64 + 8 * 1024 / 64);  // multicast read from DRAM once
  EXPECT_GT(signals.at("core_5").busy, 100000 / 64);
}

}  // namespace
}  // namespace cimnet
