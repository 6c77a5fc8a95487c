// PCRE2 wrapper: compile once, JIT-compile, allocate match data per call so a Regex is shareable.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "glyphsieve/core/regex.hpp"

#include <pcre2.h>

#include <stdexcept>

#include <fmt/format.h>

namespace glyphsieve {

struct Regex::Impl {
  pcre2_code* code = nullptr;
  ~Impl() { pcre2_code_free(code); }
};

Regex::Regex(std::string pattern) : pattern_(std::move(pattern)) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  auto impl = std::make_shared<Impl>();
  impl->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(), PCRE2_UTF, &err, &offset, nullptr);
  if (!impl->code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    throw std::invalid_argument(
        fmt::format("invalid regex '{}': {} at offset {}", pattern_, reinterpret_cast<const char*>(msg), offset));
  }
  pcre2_jit_compile(impl->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
  impl_ = std::move(impl);
}

namespace {
// One match-data block per thread, shared by every Regex: matching allocates nothing.
struct MatchData {
  pcre2_match_data* md = pcre2_match_data_create(16, nullptr);
  ~MatchData() { pcre2_match_data_free(md); }
};
}  // namespace

std::optional<RegexMatch> Regex::search(std::string_view text, std::size_t start) const {
  thread_local MatchData data;
  const int rc = pcre2_match(impl_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start,
                             PCRE2_NO_UTF_CHECK, data.md, nullptr);
  if (rc < 0) return std::nullopt;  // no match (or a matching error, treated as no match)
  // rc == 0: matched, but more groups than the ovector holds; the whole match and group 1 are still set.
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data.md);
  RegexMatch m;
  m.begin = ov[0];
  m.end = ov[1];
  if ((rc == 0 || rc > 1) && ov[2] != PCRE2_UNSET) m.group1 = std::string(text.substr(ov[2], ov[3] - ov[2]));
  return m;
}

}  // namespace glyphsieve
