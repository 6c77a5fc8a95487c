// Implementation of the strict YAML helpers (see yaml_reader.hpp).
#include "resources/yaml_reader.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace glyphsieve::yaml {

YAML::Node parse(const std::string& text, const std::string& file) {
  // REQUIRES: `text` passed yaml::check_text (ResourceContext does it for every non-embedded text).
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {  // not reached after check_text; kept so none can escape
    throw Error(ExitCode::kDataError, fmt::format("invalid YAML: {}", e.msg),
                Location{file, e.mark.line + 1, e.mark.column + 1});
  }
  if (doc.IsNull()) {  // nothing, only comments, or an explicit null document
    throw Error(ExitCode::kDataError, "the file is empty: a resource must be a YAML mapping", Location{file, 1, 1});
  }
  return doc;
}

std::string kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

namespace {

/// YAML's spellings of infinity and not-a-number (.inf, .NaN, ...) and strtod's (inf, nan, infinity).
bool is_non_finite(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.erase(0, 1);
  if (!s.empty() && s[0] == '.') s.erase(0, 1);
  return s == "inf" || s == "infinity" || s == "nan" || s.starts_with("nan(");
}

/// A value quoted in a message: at most 40 bytes, cut at a UTF-8 character boundary.
std::string shorten(const std::string& s) {
  if (s.size() <= 40) return s;
  std::size_t n = 37;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "...";
}

}  // namespace

Location location(const YAML::Node& node, const std::string& file, const std::string& key) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return Location{file, 0, 0, key};
  return Location{file, m.line + 1, m.column + 1, key};
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string what, std::vector<std::string> allowed)
    : node_(node), file_(std::move(file)), what_(std::move(what)) {
  if (!node_.IsMap()) {
    throw_config_error(fmt::format("{} must be a mapping, got {}", what_, kind(node_)), location(node_, file_));
  }
  const std::set<std::string> allowed_set(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) {
      throw_config_error(fmt::format("a key in {} must be a single value, got {}", what_, kind(kv.first)),
                         location(kv.first, file_));
    }
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      throw_config_error(fmt::format("duplicate key in {}", what_), location(kv.first, file_, key));
    }
    if (!allowed_set.count(key)) {
      const std::string s = suggest(key, allowed);
      throw_config_error(
          fmt::format("unknown key in {}{}", what_, s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)),
          location(kv.first, file_, key));
    }
    entries_.emplace_back(key, kv.second);
  }
}

const YAML::Node* MapReader::find(const std::string& key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool MapReader::has(const std::string& key) const {
  const YAML::Node* n = find(key);
  return n && n->IsDefined() && !n->IsNull();
}

YAML::Node MapReader::get(const std::string& key) const {
  // yaml-cpp answers a missing key with an invalid node that throws YAML::InvalidNode on first use,
  // far from here and without a location: say which key is missing instead (found by fuzzing).
  if (!has(key)) throw_config_error(fmt::format("missing required key in {}", what_), location(node_, file_, key));
  return *find(key);
}

Location MapReader::where(const std::string& key) const {
  if (const YAML::Node* n = find(key)) return location(*n, file_, key);
  return location(node_, file_, key);
}

std::string scalar(const YAML::Node& n, const std::string& file, const std::string& key) {
  if (!n.IsScalar()) {
    throw_config_error(fmt::format("expected a single value, got {}", kind(n)), location(n, file, key));
  }
  return n.Scalar();
}

Regex compile(const YAML::Node& n, const std::string& file, const std::string& key) {
  const std::string text = scalar(n, file, key);
  try {
    return Regex(text);
  } catch (const std::invalid_argument& e) {
    throw_config_error(e.what(), location(n, file, key));
  }
}

std::string MapReader::string(const std::string& key) const {
  if (!has(key)) throw_config_error(fmt::format("missing required key in {}", what_), location(node_, file_, key));
  std::string s = scalar(get(key), file_, key);
  if (s.empty()) throw_config_error("must not be empty", where(key));
  return s;
}

std::optional<std::string> MapReader::opt_string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return scalar(get(key), file_, key);
}

double number(const YAML::Node& n, const std::string& file, const std::string& key, double min, double max) {
  const std::string s = scalar(n, file, key);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (is_non_finite(s) || (!s.empty() && *end == '\0' && !std::isfinite(v))) {
    throw_config_error(fmt::format("expected a finite number, got \"{}\"", shorten(s)), location(n, file, key));
  }
  if (s.empty() || *end != '\0') {
    throw_config_error(fmt::format("expected a number, got \"{}\"", shorten(s)), location(n, file, key));
  }
  if (v < min || v > max) {
    throw_config_error(fmt::format("{} is out of range [{}, {}]", shorten(s), min, max), location(n, file, key));
  }
  return v;
}

std::optional<double> MapReader::opt_number(const std::string& key, double min, double max) const {
  if (!has(key)) return std::nullopt;
  return yaml::number(get(key), file_, key, min, max);
}

double MapReader::number(const std::string& key, double min, double max) const {
  if (!has(key)) throw_config_error(fmt::format("missing required key in {}", what_), location(node_, file_, key));
  return *opt_number(key, min, max);
}

std::optional<int> MapReader::opt_integer(const std::string& key, int min, int max) const {
  const auto v = opt_number(key, min, max);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v) throw_config_error(fmt::format("expected a whole number, got {}", *v), where(key));
  return static_cast<int>(*v);
}

int MapReader::integer(const std::string& key, int min, int max) const {
  if (!has(key)) throw_config_error(fmt::format("missing required key in {}", what_), location(node_, file_, key));
  return *opt_integer(key, min, max);
}

bool MapReader::boolean(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const std::string s = scalar(get(key), file_, key);
  if (s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  throw_config_error(fmt::format("expected true or false, got \"{}\"", shorten(s)), where(key));
}

std::vector<std::string> MapReader::strings(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const YAML::Node n = get(key);
  if (!n.IsSequence()) throw_config_error(fmt::format("expected a list, got {}", kind(n)), where(key));
  for (const auto& item : n) out.push_back(scalar(item, file_, key));
  return out;
}

std::vector<Regex> MapReader::regexes(const std::string& key) const {
  std::vector<Regex> out;
  if (!has(key)) return out;
  const YAML::Node n = get(key);
  if (n.IsScalar()) {
    out.push_back(compile(n, file_, key));
    return out;
  }
  if (!n.IsSequence()) {
    throw_config_error(fmt::format("expected a list of regular expressions, got {}", kind(n)), where(key));
  }
  for (const auto& item : n) out.push_back(compile(item, file_, key));
  return out;
}

std::optional<Regex> MapReader::opt_regex(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return compile(get(key), file_, key);
}

std::vector<YAML::Node> MapReader::sequence(const std::string& key) const {
  if (!has(key)) throw_config_error(fmt::format("missing required key in {}", what_), location(node_, file_, key));
  const YAML::Node n = get(key);
  if (!n.IsSequence()) throw_config_error(fmt::format("expected a list, got {}", kind(n)), where(key));
  std::vector<YAML::Node> out;
  for (const auto& item : n) out.push_back(item);
  return out;
}

}  // namespace glyphsieve::yaml
