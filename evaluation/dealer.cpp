#include "evaluation/dealer.hpp"

#include <algorithm>
#include <stdexcept>

namespace cimnet::evaluation {

Dealer::Dealer(std::vector<int> jobs_per_rank, std::size_t lookahead)
    : jobs_(std::move(jobs_per_rank)),
      lookahead_(std::max<std::size_t>(1, lookahead)),
      held_(jobs_.size()),
      alive_(jobs_.size(), true),
      finished_(jobs_.size(), 0) {
  if (jobs_.empty()) throw std::invalid_argument("Dealer: no ranks");
}

void Dealer::add(const std::vector<std::size_t>& tasks) { queue_.insert(queue_.end(), tasks.begin(), tasks.end()); }

std::vector<std::size_t> Dealer::deal(int rank) {
  const auto r = static_cast<std::size_t>(rank);
  std::vector<std::size_t> out;
  if (!alive_.at(r)) return out;
  const std::size_t room = lookahead_ * static_cast<std::size_t>(std::max(1, jobs_[r]));
  while (!queue_.empty() && held_[r].size() < room) {
    out.push_back(queue_.front());
    held_[r].insert(queue_.front());
    queue_.pop_front();
  }
  return out;
}

bool Dealer::finished(int rank, std::size_t task) {
  const auto r = static_cast<std::size_t>(rank);
  if (held_.at(r).erase(task) == 0) return false;
  ++finished_[r];
  return true;
}

std::vector<std::size_t> Dealer::lost(int rank) {
  const auto r = static_cast<std::size_t>(rank);
  alive_.at(r) = false;
  std::vector<std::size_t> back(held_[r].begin(), held_[r].end());
  held_[r].clear();
  queue_.insert(queue_.begin(), back.begin(), back.end());
  return back;
}

bool Dealer::any_alive() const { return std::find(alive_.begin(), alive_.end(), true) != alive_.end(); }

bool Dealer::idle() const {
  if (!queue_.empty()) return false;
  for (const auto& h : held_) {
    if (!h.empty()) return false;
  }
  return true;
}

}  // namespace cimnet::evaluation
