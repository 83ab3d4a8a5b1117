// The search-space base class, exercised through a small space whose rules are easy to check by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/error.hpp"
#include "workloads/search_space.hpp"

using namespace cimnet;

namespace {

// Genes: width 2×{8,16,24}, depth 1×{1,2}, ratio 1×{0.25,0.5}. Layer i (i < depth) is a 3×3 conv to
// width[i] channels; width[1] is inactive at depth 1. ratio values fold to one network (an alias).
class ToySpace : public SearchSpace {
 public:
  ToySpace()
      : SearchSpace("toy",
                    {{"width", "channels per layer", {8, 16, 24}, 2},
                     {"depth", "layers", {1, 2}, 1},
                     {"ratio", "an alias gene", {0.25, 0.5}, 1, "r"}},
                    {"wid"}) {}

  Network build_layers(const Genome& g) const override {
    NetworkBuilder b("toy", Tensor{-1, 1, 3, 8, 8});
    Tensor x = b.input();
    for (int i = 0; i < static_cast<int>(gene_value(g, "depth", 0)); ++i) {
      x = b.conv("conv" + std::to_string(i), x, static_cast<std::int64_t>(gene_value(g, "width", i)), 3);
    }
    return b.finish();
  }

  std::vector<bool> active_genes(const Genome& g) const override {
    return {true, gene_value(g, "depth", 0) > 1, true, true};
  }

 protected:
  void fold_aliases(Genome& g) const override { g[3] = 0; }
};

}  // namespace

TEST(SearchSpace, GeneNamesAndCounts) {
  ToySpace s;
  EXPECT_EQ(s.gene_count(), 4u);
  EXPECT_EQ(s.gene_name(0), "width0");
  EXPECT_EQ(s.gene_name(1), "width1");
  EXPECT_EQ(s.gene_name(2), "depth");
  EXPECT_NEAR(s.log10_genome_count(), std::log10(36.0), 1e-12);
}

TEST(SearchSpace, CanonicalFormMasksInactiveGenesAndFoldsAliases) {
  ToySpace s;
  const Genome a = {1, 2, 0, 1};  // depth 1: width1 inactive; ratio is an alias
  const Genome b = {1, 0, 0, 0};
  EXPECT_TRUE(s.equivalent(a, b));
  EXPECT_EQ(s.canonical(a), b);
  EXPECT_EQ(s.build(a).total_macs(), s.build(b).total_macs());
  const Genome deep = {1, 2, 1, 0};
  EXPECT_EQ(s.canonical(deep), deep);  // at depth 2 width1 is active
  EXPECT_FALSE(s.equivalent(deep, {1, 0, 1, 0}));
}

TEST(SearchSpace, SmallestAndLargest) {
  ToySpace s;
  EXPECT_EQ(s.smallest(), (Genome{0, 0, 0, 0}));
  EXPECT_EQ(s.largest(), (Genome{2, 2, 1, 0}));
  // conv 3→24 then 24→24 at 8×8, 3×3 kernels
  EXPECT_EQ(s.build(s.largest()).total_macs(), 24LL * 27 * 64 + 24LL * 24 * 9 * 64);
}

TEST(SearchSpace, EveryFormatRoundTrips) {
  ToySpace s;
  const Genome g = {2, 1, 1, 0};
  // Compact specs use a group's short name, DyNAS-T dicts its full name; both parse either.
  EXPECT_EQ(s.format(g), "width=24-16:depth=2:r=0.25");
  EXPECT_EQ(s.to_dynast_dict(g), "{'wid': None, 'width': [24, 16], 'depth': [2], 'ratio': [0.25]}");
  EXPECT_EQ(s.parse("width=24-16:depth=2:ratio=0.25"), g);
  EXPECT_EQ(s.parse("{'width': [24, 16], 'depth': [2], 'r': [0.25]}"), g);
  EXPECT_EQ(s.gene_name(3), "r");
  EXPECT_EQ(s.parse(s.format(g)), g);
  EXPECT_EQ(s.parse(s.to_dynast_dict(g)), g);
  EXPECT_EQ(s.parse("width=24,16; depth=2 ratio=0.25"), g);  // alternative separators
  EXPECT_EQ(s.parse("{'width': [24, 16], 'depth': 2, 'ratio': [0.25]}"), g);
  EXPECT_EQ(s.parse("min"), s.smallest());
  EXPECT_EQ(s.parse("max"), s.largest());
  EXPECT_EQ(s.parse("random:5"), s.parse("random:5"));
}

TEST(SearchSpace, MalformedSpecsAreClearErrors) {
  ToySpace s;
  auto message = [&](const std::string& spec) {
    try {
      s.parse(spec);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("width=24:depth=2:ratio=0.25").find("needs 2 values"), std::string::npos);
  EXPECT_NE(message("width=24-16:dpth=2:r=0.25").find("did you mean 'depth'"), std::string::npos);
  EXPECT_NE(message("width=24-12:depth=2:ratio=0.25").find("choices: 8, 16, 24"), std::string::npos);
  EXPECT_NE(message("widht=24-16:depth=2:ratio=0.25").find("did you mean 'width'"), std::string::npos);
  EXPECT_NE(message("width=24-16:ratio=0.25").find("missing gene group 'depth'"), std::string::npos);
  EXPECT_NE(message("{'width': [24, 16], 'depth': [2]").find("DyNAS-T dict"), std::string::npos);
  EXPECT_NE(message("{'width': [24, 16], 'depth': [2], 'ratio': [0.25], 'x': 1}").find("unknown key 'x'"),
            std::string::npos);
  EXPECT_NE(message("random:abc").find("seed"), std::string::npos);
  EXPECT_NE(message("bogus").find("expected min, max"), std::string::npos);
  EXPECT_THROW(s.check({0, 0, 5, 0}), InputError);
  EXPECT_THROW(s.check({0, 0}), InputError);
}

TEST(SearchSpace, SamplingIsDeterministicAndCoversTheChoices) {
  ToySpace s;
  Rng a(11), b(11);
  std::set<Genome> seen;
  for (int i = 0; i < 200; ++i) {
    const Genome g = s.sample(a);
    EXPECT_EQ(g, s.sample(b));
    EXPECT_EQ(g, s.canonical(g));
    seen.insert(g);
  }
  // 3 networks at depth 1 and 9 at depth 2: 200 uniform draws reach all 12.
  EXPECT_EQ(seen.size(), 12u);
}

namespace {

std::string parse_error(const SearchSpace& s, const std::string& spec) {
  try {
    s.parse(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

// Issue 12, defect 8: a group or key given twice used to be last-one-wins.
TEST(SearchSpace, AGeneGroupGivenTwiceIsAnError) {
  ToySpace s;
  EXPECT_EQ(parse_error(s, "width=24-16:depth=2:ratio=0.25:depth=1"),
            "toy: gene group 'depth' is given twice in the architecture spec");
  // The short and the long name of one group are the same group.
  EXPECT_EQ(parse_error(s, "width=24-16:depth=2:r=0.25:ratio=0.5"),
            "toy: gene group 'ratio' is given twice in the architecture spec");
}

TEST(SearchSpace, ADictKeyGivenTwiceIsAnError) {
  ToySpace s;
  EXPECT_EQ(parse_error(s, "{'width': [24, 16], 'depth': [2], 'depth': [1], 'ratio': [0.25]}"),
            "toy: key 'depth' appears twice in the DyNAS-T dict");
  EXPECT_EQ(parse_error(s, "{'width': [24, 16], 'depth': [2], 'ratio': [0.25], 'r': [0.5]}"),
            "toy: key 'r' appears twice in the DyNAS-T dict");
  EXPECT_EQ(parse_error(s, "{'wid': None, 'wid': None, 'width': [24, 16], 'depth': [2], 'ratio': [0.25]}"),
            "toy: key 'wid' appears twice in the DyNAS-T dict");
}

// Issue 12, defect 13: "unknown key 'wid' (did you mean 'wid'?)" for a key the space knows but ignores.
TEST(SearchSpace, AnIgnoredKeyWithAValueSaysItMustBeNone) {
  ToySpace s;
  const std::string m = parse_error(s, "{'wid': 1, 'width': [24, 16], 'depth': [2], 'ratio': [0.25]}");
  EXPECT_EQ(m, "toy: key 'wid' of the DyNAS-T dict must be None (or null): this space has no such choice");
}

// The accuracy-command protocol sends the DyNAS-T dict as JSON, where None is null.
TEST(SearchSpace, JsonDictsWithNullParse) {
  ToySpace s;
  const Genome g = {2, 1, 1, 0};
  EXPECT_EQ(s.parse(R"({"wid": null, "width": [24, 16], "depth": [2], "ratio": [0.25]})"), g);
  EXPECT_EQ(parse_error(s, R"({"wid": null, "width": null, "depth": [2], "ratio": [0.25]})"),
            "toy: key 'width' needs 2 values, got None");
}
