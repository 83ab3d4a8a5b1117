#include "common/csv.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace cimnet {
namespace {

using test::input_error;

TEST(Csv, ParsesQuotedFieldsEscapesAndLineEnds) {
  const std::string text =
      "\xEF\xBB\xBF"
      "name,spec,value\r\n"
      "a,\"{'ks': [3, 5], 'd': [2]}\",1.5\r\n"
      "\"b \"\"quoted\"\"\",\"two\nlines\",\n"
      "c,,3";
  const CsvTable t = parse_csv(text, "data.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"name", "spec", "value"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][1], "{'ks': [3, 5], 'd': [2]}");
  EXPECT_EQ(t.rows[1][0], "b \"quoted\"");
  EXPECT_EQ(t.rows[1][1], "two\nlines");
  EXPECT_EQ(t.rows[1][2], "");
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"c", "", "3"}));
  EXPECT_EQ(t.row_lines, (std::vector<std::size_t>{2, 3, 5}));
  EXPECT_EQ(t.column("value"), 2u);
  EXPECT_EQ(t.where(2, 1), "data.csv:5: column 'spec'");
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(input_error([] { parse_csv("a,b\n1,\"x\n", "f.csv"); }), "f.csv:2:3: quoted field is never closed");
  EXPECT_EQ(input_error([] { parse_csv("a,b\n1,x\"y\n", "f.csv"); }),
            "f.csv:2:4: quote inside an unquoted field (quote the whole field)");
  EXPECT_EQ(input_error([] { parse_csv("a,b\n\"x\"y,2\n", "f.csv"); }),
            "f.csv:2:4: unexpected character after a closing quote (expected ',' or a line end)");
  EXPECT_EQ(input_error([] { parse_csv("a,b\n1,2\n1,2,3\n", "f.csv"); }),
            "f.csv:3:1: record has 3 fields, the header has 2");
  EXPECT_EQ(input_error([] { parse_csv("a,b\n1,2\n\n3,4\n", "f.csv"); }), "f.csv:3:1: record has 1 fields, the header has 2");
  EXPECT_EQ(input_error([] { parse_csv("a,a\n", "f.csv"); }), "f.csv:1:3: duplicate column name 'a'");
  EXPECT_EQ(input_error([] { parse_csv("a,,c\n", "f.csv"); }), "f.csv:1:3: empty column name in the header");
  EXPECT_EQ(input_error([] { parse_csv("", "f.csv"); }), "f.csv: empty CSV (no header line)");
  EXPECT_NE(input_error([] { read_csv("/nonexistent/dir/x.csv"); }).find("/nonexistent/dir/x.csv: cannot open"),
            std::string::npos);
}

TEST(Csv, MissingColumnListsTheColumns) {
  const CsvTable t = parse_csv("Sub-network,Top-1 Acc (%)\nx,1\n", "f.csv");
  const std::string message = input_error([&] { t.column("Top-1 Acc"); });
  EXPECT_NE(message.find("f.csv: no column 'Top-1 Acc'"), std::string::npos) << message;
  EXPECT_NE(message.find("columns are: Sub-network, Top-1 Acc (%)"), std::string::npos) << message;
}

}  // namespace
}  // namespace cimnet
