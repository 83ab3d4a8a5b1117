#include "search/loop/method.hpp"

#include <stdexcept>

namespace cimnet::loop {

std::unique_ptr<Method> make_method(const MethodSpec& spec, MethodContext& context) {
  if (spec.method == "linas") return make_linas(spec, context);
  if (spec.method == "nsga2") return make_nsga2(spec, context);
  if (spec.method == "random") return make_random(spec, context);
  if (spec.method == "dynast") return make_dynast(spec, context);
  throw std::logic_error("no method '" + spec.method + "' (method_spec.cpp lists it)");
}

}  // namespace cimnet::loop
