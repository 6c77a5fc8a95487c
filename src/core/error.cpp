// Rendering of glyphsieve::Error and the "did you mean" helper shared by the CLI and the resource loaders.
#include "glyphsieve/core/error.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace glyphsieve {

std::string Location::render(bool yaml_key) const {
  std::string out;
  if (!file.empty()) {
    out += file == "-" ? "<stdin>" : file;
    if (line > 0) out += fmt::format(":{}", line);
    if (line > 0 && column > 0) out += fmt::format(":{}", column);
    out += ": ";
  }
  if (!field.empty()) out += fmt::format("{} '{}': ", yaml_key ? "key" : "column", field);
  return out;
}

Error::Error(ExitCode code, std::string message, Location where, bool yaml_key)
    : std::runtime_error(where.render(yaml_key) + message),
      code_(code),
      message_(std::move(message)),
      where_(std::move(where)) {}

void throw_data_error(std::string message, Location where) {
  throw Error(ExitCode::kDataError, std::move(message), std::move(where));
}

void throw_config_error(std::string message, Location where) {
  throw Error(ExitCode::kDataError, std::move(message), std::move(where), /*yaml_key=*/true);
}

void throw_usage_error(std::string message) { throw Error(ExitCode::kUsage, std::move(message)); }

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // Close enough: at most a third of the word wrong, or one is a prefix of the other.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  if (best_d <= limit) return best;
  for (const auto& c : candidates) {
    if (c.size() > 2 && word.size() > 2 && (c.starts_with(word) || word.starts_with(c))) return c;
  }
  return {};
}

}  // namespace glyphsieve
