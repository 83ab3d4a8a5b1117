#include "accuracy/command_source.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

// DyNAS-T dicts are Python literals ("{'wid': None, 'ks': [3, 5]}"); cimnet writes only quoted keys,
// None and numbers in them, so they become JSON by swapping the quotes and None.
nlohmann::json dict_as_json(const std::string& python_dict) {
  std::string s;
  for (std::size_t i = 0; i < python_dict.size(); ++i) {
    if (python_dict[i] == '\'') {
      s += '"';
    } else if (python_dict.compare(i, 4, "None") == 0) {
      s += "null";
      i += 3;
    } else {
      s += python_dict[i];
    }
  }
  return nlohmann::json::parse(s);
}

// An answer quoted in a message: short, one line.
std::string quoted(const std::string& text) {
  std::string s = text.size() > 200 ? text.substr(0, 200) + "..." : text;
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return "'" + s + "'";
}

}  // namespace

CommandAccuracySource::CommandAccuracySource(const SearchSpace& space, std::string command, double timeout_seconds)
    : AccuracySource(space), command_(std::move(command)), timeout_(timeout_seconds) {
  if (trim(command_).empty()) throw InputError("accuracy command: no command given");
  if (!(timeout_ > 0)) throw InputError("accuracy command '" + command_ + "': the time-out must be positive");
}

CommandAccuracySource::~CommandAccuracySource() = default;

std::string CommandAccuracySource::request(const Genome& canonical, std::size_t id) const {
  const nlohmann::json j = {{"id", id},
                            {"space", space().name()},
                            {"arch", space().format(canonical)},
                            {"dynast", dict_as_json(space().to_dynast_dict(canonical))}};
  return j.dump();
}

void CommandAccuracySource::fail(std::size_t id, const Genome& genome, const std::string& what, bool whole) {
  if (child_) child_->kill();
  child_.reset();
  const std::string message = "accuracy command '" + command_ + "', request " + std::to_string(id) + " (" +
                              space().name() + " " + space().format(genome) + "): " + what;
  if (whole) throw AccuracyUnavailable(message);
  throw InputError(message);
}

double CommandAccuracySource::parse_answer(const std::string& line, std::size_t id, const Genome& genome) {
  const std::string expected = R"(; expected one JSON line {"accuracy": <percent>} or {"error": "<text>"})";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    fail(id, genome, "the answer " + quoted(line) + " is not JSON" + expected, true);
  }
  if (!j.is_object()) fail(id, genome, "the answer " + quoted(line) + " is not a JSON object" + expected, true);
  if (j.contains("id") && !(j["id"].is_number_integer() && j["id"].get<long long>() == static_cast<long long>(id))) {
    fail(id, genome, "the answer " + quoted(line) + " has id " + j["id"].dump() + " (answers must come in request order)",
         true);
  }
  if (j.contains("error")) {
    const std::string message = j["error"].is_string() ? j["error"].get<std::string>() : j["error"].dump();
    fail(id, genome, "the command reported an error: " + message);
  }
  if (!j.contains("accuracy")) fail(id, genome, "the answer " + quoted(line) + " has no \"accuracy\"" + expected);
  const auto& a = j["accuracy"];
  if (!a.is_number()) fail(id, genome, "the answer " + quoted(line) + ": \"accuracy\" is not a number" + expected);
  const double v = a.get<double>();
  if (!std::isfinite(v) || v < 0 || v > 100) {
    fail(id, genome, "the answer " + quoted(line) + ": accuracy " + format_number(v) +
                         " is not a top-1 percentage between 0 and 100");
  }
  return v;
}

void CommandAccuracySource::start() {
  if (child_) return;
  child_ = std::make_unique<ChildProcess>(command_);
  next_id_ = 0;
}

std::vector<double> CommandAccuracySource::compute(const std::vector<Genome>& canonical) {
  start();
  const std::size_t first = next_id_;
  next_id_ += canonical.size();
  // Everything is queued at once; the child receives it as fast as it reads, and the answers are
  // read meanwhile (ChildProcess interleaves both), so a command may batch its evaluations.
  std::string requests;
  for (std::size_t i = 0; i < canonical.size(); ++i) requests += request(canonical[i], first + i) + "\n";
  child_->send(requests);
  std::vector<double> out;
  out.reserve(canonical.size());
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    const std::size_t id = first + i;
    std::string line;
    switch (child_->read_line(line, timeout_)) {
      case ChildProcess::Read::line:
        out.push_back(parse_answer(line, id, canonical[i]));
        break;
      case ChildProcess::Read::timeout:
        fail(id, canonical[i], "no answer within the time-out of " + format_number(timeout_) +
                                   " s; the command was stopped", true);
      case ChildProcess::Read::too_long:
        fail(id, canonical[i], "the answer is longer than " + std::to_string(ChildProcess::max_line) +
                                   " bytes without a line end", true);
      case ChildProcess::Read::eof: {
        const std::string partial = child_->partial();
        const std::string how = child_->exit_description();
        fail(id, canonical[i], "the command " + how + " before answering" +
                                   (partial.empty() ? std::string() : " (it left the incomplete line " + quoted(partial) + ")"),
             true);
      }
    }
  }
  return out;
}

}  // namespace cimnet
