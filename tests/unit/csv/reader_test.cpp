// CSV reader edge cases: RFC 4180 quoting, line ends, BOM, blank lines, located errors.
#include "glyphsieve/csv/reader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

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

// Reads every record of `text` (named `name`); the rendered Error that stops it, or "" if none does.
// Also checks that any Error is a data error (exit 1).
std::string fatal_error(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  CsvReader r(in, name);
  Row row;
  try {
    while (r.next(row)) {
    }
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError);
    return e.what();
  }
  return "";
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
  EXPECT_EQ(fatal_error("a,b\n1,2\n3,\"open\nmore\n", "bad.csv"),
            "bad.csv:3:3: unterminated quoted field (the quote opened here is never closed)");
}

TEST(CsvReader, TextAfterClosingQuoteIsKeptAndReported) {
  std::istringstream in("\"abc\"def,x\n");
  CsvReader r(in, "t.csv");
  Row row;
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row, (Row{"abcdef", "x"}));
  ASSERT_TRUE(r.problem().has_value());
  EXPECT_EQ(r.problem()->field, 0u);
  EXPECT_EQ(r.problem()->what, "text after the closing quote (quote the whole field)");
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

// The first problem of each record, or "" when it has none.
std::vector<std::string> problems(const std::string& text) {
  std::istringstream in(text);
  CsvReader r(in, "t.csv");
  std::vector<std::string> out;
  Row row;
  while (r.next(row)) out.push_back(r.problem() ? fmt::format("{}:{}", r.problem()->field, r.problem()->what) : "");
  return out;
}

TEST(CsvReader, RecordProblemsAreReportedPerRecordAndDoNotLeak) {
  using namespace std::string_literals;
  const auto p = problems(
      "a,b\n"
      "x,12\" monitor\n"  // stray quote
      "ok,1\n"
      "y,N\0L\n"  // NUL
      "z,\xff\n"  // invalid UTF-8
      "\xEF\xBB\xBF"
      "a,b\n"  // BOM in the middle of the file
      "caf\xC3\xA9,\xE2\x82\xAC"
      "5\n"s);
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0], "");
  EXPECT_EQ(p[1], "1:stray quote in an unquoted field at byte 3 (quote the field and double the quote: \"\")");
  EXPECT_EQ(p[2], "");
  EXPECT_EQ(p[3], "1:NUL byte at byte 2 of the field");
  EXPECT_EQ(p[4], "1:invalid UTF-8 (byte 0xFF) at byte 1 of the field");
  EXPECT_EQ(p[5], "0:a byte-order mark (U+FEFF) starts the field: were two files concatenated?");
  EXPECT_EQ(p[6], "");  // valid multi-byte UTF-8
}

TEST(CsvReader, FindBadByteRejectsOverlongSurrogatesAndTruncation) {
  EXPECT_EQ(find_bad_byte("plain ascii text, long enough for the fast path"), std::string::npos);
  EXPECT_EQ(find_bad_byte("\xF0\x9F\x9A\x80 rocket"), std::string::npos);
  EXPECT_EQ(find_bad_byte("ab\xC0\xAF"), 2u);                  // overlong '/'
  EXPECT_EQ(find_bad_byte("\xE0\x80\xAF"), 0u);                // overlong, 3 bytes
  EXPECT_EQ(find_bad_byte("x\xED\xA0\x80"), 1u);               // UTF-16 surrogate
  EXPECT_EQ(find_bad_byte("\xF4\x90\x80\x80"), 0u);            // past U+10FFFF
  EXPECT_EQ(find_bad_byte("abc\xE2\x82"), 3u);                 // truncated sequence
  EXPECT_EQ(find_bad_byte(std::string("12345678\0", 9)), 8u);  // NUL after a fast-path block
}

TEST(CsvReader, NotCsvFilesAreRecognisedByTheirFirstBytes) {
  for (const std::string& start :
       {std::string("\xFF\xFEt\0"), std::string("\x1F\x8B\x08"), std::string("PK\x03\x04")}) {
    std::istringstream in(start + "rest");
    CsvReader r(in, "x.csv");
    Row row;
    EXPECT_THROW(r.next(row), Error) << start;
  }
}

TEST(CsvReader, LimitsAreLocatedErrorsNotAllocationFailures) {
  EXPECT_EQ(fatal_error("a\n" + std::string(kMaxFieldBytes + 1, 'x') + "\n", "big.csv"),
            "big.csv:2: field 1 is longer than the 16 MiB limit");
  const std::string wide = fatal_error("a\n" + std::string(kMaxFields + 5, ','), "wide.csv");
  EXPECT_EQ(wide.rfind("wide.csv:2:", 0), 0u) << wide;
  EXPECT_NE(wide.find("more than 100000 fields in one record"), std::string::npos) << wide;
}

TEST(CsvReader, ColumnOfAnUnterminatedQuoteCountsFromItsLineAcrossBuffers) {
  // The quote opens on line 3 after a 2 MiB line, so the column must be relative to line 3.
  EXPECT_EQ(fatal_error("a,b\n" + std::string(2u << 20, 'x') + ",y\nxy,\"open\n", "t.csv"),
            "t.csv:3:4: unterminated quoted field (the quote opened here is never closed)");
}

}  // namespace
}  // namespace glyphsieve
