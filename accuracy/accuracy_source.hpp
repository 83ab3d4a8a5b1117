#pragma once
// Where the top-1 accuracy of a sub-network comes from, for the dataset and the search.
//
// Kinds (accuracy_config.hpp builds them): a fitted predictor model file, a table of measured
// accuracies, an external command (a user's super-network evaluation on their GPUs), and a documented
// proxy for spaces without measured data. Sources answer batches, because the expensive ones (a command
// evaluating on a GPU) amortise over a batch and the cheap ones (a ridge model) vectorise.
//
// Not thread-safe: a command source talks to one child process. Use one source per thread.
#include <string>
#include <vector>

#include "common/error.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

// The source as a whole stopped answering: its command gave no answer within its time-out, exited, or
// spoke outside the protocol. Asking it again, for any point, would most likely fail the same way (and
// cost another time-out), unlike a plain InputError about one point (a table without it, a command's
// {"error": ...} answer for it).
class AccuracyUnavailable : public InputError {
 public:
  explicit AccuracyUnavailable(const std::string& message) : InputError(message) {}
};

class AccuracySource {
 public:
  virtual ~AccuracySource() = default;
  AccuracySource(const AccuracySource&) = delete;
  AccuracySource& operator=(const AccuracySource&) = delete;

  const SearchSpace& space() const { return space_; }

  // Top-1 accuracy in percent of each sub-network, in order. Genomes are checked against the space and
  // canonicalised first, so aliases of one network get the same answer from every kind of source.
  // InputError when a genome is invalid or the source cannot answer for a point (missing table entry,
  // a command's error answer); AccuracyUnavailable when the source failed as a whole.
  std::vector<double> top1(const std::vector<Genome>& genomes);
  double top1(const Genome& genome);

  // True when the values are not measurements or a model of measurements but a coarse stand-in:
  // every output that uses them must say so (label() does).
  virtual bool is_proxy() const { return false; }
  // One line naming the source, for reports and output headers; a proxy's starts with "PROXY".
  virtual std::string label() const = 0;
  // Starts any helper process now rather than at the first query: a search under mpirun calls it
  // before MPI_Init, after which the process must not fork. Nothing to do for in-process sources.
  virtual void start() {}

 protected:
  explicit AccuracySource(const SearchSpace& space) : space_(space) {}
  // Answers for canonical, checked genomes; one value per genome.
  virtual std::vector<double> compute(const std::vector<Genome>& canonical) = 0;

 private:
  const SearchSpace& space_;
};

}  // namespace cimnet
