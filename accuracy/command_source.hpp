#pragma once
// Accuracy from an external command: how a user plugs in a real super-network evaluation (on their
// GPUs) without cimnet knowing anything about PyTorch.
//
// Protocol (JSON lines, UTF-8, one object per line, both directions):
//   cimnet -> command   {"id": 0, "space": "ofa-mbv3", "arch": "ks=3-5-…:e=…:d=…", "dynast": {"ks": […], …}}
//   command -> cimnet   {"accuracy": 76.1}          top-1 in percent, 0 to 100
//                   or  {"error": "why not"}        cimnet stops with this message
// Answers come in request order, one line each, flushed; "id" may be echoed and is then checked. `arch`
// is cimnet's canonical compact spec, `dynast` the same sub-network as a DyNAS-T/OFA dict (inactive genes
// at their first choice). The command is started once, on the first request, and kept for all later
// ones; cimnet closes its stdin at the end, and the command should then exit.
//
// Failures are InputErrors naming the command, the request (number and arch) and what happened: the
// command exited or was killed (with its status), sent no answer within the time-out (it is then
// killed), or sent something that is not such an answer (quoted). The time-out is per answer: each
// answer must arrive within `timeout` seconds of the previous one (or of the batch's start). After a
// failure the process is discarded; the next batch starts a new one. Failures of the command as a whole
// (time-out, exit, a line that is not a JSON object, an answer out of order or too long) are
// AccuracyUnavailable; an {"error": ...} answer or an answer without a usable accuracy concerns its
// point only and is a plain InputError.
#include <memory>
#include <string>

#include "accuracy/accuracy_source.hpp"
#include "accuracy/child_process.hpp"

namespace cimnet {

class CommandAccuracySource : public AccuracySource {
 public:
  // `timeout_seconds` > 0 (InputError otherwise); an empty command is an InputError.
  CommandAccuracySource(const SearchSpace& space, std::string command, double timeout_seconds);
  ~CommandAccuracySource() override;

  std::string label() const override { return "command '" + command_ + "'"; }
  void start() override;

  // The request line for one sub-network (without the line end), as the command receives it.
  std::string request(const Genome& canonical, std::size_t id) const;

 protected:
  std::vector<double> compute(const std::vector<Genome>& canonical) override;

 private:
  // Kills the command and throws: AccuracyUnavailable when `whole` (the command failed as a whole),
  // else InputError (about this point).
  [[noreturn]] void fail(std::size_t id, const Genome& genome, const std::string& what, bool whole = false);
  double parse_answer(const std::string& line, std::size_t id, const Genome& genome);

  std::string command_;
  double timeout_;
  std::unique_ptr<ChildProcess> child_;
  std::size_t next_id_ = 0;  // ids run on across batches within one process
};

}  // namespace cimnet
