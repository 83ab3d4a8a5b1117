#include "accuracy/table_source.hpp"

#include "common/error.hpp"
#include "common/csv.hpp"
#include "predict/data_layout.hpp"
#include "predict/training_data.hpp"

namespace cimnet {

TableAccuracySource::TableAccuracySource(const SearchSpace& space, const std::string& path)
    : AccuracySource(space), path_(path) {
  const CsvTable table = read_csv(path, CsvComments::leading);
  const DataLayout layout = detect_layout(table);
  TrainingColumns columns;
  columns.network = layout.network;
  columns.target = target_column(table, "top1");
  columns.status = layout.status;
  columns.space = layout.space;
  const TrainingData data = deduplicate(read_training_table(table, space, columns));
  if (data.size() == 0) throw InputError(path + ": the accuracy table has no rows");
  for (std::size_t i = 0; i < data.size(); ++i) table_[data.genomes[i]] = data.target[static_cast<Eigen::Index>(i)];
}

std::string TableAccuracySource::label() const {
  return "table " + path_ + " (" + std::to_string(table_.size()) + " measured sub-networks)";
}

std::vector<double> TableAccuracySource::compute(const std::vector<Genome>& canonical) {
  std::vector<double> out;
  out.reserve(canonical.size());
  for (const auto& g : canonical) {
    const auto it = table_.find(g);
    if (it == table_.end()) {
      throw InputError(path_ + ": the accuracy table has no entry for sub-network " + space().format(g) +
                       " of space " + space().name() + " (it holds " + std::to_string(table_.size()) +
                       " sub-networks; a table answers only measured points)");
    }
    out.push_back(it->second);
  }
  return out;
}

}  // namespace cimnet
