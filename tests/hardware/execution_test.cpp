// The execution policies' names and the choice of cycles (cold, steady): parsing and the one-line error
// for an unknown one.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hardware/execution.hpp"

namespace cimnet {
namespace {

TEST(Execution, NamesRoundTrip) {
  EXPECT_STREQ(to_string(Execution::LayerByLayer), "layer-by-layer");
  EXPECT_STREQ(to_string(Execution::Fused), "fused");
  EXPECT_STREQ(to_string(Execution::Pipelined), "pipelined");
  for (Execution e : {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined}) {
    EXPECT_EQ(parse_execution(to_string(e), "x"), e);
  }
}

TEST(Execution, UnknownPolicyNamesWhereAndTheAllowedValues) {
  try {
    parse_execution("fusion", "scenario.yaml: execution");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "scenario.yaml: execution: unknown execution policy 'fusion' (allowed: layer-by-layer, fused, pipelined)");
  }
  EXPECT_THROW(parse_execution("", "--execution"), InputError);
  EXPECT_THROW(parse_execution("Fused", "--execution"), InputError);  // names are exact
}

// What a scenario's `execution` or a search's --execution names (issue 14): a policy, or `searched`, the
// co-search's choice of one per candidate (any of the three); an
// unknown name lists them all.
TEST(ExecutionSetting, APolicyOrSearched) {
  EXPECT_EQ(execution_setting_names(), (std::vector<std::string>{"layer-by-layer", "fused", "pipelined", "searched"}));
  EXPECT_EQ(searched_execution_names(), (std::vector<std::string>{"layer-by-layer", "fused", "pipelined"}));
  for (Execution e : {Execution::LayerByLayer, Execution::Fused, Execution::Pipelined}) {
    const ExecutionSetting s = parse_execution_setting(to_string(e), "x");
    EXPECT_FALSE(s.searched);
    EXPECT_EQ(s.policy, e);
    EXPECT_EQ(to_string(s), to_string(e));
  }
  const ExecutionSetting searched = parse_execution_setting("searched", "x");
  EXPECT_TRUE(searched.searched);
  EXPECT_EQ(to_string(searched), "searched");
  EXPECT_NE(searched, ExecutionSetting{});
  EXPECT_EQ(ExecutionSetting{}, parse_execution_setting("layer-by-layer", "x"));
  try {
    parse_execution_setting("search", "--execution");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--execution: unknown execution policy 'search' (allowed: layer-by-layer, fused, pipelined, searched)");
  }
  // A policy alone (simulate, dataset) is not a setting: `searched` is no policy.
  EXPECT_THROW(parse_execution("searched", "--execution"), InputError);
}

TEST(CyclesOf, NamesRoundTrip) {
  EXPECT_STREQ(to_string(CyclesOf::Cold), "cold");
  EXPECT_STREQ(to_string(CyclesOf::Steady), "steady");
  EXPECT_EQ(cycles_of_names(), (std::vector<std::string>{"cold", "steady", "stream"}));
  for (CyclesOf c : {CyclesOf::Cold, CyclesOf::Steady}) EXPECT_EQ(parse_cycles_of(to_string(c), "x"), c);
}

TEST(CyclesOf, UnknownChoiceNamesWhereAndTheAllowedValues) {
  try {
    parse_cycles_of("warm", "--cycles");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "--cycles: unknown choice of cycles 'warm' (allowed: cold, steady, stream)");
  }
  EXPECT_THROW(parse_cycles_of("", "--cycles"), InputError);
  EXPECT_THROW(parse_cycles_of("Steady", "--cycles"), InputError);  // names are exact
}

}  // namespace
}  // namespace cimnet
