// The one error type of glyphsieve: a message with an exit code and an optional location.
// Rendered one way everywhere: "glyphsieve: error: listings.csv:17:4: column 'price': cannot parse ...".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace glyphsieve {

/// Process exit codes (documented in docs/cli.md and `glyphsieve --help`).
enum class ExitCode : int {
  kOk = 0,
  kDataError = 1,   ///< bad data, bad config, I/O failure
  kUsage = 2,       ///< wrong command line
  kGateFailed = 3,  ///< a --fail-if gate failed (the outputs were written)
  kInterrupted = 130,
};

/// Where a problem was found. Empty fields are left out when rendered.
struct Location {
  std::string file;         ///< file name as the user gave it ("-" is shown as "<stdin>")
  std::int64_t line = 0;    ///< 1-based; 0 = unknown
  std::int64_t column = 0;  ///< 1-based; 0 = unknown
  std::string field;        ///< column or YAML key, without quotes

  /// "file:line:col: " prefix plus "column 'x': " / "key 'x': " as appropriate; empty when nothing is known.
  std::string render(bool yaml_key = false) const;
};

/// A fatal condition. Row-level problems are not Errors: they are rejects (see stages/stage.hpp).
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, std::string message, Location where = {}, bool yaml_key = false);

  ExitCode code() const { return code_; }
  const Location& where() const { return where_; }
  /// The message without location.
  const std::string& message() const { return message_; }

 private:
  ExitCode code_;
  std::string message_;
  Location where_;
};

/// Shorthands for the common codes.
[[noreturn]] void throw_data_error(std::string message, Location where = {});
[[noreturn]] void throw_config_error(std::string message, Location where);
[[noreturn]] void throw_usage_error(std::string message);

/// Nearest candidate by edit distance for "did you mean ...?", or "" when nothing is close.
std::string suggest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace glyphsieve
