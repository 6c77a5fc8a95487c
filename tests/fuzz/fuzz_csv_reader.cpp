// libFuzzer target: arbitrary bytes through CsvReader, every record read. glyphsieve::Error (an
// unterminated quote, an oversized field) is an expected outcome, and so are record problems; checks
// cover the reader's contract and that each record written with CsvWriter reads back the same.
#include <sstream>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/csv/reader.hpp"
#include "glyphsieve/csv/writer.hpp"

using glyphsieve::fuzz::check;

namespace {

// Writes `rows` with CsvWriter after a first record and reads them back. The first record keeps the
// rows off the start of the file (where a BOM would be dropped and "PK\x03\x04" refused as a ZIP).
// REQUIRES: no row is a single empty field (written as a blank line, which readers skip).
void check_round_trip(const std::vector<glyphsieve::Row>& rows) {
  std::ostringstream out;
  {
    glyphsieve::CsvWriter writer(out);
    writer.write_row({"first"});
    for (const auto& row : rows) writer.write_row(row);
    writer.flush();
  }
  std::istringstream in(out.str());
  glyphsieve::CsvReader reader(in, "rewritten.csv");
  glyphsieve::Row back;
  try {
    check(reader.next(back), "the first record reads back");
    for (const auto& row : rows) check(reader.next(back) && back == row, "a written record reads back the same");
    check(!reader.next(back), "the written records read back, no more");
  } catch (const glyphsieve::Error&) {
    check(false, "written records read back without an error");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in{std::string(glyphsieve::fuzz::as_text(data, size))};
  glyphsieve::CsvReader reader(in, "fuzz.csv");
  glyphsieve::Row row;
  std::int64_t last_line = 0;
  std::int64_t line_ends = 0;  // LF, CR and CRLF each end a line: record_line() can be no further
  for (std::size_t i = 0; i < size; ++i) line_ends += (data[i] == '\n' || data[i] == '\r');
  std::size_t field_bytes = 0;
  std::vector<glyphsieve::Row> rows;
  try {
    while (reader.next(row)) {
      check(!row.empty(), "a record has at least one field");
      check(reader.record_line() > last_line, "record_line() increases from record to record");
      check(reader.record_line() <= line_ends + 1, "record_line() is within the input");
      last_line = reader.record_line();
      for (const auto& field : row) {
        check(field.size() <= glyphsieve::kMaxFieldBytes, "field size <= kMaxFieldBytes");
        field_bytes += field.size();
      }
      check(field_bytes <= size, "fields hold no more bytes than the input");
      if (const auto& problem = reader.problem()) {
        check(problem->field < row.size() && !problem->what.empty(), "a record problem names a field and says what");
      }
      if (row.size() > 1 || !row[0].empty()) rows.push_back(row);
    }
  } catch (const glyphsieve::Error&) {
    // Damaged input: expected. The records before the damage still round-trip.
  }
  check_round_trip(rows);
  return 0;
}
