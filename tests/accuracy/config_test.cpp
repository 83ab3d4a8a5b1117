// make_accuracy_source: the kinds, the defaults per space, and the errors of bad settings.
#include "accuracy/accuracy_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "accuracy/data_dir.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

TEST(AccuracyConfig, AutoPicksTheShippedModelOrTheProxy) {
  const auto mbv3 = make_space("ofa-mbv3");
  const auto source = make_accuracy_source(*mbv3, AccuracyConfig{});
  EXPECT_FALSE(source->is_proxy());
  EXPECT_EQ(source->label().rfind("predictor ", 0), 0u) << source->label();
  for (const char* name : {"ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    const auto proxy = make_accuracy_source(*space, AccuracyConfig{});
    EXPECT_TRUE(proxy->is_proxy()) << name;
  }
  const auto w12 = make_space("ofa-mbv3-w12");
  EXPECT_NE(input_error([&] { make_accuracy_source(*w12, AccuracyConfig{}); }).find("no accuracy source ships"),
            std::string::npos);
}

TEST(AccuracyConfig, BadSettingsAreClearErrors) {
  const auto space = make_space("ofa-mbv3");
  auto make = [&](AccuracyConfig c) { return input_error([&] { make_accuracy_source(*space, c); }); };
  EXPECT_NE(make({"tabel", "", "", 1}).find("did you mean 'table'"), std::string::npos);
  EXPECT_NE(make({"table", "", "", 1}).find("needs the path"), std::string::npos);
  EXPECT_NE(make({"command", "", "", 1}).find("needs the command"), std::string::npos);
  EXPECT_NE(make({"command", "x.csv", "cat", 1}).find("takes no path"), std::string::npos);
  EXPECT_NE(make({"table", "x.csv", "cat", 1}).find("takes no command"), std::string::npos);
  EXPECT_NE(make({"proxy", "", "", 1}).find("no accuracy proxy"), std::string::npos);
  const auto command = make_accuracy_source(*space, {"command", "", "cat", 5});
  EXPECT_EQ(command->label(), "command 'cat'");
}

TEST(AccuracyConfig, DataDirectoryCanBeOverridden) {
  const std::string before = data_dir();
  ::setenv("CIMNET_DATA_DIR", "/nonexistent/cimnet-data", 1);
  EXPECT_EQ(data_dir(), "/nonexistent/cimnet-data");
  const auto space = make_space("ofa-mbv3");
  const std::string e = input_error([&] { make_accuracy_source(*space, AccuracyConfig{}); });
  ::unsetenv("CIMNET_DATA_DIR");
  EXPECT_NE(e.find("/nonexistent/cimnet-data/accuracy"), std::string::npos) << e;
  EXPECT_NE(e.find("CIMNET_DATA_DIR"), std::string::npos) << e;
  EXPECT_EQ(data_dir(), before);
}

}  // namespace
}  // namespace cimnet
