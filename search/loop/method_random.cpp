// Random search: the first `budget` distinct feasible uniform samples of the method's seed stream,
// evaluated `initial` first, then `batch` at a time (the iterations only pace the log).
#include <algorithm>

#include "common/clock.hpp"
#include "search/loop/method.hpp"

namespace cimnet::loop {

namespace {

class RandomSearch : public Method {
 public:
  RandomSearch(const MethodSpec& spec, MethodContext& context) : spec_(spec), context_(context) {}

  void run(long long seed) override {
    const SearchOptions& o = context_.options();
    const auto all = context_.uniform_sample(method_seed(spec_.method, seed), static_cast<std::size_t>(o.budget));
    std::size_t pos = 0;
    for (int it = 0; pos < all.size(); ++it) {
      const auto size = it == 0 ? spec_.settings.initial : spec_.settings.batch;
      const std::size_t n = std::min(all.size() - pos, static_cast<std::size_t>(size));
      const std::vector<Candidate> batch(all.begin() + static_cast<std::ptrdiff_t>(pos),
                                         all.begin() + static_cast<std::ptrdiff_t>(pos + n));
      const double t0 = monotonic_seconds();
      context_.evaluate(batch, spec_.name, seed, it);
      IterationLog l = MethodContext::blank(spec_.name, seed, it);
      l.eval_seconds = monotonic_seconds() - t0;
      context_.log_iteration(l);
      pos += n;
    }
  }

 private:
  MethodSpec spec_;
  MethodContext& context_;
};

}  // namespace

std::unique_ptr<Method> make_random(const MethodSpec& spec, MethodContext& context) {
  return std::make_unique<RandomSearch>(spec, context);
}

}  // namespace cimnet::loop
