// A compiled PCRE2 regular expression (JIT where available). PCRE2 rather than std::regex for speed
// and for lookbehind/lookahead, which the title patterns need (see docs/design.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace glyphsieve {

struct RegexMatch {
  std::size_t begin = 0;  ///< byte offset of the whole match
  std::size_t end = 0;
  std::optional<std::string> group1;  ///< first capture group, if the pattern has one and it took part
  std::size_t length() const { return end - begin; }
};

class Regex {
 public:
  /// Compiles `pattern` (UTF-8, case-sensitive). Throws std::invalid_argument with PCRE2's message and
  /// the offset of the problem on a syntax error; callers turn it into a located Error.
  explicit Regex(std::string pattern);

  /// First (leftmost) match in `text` at or after byte `start`, or nullopt. Thread-safe.
  /// REQUIRES: `text` is valid UTF-8 (normalized titles are plain ASCII).
  std::optional<RegexMatch> search(std::string_view text, std::size_t start = 0) const;
  bool matches(std::string_view text) const { return search(text).has_value(); }
  const std::string& pattern() const { return pattern_; }

 private:
  struct Impl;
  std::string pattern_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace glyphsieve
