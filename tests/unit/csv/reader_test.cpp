// CSV reader edge cases: RFC 4180 quoting, line ends, BOM, blank lines, located errors.
#include "glyphsieve/csv/reader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

std::vector<Row> read_all(const std::string& text, std::vector<std::int64_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader r(in, "t.csv");
  std::vector<Row> out;
  Row row;
  while (r.next(row)) {
    out.push_back(row);
    if (lines) lines->push_back(r.record_line());
  }
  return out;
}

TEST(CsvReader, PlainFields) {
  const auto rows = read_all("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (Row{"1", "2", "3"}));
}

TEST(CsvReader, QuotedCommaDoubledQuoteAndNewline) {
  std::vector<std::int64_t> lines;
  const auto rows = read_all("t,n\n\"RTX 4090, 24GB\",\"say \"\"mint\"\"\nline two\"\nnext,1\n", &lines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "RTX 4090, 24GB");
  EXPECT_EQ(rows[1][1], "say \"mint\"\nline two");
  EXPECT_EQ(rows[2], (Row{"next", "1"}));
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 4}));  // the quoted newline moves later lines down
}

TEST(CsvReader, CrlfBomAndBlankLines) {
  std::vector<std::int64_t> lines;
  const auto rows = read_all("\xEF\xBB\xBFh1,h2\r\n\r\na,b\r\n\n\nc,d", &lines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "h1");  // BOM dropped
  EXPECT_EQ(rows[1], (Row{"a", "b"}));
  EXPECT_EQ(rows[2], (Row{"c", "d"}));  // no final newline
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 3, 6}));
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  const auto rows = read_all("a,,\n\"\",x,\n");
  EXPECT_EQ(rows[0], (Row{"a", "", ""}));
  EXPECT_EQ(rows[1], (Row{"", "x", ""}));
}

TEST(CsvReader, RaggedRowsAreReturnedAsIs) {
  const auto rows = read_all("a,b,c\n1,2\n1,2,3,4\n");
  EXPECT_EQ(rows[1].size(), 2u);
  EXPECT_EQ(rows[2].size(), 4u);
}

TEST(CsvReader, UnterminatedQuoteIsFatalAtTheLineItOpened) {
  std::istringstream in("a,b\n1,2\n3,\"open\nmore\n");
  CsvReader r(in, "bad.csv");
  Row row;
  ASSERT_TRUE(r.next(row));
  ASSERT_TRUE(r.next(row));
  try {
    r.next(row);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "bad.csv:3: unterminated quoted field (the quote opened here is never closed)");
    EXPECT_EQ(e.code(), ExitCode::kDataError);
  }
}

TEST(CsvReader, TextAfterClosingQuoteIsKept) {
  const auto rows = read_all("\"abc\"def,x\n");
  EXPECT_EQ(rows[0], (Row{"abcdef", "x"}));
}

TEST(CsvReader, FieldsSpanningBufferRefills) {
  std::string big(3u << 20, 'x');  // larger than the 1 MiB read buffer
  const auto rows = read_all("a,\"" + big + "\",c\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].size(), big.size());
  EXPECT_EQ(rows[0][2], "c");
}

TEST(CsvReader, FieldOverLimitIsALocatedError) {
  std::string big(kMaxFieldBytes + 10, 'y');
  std::istringstream in("h\n" + big + "\n");
  CsvReader r(in, "huge.csv");
  Row row;
  ASSERT_TRUE(r.next(row));
  EXPECT_THROW(r.next(row), Error);
}

}  // namespace
}  // namespace glyphsieve
