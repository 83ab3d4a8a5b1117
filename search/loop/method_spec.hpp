#pragma once
// Which methods a search runs, each with its settings: a method spec names a method and, optionally,
// settings of its own that override the run's, e.g. `linas:rerank=0` or `linas:rerank=0:batch=10`.
// A variant is a method of its own: its spec (canonical form) is its name in evaluations.csv,
// front.csv, iterations.csv and the summary, it has its own budget of real evaluations, and it draws
// from its method's seed streams (seeds.hpp), so `linas` and `linas:rerank=0` of one seed start from
// the same initial sample. That is how one run folder compares LINAS with and without its re-rank.
//
// Settings a method reads (the others would not change it, so they are refused):
//   linas   initial, batch, population, generations, rerank
//   nsga2   initial (its population), batch (its offspring per generation)
//   dynast  population, generations
//   random  none
#include <string>
#include <vector>

namespace cimnet::loop {

// The run-wide settings a method may override (SearchOptions carries the run's values).
struct MethodSettings {
  long long initial = 30;
  long long batch = 20;
  long long population = 50;   // inner NSGA-II (linas, dynast)
  long long generations = 100; // inner NSGA-II (linas, dynast)
  long long rerank = 0;        // linas: re-rank rerank × batch candidates by the analytical estimate
};

struct MethodSpec {
  std::string name;    // canonical spec: the method's name in every output ("linas:rerank=0")
  std::string method;  // linas, nsga2, random or dynast
  MethodSettings settings;
};

// The methods a spec may name and the settings each accepts.
const std::vector<std::string>& method_names();
const std::vector<std::string>& method_setting_names(const std::string& method);

// Parses `text` with the run's settings as defaults. InputError (one line, naming the spec, the
// offending part and what is allowed) for an unknown method or setting, a repeated setting, or a value
// that is not an integer in the setting's range (the range of the scenario key of the same name).
MethodSpec parse_method_spec(const std::string& text, const MethodSettings& run_settings);
// Every spec of a list; InputError when two name the same canonical method.
std::vector<MethodSpec> parse_method_specs(const std::vector<std::string>& texts, const MethodSettings& run_settings);

}  // namespace cimnet::loop
