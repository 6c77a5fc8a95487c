// Streaming RFC 4180 writer: quotes a field only when it holds a comma, quote, CR or LF; LF line ends.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace glyphsieve {

class CsvWriter {
 public:
  /// The stream must outlive the writer. Output is buffered; call flush() (or destroy) to push it.
  /// `name` names the destination in error messages ("-" for stdout).
  explicit CsvWriter(std::ostream& out, std::string name = "-");
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void write_row(const std::vector<std::string>& fields) { write_row(fields, fields.size()); }
  /// Writes the first `count` fields only.
  void write_row(const std::vector<std::string>& fields, std::size_t count);
  /// Appends rows already formatted by format_row() with this writer's safe() setting.
  void write_formatted(std::string_view rows);
  /// Appends the CSV text of one row (the first `count` fields, then LF) to `out`, as write_row()
  /// would write it: so a worker thread can format rows for the writer (see Pipeline).
  static void format_row(const std::vector<std::string>& fields, std::size_t count, bool safe, std::string& out);
  bool safe() const { return safe_; }
  /// Spreadsheet-safe mode (--safe-csv): a cell that begins with '=', '+', '-', '@', a tab or a carriage
  /// return gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of
  /// running it as a formula. Off by default: it changes data ("-5" becomes "'-5").
  void set_safe(bool safe) { safe_ = safe; }
  /// Rows are accepted and dropped unformatted: for a run whose only output is its report
  /// (`glyphsieve report`), so it does not pay for CSV formatting nobody reads.
  void set_discard(bool discard) { discard_ = discard; }
  /// Throws Error(kDataError) if the stream reports a write failure (e.g. disk full).
  void flush();
  /// Bytes written so far (flushed or still buffered): where the next row will begin.
  std::uint64_t position() const { return flushed_ + buf_.size(); }

  /// Appends one field, quoted when needed, to `out` (exposed for rejects and tests).
  static void append_field(std::string& out, std::string_view field);

 private:
  [[noreturn]] void fail() const;
  void flush_if_full();

  std::ostream& out_;
  std::string name_;
  std::string buf_;
  std::uint64_t flushed_ = 0;  // bytes handed to out_
  bool safe_ = false;
  bool discard_ = false;
};

}  // namespace glyphsieve
