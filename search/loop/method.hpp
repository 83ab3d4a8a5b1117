#pragma once
// One search method behind one interface: given the shared services (method_context.hpp) and its
// spec (method_spec.hpp: the method and its settings), run(seed) spends the budget of real
// evaluations of that seed, iteration by iteration, logging each. A resumed run calls run(seed) again:
// a method recomputes (or reads from the checkpoint) the same plans, and real evaluations already in
// evaluations.csv are never repeated, so it continues where the interrupted run stopped.
//
// One file per method: method_linas.cpp, method_nsga2.cpp, method_random.cpp, method_dynast.cpp.
#include <memory>

#include "search/loop/method_context.hpp"
#include "search/loop/method_spec.hpp"

namespace cimnet::loop {

class Method {
 public:
  virtual ~Method() = default;
  virtual void run(long long seed) = 0;
};

std::unique_ptr<Method> make_method(const MethodSpec& spec, MethodContext& context);

// Each method's factory (its own file).
std::unique_ptr<Method> make_linas(const MethodSpec& spec, MethodContext& context);
std::unique_ptr<Method> make_nsga2(const MethodSpec& spec, MethodContext& context);
std::unique_ptr<Method> make_random(const MethodSpec& spec, MethodContext& context);
std::unique_ptr<Method> make_dynast(const MethodSpec& spec, MethodContext& context);

}  // namespace cimnet::loop
