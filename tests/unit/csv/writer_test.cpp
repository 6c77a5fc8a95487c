// CSV writer quoting and round trip through the reader.
#include "glyphsieve/csv/writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

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

}  // namespace
}  // namespace glyphsieve
