// Streaming RFC 4180 reader for arbitrary listing files (any column count, quoted newlines, BOM, CRLF).
// Memory is bounded by the largest record (kMaxRecordBytes), never by the number of records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace glyphsieve {

using Row = std::vector<std::string>;

/// Largest field accepted; a longer one is a fatal, located error (not an allocation failure).
inline constexpr std::size_t kMaxFieldBytes = 16u << 20;
/// Largest record (a line, or several when a quoted field holds newlines) accepted; fatal past it.
inline constexpr std::size_t kMaxRecordBytes = 64u << 20;
/// Most fields in one record; fatal past it (keeps a line of commas from costing gigabytes).
inline constexpr std::size_t kMaxFields = 100'000;

/// A problem confined to one record: the record is still returned, split as well as the damage
/// allows, and the caller rejects it (a header with a problem is fatal instead).
struct RecordProblem {
  std::size_t field = 0;  ///< 0-based index of the field where the problem is
  std::string what;       ///< "stray quote in an unquoted field at byte 7", "invalid UTF-8 ..."
};

class CsvReader {
 public:
  /// `name` is used in error messages ("-" for stdin). The stream must outlive the reader.
  CsvReader(std::istream& in, std::string name);

  /// Reads the next record into `row` (resized to the record's field count).
  /// Blank lines are skipped; a UTF-8 BOM at the very start is dropped; LF, CRLF and a lone CR all end
  /// a record. Returns false at end of input.
  /// Damage confined to the record (a stray quote, text after a closing quote, a NUL byte, invalid
  /// UTF-8, a byte-order mark at the start of a field) is reported by problem(), not thrown.
  /// Throws Error (file:line:column) for damage that makes the rest of the file unreadable: a quote
  /// still open at end of input (reported where it opened), a field over kMaxFieldBytes, a record over
  /// kMaxRecordBytes or with more than kMaxFields fields, or a read error.
  bool next(Row& row);

  /// The first problem of the last record returned by next(), if any.
  const std::optional<RecordProblem>& problem() const { return problem_; }
  /// 1-based line on which the last record returned by next() began.
  std::int64_t record_line() const { return record_line_; }
  const std::string& name() const { return name_; }

 private:
  bool fill();  // refill buffer; false at EOF
  int peek();
  std::int64_t column_of(const char* p) const;
  void note_problem(std::size_t field, std::string what);
  void append_checked(std::string& field, const char* begin, const char* end, std::size_t field_index);
  [[noreturn]] void fail(const std::string& what, std::int64_t line, std::int64_t column) const;

  std::istream& in_;
  std::string name_;
  std::unique_ptr<char[]> buf_;
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  bool eof_ = false;
  bool first_fill_ = true;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
  std::int64_t buf_offset_ = 0;   // absolute byte offset of buf_[0] in the input
  std::int64_t line_start_ = 0;   // absolute byte offset where the current line starts
  std::size_t record_bytes_ = 0;  // bytes of the record being read
  std::optional<RecordProblem> problem_;
};

}  // namespace glyphsieve
