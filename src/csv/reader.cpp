// RFC 4180 state machine over a large read buffer; unquoted runs are scanned with memchr-like loops.
#include "glyphsieve/csv/reader.hpp"

#include <cstring>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {
constexpr std::size_t kBufSize = 1u << 20;
}

CsvReader::CsvReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)), buf_(new char[kBufSize]) {}

bool CsvReader::fill() {
  if (eof_) return false;
  in_.read(buf_.get(), static_cast<std::streamsize>(kBufSize));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (in_.bad()) throw_data_error("read error", Location{name_, line_});
  pos_ = buf_.get();
  end_ = pos_ + got;
  if (first_fill_) {
    first_fill_ = false;
    if (got >= 3 && std::memcmp(pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
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

void CsvReader::append_checked(std::string& field, const char* begin, const char* end) {
  const auto n = static_cast<std::size_t>(end - begin);
  if (field.size() + n > kMaxFieldBytes) {
    throw_data_error(fmt::format("field longer than the {} MiB limit", kMaxFieldBytes >> 20),
                     Location{name_, record_line_});
  }
  field.append(begin, n);
}

bool CsvReader::next(Row& row) {
  // Skip blank lines.
  for (;;) {
    const int c = peek();
    if (c == EOF) return false;
    if (c == '\n') {
      ++pos_;
      ++line_;
    } else if (c == '\r') {
      ++pos_;
      if (peek() == '\n') ++pos_;
      ++line_;
    } else {
      break;
    }
  }
  record_line_ = line_;
  std::size_t n = 0;
  for (;;) {
    if (n == row.size()) row.emplace_back();
    std::string& field = row[n++];
    field.clear();
    if (peek() == '"') {
      ++pos_;
      const std::int64_t started = line_;
      for (;;) {
        if (pos_ == end_ && !fill()) {
          throw_data_error("unterminated quoted field (the quote opened here is never closed)",
                           Location{name_, started});
        }
        const char* q = static_cast<const char*>(std::memchr(pos_, '"', static_cast<std::size_t>(end_ - pos_)));
        const char* stop = q ? q : end_;
        for (const char* p = pos_; p < stop; ++p) line_ += (*p == '\n');
        append_checked(field, pos_, stop);
        pos_ = stop;
        if (!q) continue;
        ++pos_;               // past the quote
        if (peek() == '"') {  // doubled quote
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
    }
    // Unquoted run (or text after a closing quote, kept literally).
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      const char* p = pos_;
      while (p < end_ && *p != ',' && *p != '\n' && *p != '\r') ++p;
      append_checked(field, pos_, p);
      pos_ = p;
      if (p < end_) break;
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
    } else if (c == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  row.resize(n);
  return true;
}

}  // namespace glyphsieve
