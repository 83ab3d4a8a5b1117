#pragma once
// Helpers shared by the test suites (header-only: each test executable includes what it uses).
#include <gtest/gtest.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "common/error.hpp"
#include "workloads/network.hpp"

namespace cimnet::test {

// The message of the InputError `f` throws; a test failure when it throws nothing or something else.
template <typename F>
std::string input_error(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected an InputError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected an InputError, nothing was thrown";
  return "";
}

// The repository root: CIMNET_SOURCE_DIR when set, else the one the test was built from.
inline std::filesystem::path source_dir() {
  if (const char* env = std::getenv("CIMNET_SOURCE_DIR"); env && *env) return env;
#ifdef CIMNET_TEST_SOURCE_DIR
  return CIMNET_TEST_SOURCE_DIR;
#else
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
#endif
}

// The shared reference data beside the repository: CIMNET_SHARED_DIR when set, else the build's
// CIMNET_SHARED_DIR setting (default ../shared).
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("CIMNET_SHARED_DIR"); env && *env) return env;
#ifdef CIMNET_TEST_SHARED_DIR
  return CIMNET_TEST_SHARED_DIR;
#endif
  return source_dir().parent_path() / "shared";
}

// A scratch directory of this test process: ctest runs tests as parallel processes, so a fixed name
// would let two tests overwrite each other's files.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / (name + "." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// Field-by-field comparison of two networks' layers, naming the first layer and field that differ.
inline void expect_same_layers(const Network& a, const Network& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    SCOPED_TRACE("layer " + std::to_string(i) + " " + x.name);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.batch, y.batch);
    EXPECT_EQ(x.out_channels, y.out_channels);
    EXPECT_EQ(x.in_channels, y.in_channels);
    EXPECT_EQ(x.in_h, y.in_h);
    EXPECT_EQ(x.in_w, y.in_w);
    EXPECT_EQ(x.out_h, y.out_h);
    EXPECT_EQ(x.out_w, y.out_w);
    EXPECT_EQ(x.kernel_h, y.kernel_h);
    EXPECT_EQ(x.kernel_w, y.kernel_w);
    EXPECT_EQ(x.stride, y.stride);
    EXPECT_EQ(x.groups, y.groups);
    EXPECT_EQ(x.bias, y.bias);
    EXPECT_EQ(x.batch_norm, y.batch_norm);
    EXPECT_EQ(x.pool, y.pool);
    EXPECT_EQ(x.eltwise, y.eltwise);
    EXPECT_EQ(x.activation, y.activation);
    EXPECT_EQ(x.broadcast_second, y.broadcast_second);
    EXPECT_EQ(x.weight_bits, y.weight_bits);
    EXPECT_EQ(x.input_bits, y.input_bits);
    EXPECT_EQ(x.output_bits, y.output_bits);
    EXPECT_EQ(x.inputs, y.inputs);
  }
}

}  // namespace cimnet::test
