#pragma once
// NSGA-II (Deb, Pratap, Agarwal & Meyarivan, IEEE TEC 6(2), 2002) with an ask/tell interface.
//
// The core is independent of the genome: `Variation` supplies it (CategoricalVariation for cimnet's
// integer genomes, RealVariation for the continuous test functions, or anything with the same
// members):
//   using Genome = ...;                       // equality-comparable, hashable by GenomeHash
//   Genome sample(Rng&) const;
//   void crossover(const Genome&, const Genome&, Genome&, Genome&, Rng&) const;
//   void mutate(Genome&, Rng&) const;
//   void check(const Genome&) const;          // throws InputError for a malformed genome
//
// One generation is ask() → evaluate → tell(). ask() returns the initial random population first,
// then offspring bred by binary tournament without replacement (rank, then crowding), crossover and
// mutation; tell() merges the evaluated genomes into the population and keeps the best
// `population_size` by rank-and-crowding survival under Deb's constrained dominance. Every objective
// is minimised (negate one to maximise).
//
// "No genome is evaluated twice" holds for genomes proposed by ask() while use_archive is on; tell()
// accepts anything (a caller's warm start, or re-measurements), records it in the archive and keeps at
// most one copy of a genome in the population.
//
// Duplicate elimination: an offspring identical to a population member, to another offspring of the
// same batch or (with use_archive) to any genome ever told is discarded and bred again. After
// `max_attempts` consecutive discards the rest of the batch is drawn uniformly at random instead (same
// bound; unless refill_with_samples is off); if that fails too, ask() returns a short batch — empty when the space looks exhausted, which
// ends run(). A small space thus ends the search instead of looping forever; in a large space the
// bound is never reached.
//
// Determinism: every random decision comes from one cimnet::Rng seeded from the options; sorting ties
// are broken by index and hash sets are only asked for membership. The same seed and the same
// evaluations give bit-identical populations.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "search/moo/dominance.hpp"
#include "search/moo/genome_hash.hpp"
#include "search/moo/problem.hpp"
#include "search/moo/selection.hpp"
#include "search/moo/types.hpp"

namespace cimnet::moo {

struct Nsga2Options {
  std::size_t population_size = 100;
  std::size_t offspring_size = 0;  // offspring per generation; 0 means population_size
  std::uint64_t seed = 1;
  bool eliminate_duplicates = true;
  bool use_archive = true;         // remember every genome told, never propose one again
  std::size_t max_attempts = 100;  // consecutive discarded duplicates before giving up on variation
  // Then draw the rest of the batch uniformly (true), or return the short batch as pymoo does (false:
  // the dynast baseline; pymoo stops the run when a generation breeds nothing new).
  bool refill_with_samples = true;
};

template <class Genome>
struct Individual {
  Genome genome;
  Evaluation evaluation;   // objectives and constraint values as told
  double violation = 0.0;  // Σ max(0, constraint); 0 = feasible
  std::size_t rank = 0;    // front under constrained dominance within the population
  double crowding = 0.0;   // crowding distance within that front
};

template <class Variation>
class Nsga2 {
 public:
  using Genome = typename Variation::Genome;
  using Member = Individual<Genome>;

  Nsga2(Variation variation, Nsga2Options options)
      : variation_(std::move(variation)), options_(options), rng_(options.seed) {
    if (options_.population_size == 0) throw InputError("NSGA-II: the population size must be positive");
    if (options_.offspring_size == 0) options_.offspring_size = options_.population_size;
    if (options_.max_attempts == 0) throw InputError("NSGA-II: max_attempts must be positive");
  }

  // The next genomes to evaluate: the initial random population while the population is empty, then
  // one batch of offspring. May be shorter than asked (see duplicate elimination above).
  std::vector<Genome> ask() {
    std::vector<Genome> batch;
    GenomeSet batch_set;
    const std::size_t target =
        population_.empty() ? options_.population_size : options_.offspring_size;
    if (!population_.empty()) breed(batch, batch_set, target);
    std::size_t failures = population_.empty() || options_.refill_with_samples ? 0 : options_.max_attempts;
    while (batch.size() < target && failures < options_.max_attempts) {
      Genome genome = variation_.sample(rng_);
      if (offer(genome, batch, batch_set))
        failures = 0;
      else
        ++failures;
    }
    exhausted_ = batch.empty();
    return batch;
  }

  // Evaluation results for any genomes (normally the last ask()'s). constraints is empty for an
  // unconstrained problem, else one vector of g ≤ 0 values per genome. A genome already in the
  // population (or repeated in the call) is recorded but does not enter the population twice.
  void tell(const std::vector<Genome>& genomes, const std::vector<Objectives>& objectives,
            const std::vector<std::vector<double>>& constraints = {}) {
    if (objectives.size() != genomes.size())
      throw InputError("NSGA-II tell: one objective vector per genome is needed");
    if (!constraints.empty() && constraints.size() != genomes.size())
      throw InputError("NSGA-II tell: constraints must be empty or one vector per genome");
    // Everything is checked before anything changes, so a rejected call leaves the optimizer intact.
    const std::size_t expected =
        objectives_ != 0 ? objectives_ : (objectives.empty() ? 0 : objectives.front().size());
    for (std::size_t i = 0; i < genomes.size(); ++i) {
      variation_.check(genomes[i]);
      check_numbers(objectives[i], constraints.empty() ? nullptr : &constraints[i], expected);
    }
    objectives_ = expected;
    std::vector<Member> combined = std::move(population_);
    for (std::size_t i = 0; i < genomes.size(); ++i) {
      ++evaluations_;
      if (options_.use_archive) archive_.insert(genomes[i]);
      if (options_.eliminate_duplicates && !population_set_.insert(genomes[i]).second) continue;
      Member member;
      member.genome = genomes[i];
      member.evaluation.objectives = objectives[i];
      if (!constraints.empty()) member.evaluation.constraints = constraints[i];
      member.violation = total_violation(member.evaluation.constraints);
      combined.push_back(std::move(member));
    }
    std::vector<Objectives> points;
    std::vector<double> violations;
    for (const auto& m : combined) {
      points.push_back(m.evaluation.objectives);
      violations.push_back(m.violation);
    }
    population_.clear();
    for (std::size_t i : select_survivors(points, violations, options_.population_size))
      population_.push_back(std::move(combined[i]));
    refresh_ranking();
    ++tells_;
  }

  // Convenience loop: evaluates the initial population if there is none, then `generations`
  // generations. Returns the generations completed (fewer when the space is exhausted).
  std::size_t run(const Problem<Genome>& problem, std::size_t generations) {
    if (population_.empty() && !step(problem)) return 0;
    std::size_t done = 0;
    while (done < generations && step(problem)) ++done;
    return done;
  }

  // The current population, best first: by rank, then by decreasing crowding distance.
  const std::vector<Member>& population() const { return population_; }

  // The feasible members of the first front (empty while nothing feasible has been found).
  std::vector<Member> front() const {
    std::vector<Member> result;
    for (const auto& m : population_)
      if (m.rank == 0 && m.violation <= 0.0) result.push_back(m);
    return result;
  }

  std::size_t tells() const { return tells_; }
  std::size_t evaluations() const { return evaluations_; }  // genomes told, duplicates included
  bool exhausted() const { return exhausted_; }              // the last ask() found nothing new
  const Variation& variation() const { return variation_; }
  const Nsga2Options& options() const { return options_; }

 private:
  using GenomeSet = std::unordered_set<Genome, GenomeHash>;

  bool offer(Genome& genome, std::vector<Genome>& batch, GenomeSet& batch_set) const {
    if (options_.eliminate_duplicates) {
      if (population_set_.count(genome) != 0) return false;
      if (options_.use_archive && archive_.count(genome) != 0) return false;
      if (!batch_set.insert(genome).second) return false;
    }
    batch.push_back(std::move(genome));
    return true;
  }

  void breed(std::vector<Genome>& batch, GenomeSet& batch_set, std::size_t target) {
    Genome child_a, child_b;
    std::size_t failures = 0;
    while (batch.size() < target && failures < options_.max_attempts) {
      const Genome& a = population_[tournaments_.select(ranking_, rng_)].genome;
      const Genome& b = population_[tournaments_.select(ranking_, rng_)].genome;
      variation_.crossover(a, b, child_a, child_b, rng_);
      variation_.mutate(child_a, rng_);
      variation_.mutate(child_b, rng_);
      for (Genome* child : {&child_a, &child_b}) {
        if (batch.size() >= target) break;
        if (offer(*child, batch, batch_set))
          failures = 0;
        else
          ++failures;
      }
    }
  }

  static void check_numbers(const Objectives& objectives, const std::vector<double>* constraints,
                            std::size_t expected) {
    if (objectives.empty()) throw InputError("NSGA-II tell: an evaluation has no objectives");
    if (objectives.size() != expected)
      throw InputError("NSGA-II tell: " + std::to_string(objectives.size()) + " objectives, expected " +
                       std::to_string(expected));
    // A NaN would make dominance intransitive; a failed evaluation should be told as a violation.
    for (double f : objectives)
      if (std::isnan(f)) throw InputError("NSGA-II tell: an objective is NaN");
    if (constraints != nullptr)
      for (double c : *constraints)
        if (std::isnan(c)) throw InputError("NSGA-II tell: a constraint value is NaN");
  }

  void refresh_ranking() {
    std::vector<Objectives> points;
    std::vector<double> violations;
    population_set_.clear();
    for (const auto& m : population_) {
      points.push_back(m.evaluation.objectives);
      violations.push_back(m.violation);
      if (options_.eliminate_duplicates) population_set_.insert(m.genome);
    }
    const Ranking ranking = rank_and_crowd(points, violations);
    for (std::size_t i = 0; i < population_.size(); ++i) {
      population_[i].rank = ranking.rank[i];
      population_[i].crowding = ranking.crowding[i];
    }
    // Best first, so that a caller choosing "the next k to evaluate" can simply walk the population.
    std::stable_sort(population_.begin(), population_.end(), [](const Member& a, const Member& b) {
      return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
    });
    ranking_.rank.clear();
    ranking_.crowding.clear();
    tournaments_.reset();
    for (const auto& m : population_) {
      ranking_.rank.push_back(m.rank);
      ranking_.crowding.push_back(m.crowding);
    }
  }

  bool step(const Problem<Genome>& problem) {
    const std::vector<Genome> genomes = ask();
    if (genomes.empty()) return false;
    const std::vector<Evaluation> results = problem.evaluate_batch(genomes);
    if (results.size() != genomes.size())
      throw InputError("NSGA-II run: the problem returned a wrong number of evaluations");
    std::vector<Objectives> objectives;
    std::vector<std::vector<double>> constraints;
    bool constrained = false;
    for (const auto& r : results) {
      objectives.push_back(r.objectives);
      constraints.push_back(r.constraints);
      constrained = constrained || !r.constraints.empty();
    }
    if (!constrained) constraints.clear();
    tell(genomes, objectives, constraints);
    return true;
  }

  Variation variation_;
  Nsga2Options options_;
  Rng rng_;
  std::vector<Member> population_;
  Ranking ranking_;
  TournamentPool tournaments_;
  GenomeSet population_set_;
  GenomeSet archive_;
  std::size_t objectives_ = 0;
  std::size_t tells_ = 0;
  std::size_t evaluations_ = 0;
  bool exhausted_ = false;
};

}  // namespace cimnet::moo
