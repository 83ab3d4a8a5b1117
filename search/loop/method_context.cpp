#include "search/loop/method_context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "common/error.hpp"
#include "evaluation/stop_signal.hpp"
#include "predict/metrics.hpp"

namespace cimnet::loop {

namespace {

std::string fmt(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace

MethodContext::MethodContext(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                             const SearchOptions& options, RunFolder& folder)
    : space_(space),
      evaluator_(evaluator),
      accuracy_function_(accuracy),
      options_(options),
      folder_(folder),
      accuracy_(space, accuracy),
      features_(space) {}

void MethodContext::measure_reference() {
  const Candidate ref = space_.reference();
  evaluate({ref}, "reference", 0, 0);
  Record reference;
  for (const auto* r : records_of("reference", 0)) {
    if (r->point.key == ref.key) reference = *r;
  }
  if (!reference.m.ok()) {
    throw InputError("search: the reference point (reference sub-network on the reference hardware) could not be "
                     "evaluated: status " + reference.m.status + "; see " + folder_.path() + "/evaluations.csv" +
                     (needs_energy(options_.objectives) ? " (the objectives need each evaluation's energy_pj)" : ""));
  }
  const auto ends = accuracy_.get({space_.make(space_.space().smallest(), space_.hardware().reference),
                                   space_.make(space_.space().largest(), space_.hardware().reference)});
  frame_ = HypervolumeFrame(space_, options_.objectives, reference, ends[0], ends[1]);
  if (frame_.flat_accuracy() && options_.verbose) {
    std::cerr << "search: warning: the accuracy source gives the smallest, the largest and the reference "
                 "sub-network the same top-1; hypervolumes use a range of 1 point\n";
  }
}

std::vector<const Record*> MethodContext::records_of(const std::string& method, long long seed,
                                                     int before_iteration) const {
  std::vector<const Record*> out;
  for (const auto& r : folder_.log().records()) {
    if (r.method == method && r.seed == seed && r.iteration < before_iteration) out.push_back(&r);
  }
  return out;
}

std::unordered_map<std::string, const Record*> MethodContext::by_key(const std::string& method, long long seed) const {
  std::unordered_map<std::string, const Record*> out;
  for (const auto* r : records_of(method, seed)) out.emplace(r->point.key, r);
  return out;
}

std::size_t MethodContext::remaining(const std::string& method, long long seed) const {
  const auto n = records_of(method, seed).size();
  const auto budget = static_cast<std::size_t>(options_.budget);
  return n >= budget ? 0 : budget - n;
}

void MethodContext::evaluate(const std::vector<Candidate>& plan, const std::string& method, long long seed,
                             int iteration) {
  const auto done_keys = by_key(method, seed);
  std::vector<Candidate> pending;
  for (const auto& c : plan) {
    if (!done_keys.count(c.key)) pending.push_back(c);
  }
  if (pending.empty()) return;
  const auto acc = accuracy_.get(pending);
  std::vector<Network> networks;
  networks.reserve(pending.size());
  for (const auto& c : pending) networks.push_back(space_.space().build(c.arch));  // in the parent: workers inherit it
  std::vector<const Network*> ptrs;
  for (const auto& n : networks) ptrs.push_back(&n);
  const bool complete = evaluator_.evaluate(pending, ptrs, [&](const evaluation::TaskOutcome& o) {
    Record r;
    r.point = pending.at(o.task);
    r.method = method;
    r.seed = seed;
    r.iteration = iteration;
    r.m.accuracy = acc[o.task];
    r.m.status = o.status;
    evaluation::TaskOutcome out = o;
    if (r.m.ok()) {
      const auto c = o.fields.find("cycles");
      if (c == o.fields.end() || c->second.empty()) {
        r.m.status = out.status = "error";
        out.message = "the evaluator returned no cycles";
      } else {
        r.m.cycles = std::stod(c->second);
        const auto a = o.fields.find("analytical_cycles");
        r.m.analytical_cycles = a == o.fields.end() || a->second.empty() ? 0 : std::stod(a->second);
        const auto field = [&](const char* name) {
          const auto f = o.fields.find(name);
          return f == o.fields.end() || f->second.empty() ? 0.0 : std::stod(f->second);
        };
        r.m.energy_pj = field(evaluation::col::kEnergy);
        r.m.analytical_energy_pj = field(evaluation::col::kAnalyticalEnergy);
        if (needs_energy(options_.objectives) && !(r.m.energy_pj > 0)) {
          r.m.status = out.status = "error";
          out.message = "the evaluator returned no energy, which the search's objectives need";
        }
      }
    }
    folder_.log().append(r, out, networks.at(o.task));
    if (options_.on_evaluation) options_.on_evaluation(r, folder_.log().records().size());
  });
  if (!complete || evaluation::StopSignal::requested()) throw Interrupted{};
}

std::vector<Candidate> MethodContext::uniform_sample(std::uint64_t seed, std::size_t count,
                                                     const std::unordered_set<std::string>& exclude) const {
  Rng rng(seed);
  std::vector<Candidate> out;
  std::unordered_set<std::string> seen = exclude;
  seen.insert(reference().point.key);
  std::size_t failures = 0;
  while (out.size() < count && failures < 10000) {
    Candidate c = space_.sample(rng);
    if (!space_.feasible(c) || !seen.insert(c.key).second) {
      ++failures;
      continue;
    }
    failures = 0;
    out.push_back(std::move(c));
  }
  return out;
}

TrainingSet MethodContext::training_set(const std::string& method, long long seed, int iteration) const {
  auto rs = records_of(method, seed, iteration);
  std::sort(rs.begin(), rs.end(), [](const Record* a, const Record* b) { return a->point.key < b->point.key; });
  TrainingSet ts;
  for (const auto* r : rs) {
    if (!r->m.ok()) continue;
    ts.points.push_back(r->point);
    ts.cycles.push_back(r->m.cycles);
    ts.accuracy.push_back(r->m.accuracy);
    ts.energy_pj.push_back(r->m.energy_pj);
  }
  if (ts.points.size() < 4) {
    throw InputError("search: " + method + ": fewer than 4 successful real evaluations to fit predictors on; "
                     "raise search.initial");
  }
  return ts;
}

void MethodContext::batch_quality(const std::string& method, long long seed, const Plan& plan, bool accuracy_predicted,
                                  IterationLog& log) const {
  const auto known = by_key(method, seed);
  std::vector<double> tc, pc, ta, pa, te, pe;
  const bool energy_predicted = plan.predicted_energy.size() == plan.points.size();
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const auto r = known.find(plan.points[i].key);
    if (r == known.end() || !r->second->m.ok()) continue;
    tc.push_back(r->second->m.cycles);
    pc.push_back(plan.predicted_cycles[i]);
    ta.push_back(r->second->m.accuracy);
    pa.push_back(plan.predicted_accuracy[i]);
    if (energy_predicted) {
      te.push_back(r->second->m.energy_pj);
      pe.push_back(plan.predicted_energy[i]);
    }
  }
  if (tc.size() < 2) return;
  const auto v = [](const std::vector<double>& x) {
    return Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  };
  log.tau_cycles = kendall_tau(v(tc), v(pc));
  log.mape_cycles = mape(v(tc), v(pc));
  if (accuracy_predicted) {
    log.tau_accuracy = kendall_tau(v(ta), v(pa));
    log.mape_accuracy = mape(v(ta), v(pa));
  }
  if (energy_predicted) {
    log.tau_energy = kendall_tau(v(te), v(pe));
    log.mape_energy = mape(v(te), v(pe));
  }
}

IterationLog MethodContext::blank(const std::string& method, long long seed, int iteration) {
  IterationLog l;
  l.method = method;
  l.seed = seed;
  l.iteration = iteration;
  l.tau_cycles = l.mape_cycles = l.tau_accuracy = l.mape_accuracy = l.tau_energy = l.mape_energy = std::nan("");
  return l;
}

void MethodContext::log_iteration(IterationLog l) {
  if (folder_.logged(l.method, l.seed, l.iteration)) return;
  const auto rs = records_of(l.method, l.seed);
  l.evaluations = rs.size();
  l.hypervolume = frame_.hypervolume(rs);
  if (options_.verbose) {
    std::cerr << "search: " << l.method << " seed " << l.seed << " iteration " << l.iteration << ": " << l.evaluations
              << "/" << options_.budget << " evaluations, hypervolume " << fmt(l.hypervolume, 5);
    if (std::isfinite(l.tau_cycles)) {
      std::cerr << ", cycles predictor on the batch: tau " << fmt(l.tau_cycles, 3) << " MAPE " << fmt(l.mape_cycles, 3)
                << " %";
    }
    if (std::isfinite(l.tau_energy)) {
      std::cerr << ", energy predictor: tau " << fmt(l.tau_energy, 3) << " MAPE " << fmt(l.mape_energy, 3) << " %";
    }
    std::cerr << " (fit " << fmt(l.fit_seconds, 3) << " s, inner " << fmt(l.inner_seconds, 3) << " s, re-rank "
              << fmt(l.rerank_seconds, 3) << " s, eval " << fmt(l.eval_seconds, 3) << " s)\n";
  }
  folder_.record_iteration(l);
}

}  // namespace cimnet::loop
