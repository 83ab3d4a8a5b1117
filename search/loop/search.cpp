#include "search/loop/search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "common/error.hpp"
#include "evaluation/stop_signal.hpp"
#include "search/loop/method.hpp"
#include "search/loop/method_context.hpp"
#include "search/loop/run_folder.hpp"
#include "search/moo/pareto.hpp"

namespace cimnet::loop {

namespace {

std::string fmt(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string with_thousands(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

// The front (real evaluations, within the area budget), hypervolume, speedup and analytical
// estimates of a method and seed.
MethodResult summarise(const MethodContext& context, const std::string& method, long long seed) {
  const CoSpace& space = context.space();
  const Record& reference = context.reference();
  MethodResult out;
  out.method = method;
  out.seed = seed;
  const auto rs = context.records_of(method, seed);
  out.evaluations = rs.size();
  out.hypervolume = context.frame().hypervolume(rs);
  std::vector<const Record*> ok;
  std::vector<moo::Objectives> pts;
  for (const auto* r : rs) {
    if (!r->m.ok() || !space.feasible(r->point)) continue;
    ok.push_back(r);
    pts.push_back(context.frame().raw_objectives(values_of(*r)));
  }
  for (std::size_t i : moo::non_dominated_indices(pts)) out.front.push_back(*ok[i]);
  std::sort(out.front.begin(), out.front.end(), [](const Record& a, const Record& b) { return a.m.cycles < b.m.cycles; });
  double best = 0;
  for (const auto* r : ok) {
    // No accuracy at all (one network's hardware search): every point has the reference's network.
    const bool same_network = std::isnan(r->m.accuracy) && std::isnan(reference.m.accuracy);
    if ((same_network || r->m.accuracy >= reference.m.accuracy - 1e-9) && (best == 0 || r->m.cycles < best)) {
      best = r->m.cycles;
    }
  }
  out.speedup = best > 0 ? reference.m.cycles / best : 0;
  for (const auto& l : context.folder().iterations()) {
    if (l.method != method || l.seed != seed) continue;
    out.analytical_estimates += l.analytical_estimates;
    out.analytical_seconds += l.rerank_seconds;
  }
  return out;
}

}  // namespace

SearchResult run_search(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                        const SearchOptions& o) {
  // Everything that can be refused is refused before any evaluation.
  if (o.budget < 1 || o.initial < 1 || o.batch < 1) throw InputError("search: budget, initial and batch must be positive");
  const std::vector<MethodSpec> methods = parse_method_specs(o.methods, o.method_settings());
  RunFolder folder(o.out, space, o.config, o.scenario_text, o.resume);
  if (o.on_start) o.on_start();
  if (o.verbose && !folder.log().records().empty()) {
    std::cerr << "search: resuming " << o.out << ": " << folder.log().records().size() << " real evaluations done\n";
  }
  MethodContext context(space, evaluator, accuracy, o, folder);
  SearchResult result;
  evaluation::StopSignal stop;
  try {
    context.measure_reference();
    result.reference = context.reference();
    result.accuracy_low = context.frame().accuracy_low();
    result.accuracy_high = context.frame().accuracy_high();
    result.objectives = context.frame().chosen();
    for (long long seed : o.seeds) {
      for (const auto& spec : methods) {
        make_method(spec, context)->run(seed);
        result.methods.push_back(summarise(context, spec.name, seed));
      }
    }
  } catch (const Interrupted&) {
    folder.close_log();
    const int sig = evaluation::StopSignal::signal_number();
    evaluation::StopSignal::reset();
    std::cerr << "search: stopped by signal " << sig << "; " << o.out
              << " holds every finished evaluation; continue with --resume\n";
    result.iterations = folder.iterations();
    result.exit_status = 128 + sig;
    return result;
  }
  folder.close_log();
  folder.write_front(result.methods, result.reference);
  result.iterations = folder.iterations();
  return result;
}

void check_run_folder(const std::string& out) { RunFolder::check_path(out); }

void print_result(std::ostream& out, const CoSpace& space, const SearchResult& result) {
  const auto& ref = result.reference;
  // Energy is shown when an objective is made of it (every simulated evaluation measures it anyway:
  // evaluations.csv and front.csv always have it).
  const bool energy = needs_energy(result.objectives);
  out << "reference: " << space.space().format(ref.point.arch) << " on the reference hardware"
      << (space.execution_searched() ? std::string(", ") + to_string(ref.point.execution) : std::string())
      << (space.allocation_searched() ? std::string(", allocated for ") + to_string(ref.point.allocation) : std::string())
      << ": top-1 "
      << fmt(ref.m.accuracy, 4) << " %, " << with_thousands(static_cast<long long>(ref.m.cycles)) << " cycles"
      << (energy ? ", " + fmt(ref.m.energy_pj * 1e-6, 5) + " uJ" : std::string()) << ", area 1\n";
  std::string chosen;
  for (Objective o : result.objectives) chosen += (chosen.empty() ? "" : ", ") + to_string(o);
  if (!chosen.empty()) out << "objectives: " << chosen << " (the fronts and hypervolumes are over these)\n";
  for (const auto& m : result.methods) {
    out << "\nPareto front of " << m.method << " (seed " << m.seed << "): " << m.front.size() << " points of "
        << m.evaluations << " real evaluations; hypervolume " << fmt(m.hypervolume, 5) << "; speedup at iso-accuracy "
        << (m.speedup > 0 ? fmt(m.speedup, 3) + "x" : std::string("none (no point reaches the reference accuracy)"))
        << "\n";
    // A searched policy is a design choice like the hardware: each point says which it runs under.
    const bool searched = space.execution_searched(), allocated = space.allocation_searched();
    out << "  top-1 %    cycles        area   " << (energy ? "energy uJ  " : "")
        << (searched ? "execution       " : "") << (allocated ? "allocation    " : "")
        << "hardware                                   sub-network\n";
    for (const auto& r : m.front) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-9s %-13s %-6s ", fmt(r.m.accuracy, 4).c_str(),
                    with_thousands(static_cast<long long>(r.m.cycles)).c_str(), fmt(r.point.area, 3).c_str());
      std::string hw;
      for (std::size_t i = 0; i < kHwParamCount; ++i) hw += std::to_string(r.point.hw[i]);
      // Component genes by value: a core's size reads better than its index (none in the template).
      const auto& genes = space.hardware().component_genes;
      for (std::size_t i = 0; i < genes.size(); ++i) {
        const int index = r.point.hw[kHwParamCount + i];
        hw += " " + genes[i].name() + "=" + std::to_string(genes[i].choices[static_cast<std::size_t>(index)]);
      }
      out << line;
      if (energy) {
        std::snprintf(line, sizeof line, "%-10s ", fmt(r.m.energy_pj * 1e-6, 5).c_str());
        out << line;
      }
      if (searched) {
        std::snprintf(line, sizeof line, "%-15s ", to_string(r.point.execution));
        out << line;
      }
      if (allocated) {
        std::snprintf(line, sizeof line, "%-13s ", to_string(r.point.allocation));
        out << line;
      }
      out << "choices " << hw << "  " << space.space().format(r.point.arch) << "\n";
    }
  }
  out << "\n(hardware: the choice index 0..3 of DRAM_bw L2_bw L1_bw L1_num_child MA_bw MA_num_child MA_mem_size "
         "MA_comp_per_core"
      << (space.hardware().component_genes.empty() ? "" : ", then each digital core's searched size by value")
      << "; front.csv has the values;\n area: a first-order relative model, the reference design = 1, "
         "its shares not sourced - docs/search.md)\n";
  if (result.methods.empty()) return;
  // The summary: what each method got for its budget, and the analytical estimates it used beyond it
  // (LINAS's re-rank; the analytical cycles inside each real evaluation are every method's alike).
  std::size_t width = 6;
  for (const auto& m : result.methods) width = std::max(width, m.method.size());
  out << "\nsummary:\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-*s %6s %11s %11s %9s  %s\n", static_cast<int>(width), "method", "seed",
                "evaluations", "hypervolume", "speedup", "analytical estimates beyond the budget (re-rank)");
  out << line;
  for (const auto& m : result.methods) {
    const std::string analytical = m.analytical_estimates == 0
                                       ? std::string("none")
                                       : std::to_string(m.analytical_estimates) + " candidates, " +
                                             fmt(m.analytical_seconds, 3) + " s";
    std::snprintf(line, sizeof line, "  %-*s %6lld %11zu %11s %9s  %s\n", static_cast<int>(width), m.method.c_str(),
                  m.seed, m.evaluations, fmt(m.hypervolume, 5).c_str(),
                  m.speedup > 0 ? (fmt(m.speedup, 3) + "x").c_str() : "none", analytical.c_str());
    out << line;
  }
}

}  // namespace cimnet::loop
