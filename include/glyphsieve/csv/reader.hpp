// Streaming RFC 4180 reader for arbitrary listing files (any column count, quoted newlines, BOM, CRLF).
// Memory is bounded by the largest record, never by the number of records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace glyphsieve {

using Row = std::vector<std::string>;

/// Largest field accepted; a longer one is a fatal, located error (not an allocation failure).
inline constexpr std::size_t kMaxFieldBytes = 16u << 20;

class CsvReader {
 public:
  /// `name` is used in error messages ("-" for stdin). The stream must outlive the reader.
  CsvReader(std::istream& in, std::string name);

  /// Reads the next record into `row` (resized to the record's field count).
  /// Blank lines are skipped; a UTF-8 BOM at the very start is dropped; LF and CRLF both end a record.
  /// Returns false at end of input.
  /// Throws Error for damage that makes the rest of the file unreadable: a quote still open at end of
  /// input (reported at the line where the field began) or a field over kMaxFieldBytes.
  bool next(Row& row);

  /// 1-based line on which the last record returned by next() began.
  std::int64_t record_line() const { return record_line_; }
  const std::string& name() const { return name_; }

 private:
  bool fill();  // refill buffer; false at EOF
  int peek();
  void append_checked(std::string& field, const char* begin, const char* end);

  std::istream& in_;
  std::string name_;
  std::unique_ptr<char[]> buf_;
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  bool eof_ = false;
  bool first_fill_ = true;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
};

}  // namespace glyphsieve
