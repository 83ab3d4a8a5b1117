#include "dataset/point_list.hpp"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"
#include "common/fnv_hash.hpp"
#include "dataset/preamble.hpp"
#include "common/csv.hpp"

namespace cimnet::dataset {

namespace {

// Upper bound on the distinct points of a mode (genomes over-count networks, so for arch and joint
// this only rejects N that can never be met; the redraw limit catches the rest).
double point_bound(const SearchSpace& space, const HardwareSpace& hardware, Mode mode) {
  const double hw = hardware.size();
  const double arch = std::pow(10.0, space.log10_genome_count());
  switch (mode) {
    case Mode::Arch: return arch;
    case Mode::Hw: return hw;
    default: return arch * hw;
  }
}

}  // namespace

PointList sample_points(const SearchSpace& space, const HardwareSpace& hardware, Mode mode, long long n,
                        std::uint64_t seed, const ListProgress& progress) {
  if (n <= 0) throw InputError("--samples must be positive (got " + std::to_string(n) + ")");
  if (mode == Mode::Points) throw InputError("mode 'points' takes its points from --points, not from a seed");
  const double bound = point_bound(space, hardware, mode);
  if (static_cast<double>(n) > bound) {
    throw InputError("--samples " + std::to_string(n) + " exceeds the " + format_number(bound) +
                     " distinct points of mode " + to_string(mode) + " in space " + space.name());
  }
  PointList list;
  list.mode = mode;
  list.seed = seed;
  Rng rng(seed);
  const Genome largest = space.canonical(space.largest());
  std::unordered_set<std::string> seen;
  // Redraws in a row before giving up: far beyond what coupon collection needs for any N the bound
  // admits in practice, yet finite when aliases make the space smaller than the bound says.
  const long long redraw_limit = std::max(100000LL, 100 * n);
  long long redraws = 0;
  while (static_cast<long long>(list.points.size()) < n) {
    Point p;
    p.genome = mode == Mode::Hw ? largest : space.sample(rng);
    p.hw = mode == Mode::Arch ? hardware.reference : hardware.sample(rng);
    if (!seen.insert(point_key(space, hardware, p)).second) {
      if (++redraws > redraw_limit) {
        throw InputError("only " + std::to_string(list.points.size()) + " distinct points found for --samples " +
                         std::to_string(n) + " in mode " + to_string(mode) + " of space " + space.name());
      }
      continue;
    }
    redraws = 0;
    list.points.push_back(std::move(p));
    if (progress && (list.points.size() % kListProgressStep == 0 || static_cast<long long>(list.points.size()) == n)) {
      progress(list.points.size(), static_cast<std::size_t>(n));
    }
  }
  return list;
}

PointList read_points_file(const std::string& path, const SearchSpace& space, const HardwareSpace& hardware) {
  const std::string text = read_text_file(path, "points file");
  const std::size_t body = preamble_length(text);
  const bool is_dataset = body > 0;
  // The CSV reader numbers lines from the first header line; messages add the preamble back.
  std::size_t skipped_lines = 0;
  for (std::size_t i = 0; i < body; ++i) skipped_lines += text[i] == '\n';
  const CsvTable table = parse_csv(text.substr(body), path);
  const auto line_of = [&](std::size_t row) { return table.row_lines[row] + skipped_lines; };

  if (!table.has_column("genome")) throw InputError(path + ": points file needs a 'genome' column");
  // The eight parameters and any component genes ("pe.rows"); a gene without a column keeps the
  // reference design's value.
  const auto hw_names = hardware.gene_names();
  std::vector<int> hw_column(hw_names.size(), -1);
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    if (name == "genome") continue;
    bool found = false;
    for (std::size_t p = 0; p < hw_names.size(); ++p) {
      if (name == hw_names[p]) {
        hw_column[p] = static_cast<int>(c);
        found = true;
      }
    }
    if (!found && !is_dataset) {
      std::vector<std::string> allowed{"genome"};
      allowed.insert(allowed.end(), hw_names.begin(), hw_names.end());
      throw InputError(path + ":" + std::to_string(skipped_lines + 1) + ": unknown column '" + name + "'" +
                       did_you_mean(name, allowed) + "; a points file has: " + join(allowed, ", "));
    }
  }
  if (table.rows.empty()) throw InputError(path + ": points file has no points");

  PointList list;
  list.mode = Mode::Points;
  const std::size_t genome_column = table.column("genome");
  std::unordered_map<std::string, std::size_t> seen;  // key -> line
  std::string all_keys;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string where = path + ":" + std::to_string(line_of(r));
    Point p;
    try {
      p.genome = space.canonical(space.parse(table.rows[r][genome_column]));
      std::vector<std::int64_t> values = hardware.gene_values(hardware.reference_config());
      for (std::size_t q = 0; q < hw_names.size(); ++q) {
        if (hw_column[q] < 0) continue;
        values[q] = parse_hw_value(table.rows[r][static_cast<std::size_t>(hw_column[q])], hw_names[q]);
      }
      p.hw = hardware.genome_of_values(values);
    } catch (const InputError& e) {
      throw InputError(where + ": " + e.what());
    }
    const std::string key = point_key(space, hardware, p);
    const auto [it, inserted] = seen.emplace(key, line_of(r));
    if (!inserted) {
      throw InputError(where + ": duplicate point (same canonical sub-network and hardware as line " +
                       std::to_string(it->second) + ")");
    }
    all_keys += key + '\n';
    list.points.push_back(std::move(p));
  }
  list.source = "file:" + fnv1a_hex(all_keys);
  return list;
}

}  // namespace cimnet::dataset
