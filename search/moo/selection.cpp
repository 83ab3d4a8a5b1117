#include "search/moo/selection.hpp"

#include <algorithm>

#include "search/moo/sorting.hpp"

namespace cimnet::moo {
namespace {

std::vector<double> front_crowding(const std::vector<Objectives>& objectives,
                                   const std::vector<std::size_t>& front) {
  std::vector<Objectives> points;
  points.reserve(front.size());
  for (std::size_t i : front) points.push_back(objectives[i]);
  return crowding_distance(points);
}

}  // namespace

Ranking rank_and_crowd(const std::vector<Objectives>& objectives, const std::vector<double>& violations) {
  const NonDominatedSorting sorting = fast_non_dominated_sort(objectives, violations);
  Ranking ranking;
  ranking.rank = sorting.rank;
  ranking.crowding.assign(objectives.size(), 0.0);
  for (const auto& front : sorting.fronts) {
    const std::vector<double> crowding = front_crowding(objectives, front);
    for (std::size_t j = 0; j < front.size(); ++j) ranking.crowding[front[j]] = crowding[j];
  }
  return ranking;
}

std::size_t tournament_winner(const Ranking& ranking, std::size_t a, std::size_t b) {
  if (ranking.rank[a] != ranking.rank[b]) return ranking.rank[a] < ranking.rank[b] ? a : b;
  return ranking.crowding[b] > ranking.crowding[a] ? b : a;
}

std::size_t TournamentPool::draw(std::size_t n, Rng& rng) {
  if (next_ >= order_.size()) {
    order_ = random_permutation(n, rng);
    next_ = 0;
  }
  return order_[next_++];
}

std::size_t TournamentPool::select(const Ranking& ranking, Rng& rng) {
  const std::size_t n = ranking.rank.size();
  if (order_.size() != n) reset();
  if (n == 1) return 0;
  const std::size_t a = draw(n, rng);
  std::size_t b = draw(n, rng);
  // A pair straddling a reshuffle may repeat a member; draw again so the two contestants differ.
  while (b == a) b = draw(n, rng);
  return tournament_winner(ranking, a, b);
}

std::vector<std::size_t> select_survivors(const std::vector<Objectives>& objectives,
                                          const std::vector<double>& violations, std::size_t count) {
  const NonDominatedSorting sorting = fast_non_dominated_sort(objectives, violations);
  std::vector<std::size_t> survivors;
  for (const auto& front : sorting.fronts) {
    if (survivors.size() >= count) break;
    if (survivors.size() + front.size() <= count) {
      survivors.insert(survivors.end(), front.begin(), front.end());
      continue;
    }
    const std::vector<double> crowding = front_crowding(objectives, front);
    std::vector<std::size_t> order(front.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return crowding[a] > crowding[b]; });
    for (std::size_t j = 0; survivors.size() < count; ++j) survivors.push_back(front[order[j]]);
  }
  return survivors;
}

}  // namespace cimnet::moo
