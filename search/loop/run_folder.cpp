#include "search/loop/run_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/row_writer.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"

namespace cimnet::loop {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

bool writable_folder(const fs::path& dir) { return ::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) == 0; }

std::string plan_key(const std::string& method, long long seed, int iteration) {
  return method + "/" + std::to_string(seed) + "/" + std::to_string(iteration);
}

}  // namespace

void RunFolder::check_path(const std::string& out) {
  if (out.empty()) throw InputError("search: an output folder (--out) is needed");
  std::error_code ec;
  const fs::path path(out);
  const fs::file_status status = fs::status(path, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw InputError("--out " + out + ": is a file, not a folder; name a run folder (it is created when missing)");
    }
    if (!writable_folder(path)) throw InputError("--out " + out + ": the folder is not writable (" + std::strerror(errno) + ")");
    return;
  }
  // create_directories makes the missing part: the nearest existing ancestor must be a writable folder.
  fs::path ancestor = fs::absolute(path, ec).parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.root_path()) ancestor = ancestor.parent_path();
  if (!fs::is_directory(ancestor, ec)) {
    throw InputError("--out " + out + ": cannot be created: " + ancestor.string() + " is a file, not a folder");
  }
  if (!writable_folder(ancestor)) {
    throw InputError("--out " + out + ": cannot be created: " + ancestor.string() + " is not writable (" +
                     std::strerror(errno) + ")");
  }
}

RunFolder::RunFolder(const std::string& out, const CoSpace& space, const RunSettings& settings,
                     const std::string& scenario_text, bool resume)
    : out_(out), space_(space), settings_line_(settings.line()) {
  check_path(out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw InputError("--out " + out + ": cannot create the folder: " + ec.message());
  lock_.emplace(OutputLock::for_folder(out));  // before reading or writing anything in it
  if (fs::exists(file("evaluations.csv")) && !resume) {
    throw InputError(out + " already holds a search (evaluations.csv); continue it with --resume or choose another --out");
  }
  if (!fs::exists(file("scenario.yaml"))) replace_file_atomically(file("scenario.yaml"), scenario_text);
  log_.emplace(file("evaluations.csv"), space, settings, resume);
  if (resume) load_checkpoint(settings);
}

std::string RunFolder::file(const char* name) const { return (fs::path(out_) / name).string(); }

bool RunFolder::logged(const std::string& method, long long seed, int iteration) const {
  for (const auto& l : iterations_) {
    if (l.method == method && l.seed == seed && l.iteration == iteration) return true;
  }
  return false;
}

void RunFolder::record_iteration(const IterationLog& log) {
  iterations_.push_back(log);
  save_checkpoint();
}

bool RunFolder::stored_plan(const std::string& method, long long seed, int iteration, Plan& plan) const {
  const auto it = plans_.find(plan_key(method, seed, iteration));
  if (it == plans_.end()) return false;
  plan = it->second;
  return true;
}

void RunFolder::store_plan(const std::string& method, long long seed, int iteration, const Plan& plan) {
  plans_[plan_key(method, seed, iteration)] = plan;
  save_checkpoint();
}

void RunFolder::load_checkpoint(const RunSettings& settings) {
  const std::string path = file("checkpoint.json");
  if (!fs::exists(path)) return;
  json j;
  try {
    j = json::parse(read_text_file(path, "checkpoint"));
  } catch (const json::exception& e) {
    // Written atomically, so this is not a torn write; a plan is recomputed identically anyway.
    std::cerr << "search: ignoring unreadable checkpoint " << path << ": " << e.what() << "\n";
    return;
  }
  const RunSettings recorded = RunSettings::parse(j.value("config", std::string()));
  if (recorded != settings) {
    throw InputError(path + ": belongs to a search with other settings: " + settings.difference(recorded) +
                     "; resume with the same settings or choose another --out");
  }
  const json plans = j.value("plans", json::object());
  for (const auto& [key, p] : plans.items()) {
    Plan plan;
    for (const auto& e : p.at("points")) {
      const Genome arch = space_.space().parse(e.at(0).get<std::string>());
      const HwGenome hw = e.at(1).get<HwGenome>();
      if (hw.size() != space_.hardware().gene_count()) {
        throw InputError(path + ": a planned point has " + std::to_string(hw.size()) + " hardware genes, the scenario " +
                         std::to_string(space_.hardware().gene_count()) + "; choose another --out");
      }
      // The searched choices (policy, objective) are the point's last elements (the checkpoint matches
      // the settings: checked above).
      const std::vector<CoSpace::SearchedChoice> searched = space_.searched_choices();
      std::vector<std::string> choices;
      for (std::size_t i = 0; i < searched.size(); ++i) {
        const std::string value = e.at(2 + i).get<std::string>();
        const std::vector<std::string>& allowed = searched[i].allowed;
        if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
          throw InputError(path + ": a planned point's " + searched[i].meaning + " is not one of " +
                           join(allowed, ", ") + "; choose another --out");
        }
        choices.push_back(value);
      }
      plan.points.push_back(space_.make(arch, hw, choices));
    }
    plan.predicted_cycles = p.at("predicted_cycles").get<std::vector<double>>();
    plan.predicted_accuracy = p.at("predicted_accuracy").get<std::vector<double>>();
    plan.predicted_energy = p.value("predicted_energy", std::vector<double>{});
    plan.model = p.value("model", std::string());
    plan.fit_s = p.value("fit_s", 0.0);
    plan.inner_s = p.value("inner_s", 0.0);
    plan.gens_per_s = p.value("gens_per_s", 0.0);
    plan.rerank_s = p.value("rerank_s", 0.0);
    plan.analytical_estimates = p.value("analytical_estimates", std::size_t{0});
    plan.inner_seed = p.value("inner_seed", std::uint64_t{0});
    plans_[key] = std::move(plan);
  }
  const json iterations = j.value("iterations", json::array());
  for (const auto& e : iterations) {
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
    // Checkpoints written before energy objectives have none.
    l.tau_energy = e.contains("tau_energy") ? num("tau_energy") : kNaN;
    l.mape_energy = e.contains("mape_energy") ? num("mape_energy") : kNaN;
    l.model_cycles = e.value("model_cycles", std::string());
    l.fit_seconds = e.value("fit_s", 0.0);
    l.inner_seconds = e.value("inner_s", 0.0);
    l.eval_seconds = e.value("eval_s", 0.0);
    l.rerank_seconds = e.value("rerank_s", 0.0);
    l.analytical_estimates = e.value("analytical_estimates", std::size_t{0});
    l.inner_generations_per_second = e.value("inner_generations_per_s", 0.0);
    iterations_.push_back(l);
  }
}

void RunFolder::save_checkpoint() {
  json j = json::object();
  j["version"] = 1;
  j["config"] = settings_line_;
  json plans = json::object();
  for (const auto& [key, p] : plans_) {
    json points = json::array();
    for (const auto& c : p.points) {
      json point = {space_.space().format(c.arch), c.hw};
      for (const std::string& v : space_.choice_values(c)) point.push_back(v);
      points.push_back(point);
    }
    plans[key] = {{"points", points}, {"predicted_cycles", p.predicted_cycles},
                  {"predicted_accuracy", p.predicted_accuracy}, {"model", p.model}, {"fit_s", p.fit_s},
                  {"inner_s", p.inner_s}, {"gens_per_s", p.gens_per_s}, {"rerank_s", p.rerank_s},
                  {"analytical_estimates", p.analytical_estimates}, {"inner_seed", p.inner_seed}};
    if (!p.predicted_energy.empty()) plans[key]["predicted_energy"] = p.predicted_energy;
  }
  if (!plans_.empty()) j["plans"] = plans;
  json its = json::array();
  for (const auto& l : iterations_) {
    auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    its.push_back({{"method", l.method}, {"seed", l.seed}, {"iteration", l.iteration}, {"evaluations", l.evaluations},
                   {"hypervolume", l.hypervolume}, {"tau_cycles", num(l.tau_cycles)}, {"mape_cycles", num(l.mape_cycles)},
                   {"tau_accuracy", num(l.tau_accuracy)}, {"mape_accuracy", num(l.mape_accuracy)},
                   {"tau_energy", num(l.tau_energy)}, {"mape_energy", num(l.mape_energy)},
                   {"model_cycles", l.model_cycles}, {"fit_s", l.fit_seconds}, {"inner_s", l.inner_seconds},
                   {"eval_s", l.eval_seconds}, {"rerank_s", l.rerank_seconds},
                   {"analytical_estimates", l.analytical_estimates},
                   {"inner_generations_per_s", l.inner_generations_per_second}});
  }
  j["iterations"] = its;
  replace_file_atomically(file("checkpoint.json"), j.dump(1) + "\n");
  // iterations.csv is derived: rewritten whole from the log.
  std::string csv = "method,seed,iteration,evaluations,hypervolume,tau_cycles,mape_cycles,tau_accuracy,mape_accuracy,"
                    "model_cycles,fit_s,inner_s,rerank_s,eval_s,inner_generations_per_s,tau_energy,mape_energy\n";
  for (const auto& l : iterations_) {
    auto num = [](double v) { return std::isfinite(v) ? fmt(v, 5) : std::string(); };
    csv += l.method + "," + std::to_string(l.seed) + "," + std::to_string(l.iteration) + "," +
           std::to_string(l.evaluations) + "," + fmt(l.hypervolume, 8) + "," + num(l.tau_cycles) + "," +
           num(l.mape_cycles) + "," + num(l.tau_accuracy) + "," + num(l.mape_accuracy) + ",\"" + l.model_cycles +
           "\"," + fmt(l.fit_seconds, 4) + "," + fmt(l.inner_seconds, 4) + "," + fmt(l.rerank_seconds, 4) + "," +
           fmt(l.eval_seconds, 4) + "," + fmt(l.inner_generations_per_second, 5) + "," + num(l.tau_energy) + "," +
           num(l.mape_energy) + "\n";
  }
  replace_file_atomically(file("iterations.csv"), csv);
}

void RunFolder::write_front(const std::vector<MethodResult>& methods, const Record& reference) const {
  // energy_pj: one inference's (the cycles' inference), whatever the objectives; empty when the
  // evaluator reported none.
  std::string csv = "method,seed,accuracy,cycles,area,energy_pj,speedup_vs_reference,genome";
  for (const auto& n : space_.hardware().gene_names()) csv += "," + n;
  // Last, and only when searched: each design's policy and objective are then part of the design.
  for (const std::string& c : space_.choice_columns()) csv += "," + c;
  csv += "\n";
  for (const auto& m : methods) {
    for (const auto& r : m.front) {
      const HardwareConfig hw = space_.hardware().config(r.point.hw);
      csv += m.method + "," + std::to_string(m.seed) + "," + fmt(r.m.accuracy, 8) + "," + fmt(r.m.cycles, 12) + "," +
             fmt(r.point.area, 6) + "," + (r.m.energy_pj > 0 ? fmt(r.m.energy_pj, 10) : std::string()) + "," +
             fmt(reference.m.cycles / r.m.cycles, 5) + "," +
             space_.space().format(r.point.arch);
      for (std::int64_t v : space_.hardware().gene_values(hw)) csv += "," + std::to_string(v);
      for (const std::string& v : space_.choice_values(r.point)) csv += "," + v;
      csv += "\n";
    }
  }
  replace_file_atomically(file("front.csv"), csv);
}

}  // namespace cimnet::loop
