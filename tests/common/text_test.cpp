#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/text.hpp"

using namespace cimnet;

TEST(Text, TrimSplitJoin) {
  EXPECT_EQ(trim("  a b \t\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split_any("a-b,,c", "-,"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(join({"x", "y", "z"}, ", "), "x, y, z");
  EXPECT_TRUE(starts_with("random:7", "random:"));
  EXPECT_FALSE(starts_with("rand", "random:"));
}

TEST(Text, EditDistanceAndSuggestions) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(closest_match("hardwre", {"name", "space", "hardware"}), "hardware");
  EXPECT_EQ(closest_match("DRAM_BW", {"DRAM_bw", "L2_bw"}), "DRAM_bw");  // case-insensitive
  EXPECT_EQ(closest_match("zzzzzzzz", {"name", "space"}), "");
  EXPECT_EQ(closest_match("DRAM_bandwidth", {"dram_latency", "DRAM_bw", "L2_bw"}), "DRAM_bw");  // shared prefix            // nothing close: no suggestion
  EXPECT_EQ(did_you_mean("spce", {"space"}), " (did you mean 'space'?)");
}

TEST(Text, StrictNumbers) {
  EXPECT_EQ(parse_integer(" 42 ", "x"), 42);
  EXPECT_EQ(parse_integer("-3", "x"), -3);
  EXPECT_THROW(parse_integer("4.5", "x"), InputError);
  EXPECT_THROW(parse_integer("12abc", "x"), InputError);
  EXPECT_THROW(parse_integer("", "x"), InputError);
  EXPECT_THROW(parse_integer("99999999999999999999999", "x"), InputError);
  EXPECT_DOUBLE_EQ(parse_number("0.25", "x"), 0.25);
  EXPECT_THROW(parse_number("nan", "x"), InputError);
  try {
    parse_integer("abc", "hardware.DRAM_bw");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("hardware.DRAM_bw"), std::string::npos);
  }
}

TEST(Text, ShortestRoundTripNumbers) {
  EXPECT_EQ(format_number(3), "3");
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(0.35), "0.35");
  EXPECT_EQ(format_number(3072), "3072");
  EXPECT_EQ(format_number(10), "10");
  EXPECT_EQ(format_number(160), "160");
  EXPECT_EQ(format_number(-2), "-2");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
}
