// Strict YAML decoding helpers: every error names file:line:column and the key; unknown keys are
// rejected with "did you mean"; yaml-cpp exceptions never leave this module.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/regex.hpp"

namespace glyphsieve::yaml {

/// Parses `text`. REQUIRES: check_text (yaml_guard.hpp) passed it, or it is an embedded resource (which
/// a unit test passes through check_text). Throws Error with file:line:column for a syntax error or an
/// empty file (nothing but comments included).
YAML::Node parse(const std::string& text, const std::string& file);

/// "a mapping", "a list", "a single value" or "nothing": the Y of "expected X, got Y" messages.
std::string kind(const YAML::Node& node);

Location location(const YAML::Node& node, const std::string& file, const std::string& key = {});

/// A YAML mapping whose keys are checked against a fixed list.
class MapReader {
 public:
  /// Throws if `node` is not a mapping, has a duplicate or non-scalar key, or a key outside `allowed`.
  MapReader(const YAML::Node& node, std::string file, std::string what, std::vector<std::string> allowed);

  bool has(const std::string& key) const;
  const YAML::Node& node() const { return node_; }
  /// The value of a required key; throws a located "missing required key" Error when it is absent.
  YAML::Node get(const std::string& key) const;
  Location where(const std::string& key) const;

  std::string string(const std::string& key) const;  // required, non-empty
  std::optional<std::string> opt_string(const std::string& key) const;
  /// Numbers must be finite (.nan, .inf, nan and inf are rejected) and within [min, max].
  double number(const std::string& key, double min, double max) const;  // required
  std::optional<double> opt_number(const std::string& key, double min, double max) const;
  std::optional<int> opt_integer(const std::string& key, int min, int max) const;
  int integer(const std::string& key, int min, int max) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::vector<std::string> strings(const std::string& key) const;  // optional list; [] when absent
  std::vector<Regex> regexes(const std::string& key) const;
  std::optional<Regex> opt_regex(const std::string& key) const;
  /// Required sequence; returns its items.
  std::vector<YAML::Node> sequence(const std::string& key) const;

 private:
  /// The value of `key`, or nullptr. yaml-cpp's own lookup converts and compares every key on each
  /// call; the pairs are read once here instead (a third of start-up went to repeated lookups).
  const YAML::Node* find(const std::string& key) const;

  YAML::Node node_;
  std::string file_;
  std::string what_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;  // (key, value) in file order
};

/// Scalar helpers usable on list items.
std::string scalar(const YAML::Node& n, const std::string& file, const std::string& key);
/// A finite number in [min, max]; `key` names it in messages.
double number(const YAML::Node& n, const std::string& file, const std::string& key, double min, double max);
Regex compile(const YAML::Node& n, const std::string& file, const std::string& key);

}  // namespace glyphsieve::yaml
