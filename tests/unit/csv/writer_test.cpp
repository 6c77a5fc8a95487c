// CSV writer quoting and round trip through the reader.
#include "glyphsieve/csv/writer.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "glyphsieve/csv/reader.hpp"

namespace glyphsieve {
namespace {

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::ostringstream out;
  {
    CsvWriter w(out);
    w.write_row({"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    w.flush();
  }
  EXPECT_EQ(out.str(), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
}

TEST(CsvWriter, DiscardDropsRowsUntilTurnedOff) {
  std::ostringstream out;
  {
    CsvWriter w(out);
    w.set_discard(true);
    w.write_row({"dropped", "a,b"});
    w.set_discard(false);
    w.write_row({"kept"});
    w.flush();
  }
  EXPECT_EQ(out.str(), "kept\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
  const Row original = {"x", "\"q\"", "c,d", "e\r\nf", " sp "};
  std::ostringstream out;
  {
    CsvWriter w(out);
    w.write_row(original);
  }
  std::istringstream in(out.str());
  CsvReader r(in, "-");
  Row back;
  ASSERT_TRUE(r.next(back));
  EXPECT_EQ(back, original);
}

TEST(CsvWriter, WritesAPrefixOfTheRow) {
  std::ostringstream out;
  {
    CsvWriter w(out);
    w.write_row({"a", "b", "c"}, 2);
  }
  EXPECT_EQ(out.str(), "a,b\n");
}

// The quoting rule written the obvious way, to check the fast path against.
std::string reference_cell(const std::string& f, bool safe) {
  std::string v = f;
  if (safe && !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(0, "'");
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string written(const Row& row, bool safe = false) {
  std::ostringstream out;
  {
    CsvWriter w(out);
    w.set_safe(safe);
    w.write_row(row);
    w.flush();
  }
  return out.str();
}

TEST(CsvWriter, SpecialByteAtEveryPositionOfShortAndWordSizedFields) {
  // The quoting test reads 8 bytes at a time: a special byte must be seen in the first word, at a word
  // boundary and in the tail, for fields shorter than, equal to and longer than 8 and 16 bytes.
  for (std::size_t len = 1; len <= 25; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (const char special : {',', '"', '\r', '\n', '=', 'x'}) {
        std::string f(len, 'a');
        f[at] = special;
        for (const bool safe : {false, true}) {
          SCOPED_TRACE(testing::Message() << "len " << len << " at " << at << " byte " << int(special));
          EXPECT_EQ(written({f, "z"}, safe), reference_cell(f, safe) + ",z\n");
        }
      }
    }
  }
}

TEST(CsvWriter, SpecialByteAtTheLastByteOfAWord) {
  EXPECT_EQ(written({"abcdefg,"}), "\"abcdefg,\"\n");
  EXPECT_EQ(written({"abcdefghijklmno\n"}), "\"abcdefghijklmno\n\"\n");
  EXPECT_EQ(written({"abcdefghijklmno\""}), "\"abcdefghijklmno\"\"\"\n");
  EXPECT_EQ(written({"abcdefgh", "abcdefghijklmnop"}), "abcdefgh,abcdefghijklmnop\n");
}

TEST(CsvWriter, EmptyFieldsAndLoneQuotes) {
  EXPECT_EQ(written({"", "", ""}), ",,\n");
  EXPECT_EQ(written({"\""}), "\"\"\"\"\n");
  EXPECT_EQ(written({"\"\"", ""}), "\"\"\"\"\"\",\n");
  EXPECT_EQ(written({"", ""}, true), ",\n");
}

TEST(CsvWriter, SafeCsvApostropheInsideTheQuotes) {
  EXPECT_EQ(written({"=A1,B1", "-5", "=\"x\"", "@x", "a=b"}, true), "\"'=A1,B1\",'-5,\"'=\"\"x\"\"\",'@x,a=b\n");
  EXPECT_EQ(written({"\rx"}, true), "\"'\rx\"\n");
  EXPECT_EQ(written({"\tx"}, true), "'\tx\n");
  EXPECT_EQ(written({"=A1,B1", "-5"}, false), "\"=A1,B1\",-5\n");
}

TEST(CsvWriter, VeryLongFieldsPastTheFlushThreshold) {
  std::string plain(300'000, 'p');
  std::string quoted(300'001, 'q');
  quoted[123'457] = '"';
  quoted.back() = ',';
  const Row row = {plain, quoted, "-tail"};
  for (const bool safe : {false, true}) {
    std::ostringstream out;
    {
      CsvWriter w(out);
      w.set_safe(safe);
      for (int i = 0; i < 3; ++i) w.write_row(row);
    }  // the destructor writes what is left
    std::string line;
    for (const auto& f : row) line += (line.empty() ? "" : ",") + reference_cell(f, safe);
    line += '\n';
    EXPECT_EQ(out.str(), line + line + line);
  }
}

TEST(CsvWriter, AppendFieldAppends) {
  std::string out = "x=";
  CsvWriter::append_field(out, "a,\"b\"");
  CsvWriter::append_field(out, "");
  CsvWriter::append_field(out, "=plain");
  EXPECT_EQ(out, "x=\"a,\"\"b\"\"\"=plain");
}

}  // namespace
}  // namespace glyphsieve
