// Buffered CSV output; quoting follows RFC 4180 so our files read back with any conforming reader.
#include "glyphsieve/csv/writer.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {
constexpr std::size_t kFlushAt = 1u << 16;
}

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
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void CsvWriter::write_row(const std::vector<std::string>& fields, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (i) buf_.push_back(',');
    const std::string& f = fields[i];
    if (safe_ && !f.empty() &&
        (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r')) {
      append_field(buf_, "'" + f);
    } else {
      append_field(buf_, f);
    }
  }
  buf_.push_back('\n');
  if (buf_.size() >= kFlushAt) {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
    if (!out_) fail();
  }
}

void CsvWriter::flush() {
  if (!buf_.empty()) out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  out_.flush();
  if (!out_) fail();
}

}  // namespace glyphsieve
