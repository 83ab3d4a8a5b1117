// Method specs: a method with settings of its own (linas:rerank=0), strictly checked.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "search/loop/method_spec.hpp"

namespace cimnet::loop {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_method_spec(text, MethodSettings{});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(MethodSpec, PlainMethodsTakeTheRunsSettings) {
  MethodSettings run;
  run.initial = 7;
  run.rerank = 8;
  for (const char* m : {"linas", "nsga2", "random", "dynast"}) {
    const MethodSpec s = parse_method_spec(m, run);
    EXPECT_EQ(s.name, m);
    EXPECT_EQ(s.method, m);
    EXPECT_EQ(s.settings.initial, 7);
    EXPECT_EQ(s.settings.rerank, 8);
  }
}

TEST(MethodSpec, AVariantOverridesItsSettingsAndHasACanonicalName) {
  MethodSettings run;
  run.rerank = 8;
  run.batch = 25;
  const MethodSpec s = parse_method_spec("linas:rerank=0", run);
  EXPECT_EQ(s.name, "linas:rerank=0");
  EXPECT_EQ(s.method, "linas");
  EXPECT_EQ(s.settings.rerank, 0);
  EXPECT_EQ(s.settings.batch, 25);
  // Settings in the table's order, integers written plainly: one name per variant.
  const MethodSpec t = parse_method_spec("linas:rerank=04:batch=10", run);
  EXPECT_EQ(t.name, "linas:batch=10:rerank=4");
  EXPECT_EQ(t.settings.batch, 10);
  EXPECT_EQ(t.settings.rerank, 4);
  EXPECT_EQ(parse_method_spec("dynast:population=20", run).settings.population, 20);
  EXPECT_EQ(parse_method_spec("nsga2:initial=10:batch=5", run).name, "nsga2:initial=10:batch=5");
}

TEST(MethodSpec, BadSpecsAreRefusedNamingWhatIsAllowed) {
  const std::string unknown = error_of("linas:rerenk=0");
  EXPECT_TRUE(has(unknown, "unknown setting 'rerenk'")) << unknown;
  EXPECT_TRUE(has(unknown, "allowed for linas: initial, batch, population, generations, rerank")) << unknown;
  const std::string not_read = error_of("nsga2:rerank=0");  // NSGA-II has no re-rank: refused, not ignored
  EXPECT_TRUE(has(not_read, "allowed for nsga2: initial, batch")) << not_read;
  EXPECT_TRUE(has(error_of("random:batch=3"), "random takes no settings"));
  const std::string method = error_of("linsa:rerank=0");
  EXPECT_TRUE(has(method, "did you mean 'linas'")) << method;
  EXPECT_TRUE(has(method, "allowed: linas, nsga2, random, dynast")) << method;
  const std::string range = error_of("linas:rerank=-1");
  EXPECT_TRUE(has(range, "rerank must be an integer from 0 to 1000, got '-1'")) << range;
  EXPECT_TRUE(has(error_of("linas:population=3"), "from 4 to 100000"));
  EXPECT_TRUE(has(error_of("linas:rerank=two"), "got 'two'"));
  EXPECT_TRUE(has(error_of("linas:rerank"), "needs a value"));
  EXPECT_TRUE(has(error_of("linas:rerank=1:rerank=2"), "given twice"));
  EXPECT_TRUE(has(error_of("linas:"), "an empty setting"));
  for (const char* bad : {"linas:rerenk=0", "nsga2:rerank=0", "linas:rerank=-1", "linas:"}) {
    EXPECT_EQ(error_of(bad).find('\n'), std::string::npos) << bad;
  }
}

TEST(MethodSpec, AListNamesEachMethodOnce) {
  const auto specs = parse_method_specs({"linas", "linas:rerank=0", "random"}, MethodSettings{});
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[1].name, "linas:rerank=0");
  EXPECT_THROW(parse_method_specs({"linas:rerank=0", "linas:rerank=00"}, MethodSettings{}), InputError);
  EXPECT_THROW(parse_method_specs({"random", "random"}, MethodSettings{}), InputError);
  EXPECT_THROW(parse_method_specs({}, MethodSettings{}), InputError);
}

}  // namespace
}  // namespace cimnet::loop
