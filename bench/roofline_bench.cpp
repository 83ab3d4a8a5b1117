// Simulated cycles ÷ roofline (mapping/roofline.hpp) for every MAC layer of the largest sub-network
// of each space, on three corners of the default hardware space, and the analytical estimate's error
// per layer against the SystemC model (docs/mapping.md, "Roofline" records the figures); and, as a
// second yardstick, the median ratio to the roofline with the fixed latencies (Roofline::with_latency).
//
//   roofline_bench [--layers] [--ops LAYER] [CORNER ...] [SPACE ...]
// CORNER: reference, low-dram, many-cores (default: all three); SPACE: ofa-mbv3, ofa-resnet50, vit-b16
// (default: all three). --layers adds one tab-separated line per MAC layer; --ops LAYER lists the
// simulated ops of that layer (ready, start, end, bound), for finding what keeps it above its roofline.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "mapping/network_mapper.hpp"
#include "corners.hpp"
#include "mapping/roofline.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  bool layers = false;
  std::string ops_of;
  std::vector<std::string> corners, spaces;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--layers") {
      layers = true;
    } else if (a == "--ops" && i + 1 < argc) {
      ops_of = argv[++i];
    } else if (a == "reference" || a == "low-dram" || a == "many-cores") {
      corners.push_back(a);
    } else {
      spaces.push_back(a);
    }
  }
  if (corners.empty()) corners = {"reference", "low-dram", "many-cores"};
  if (spaces.empty()) spaces = {"ofa-mbv3", "ofa-resnet50", "vit-b16"};
  for (const auto& c : corners) cimnet::bench::corner(c, "roofline_bench");  // bad names exit 2 before any work
  for (const auto& s : spaces) cimnet::bench::space_named(s, "roofline_bench");
  if (layers) std::printf("corner\tnetwork\tlayer\tplan\tpasses\tbound\troofline\tsim\tratio\test\terr\twith latency\tratio\n");
  std::printf("%-10s %-13s %6s %8s %8s %-24s %6s %9s %9s %-24s %12s %9s\n", "corner", "network", "layers", "median",
              "worst", "worst layer", ">1.3", "err med", "err worst", "worst-error layer", "sim cycles", "med lat");
  for (const auto& c : corners) {
    const cimnet::HardwareConfig hw = cimnet::bench::corner(c, "roofline_bench");
    for (const auto& s : spaces) {
      const auto space = cimnet::make_space(s);
      const cimnet::Network net = space->build(space->largest());
      cimnet::NetworkMapping nm = cimnet::map_network(net, hw);
      cimnet::SimOptions options;
      options.timeout_seconds = 600;
      const cimnet::SimResult r = cimnet::simulate(nm.program, hw, options);
      if (!r.ok()) {
        std::fprintf(stderr, "%s on %s: %s\n", s.c_str(), c.c_str(), r.message.c_str());
        return 1;
      }
      std::vector<std::int64_t> start, end;
      for (const auto& o : r.ops) {
        start.push_back(o.start);
        end.push_back(o.end);
      }
      cimnet::attribute(nm, start, end);
      std::vector<double> ratios, errors, latency_ratios;
      double worst = 0, worst_err = 0;
      std::string worst_name, worst_err_name;
      int above = 0;
      for (const auto& m : nm.layers) {
        if (!m.mac) continue;
        const cimnet::Layer& l = net.layers[static_cast<std::size_t>(m.index)];
        const cimnet::Roofline roof = cimnet::roofline(l, hw);
        const double ratio = static_cast<double>(m.sim_cycles) / roof.cycles;
        const double err = static_cast<double>(m.cost.cycles - m.sim_cycles) / static_cast<double>(m.sim_cycles);
        ratios.push_back(ratio);
        latency_ratios.push_back(static_cast<double>(m.sim_cycles) / roof.with_latency);
        errors.push_back(std::abs(err));
        if (ratio > 1.3) ++above;
        if (ratio > worst) {
          worst = ratio;
          worst_name = l.name;
        }
        if (std::abs(err) > worst_err) {
          worst_err = std::abs(err);
          worst_err_name = l.name;
        }
        if (l.name == ops_of) {
          std::printf("ops of %s (%s): plan %s, %lld passes, m %lld, tile %lld B, stream %lld B, out %lld B\n",
                      l.name.c_str(), c.c_str(), m.plan.mapping.summary().c_str(),
                      static_cast<long long>(m.plan.passes), static_cast<long long>(m.plan.m),
                      static_cast<long long>(m.plan.tile_bytes), static_cast<long long>(m.plan.stream_bytes),
                      static_cast<long long>(m.plan.out_bytes));
          for (int id = m.first_op; id < m.end_op; ++id) {
            const auto& o = r.ops[static_cast<std::size_t>(id)];
            std::printf("  %5d %-28s %-11s ready %8lld start %8lld end %8lld  %s %lld\n", id, o.name.c_str(),
                        o.kind.c_str(), static_cast<long long>(o.ready - m.sim_end + m.sim_cycles),
                        static_cast<long long>(o.start - m.sim_end + m.sim_cycles),
                        static_cast<long long>(o.end - m.sim_end + m.sim_cycles), o.bound.c_str(),
                        static_cast<long long>(o.bound_cycles));
          }
        }
        if (layers) {
          std::printf("%s\t%s\t%s\t%s\t%lld\t%s\t%.0f\t%lld\t%.3f\t%lld\t%+.2f%%\t%.0f\t%.3f\n", c.c_str(), s.c_str(),
                      l.name.c_str(), m.plan.mapping.summary().c_str(), static_cast<long long>(m.plan.passes),
                      roof.bound, roof.cycles, static_cast<long long>(m.sim_cycles), ratio,
                      static_cast<long long>(m.cost.cycles), 100 * err, roof.with_latency,
                      static_cast<double>(m.sim_cycles) / roof.with_latency);
        }
      }
      std::printf("%-10s %-13s %6zu %8.3f %8.3f %-24s %6d %8.2f%% %8.2f%% %-24s %12lld %9.3f\n", c.c_str(), s.c_str(),
                  ratios.size(), median(ratios), worst, worst_name.c_str(), above, 100 * median(errors),
                  100 * worst_err, worst_err_name.c_str(), static_cast<long long>(r.total_cycles), median(latency_ratios));
      std::fflush(stdout);
    }
  }
  return 0;
}
