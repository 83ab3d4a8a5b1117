#pragma once
// The comment lines at the top of a dataset file: one line of metadata that resume and merge check,
// then one line per column with its unit and meaning, then the CSV header. Comment lines start with
// '#'; pandas reads the file with read_csv(path, comment='#') — see docs/datasets.md.
//
//   # cimnet dataset v1 scenario=3f2a… space=ofa-mbv3 mode=joint seed=1 n=1000 points=sampled shard=all
//     execution=layer-by-layer cycles_of=steady   (one line in the file)
//   # column cycles [cycles]: SystemC ground truth: total cycles of one inference
#include <cstdint>
#include <string>

#include "evaluation/schema.hpp"
#include "dataset/shard.hpp"

namespace cimnet::dataset {

inline constexpr const char* kFormatVersion = "v1";

struct Meta {
  std::string version = kFormatVersion;
  std::string scenario;  // fnv1a of the scenario text: any edit of the scenario is another scenario
  std::string space;
  std::string mode;
  std::uint64_t seed = 0;
  std::uint64_t n = 0;   // points in the whole list (all shards)
  std::string points = "sampled";
  Shard shard;
  // The execution policy the cycles were measured under (issue 14). A file written before it has no
  // `execution=` and was measured layer by layer.
  std::string execution = "layer-by-layer";
  // Which inference's cycles the `cycles` column holds (cold or steady). A file written before it has
  // no `cycles_of=`: its cycles were of a program holding one inference, which nothing then told apart
  // from the steady state, and it reads as steady (the default).
  std::string cycles_of = "steady";
  // The pipelined scheduler's latency bound (its least-memory objective), "none" when it had none; the
  // line says `latency_bound=` only when it had one, so files without it read as "none".
  std::string latency_bound = "none";
  // What the choice of core for each MAC layer minimised (designs with digital cores, issue 17); the
  // line says `allocation=` only when it was not latency, so files without it read as "latency".
  std::string allocation = "latency";

  // What must agree between a file and a run that resumes it (everything).
  bool same_run(const Meta& other) const { return same_list(other) && shard.index == other.shard.index && shard.count == other.shard.count; }
  // What must agree between shards that merge (everything but the shard).
  bool same_list(const Meta& other) const {
    return version == other.version && scenario == other.scenario && space == other.space && mode == other.mode &&
           execution == other.execution && cycles_of == other.cycles_of && latency_bound == other.latency_bound &&
           allocation == other.allocation &&
           seed == other.seed && n == other.n && points == other.points;
  }
  std::string describe() const;  // "scenario=… space=… mode=… seed=… n=… points=… shard=… execution=… cycles_of=…" [latency_bound=…] [allocation=…]
  // "seed=5 n=5 vs seed=5 n=6": the fields that differ, this then other, for one-line errors.
  std::string difference(const Meta& other) const;
};

// Scenario fingerprint for Meta::scenario.
std::string scenario_fingerprint(const std::string& scenario_text);

// The whole preamble (metadata line, column lines, CSV header line), each line ending in '\n'.
std::string format_preamble(const Meta& meta, const evaluation::Schema& schema);

// Bytes of leading '#' lines when the text starts with "# cimnet dataset", else 0.
std::size_t preamble_length(const std::string& text);
// Parses the metadata line of a dataset text; InputError naming `source` when it is not one.
Meta parse_meta(const std::string& text, const std::string& source);

}  // namespace cimnet::dataset
