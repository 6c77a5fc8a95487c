// Implementation of the resource text gate (see yaml_guard.hpp). Columns are 1-based byte columns,
// as yaml-cpp counts them, so this file's locations and yaml-cpp's agree.
#include "resources/yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"
#include "glyphsieve/resources/limits.hpp"

namespace glyphsieve::yaml {
namespace {

Location at(const std::string& file, const YAML::Mark& m, std::string key = {}) {
  return Location{file, m.line + 1, m.column + 1, std::move(key)};
}

/// Size, encoding and control characters: what yaml-cpp would accept silently (it replaces bad UTF-8
/// with U+FFFD) or report in misleading terms (a NUL reads as "illegal map value").
void check_bytes(const std::string& text, const std::string& file) {
  if (text.size() > kMaxResourceBytes) {
    throw Error(ExitCode::kDataError,
                fmt::format("the file is larger than {} MiB, the limit for a resource file", kMaxResourceBytes >> 20),
                Location{file});
  }
  // The first byte that is not plain text: a NUL or invalid UTF-8 (find_bad_byte), or a control character.
  std::size_t at = find_bad_byte(text);
  for (std::size_t i = 0; i < std::min(at, text.size()); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
      at = i;
      break;
    }
  }
  if (at == std::string::npos) return;
  const std::size_t line_start = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;  // npos + 1 == 0
  const Location here{file, 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'),
                      static_cast<std::int64_t>(at - line_start) + 1};
  const auto c = static_cast<unsigned char>(text[at]);
  if (c == 0)
    throw Error(ExitCode::kDataError, "NUL byte: a resource must be UTF-8 text (is this a binary file?)", here);
  if (c < 0x80) {
    throw Error(ExitCode::kDataError, fmt::format("control character U+{:04X} is not allowed in YAML", c), here);
  }
  throw Error(ExitCode::kDataError, fmt::format("invalid UTF-8 (byte 0x{:02X}): a resource must be UTF-8 text", c),
              here);
}

/// 0-based column of a tab in the indentation of 0-based line `line`, if there is one.
std::optional<std::int64_t> indenting_tab(const std::string& text, int line) {
  std::size_t pos = 0;
  for (int l = 0; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return std::nullopt;
    ++pos;
  }
  for (std::size_t i = pos; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
    if (text[i] == '\t') return static_cast<std::int64_t>(i - pos);
  }
  return std::nullopt;
}

/// The event pass. yaml-cpp calls it as its recursive parser descends, so a limit throws long
/// before the parser's own depth guard (2000 levels) or a node tree is built.
class Guard final : public YAML::EventHandler {
 public:
  explicit Guard(const std::string& file) : file_(file) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    // yaml-cpp's Load reads the first document and drops the rest without a word.
    if (++documents_ > 1) {
      throw_config_error("a resource holds one YAML document; a second one starts here", at(file_, mark));
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, nullptr); }

  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    if (value.size() > kMaxScalarBytes) {
      throw_config_error(fmt::format("{} is {} bytes long, over the {} KiB limit for one YAML scalar",
                                     next_is_key() ? "a key" : "the value", value.size(), kMaxScalarBytes >> 10),
                         at(file_, mark, key_of_next()));
    }
    leaf(mark, anchor, &value);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const std::string key = key_of_next();
    const auto it = done_.find(anchor);
    if (it == done_.end()) {
      // yaml-cpp has already rejected undefined anchors: this one is still open, so the alias is inside it.
      throw_config_error("an alias inside its own anchor would make an endless structure", at(file_, mark, key));
    }
    const Anchored a = it->second;
    if (stack_.size() + a.height > kMaxYamlDepth) {
      throw_config_error(fmt::format("nesting deeper than {} levels once aliases are expanded", kMaxYamlDepth),
                         at(file_, mark, key));
    }
    child(mark, nullptr);
    nodes_ += a.nodes;  // a.nodes <= kMaxYamlNodes and nodes_ <= kMaxYamlNodes: no overflow
    if (nodes_ > kMaxYamlNodes) {
      throw_config_error(
          fmt::format("alias expansion too large (a 'billion laughs' file?): more than {} nodes", kMaxYamlNodes),
          at(file_, mark, key));
    }
    if (!stack_.empty()) stack_.back().height = std::max(stack_.back().height, a.height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, /*is_map=*/false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, /*is_map=*/true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool is_map = false;
    bool expect_key = true;  ///< mappings: the next child is a key
    YAML::anchor_t anchor = 0;
    std::uint64_t nodes_before = 0;    ///< nodes_ when this collection started
    std::size_t height = 0;            ///< height of the tallest child, aliases expanded
    std::string key;                   ///< mappings: the key read last
    std::map<std::string, int> lines;  ///< mappings: scalar key -> 1-based line of its first use
  };
  struct Anchored {
    std::uint64_t nodes = 0;  ///< nodes in the anchored subtree, aliases expanded
    std::size_t height = 0;   ///< 0 for a scalar, 1 + tallest child for a collection
  };

  bool next_is_key() const { return !stack_.empty() && stack_.back().is_map && stack_.back().expect_key; }

  /// The key whose value the next node is part of, for messages ("" at the top or in a key).
  std::string key_of_next() const {
    if (next_is_key()) return {};
    // The innermost mapping's last key: the next node is its value or inside it.
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (it->is_map) return it->key;
    }
    return {};
  }

  /// Every node passes here as it starts: counts it and, in a mapping, tells keys from values and
  /// rejects a scalar key seen before in the same mapping (yaml-cpp keeps both silently).
  void child(const YAML::Mark& mark, const std::string* scalar) {
    if (stack_.empty() || !stack_.back().is_map) return;
    Frame& f = stack_.back();
    const bool is_key = f.expect_key;
    f.expect_key = !is_key;
    if (!is_key) return;
    f.key = scalar ? *scalar : std::string();
    if (!scalar) return;
    const auto [it, fresh] = f.lines.emplace(*scalar, mark.line + 1);
    if (!fresh)
      throw_config_error(fmt::format("duplicate key (first at line {})", it->second), at(file_, mark, *scalar));
  }

  void count_one(const YAML::Mark& mark, const std::string& key) {
    if (++nodes_ > kMaxYamlNodes) {
      throw_config_error(fmt::format("more than {} YAML nodes", kMaxYamlNodes), at(file_, mark, key));
    }
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string* scalar) {
    const std::string key = key_of_next();
    child(mark, scalar);
    count_one(mark, key);
    if (anchor != 0) done_[anchor] = Anchored{1, 0};
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    const std::string key = key_of_next();
    if (stack_.size() + 1 > kMaxYamlDepth) {
      throw_config_error(fmt::format("nesting deeper than {} levels", kMaxYamlDepth), at(file_, mark, key));
    }
    child(mark, nullptr);
    const std::uint64_t before = nodes_;
    count_one(mark, key);
    Frame f;
    f.is_map = is_map;
    f.anchor = anchor;
    f.nodes_before = before;
    stack_.push_back(std::move(f));
  }

  void close() {
    if (stack_.empty()) return;  // not reached: yaml-cpp pairs starts and ends
    const Frame& f = stack_.back();
    const std::size_t height = f.height + 1;
    if (f.anchor != 0) done_[f.anchor] = Anchored{nodes_ - f.nodes_before, height};
    stack_.pop_back();
    if (!stack_.empty()) stack_.back().height = std::max(stack_.back().height, height);
  }

  const std::string& file_;
  int documents_ = 0;
  std::uint64_t nodes_ = 0;  ///< nodes so far, aliases expanded
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> done_;  ///< finished anchors
};

}  // namespace

void check_text(const std::string& text, const std::string& file) {
  check_bytes(text, file);
  std::istringstream in(text);
  Guard guard(file);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(guard)) {
    }
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw Error(ExitCode::kDataError, fmt::format("invalid YAML: {}", e.msg), Location{file});
    // yaml-cpp reports a tab-indented line as "illegal map value" or the like, which does not say why.
    if (const auto tab = indenting_tab(text, e.mark.line)) {
      throw Error(ExitCode::kDataError, "invalid YAML: tab in indentation (YAML allows only spaces for indentation)",
                  Location{file, e.mark.line + 1, *tab + 1});
    }
    throw Error(ExitCode::kDataError, fmt::format("invalid YAML: {}", e.msg),
                Location{file, e.mark.line + 1, e.mark.column + 1});
  }
}

}  // namespace glyphsieve::yaml
