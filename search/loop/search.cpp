#include "search/loop/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"
#include "common/row_writer.hpp"
#include "evaluation/stop_signal.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/hypervolume.hpp"
#include "search/moo/nsga2.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/rounded_real_variation.hpp"
#include "search/moo/sorting.hpp"
#include "predict/metrics.hpp"
#include "predict/model_selection.hpp"

namespace cimnet::loop {

namespace {

using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double now() { return monotonic_seconds(); }

// splitmix64: independent, reproducible seeds for (run seed, method, iteration).
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
std::uint64_t method_salt(const std::string& m) {
  return m == "linas" ? 1 : m == "nsga2" ? 2 : m == "random" ? 3 : 4;  // 4: dynast
}

std::string fmt(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

struct Interrupted {};

std::string with_thousands(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

// Cheap physics-informed features of a (sub-network, hardware) pair: no mapping, no simulation — the
// roofline bounds the cycles predictor should not have to rediscover from one-hot columns. Cached per
// sub-network because the inner search revisits sub-networks constantly.
class Features {
 public:
  explicit Features(const CoSpace& space) : space_(space) {}
  static std::vector<std::string> names() { return {"ln_macs", "ln_compute_bound", "ln_dram_bound", "ln_weight_pressure"}; }

  void row(const Candidate& c, double* out) {
    const auto& net = network_numbers(c);
    const HardwareConfig hw = space_.hardware().config(c.hw);
    const double macs = std::max(1.0, net.first), weights = std::max(1.0, net.second);
    out[0] = std::log(macs);
    out[1] = std::log(macs / static_cast<double>(hw.peak_macs_per_cycle()));
    out[2] = std::log(weights / static_cast<double>(hw.get(HwParam::DRAM_bw)));
    // Weights beyond the arrays' capacity must be streamed in passes: ln max(1, weights/capacity).
    out[3] = std::log(std::max(1.0, weights / static_cast<double>(hw.total_capacity_bytes())));
  }
  Eigen::MatrixXd matrix(const std::vector<Candidate>& cs) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(cs.size()), 4);
    for (std::size_t i = 0; i < cs.size(); ++i) {
      double r[4];
      row(cs[i], r);
      for (int j = 0; j < 4; ++j) m(static_cast<Eigen::Index>(i), j) = r[j];
    }
    return m;
  }

 private:
  const std::pair<double, double>& network_numbers(const Candidate& c) {
    const std::string key = space_.space().format(c.arch);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      const Network n = space_.space().build(c.arch);
      it = cache_.emplace(key, std::make_pair(static_cast<double>(n.total_macs()),
                                              static_cast<double>(n.total_weight_bytes()))).first;
    }
    return it->second;
  }
  const CoSpace& space_;
  std::unordered_map<std::string, std::pair<double, double>> cache_;
};

// Accuracy per sub-network, memoised (the inner loop asks for the same sub-networks many times).
class AccuracyCache {
 public:
  AccuracyCache(const CoSpace& space, const AccuracyFunction& f) : space_(space), f_(f) {}
  std::vector<double> get(const std::vector<Candidate>& cs) {
    std::vector<Genome> missing;
    std::vector<std::string> missing_keys;
    std::unordered_set<std::string> asked;
    for (const auto& c : cs) {
      const std::string k = space_.space().format(c.arch);
      if (!cache_.count(k) && asked.insert(k).second) {
        missing.push_back(c.arch);
        missing_keys.push_back(k);
      }
    }
    if (!missing.empty()) {
      const auto values = f_.top1(missing);
      if (values.size() != missing.size()) throw std::logic_error("accuracy source returned a wrong count");
      for (std::size_t i = 0; i < values.size(); ++i) cache_[missing_keys[i]] = values[i];
    }
    std::vector<double> out;
    for (const auto& c : cs) out.push_back(cache_.at(space_.space().format(c.arch)));
    return out;
  }

 private:
  const CoSpace& space_;
  const AccuracyFunction& f_;
  std::unordered_map<std::string, double> cache_;
};

class Runner {
 public:
  Runner(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy, const SearchOptions& o)
      : space_(space), evaluator_(evaluator), accuracy_(accuracy), o_(o), features_(space), acc_cache_(space, accuracy) {}

  SearchResult run() {
    namespace fs = std::filesystem;
    if (o_.out.empty()) throw InputError("search: an output folder (--out) is needed");
    if (o_.budget < 1 || o_.initial < 1 || o_.batch < 1) throw InputError("search: budget, initial and batch must be positive");
    const fs::path dir(o_.out);
    const bool exists = fs::exists(dir / "evaluations.csv");
    if (exists && !o_.resume) {
      throw InputError(o_.out + " already holds a search (evaluations.csv); continue it with --resume or choose another --out");
    }
    fs::create_directories(dir);
    if (!fs::exists(dir / "scenario.yaml")) replace_file_atomically((dir / "scenario.yaml").string(), o_.scenario_text);
    load_checkpoint((dir / "checkpoint.json").string());
    log_.emplace((dir / "evaluations.csv").string(), space_, o_.config, o_.resume);
    if (o_.verbose && !log_->records().empty()) {
      std::cerr << "search: resuming " << o_.out << ": " << log_->records().size() << " real evaluations done\n";
    }
    evaluation::StopSignal stop;
    try {
      setup_frame();
      for (long long seed : o_.seeds) {
        for (const auto& m : o_.methods) {
          if (m == "linas") run_linas(seed);
          else if (m == "random") run_random(seed);
          else if (m == "nsga2") run_nsga2(seed);
          else if (m == "dynast") run_dynast(seed);
          else throw InputError("unknown search method '" + m + "'; allowed: linas, nsga2, random, dynast");
          result_.methods.push_back(summarise(m, seed));
        }
      }
    } catch (const Interrupted&) {
      log_->close();
      const int sig = evaluation::StopSignal::signal_number();
      evaluation::StopSignal::reset();
      std::cerr << "search: stopped by signal " << sig << "; " << o_.out
                << " holds every finished evaluation; continue with --resume\n";
      result_.exit_status = 128 + sig;
      return result_;
    }
    log_->close();
    write_front((dir / "front.csv").string());
    return result_;
  }

 private:
  // --- records ---------------------------------------------------------------------------------
  std::vector<const Record*> records_of(const std::string& method, long long seed, int before_iteration = 1 << 30) const {
    std::vector<const Record*> out;
    for (const auto& r : log_->records()) {
      if (r.method == method && r.seed == seed && r.iteration < before_iteration) out.push_back(&r);
    }
    return out;
  }
  std::unordered_map<std::string, const Record*> by_key(const std::string& method, long long seed) const {
    std::unordered_map<std::string, const Record*> out;
    for (const auto* r : records_of(method, seed)) out.emplace(r->point.key, r);
    return out;
  }

  // Evaluates the candidates not yet recorded for (method, seed) — never one twice — and records them.
  void evaluate(const std::vector<Candidate>& plan, const std::string& method, long long seed, int iteration) {
    const auto done_keys = by_key(method, seed);
    std::vector<Candidate> pending;
    for (const auto& c : plan) {
      if (!done_keys.count(c.key)) pending.push_back(c);
    }
    if (pending.empty()) return;
    const auto acc = acc_cache_.get(pending);
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
        }
      }
      log_->append(r, out, networks.at(o.task));
    });
    if (!complete || evaluation::StopSignal::requested()) throw Interrupted{};
  }

  // --- frame: the reference point and the normalisation of the objectives ---------------------------
  void setup_frame() {
    const Candidate ref = space_.reference();
    evaluate({ref}, "reference", 0, 0);
    for (const auto* r : records_of("reference", 0)) {
      if (r->point.key == ref.key) result_.reference = *r;
    }
    if (!result_.reference.m.ok()) {
      throw InputError("search: the reference point (reference sub-network on the reference hardware) could not be "
                       "evaluated: status " + result_.reference.m.status + "; see " + o_.out + "/evaluations.csv");
    }
    const auto lo_hi = acc_cache_.get({space_.make(space_.space().smallest(), space_.hardware().reference),
                                       space_.make(space_.space().largest(), space_.hardware().reference)});
    // Normally smallest < reference <= largest. An accuracy source that does not order them so (an
    // external command may answer anything) must not blow the normalisation up: take the range of
    // the three, and one point of top-1 when they all agree.
    result_.accuracy_low = std::min({lo_hi[0], lo_hi[1], result_.reference.m.accuracy});
    result_.accuracy_high = std::max({lo_hi[0], lo_hi[1], result_.reference.m.accuracy});
    if (result_.accuracy_high - result_.accuracy_low < 1e-6) {
      result_.accuracy_high = result_.accuracy_low + 1.0;
      if (o_.verbose) {
        std::cerr << "search: warning: the accuracy source gives the smallest, the largest and the reference "
                     "sub-network the same top-1; hypervolumes use a range of 1 point\n";
      }
    }
    max_area_ = space_.area(space_.hardware().largest());
  }

  moo::Objectives objectives(double acc, double cycles, double area) const {
    moo::Objectives o = {-(acc - result_.accuracy_low) / (result_.accuracy_high - result_.accuracy_low),
                         cycles / result_.reference.m.cycles};
    if (o_.area_objective) o.push_back(area);
    return o;
  }
  moo::Objectives hv_reference() const {
    moo::Objectives r = {0.0, 1.0};
    if (o_.area_objective) r.push_back(1.1 * (space_.area_budget() > 0 ? space_.area_budget() : max_area_));
    return r;
  }
  double hypervolume(const std::vector<const Record*>& rs) const {
    std::vector<moo::Objectives> pts;
    for (const auto* r : rs) {
      if (r->m.ok() && space_.feasible(r->point)) pts.push_back(objectives(r->m.accuracy, r->m.cycles, r->point.area));
    }
    return moo::hypervolume(pts, hv_reference());
  }

  // --- checkpoint: plans (so a resume does not refit and re-search) and the iteration log -----------
  void load_checkpoint(const std::string& path) {
    checkpoint_path_ = path;
    if (!o_.resume || !std::filesystem::exists(path)) return;
    json j;
    try {
      j = json::parse(read_text_file(path, "checkpoint"));
    } catch (const json::exception& e) {
      // Written atomically, so this is not a torn write; a plan is recomputed identically anyway.
      std::cerr << "search: ignoring unreadable checkpoint " << path << ": " << e.what() << "\n";
      return;
    }
    if (j.value("config", std::string()) != o_.config) {
      throw InputError(path + ": belongs to another search (its settings differ); use another --out");
    }
    checkpoint_ = j;
    for (const auto& e : j.value("iterations", json::array())) {
      IterationLog l;
      l.method = e.at("method");
      l.seed = e.at("seed");
      l.iteration = e.at("iteration");
      l.evaluations = e.at("evaluations");
      l.hypervolume = e.at("hypervolume");
      auto num = [&](const char* k) { return e.at(k).is_null() ? kNaN : e.at(k).get<double>(); };
      l.tau_cycles = num("tau_cycles");
      l.mape_cycles = num("mape_cycles");
      l.tau_accuracy = num("tau_accuracy");
      l.mape_accuracy = num("mape_accuracy");
      l.model_cycles = e.value("model_cycles", std::string());
      l.fit_seconds = e.value("fit_s", 0.0);
      l.inner_seconds = e.value("inner_s", 0.0);
      l.eval_seconds = e.value("eval_s", 0.0);
      l.rerank_seconds = e.value("rerank_s", 0.0);
      l.inner_generations_per_second = e.value("inner_generations_per_s", 0.0);
      result_.iterations.push_back(l);
    }
  }
  void save_checkpoint() {
    checkpoint_["version"] = 1;
    checkpoint_["config"] = o_.config;
    json its = json::array();
    for (const auto& l : result_.iterations) {
      auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
      its.push_back({{"method", l.method}, {"seed", l.seed}, {"iteration", l.iteration}, {"evaluations", l.evaluations},
                     {"hypervolume", l.hypervolume}, {"tau_cycles", num(l.tau_cycles)}, {"mape_cycles", num(l.mape_cycles)},
                     {"tau_accuracy", num(l.tau_accuracy)}, {"mape_accuracy", num(l.mape_accuracy)},
                     {"model_cycles", l.model_cycles}, {"fit_s", l.fit_seconds}, {"inner_s", l.inner_seconds},
                     {"eval_s", l.eval_seconds}, {"rerank_s", l.rerank_seconds}, {"inner_generations_per_s", l.inner_generations_per_second}});
    }
    checkpoint_["iterations"] = its;
    replace_file_atomically(checkpoint_path_, checkpoint_.dump(1) + "\n");
    // iterations.csv is derived: rewritten whole from the checkpoint's log.
    std::string csv = "method,seed,iteration,evaluations,hypervolume,tau_cycles,mape_cycles,tau_accuracy,mape_accuracy,"
                      "model_cycles,fit_s,inner_s,rerank_s,eval_s,inner_generations_per_s\n";
    for (const auto& l : result_.iterations) {
      auto num = [](double v) { return std::isfinite(v) ? fmt(v, 5) : std::string(); };
      csv += l.method + "," + std::to_string(l.seed) + "," + std::to_string(l.iteration) + "," +
             std::to_string(l.evaluations) + "," + fmt(l.hypervolume, 8) + "," + num(l.tau_cycles) + "," +
             num(l.mape_cycles) + "," + num(l.tau_accuracy) + "," + num(l.mape_accuracy) + ",\"" + l.model_cycles +
             "\"," + fmt(l.fit_seconds, 4) + "," + fmt(l.inner_seconds, 4) + "," + fmt(l.rerank_seconds, 4) + "," + fmt(l.eval_seconds, 4) + "," +
             fmt(l.inner_generations_per_second, 5) + "\n";
    }
    replace_file_atomically((std::filesystem::path(o_.out) / "iterations.csv").string(), csv);
  }
  bool logged(const std::string& method, long long seed, int iteration) const {
    for (const auto& l : result_.iterations) {
      if (l.method == method && l.seed == seed && l.iteration == iteration) return true;
    }
    return false;
  }
  void log_iteration(IterationLog l) {
    if (logged(l.method, l.seed, l.iteration)) return;
    const auto rs = records_of(l.method, l.seed);
    l.evaluations = rs.size();
    l.hypervolume = hypervolume(rs);
    if (o_.verbose) {
      std::cerr << "search: " << l.method << " seed " << l.seed << " iteration " << l.iteration << ": " << l.evaluations
                << "/" << o_.budget << " evaluations, hypervolume " << fmt(l.hypervolume, 5);
      if (std::isfinite(l.tau_cycles)) std::cerr << ", cycles predictor on the batch: tau " << fmt(l.tau_cycles, 3)
                                                 << " MAPE " << fmt(l.mape_cycles, 3) << " %";
      std::cerr << " (fit " << fmt(l.fit_seconds, 3) << " s, inner " << fmt(l.inner_seconds, 3) << " s, re-rank " << fmt(l.rerank_seconds, 3) << " s, eval "
                << fmt(l.eval_seconds, 3) << " s)\n";
    }
    result_.iterations.push_back(l);
    save_checkpoint();
  }
  static IterationLog blank(const std::string& m, long long seed, int it) {
    IterationLog l;
    l.method = m;
    l.seed = seed;
    l.iteration = it;
    l.tau_cycles = l.mape_cycles = l.tau_accuracy = l.mape_accuracy = kNaN;
    return l;
  }

  // --- sampling ---------------------------------------------------------------------------------------
  // The first `count` distinct feasible uniform samples of a seeded stream (fewer when the space runs out).
  // Never the reference point: it is measured already (method `reference`), for every method.
  std::vector<Candidate> uniform_sample(std::uint64_t seed, std::size_t count,
                                        const std::unordered_set<std::string>& exclude = {}) const {
    Rng rng(seed);
    std::vector<Candidate> out;
    std::unordered_set<std::string> seen = exclude;
    seen.insert(result_.reference.point.key);
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

  std::size_t remaining(const std::string& m, long long seed) const {
    const auto n = records_of(m, seed).size();
    return n >= static_cast<std::size_t>(o_.budget) ? 0 : static_cast<std::size_t>(o_.budget) - n;
  }

  // --- random search ------------------------------------------------------------------------------------
  void run_random(long long seed) {
    const auto all = uniform_sample(mix(static_cast<std::uint64_t>(seed), method_salt("random") << 32),
                                    static_cast<std::size_t>(o_.budget));
    std::size_t pos = 0;
    for (int it = 0; pos < all.size(); ++it) {
      const std::size_t n = std::min(all.size() - pos, static_cast<std::size_t>(it == 0 ? o_.initial : o_.batch));
      const std::vector<Candidate> batch(all.begin() + static_cast<std::ptrdiff_t>(pos),
                                         all.begin() + static_cast<std::ptrdiff_t>(pos + n));
      const double t0 = now();
      evaluate(batch, "random", seed, it);
      IterationLog l = blank("random", seed, it);
      l.eval_seconds = now() - t0;
      log_iteration(l);
      pos += n;
    }
  }

  // --- NSGA-II on real evaluations ---------------------------------------------------------------------
  void run_nsga2(long long seed) {
    moo::Nsga2Options no;
    no.population_size = static_cast<std::size_t>(o_.initial);
    no.offspring_size = static_cast<std::size_t>(o_.batch);
    no.seed = mix(static_cast<std::uint64_t>(seed), method_salt("nsga2") << 32);
    moo::Nsga2<moo::CategoricalVariation> opt(moo::CategoricalVariation(space_.cardinalities()), no);
    for (int gen = 0; remaining("nsga2", seed) > 0; ++gen) {
      const auto genomes = opt.ask();
      if (genomes.empty()) break;
      // Infeasible genomes (area over budget) are told as violations without a real evaluation: the
      // area is known exactly, so spending the budget on them would only handicap the baseline.
      std::vector<Candidate> cands;
      std::vector<Candidate> plan;
      std::unordered_set<std::string> planned;
      std::size_t room = remaining("nsga2", seed);
      // The reference point counts as known: told with its measurement, never evaluated again.
      auto known = by_key("nsga2", seed);
      known.emplace(result_.reference.point.key, &result_.reference);
      std::vector<bool> told(genomes.size(), false);
      for (std::size_t i = 0; i < genomes.size(); ++i) {
        cands.push_back(space_.decode(genomes[i]));
        const auto& c = cands.back();
        if (!space_.feasible(c) || known.count(c.key) || planned.count(c.key)) {
          told[i] = true;
          continue;
        }
        if (room == 0) continue;  // over budget: dropped, never told
        planned.insert(c.key);
        plan.push_back(c);
        told[i] = true;
        --room;
      }
      const double t0 = now();
      evaluate(plan, "nsga2", seed, gen);
      known = by_key("nsga2", seed);
      known.emplace(result_.reference.point.key, &result_.reference);
      std::vector<std::vector<int>> tg;
      std::vector<moo::Objectives> to;
      std::vector<std::vector<double>> tc;
      for (std::size_t i = 0; i < genomes.size(); ++i) {
        if (!told[i]) continue;
        const auto& c = cands[i];
        const double excess = space_.area_budget() > 0 ? c.area - space_.area_budget() : 0.0;
        const auto it = known.find(c.key);
        if (it == known.end()) {  // infeasible: never evaluated
          tg.push_back(genomes[i]);
          to.push_back(objectives(result_.accuracy_low, result_.reference.m.cycles, c.area));
          tc.push_back({std::max(excess, 1e-9), 0.0});
          continue;
        }
        const Record& r = *it->second;
        tg.push_back(genomes[i]);
        if (r.m.ok()) {
          to.push_back(objectives(r.m.accuracy, r.m.cycles, c.area));
          tc.push_back({excess, 0.0});
        } else {  // a failed evaluation (does not fit, crashed): a violation, so it never breeds
          to.push_back(objectives(result_.accuracy_low, result_.reference.m.cycles, c.area));
          tc.push_back({excess, 1.0});
        }
      }
      if (!tg.empty()) opt.tell(tg, to, tc);
      IterationLog l = blank("nsga2", seed, gen);
      l.eval_seconds = now() - t0;
      log_iteration(l);
    }
  }

  // --- LINAS: predictors + inner NSGA-II ---------------------------------------------------------------
  struct Plan {
    std::vector<Candidate> points;
    std::vector<double> predicted_cycles, predicted_accuracy;
    std::string model;
    double fit_s = 0, inner_s = 0, gens_per_s = 0, rerank_s = 0;
    std::uint64_t inner_seed = 0;
  };

  static std::string plan_key(const std::string& method, long long seed, int it) {
    return method + "/" + std::to_string(seed) + "/" + std::to_string(it);
  }

  void store_plan(const std::string& method, long long seed, int it, const Plan& p) {
    json pts = json::array();
    for (const auto& c : p.points) pts.push_back({space_.space().format(c.arch), c.hw});
    checkpoint_["plans"][plan_key(method, seed, it)] = {{"points", pts}, {"predicted_cycles", p.predicted_cycles},
                                                {"predicted_accuracy", p.predicted_accuracy}, {"model", p.model},
                                                {"fit_s", p.fit_s}, {"inner_s", p.inner_s},
                                                {"gens_per_s", p.gens_per_s}, {"rerank_s", p.rerank_s}, {"inner_seed", p.inner_seed}};
    save_checkpoint();
  }
  bool stored_plan(const std::string& method, long long seed, int it, Plan& p) const {
    if (!checkpoint_.contains("plans") || !checkpoint_["plans"].contains(plan_key(method, seed, it))) return false;
    const json& j = checkpoint_["plans"][plan_key(method, seed, it)];
    for (const auto& e : j.at("points")) {
      p.points.push_back(space_.make(space_.space().parse(e.at(0).get<std::string>()), e.at(1).get<HwGenome>()));
    }
    p.predicted_cycles = j.at("predicted_cycles").get<std::vector<double>>();
    p.predicted_accuracy = j.at("predicted_accuracy").get<std::vector<double>>();
    p.model = j.value("model", std::string());
    p.fit_s = j.value("fit_s", 0.0);
    p.inner_s = j.value("inner_s", 0.0);
    p.gens_per_s = j.value("gens_per_s", 0.0);
    p.rerank_s = j.value("rerank_s", 0.0);
    p.inner_seed = j.value("inner_seed", std::uint64_t{0});
    return true;
  }

  void run_linas(long long seed) {
    const auto s = static_cast<std::uint64_t>(seed);
    // Iteration 0: the initial uniform sample (canonical, feasible, no duplicates).
    {
      const double t0 = now();
      evaluate(uniform_sample(mix(s, method_salt("linas") << 32),
                              static_cast<std::size_t>(std::min(o_.initial, o_.budget))),
               "linas", seed, 0);
      IterationLog l = blank("linas", seed, 0);
      l.eval_seconds = now() - t0;
      log_iteration(l);
    }
    for (int it = 1; remaining("linas", seed) > 0; ++it) {
      Plan p;
      if (!stored_plan("linas", seed, it, p)) {
        p = make_plan(seed, it);
        store_plan("linas", seed, it, p);
      }
      if (p.points.empty()) break;  // the space is exhausted
      const double t0 = now();
      evaluate(p.points, "linas", seed, it);
      IterationLog l = blank("linas", seed, it);
      l.eval_seconds = now() - t0;
      l.fit_seconds = p.fit_s;
      l.inner_seconds = p.inner_s;
      l.inner_generations_per_second = p.gens_per_s;
      l.rerank_seconds = p.rerank_s;
      l.model_cycles = p.model;
      batch_quality("linas", seed, p, !accuracy_.cheap, l);
      log_iteration(l);
    }
  }

  // Predictor quality on an evaluated batch: the predictions made before it was evaluated vs the truth.
  void batch_quality(const std::string& method, long long seed, const Plan& p, bool accuracy_predicted,
                     IterationLog& l) const {
    const auto known = by_key(method, seed);
    std::vector<double> tc, pc, ta, pa;
    for (std::size_t i = 0; i < p.points.size(); ++i) {
      const auto r = known.find(p.points[i].key);
      if (r == known.end() || !r->second->m.ok()) continue;
      tc.push_back(r->second->m.cycles);
      pc.push_back(p.predicted_cycles[i]);
      ta.push_back(r->second->m.accuracy);
      pa.push_back(p.predicted_accuracy[i]);
    }
    if (tc.size() < 2) return;
    const auto v = [](const std::vector<double>& x) {
      return Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
    };
    l.tau_cycles = kendall_tau(v(tc), v(pc));
    l.mape_cycles = mape(v(tc), v(pc));
    if (accuracy_predicted) {
      l.tau_accuracy = kendall_tau(v(ta), v(pa));
      l.mape_accuracy = mape(v(ta), v(pa));
    }
  }

  // The successful real evaluations of a method before iteration `it`, sorted by point identity: the
  // fit (hence the plan) must not depend on completion order.
  struct TrainingSet {
    std::vector<Candidate> points;
    std::vector<double> cycles, accuracy;
  };
  TrainingSet training_set(const std::string& method, long long seed, int it) const {
    auto rs = records_of(method, seed, it);
    std::sort(rs.begin(), rs.end(), [](const Record* a, const Record* b) { return a->point.key < b->point.key; });
    TrainingSet ts;
    for (const auto* r : rs) {
      if (!r->m.ok()) continue;
      ts.points.push_back(r->point);
      ts.cycles.push_back(r->m.cycles);
      ts.accuracy.push_back(r->m.accuracy);
    }
    if (ts.points.size() < 4) {
      throw InputError("search: " + method + ": fewer than 4 successful real evaluations to fit predictors on; "
                       "raise search.initial");
    }
    return ts;
  }

  // Fits the predictors on every real evaluation of iterations < it, runs NSGA-II on them with the
  // iteration's own seed, and picks the batch: the predicted fronts in order of rank, each front by
  // decreasing crowding distance, skipping points already evaluated and refilling from the next ranks.
  Plan make_plan(long long seed, int it) {
    Plan plan;
    const double t0 = now();
    const TrainingSet ts = training_set("linas", seed, it);
    const std::vector<Candidate>& train = ts.points;
    const std::vector<double>& y_cycles = ts.cycles;
    const std::vector<double>& y_acc = ts.accuracy;
    EncodingSpec spec;
    spec.hardware = space_.mode() != Mode::Arch;
    spec.extra = Features::names();
    const Encoder encoder(space_.space(), spec, &space_.hardware());
    const auto x = encode(encoder, train);
    SelectionOptions so;
    so.folds = static_cast<int>(std::min<std::size_t>(5, train.size()));
    so.seed = 1;
    so.transforms = {TargetTransform::log};
    const Eigen::Map<const Eigen::VectorXd> yc(y_cycles.data(), static_cast<Eigen::Index>(y_cycles.size()));
    const Predictor cycles = fit_predictor(encoder, x, yc, so, "cycles", "search");
    plan.model = cycles.config.describe();
    std::optional<Predictor> acc_model;
    std::optional<Encoder> acc_encoder;
    if (!accuracy_.cheap) {
      EncodingSpec as;
      as.log_macs = true;
      acc_encoder.emplace(space_.space(), as, &space_.hardware());
      SelectionOptions ao = so;
      ao.transforms = {TargetTransform::none};
      const Eigen::Map<const Eigen::VectorXd> ya(y_acc.data(), static_cast<Eigen::Index>(y_acc.size()));
      std::vector<Genome> gs;
      for (const auto& c : train) gs.push_back(c.arch);
      acc_model = fit_predictor(*acc_encoder, acc_encoder->encode(gs), ya, ao, "top1", "search");
    }
    plan.fit_s = now() - t0;

    // The inner search on the predictors.
    const double t1 = now();
    auto predict = [&](const std::vector<Candidate>& cs, std::vector<double>& pc, std::vector<double>& pa) {
      const Eigen::VectorXd c = cycles.predict(encode(encoder, cs));
      pc.assign(c.data(), c.data() + c.size());
      if (acc_model) {
        std::vector<Genome> gs;
        for (const auto& cand : cs) gs.push_back(cand.arch);
        const Eigen::VectorXd a = acc_model->predict(acc_encoder->encode(gs));
        pa.assign(a.data(), a.data() + a.size());
      } else {
        pa = acc_cache_.get(cs);
      }
    };
    moo::Nsga2Options no;
    no.population_size = static_cast<std::size_t>(o_.population);
    no.seed = linas_inner_seed(seed, it);
    plan.inner_seed = no.seed;
    moo::Nsga2<moo::CategoricalVariation> opt(moo::CategoricalVariation(space_.cardinalities()), no);
    std::vector<Seen> pool;
    std::unordered_set<std::string> pool_keys;
    long long gens = 0;
    for (long long g = 0; g <= o_.generations; ++g) {
      if (evaluation::StopSignal::requested()) throw Interrupted{};  // Ctrl-C during a long inner search
      const auto genomes = opt.ask();
      if (genomes.empty()) break;
      std::vector<Candidate> cs;
      for (const auto& gn : genomes) cs.push_back(space_.decode(gn));
      std::vector<double> pc, pa;
      predict(cs, pc, pa);
      std::vector<moo::Objectives> objs;
      std::vector<std::vector<double>> cons;
      for (std::size_t i = 0; i < cs.size(); ++i) {
        objs.push_back(objectives(pa[i], std::max(pc[i], 1.0), cs[i].area));
        cons.push_back({space_.area_budget() > 0 ? cs[i].area - space_.area_budget() : 0.0});
        if (space_.feasible(cs[i]) && pool_keys.insert(cs[i].key).second) pool.push_back({cs[i], pc[i], pa[i]});
      }
      opt.tell(genomes, objs, cons);
      if (g > 0) ++gens;
    }
    plan.inner_s = now() - t1;
    plan.gens_per_s = plan.inner_s > 0 ? static_cast<double>(gens) / plan.inner_s : 0;

    // Batch selection over every feasible point the inner search saw, not yet evaluated.
    const auto known = by_key("linas", seed);
    std::vector<std::size_t> left;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (!known.count(pool[i].c.key)) left.push_back(i);
    }
    const std::size_t want = std::min(static_cast<std::size_t>(o_.batch), remaining("linas", seed));
    const bool rerank = o_.analytical && o_.rerank > 0;
    // With re-ranking, a shortlist of rerank × batch candidates by predicted rank, then the batch by the
    // analytical estimate: the predictors explore, the mapper's physics filters their optimism.
    const std::size_t shortlist = rerank ? want * static_cast<std::size_t>(o_.rerank) : want;
    std::vector<double> cycles_of(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) cycles_of[i] = pool[i].cycles;
    // The reference point is already measured (method `reference`): never spend budget on it again.
    // Peeling one more and dropping it leaves every batch without it exactly as it was.
    const std::string& reference_key = result_.reference.point.key;
    const auto without_reference = [&](std::vector<std::size_t> v) {
      v.erase(std::remove_if(v.begin(), v.end(), [&](std::size_t i) { return pool[i].c.key == reference_key; }),
              v.end());
      if (v.size() > want) v.resize(want);
      return v;
    };
    std::vector<std::size_t> chosen = peel(pool, left, cycles_of, rerank ? shortlist : want + 1);
    if (rerank && chosen.size() > want) {
      const double t2 = now();
      std::vector<Candidate> cs;
      for (std::size_t i : chosen) cs.push_back(pool[i].c);
      const auto est = o_.analytical(cs);
      for (std::size_t k = 0; k < chosen.size(); ++k) cycles_of[chosen[k]] = est.at(k);
      chosen = peel(pool, chosen, cycles_of, want + 1);
      plan.rerank_s = now() - t2;
    }
    chosen = without_reference(chosen);
    for (std::size_t i : chosen) {
      plan.points.push_back(pool[i].c);
      plan.predicted_cycles.push_back(pool[i].cycles);
      plan.predicted_accuracy.push_back(pool[i].acc);
    }
    return plan;
  }

  // --- DyNAS-T's LINAS as published: a baseline with its flaws kept (docs/search.md) -----------------
  // `population` uniform points; then `budget / population` loops of: measure the whole population —
  // points measured in earlier loops are measured again, as DyNAS-T does (they spend budget but are
  // not re-simulated, the model being deterministic); fit one predictor per objective on DyNAS-T's
  // plain one-hot (no masking, no physics features), selected by CV MAPE; run NSGA-II with DyNAS-T's
  // operators (SBX and rarely-applied polynomial mutation on rounded floats) and the SAME seed in every
  // loop; the next population is the inner search's final population. The area budget is a constraint
  // of the inner search (DyNAS-T has none; without it the comparison would not be at equal area).
  void run_dynast(long long seed) {
    const auto s = static_cast<std::uint64_t>(seed);
    const std::size_t size = static_cast<std::size_t>(std::min(o_.population, o_.budget));
    const long long loops = std::max(1LL, o_.budget / static_cast<long long>(size));
    for (int it = 0; it < loops; ++it) {
      Plan p;
      if (it == 0) {
        p.points = uniform_sample(mix(s, method_salt("dynast") << 32), size);
      } else if (!stored_plan("dynast", seed, it, p)) {
        p = make_dynast_plan(seed, it);
        store_plan("dynast", seed, it, p);
      }
      if (p.points.empty()) break;
      const double t0 = now();
      evaluate(p.points, "dynast", seed, it);
      IterationLog l = blank("dynast", seed, it);
      l.eval_seconds = now() - t0;
      l.fit_seconds = p.fit_s;
      l.inner_seconds = p.inner_s;
      l.inner_generations_per_second = p.gens_per_s;
      l.model_cycles = p.model;
      if (it > 0) batch_quality("dynast", seed, p, true, l);
      log_iteration(l);
    }
  }

  Plan make_dynast_plan(long long seed, int it) {
    Plan plan;
    const double t0 = now();
    const TrainingSet ts = training_set("dynast", seed, it);
    std::vector<Genome> archs;
    std::vector<HwGenome> hws;
    for (const auto& c : ts.points) {
      archs.push_back(c.arch);
      hws.push_back(c.hw);
    }
    const std::vector<double>& y_cycles = ts.cycles;
    const std::vector<double>& y_acc = ts.accuracy;
    EncodingSpec cs;
    cs.hardware = space_.mode() != Mode::Arch;
    cs.mask_inactive = false;
    const Encoder cycles_encoder(space_.space(), cs, &space_.hardware());
    EncodingSpec as;
    as.mask_inactive = false;
    const Encoder acc_encoder(space_.space(), as, &space_.hardware());
    // DyNAS-T's grids: ridge alpha 0.1 … 10 (step 0.1); RBF-SVR with gamma 1/features, epsilon 0 and C
    // over 1 … 100 (here 1, 2, 5, 10, 20, 50, 100 of its 100 steps); the better by CV MAPE, plain target.
    SelectionOptions so;
    so.folds = static_cast<int>(std::min<std::size_t>(5, archs.size()));
    so.seed = 1;
    so.transforms = {TargetTransform::none};
    so.metric = CvMetric::mape;
    so.ridge_alphas.clear();
    for (int a = 1; a <= 100; ++a) so.ridge_alphas.push_back(0.1 * a);
    so.svr_c = {1, 2, 5, 10, 20, 50, 100};
    so.svr_gamma_factors = {1.0};
    so.svr_epsilons = {0.0};
    const auto vec = [](const std::vector<double>& x) {
      return Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
    };
    const Predictor cycles =
        fit_predictor(cycles_encoder, cycles_encoder.encode(archs, cs.hardware ? hws : std::vector<HwGenome>{}),
                      vec(y_cycles), so, "cycles", "search dynast");
    const Predictor accuracy = fit_predictor(acc_encoder, acc_encoder.encode(archs), vec(y_acc), so, "top1", "search dynast");
    plan.model = cycles.config.describe();
    plan.fit_s = now() - t0;

    const double t1 = now();
    const auto predict = [&](const std::vector<Candidate>& cands, std::vector<double>& pc, std::vector<double>& pa) {
      std::vector<Genome> gs;
      std::vector<HwGenome> hs;
      for (const auto& c : cands) {
        gs.push_back(c.arch);
        hs.push_back(c.hw);
      }
      const Eigen::VectorXd c = cycles.predict(cycles_encoder.encode(gs, cs.hardware ? hs : std::vector<HwGenome>{}));
      const Eigen::VectorXd a = accuracy.predict(acc_encoder.encode(gs));
      pc.assign(c.data(), c.data() + c.size());
      pa.assign(a.data(), a.data() + a.size());
    };
    moo::Nsga2Options no;
    no.population_size = static_cast<std::size_t>(o_.population);
    no.seed = mix(static_cast<std::uint64_t>(seed), (method_salt("dynast") << 32) + 1);  // one seed for every loop
    no.use_archive = false;  // pymoo eliminates duplicates within population and offspring only
    no.refill_with_samples = false;  // and returns a short generation rather than random genomes
    plan.inner_seed = no.seed;
    moo::Nsga2<moo::RoundedRealVariation> opt(moo::RoundedRealVariation(space_.cardinalities()), no);
    long long gens = 0;
    for (long long g = 0; g <= o_.generations; ++g) {
      if (evaluation::StopSignal::requested()) throw Interrupted{};
      const auto genomes = opt.ask();
      if (genomes.empty()) break;
      std::vector<Candidate> cands;
      for (const auto& gn : genomes) cands.push_back(space_.decode(gn));
      std::vector<double> pc, pa;
      predict(cands, pc, pa);
      std::vector<moo::Objectives> objs;
      std::vector<std::vector<double>> cons;
      for (std::size_t i = 0; i < cands.size(); ++i) {
        objs.push_back(objectives(pa[i], std::max(pc[i], 1.0), cands[i].area));
        cons.push_back({space_.area_budget() > 0 ? cands[i].area - space_.area_budget() : 0.0});
      }
      opt.tell(genomes, objs, cons);
      if (g > 0) ++gens;
    }
    plan.inner_s = now() - t1;
    plan.gens_per_s = plan.inner_s > 0 ? static_cast<double>(gens) / plan.inner_s : 0;

    // The next population: the inner search's final one, feasible members, once each (members that
    // differ only in inactive genes are one network; DyNAS-T would measure both).
    std::unordered_set<std::string> keys;
    std::vector<Candidate> next;
    for (const auto& m : opt.population()) {
      Candidate c = space_.decode(m.genome);
      if (space_.feasible(c) && keys.insert(c.key).second) next.push_back(std::move(c));
    }
    if (next.empty()) return plan;
    std::vector<double> pc, pa;
    predict(next, pc, pa);
    plan.points = std::move(next);
    plan.predicted_cycles = std::move(pc);
    plan.predicted_accuracy = std::move(pa);
    return plan;
  }

  struct Seen {
    Candidate c;
    double cycles, acc;
  };
  // Up to `want` of the points `left` (indices into pool) in order of non-dominated rank under
  // (accuracy, cycles_of), each front by decreasing crowding distance (extremes first).
  std::vector<std::size_t> peel(const std::vector<Seen>& pool, std::vector<std::size_t> left,
                                const std::vector<double>& cycles_of, std::size_t want) const {
    std::vector<std::size_t> out;
    while (out.size() < want && !left.empty()) {
      std::vector<moo::Objectives> pts;
      for (std::size_t i : left) pts.push_back(objectives(pool[i].acc, std::max(cycles_of[i], 1.0), pool[i].c.area));
      const auto front = moo::non_dominated_indices(pts, moo::Duplicates::keep_all);
      std::vector<moo::Objectives> fp;
      for (std::size_t f : front) fp.push_back(pts[f]);
      const auto crowd = moo::crowding_distance(fp);
      std::vector<std::size_t> order(front.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return crowd[a] > crowd[b]; });
      for (std::size_t o : order) {
        if (out.size() >= want) break;
        out.push_back(left[front[o]]);
      }
      std::vector<bool> drop(left.size(), false);
      for (std::size_t f : front) drop[f] = true;
      std::vector<std::size_t> next;
      for (std::size_t i = 0; i < left.size(); ++i) {
        if (!drop[i]) next.push_back(left[i]);
      }
      left.swap(next);
    }
    return out;
  }

  Eigen::MatrixXd encode(const Encoder& encoder, const std::vector<Candidate>& cs) {
    std::vector<Genome> gs;
    std::vector<HwGenome> hws;
    for (const auto& c : cs) {
      gs.push_back(c.arch);
      hws.push_back(c.hw);
    }
    return encoder.encode(gs, encoder.spec().hardware ? hws : std::vector<HwGenome>{}, features_.matrix(cs));
  }

  // --- results ----------------------------------------------------------------------------------------
  MethodResult summarise(const std::string& m, long long seed) const {
    MethodResult out;
    out.method = m;
    out.seed = seed;
    const auto rs = records_of(m, seed);
    out.evaluations = rs.size();
    out.hypervolume = hypervolume(rs);
    std::vector<const Record*> ok;
    std::vector<moo::Objectives> pts;
    for (const auto* r : rs) {
      if (!r->m.ok() || !space_.feasible(r->point)) continue;
      ok.push_back(r);
      moo::Objectives o = {-r->m.accuracy, r->m.cycles};
      if (o_.area_objective) o.push_back(r->point.area);
      pts.push_back(o);
    }
    for (std::size_t i : moo::non_dominated_indices(pts)) out.front.push_back(*ok[i]);
    std::sort(out.front.begin(), out.front.end(), [](const Record& a, const Record& b) { return a.m.cycles < b.m.cycles; });
    double best = 0;
    for (const auto* r : ok) {
      if (r->m.accuracy >= result_.reference.m.accuracy - 1e-9 && (best == 0 || r->m.cycles < best)) best = r->m.cycles;
    }
    out.speedup = best > 0 ? result_.reference.m.cycles / best : 0;
    return out;
  }

  void write_front(const std::string& path) const {
    std::string csv = "method,seed,accuracy,cycles,area,speedup_vs_reference,genome";
    for (const auto& n : hw_param_names()) csv += "," + n;
    csv += "\n";
    for (const auto& m : result_.methods) {
      for (const auto& r : m.front) {
        const HardwareConfig hw = space_.hardware().config(r.point.hw);
        csv += m.method + "," + std::to_string(m.seed) + "," + fmt(r.m.accuracy, 8) + "," + fmt(r.m.cycles, 12) + "," +
               fmt(r.point.area, 6) + "," + fmt(result_.reference.m.cycles / r.m.cycles, 5) + "," +
               space_.space().format(r.point.arch);
        for (const auto& info : hw_param_infos()) csv += "," + std::to_string(hw.get(info.param));
        csv += "\n";
      }
    }
    replace_file_atomically(path, csv);
  }

  const CoSpace& space_;
  BatchEvaluator& evaluator_;
  const AccuracyFunction& accuracy_;
  SearchOptions o_;
  Features features_;
  AccuracyCache acc_cache_;
  std::optional<EvaluationLog> log_;
  SearchResult result_;
  json checkpoint_ = json::object();
  std::string checkpoint_path_;
  double max_area_ = 1;
};

}  // namespace

std::uint64_t linas_inner_seed(long long seed, int iteration) {
  return mix(static_cast<std::uint64_t>(seed), (method_salt("linas") << 32) + static_cast<std::uint64_t>(iteration));
}

moo::Objectives normalised_objectives(const Record& r, const SearchResult& frame, bool area_objective) {
  moo::Objectives o = {-(r.m.accuracy - frame.accuracy_low) / (frame.accuracy_high - frame.accuracy_low),
                       r.m.cycles / frame.reference.m.cycles};
  if (area_objective) o.push_back(r.point.area);
  return o;
}

SearchResult run_search(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                        const SearchOptions& options) {
  Runner runner(space, evaluator, accuracy, options);
  return runner.run();
}

void print_result(std::ostream& out, const CoSpace& space, const SearchResult& result) {
  const auto& ref = result.reference;
  out << "reference: " << space.space().format(ref.point.arch) << " on the reference hardware: top-1 "
      << fmt(ref.m.accuracy, 4) << " %, " << with_thousands(static_cast<long long>(ref.m.cycles)) << " cycles, area 1\n";
  for (const auto& m : result.methods) {
    out << "\nPareto front of " << m.method << " (seed " << m.seed << "): " << m.front.size() << " points of "
        << m.evaluations << " real evaluations; hypervolume " << fmt(m.hypervolume, 5) << "; speedup at iso-accuracy "
        << (m.speedup > 0 ? fmt(m.speedup, 3) + "x" : std::string("none (no point reaches the reference accuracy)"))
        << "\n";
    out << "  top-1 %    cycles        area   hardware                                   sub-network\n";
    for (const auto& r : m.front) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-9s %-13s %-6s ", fmt(r.m.accuracy, 4).c_str(),
                    with_thousands(static_cast<long long>(r.m.cycles)).c_str(), fmt(r.point.area, 3).c_str());
      std::string hw;
      for (std::size_t i = 0; i < kHwParamCount; ++i) hw += std::to_string(r.point.hw[i]);
      out << line << "choices " << hw << "  " << space.space().format(r.point.arch) << "\n";
    }
  }
  out << "\n(hardware: the choice index 0..3 of DRAM_bw L2_bw L1_bw L1_num_child MA_bw MA_num_child MA_mem_size "
         "MA_comp_per_core; front.csv has the values)\n";
}

}  // namespace cimnet::loop
