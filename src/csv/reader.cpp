// RFC 4180 state machine over a large read buffer. Unquoted runs are scanned with a stop table;
// damage confined to a record is reported by problem() so the caller can reject just that record.
#include "glyphsieve/csv/reader.hpp"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve {
namespace {
constexpr std::size_t kBufSize = 1u << 20;

// Bytes that end an unquoted run: separators, line ends, and a quote (a stray one is a problem).
constexpr std::array<bool, 256> make_stops() {
  std::array<bool, 256> t{};
  t[','] = t['\n'] = t['\r'] = t['"'] = true;
  return t;
}
constexpr std::array<bool, 256> kStop = make_stops();

// Files that are certainly not UTF-8 CSV, recognised by their first bytes, with what to do instead.
const char* sniff_not_csv(const char* p, std::size_t n) {
  const auto starts = [&](const char* magic, std::size_t len) { return n >= len && std::memcmp(p, magic, len) == 0; };
  if (starts("\xFF\xFE", 2) || starts("\xFE\xFF", 2)) {
    return "the file is UTF-16 (it starts with a UTF-16 byte-order mark); convert it to UTF-8 first, e.g. "
           "iconv -f UTF-16 -t UTF-8";
  }
  if (starts("\x1F\x8B", 2))
    return "the file is gzip-compressed; decompress it first, e.g. zcat FILE | glyphsieve ... -i -";
  if (starts("PK\x03\x04", 4)) return "the file is a ZIP archive (an .xlsx workbook?); export it as CSV first";
  return nullptr;
}

std::string describe_bad_byte(const std::string& field, std::size_t at) {
  const auto b = static_cast<unsigned char>(field[at]);
  if (b == 0) return fmt::format("NUL byte at byte {} of the field", at + 1);
  return fmt::format("invalid UTF-8 (byte 0x{:02X}) at byte {} of the field", b, at + 1);
}
}  // namespace

CsvReader::CsvReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)), buf_(new char[kBufSize]) {}

bool CsvReader::fill() {
  if (eof_) return false;
  if (end_) buf_offset_ += end_ - buf_.get();
  in_.read(buf_.get(), static_cast<std::streamsize>(kBufSize));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (in_.bad()) fail("read error", line_, 0);
  pos_ = buf_.get();
  end_ = pos_ + got;
  if (first_fill_) {
    first_fill_ = false;
    if (got >= 3 && std::memcmp(pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
    if (const char* what = sniff_not_csv(pos_, got)) fail(what, 1, 1);
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

int CsvReader::peek() {
  if (pos_ == end_ && !fill()) return EOF;
  return static_cast<unsigned char>(*pos_);
}

std::int64_t CsvReader::column_of(const char* p) const {
  const std::int64_t abs = buf_offset_ + (p - buf_.get());
  return abs - line_start_ + 1;
}

void CsvReader::fail(const std::string& what, std::int64_t line, std::int64_t column) const {
  throw Error(ExitCode::kDataError, what, Location{name_, line, column});
}

void CsvReader::note_problem(std::size_t field, std::string what) {
  if (!problem_) problem_ = RecordProblem{field, std::move(what)};
}

void CsvReader::append_checked(std::string& field, const char* begin, const char* end, std::size_t field_index) {
  const auto n = static_cast<std::size_t>(end - begin);
  if (field.size() + n > kMaxFieldBytes) {
    fail(fmt::format("field {} is longer than the {} MiB limit", field_index + 1, kMaxFieldBytes >> 20), record_line_,
         0);
  }
  record_bytes_ += n;
  if (record_bytes_ > kMaxRecordBytes) {
    fail(fmt::format("record is longer than the {} MiB limit", kMaxRecordBytes >> 20), record_line_, 0);
  }
  field.append(begin, n);
}

bool CsvReader::next(Row& row) {
  problem_.reset();
  // Skip blank lines.
  for (;;) {
    const int c = peek();
    if (c == EOF) return false;
    if (c == '\n') {
      ++pos_;
    } else if (c == '\r') {
      ++pos_;
      if (peek() == '\n') ++pos_;
    } else {
      break;
    }
    ++line_;
    line_start_ = buf_offset_ + (pos_ - buf_.get());
  }
  record_line_ = line_;
  record_bytes_ = 0;
  std::size_t n = 0;
  for (;;) {
    if (n == kMaxFields) {
      fail(fmt::format("more than {} fields in one record", kMaxFields), line_, pos_ ? column_of(pos_) : 0);
    }
    if (n == row.size()) row.emplace_back();
    const std::size_t fi = n++;
    std::string& field = row[fi];
    field.clear();
    bool quoted = false;
    if (peek() == '"') {
      quoted = true;
      const std::int64_t started = line_;
      const std::int64_t started_col = column_of(pos_);
      ++pos_;
      for (;;) {
        if (pos_ == end_ && !fill()) {
          fail("unterminated quoted field (the quote opened here is never closed)", started, started_col);
        }
        const char* q = static_cast<const char*>(std::memchr(pos_, '"', static_cast<std::size_t>(end_ - pos_)));
        const char* stop = q ? q : end_;
        for (const char* p = pos_; p < stop; ++p) {
          if (*p == '\n') {
            ++line_;
            line_start_ = buf_offset_ + (p + 1 - buf_.get());
          }
        }
        append_checked(field, pos_, stop, fi);
        pos_ = stop;
        if (!q) continue;
        ++pos_;               // past the quote
        if (peek() == '"') {  // doubled quote
          append_checked(field, pos_, pos_ + 1, fi);
          ++pos_;
          continue;
        }
        break;
      }
    }
    // Unquoted run (or text after a closing quote, kept literally and reported).
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      const char* p = pos_;
      while (p < end_ && !kStop[static_cast<unsigned char>(*p)]) ++p;
      if (quoted && p > pos_) note_problem(fi, "text after the closing quote (quote the whole field)");
      append_checked(field, pos_, p, fi);
      pos_ = p;
      if (p == end_) continue;
      if (*p == '"') {
        note_problem(fi, fmt::format("stray quote in an unquoted field at byte {} (quote the field and double the "
                                     "quote: \"\")",
                                     field.size() + 1));
        append_checked(field, pos_, pos_ + 1, fi);
        ++pos_;
        continue;
      }
      break;
    }
    const int c = peek();
    if (c == ',') {
      ++pos_;
      continue;
    }
    if (c == '\r') {
      ++pos_;
      if (peek() == '\n') ++pos_;
      ++line_;
      line_start_ = buf_offset_ + (pos_ - buf_.get());
    } else if (c == '\n') {
      ++pos_;
      ++line_;
      line_start_ = buf_offset_ + (pos_ - buf_.get());
    }
    break;
  }
  row.resize(n);
  for (std::size_t i = 0; i < n && !problem_; ++i) {
    const std::string& f = row[i];
    if (const std::size_t at = find_bad_byte(f); at != std::string::npos) {
      note_problem(i, describe_bad_byte(f, at));
    } else if (f.size() >= 3 && std::memcmp(f.data(), "\xEF\xBB\xBF", 3) == 0) {
      note_problem(i, "a byte-order mark (U+FEFF) starts the field: were two files concatenated?");
    }
  }
  return true;
}

}  // namespace glyphsieve
