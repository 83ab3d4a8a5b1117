// claim_output_file: an output named on the command line is checked and claimed before any work.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/output_file.hpp"
#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

TEST(OutputFile, RefusesWhatCannotBeWrittenNamingTheOption) {
  const auto dir = test::scratch_dir("output_file");
  EXPECT_EQ(input_error([] { claim_output_file("--trace", "/nonexistent/dir/t.json"); }),
            "--trace /nonexistent/dir/t.json: the folder /nonexistent/dir does not exist");
  EXPECT_EQ(input_error([&] { claim_output_file("--report", dir.string()); }),
            "--report " + dir.string() + " is a folder; name a file to write");
  const std::string plain = (dir / "plain").string();
  std::ofstream(plain) << "x";
  EXPECT_EQ(input_error([&] { claim_output_file("--out", plain + "/x.json"); }),
            "--out " + plain + "/x.json: " + plain + " is not a folder");
  EXPECT_EQ(input_error([] { claim_output_file("--out", ""); }), "--out: the path is empty");
}

TEST(OutputFile, ClaimsTheFileUntilReleased) {
  const auto dir = test::scratch_dir("output_file_claim");
  const std::string out = (dir / "r.json").string();
  {
    const OutputLock held = claim_output_file("--report", out);
    EXPECT_TRUE(std::filesystem::exists(out + ".lock"));
    const std::string e = input_error([&] { claim_output_file("--report", out); });
    EXPECT_EQ(e.rfind("--report " + out + " is being written by another process", 0), 0u) << e;
  }
  EXPECT_FALSE(std::filesystem::exists(out + ".lock"));
  EXPECT_NO_THROW(claim_output_file("--report", out));
}

}  // namespace
}  // namespace cimnet
