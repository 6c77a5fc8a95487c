// Buffered CSV output; quoting follows RFC 4180 so our files read back with any conforming reader.
// Every command writes through here, so the hot path is kept cheap (BM_CsvWrite): a row is built in
// place in the buffer, room for it reserved once, and each unquoted field is copied and checked for
// the bytes that need quoting in one pass, 8 bytes at a time, with no library call or allocation.
#include "glyphsieve/csv/writer.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {
constexpr std::size_t kFlushAt = 1u << 16;

// Bytes that make a field need quotes: comma, quote, CR, LF.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  t[','] = t['"'] = t['\r'] = t['\n'] = true;
  return t;
}();

// Nonzero when a byte of `w` is a comma, quote, CR or LF: the has-zero-byte test once per byte value
// (it may also flag bytes past a real match, never a word without one).
std::uint64_t special_bytes(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const auto has = [w](char c) {
    const std::uint64_t x = w ^ (kOnes * static_cast<unsigned char>(c));
    return (x - kOnes) & ~x & (kOnes << 7);
  };
  return has(',') | has('"') | has('\r') | has('\n');
}

// Room a cell can take: quotes, the --safe-csv apostrophe, and every byte doubled.
constexpr std::size_t max_cell_size(std::size_t n) { return 2 * n + 3; }

// Writes one cell at `dst` (room for max_cell_size) and returns its end. The field is copied as is
// while testing for special bytes; only when one turns up is it written again, quoted.
char* put_cell(char* dst, std::string_view field, bool apostrophe) {
  const char* p = field.data();
  const std::size_t n = field.size();
  char* d = dst;
  if (apostrophe) *d++ = '\'';
  std::uint64_t special = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    std::memcpy(d + i, &w, 8);
    special |= special_bytes(w);
  }
  for (; i < n; ++i) {
    d[i] = p[i];
    special |= kSpecial[static_cast<unsigned char>(p[i])];
  }
  if (!special) return d + n;
  d = dst;
  *d++ = '"';
  if (apostrophe) *d++ = '\'';
  // Copy the runs between quotes whole; each quote is written twice.
  for (std::size_t q; (q = field.find('"')) != std::string_view::npos; field.remove_prefix(q + 1)) {
    std::memcpy(d, field.data(), q + 1);
    d += q + 1;
    *d++ = '"';
  }
  std::memcpy(d, field.data(), field.size());
  d += field.size();
  *d++ = '"';
  return d;
}

bool formula_like(const std::string& f) {
  if (f.empty()) return false;
  const char c = f[0];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}
}  // namespace

CsvWriter::CsvWriter(std::ostream& out, std::string name) : out_(out), name_(std::move(name)) {
  buf_.reserve(kFlushAt * 2);
}

void CsvWriter::fail() const {
  const int err = errno;
  throw_data_error(fmt::format("cannot write {}: {}", name_ == "-" ? "standard output" : "'" + name_ + "'",
                               err ? std::strerror(err) : "write error"));
}

CsvWriter::~CsvWriter() {
  if (!buf_.empty()) out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
}

void CsvWriter::append_field(std::string& out, std::string_view field) {
  const std::size_t at = out.size();
  out.resize(at + max_cell_size(field.size()));
  out.resize(static_cast<std::size_t>(put_cell(out.data() + at, field, false) - out.data()));
}

void CsvWriter::format_row(const std::vector<std::string>& fields, std::size_t count, bool safe, std::string& out) {
  // Room for the worst case (every byte a quote), trimmed to what was written: one resize per row.
  std::size_t room = 1;  // the newline
  for (std::size_t i = 0; i < count; ++i) room += 1 + max_cell_size(fields[i].size());
  const std::size_t at = out.size();
  out.resize(at + room);
  char* d = out.data() + at;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) *d++ = ',';
    d = put_cell(d, fields[i], safe && formula_like(fields[i]));
  }
  *d++ = '\n';
  out.resize(static_cast<std::size_t>(d - out.data()));
}

void CsvWriter::write_row(const std::vector<std::string>& fields, std::size_t count) {
  if (discard_) return;
  format_row(fields, count, safe_, buf_);
  flush_if_full();
}

void CsvWriter::write_formatted(std::string_view rows) {
  if (discard_) return;
  buf_.append(rows);
  flush_if_full();
}

void CsvWriter::flush_if_full() {
  if (buf_.size() >= kFlushAt) {
    flushed_ += buf_.size();
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
    if (!out_) fail();
  }
}

void CsvWriter::flush() {
  flushed_ += buf_.size();
  if (!buf_.empty()) out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  out_.flush();
  if (!out_) fail();
}

}  // namespace glyphsieve
