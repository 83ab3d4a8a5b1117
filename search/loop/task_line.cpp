#include "search/loop/task_line.hpp"

#include <stdexcept>

#include "common/text.hpp"

namespace cimnet::loop {

std::string task_line(const CoSpace& space, std::size_t id, const Candidate& c) {
  std::string hw;
  for (std::size_t i = 0; i < c.hw.size(); ++i) hw += (i ? "," : "") + std::to_string(c.hw[i]);
  return std::to_string(id) + " " + space.space().format(c.arch) + " " + hw + " " + to_string(c.execution) + " " +
         to_string(c.allocation) + "\n";
}

std::pair<std::size_t, Candidate> parse_task(const CoSpace& space, const std::string& line) {
  const auto words = split(line, ' ');
  const auto hws = words.size() == 5 ? split(words[2], ',') : std::vector<std::string>{};
  HwGenome hw(space.hardware().gene_count());
  if (hws.size() != hw.size()) throw std::runtime_error("bad task line: " + line);
  for (std::size_t i = 0; i < hw.size(); ++i) hw[i] = std::stoi(hws[i]);
  return {static_cast<std::size_t>(std::stoull(words[0])),
          space.make(space.space().parse(words[1]), hw, parse_execution(words[3], "task line"),
                     parse_allocation(words[4], "task line"))};
}

}  // namespace cimnet::loop
