// Required-literal analysis of PCRE2 patterns and an Aho-Corasick automaton over the literals.
#include "glyphsieve/core/prefilter.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>

namespace glyphsieve {
namespace {

// Literals shorter than this filter nothing worth the bookkeeping (" ", "s").
constexpr std::size_t kMinLiteral = 2;

// A set of literals one of which must occur; known == false means no requirement could be proved.
struct Requirement {
  bool known = false;
  std::vector<std::string> literals;

  std::size_t shortest() const {
    std::size_t n = SIZE_MAX;
    for (const auto& l : literals) n = std::min(n, l.size());
    return n;
  }
  // How rare the commonest literal is likely to be in a title: its length, and a digit counts extra,
  // since model numbers are rarer than words ("radeon " and "7600 xt" are the same length).
  std::size_t weakest() const {
    std::size_t n = SIZE_MAX;
    for (const auto& l : literals) {
      const bool digit = std::any_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; });
      n = std::min(n, l.size() + (digit ? 4 : 0));
    }
    return n;
  }
};

// The more selective of two requirements: a rarer weakest literal, then fewer literals.
bool better(const Requirement& a, const Requirement& b) {
  if (!a.known) return false;
  if (!b.known) return true;
  if (a.weakest() != b.weakest()) return a.weakest() > b.weakest();
  return a.literals.size() < b.literals.size();
}

struct Quantifier {
  bool present = false;
  int min = 1;
};

// Recursive descent over the subset of PCRE2 syntax the resources use. Anything else (flags, back
// references, \Q..\E, hex escapes, non-ASCII bytes, conditionals, verbs) sets failed_: the pattern
// then has no requirement and is always run.
class Analyzer {
 public:
  explicit Analyzer(std::string_view pattern) : p_(pattern) {}

  std::optional<std::vector<std::string>> run() {
    Requirement r = alternation();
    if (failed_ || i_ != p_.size() || !r.known) return std::nullopt;
    std::sort(r.literals.begin(), r.literals.end());
    r.literals.erase(std::unique(r.literals.begin(), r.literals.end()), r.literals.end());
    return r.literals;
  }

 private:
  enum class Group { kCapturing, kLookaround };

  bool at(char c) const { return i_ < p_.size() && p_[i_] == c; }

  // Every branch must contribute, else the alternation has no requirement.
  Requirement alternation() {
    Requirement all{true, {}};
    while (true) {
      Requirement branch = sequence();
      if (!branch.known) all.known = false;
      if (all.known) all.literals.insert(all.literals.end(), branch.literals.begin(), branch.literals.end());
      if (!at('|')) break;
      ++i_;
    }
    if (!all.known) all.literals.clear();
    return all;
  }

  // A sequence needs all of its mandatory parts: the most selective one is its requirement. Runs of
  // plain characters are literals; zero-width assertions (\b, ^, lookarounds) do not break a run,
  // since the characters on both sides are still adjacent in the text.
  Requirement sequence() {
    Requirement best;
    std::string run;
    const auto consider = [&](Requirement r) {
      if (r.known && r.shortest() >= kMinLiteral && better(r, best)) best = std::move(r);
    };
    const auto flush = [&] {
      if (!run.empty()) consider(Requirement{true, {run}});
      run.clear();
    };
    while (i_ < p_.size() && !failed_) {
      const char c = p_[i_];
      if (c == '|' || c == ')') break;
      if (c == '(') {
        const Group kind = open_group();
        if (failed_) break;
        Requirement inner = alternation();
        if (!at(')')) {
          failed_ = true;
          break;
        }
        ++i_;
        if (kind == Group::kLookaround) {
          if (quantifier().present) failed_ = true;
          continue;
        }
        flush();
        const Quantifier q = quantifier();
        if (!q.present || q.min >= 1) consider(std::move(inner));
        continue;
      }
      if (c == '[') {
        skip_class();
        flush();
        quantifier();
        continue;
      }
      if (c == '.') {
        ++i_;
        flush();
        quantifier();
        continue;
      }
      if (c == '^' || c == '$') {
        ++i_;
        continue;
      }
      if (c == '*' || c == '+' || c == '?' || c == '{' || static_cast<unsigned char>(c) >= 0x80) {
        failed_ = true;
        break;
      }
      char literal = c;
      if (c == '\\') {
        if (i_ + 1 >= p_.size()) {
          failed_ = true;
          break;
        }
        const char e = p_[i_ + 1];
        i_ += 2;
        if (e != '\0' && std::strchr("bBAzZG", e)) continue;  // zero width
        if (e != '\0' && std::strchr("dDwWsShHvVNRX", e)) {   // a character type
          flush();
          quantifier();
          continue;
        }
        const bool alnum = (e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z');
        if (alnum || static_cast<unsigned char>(e) >= 0x80 || e == '\0') {
          failed_ = true;  // back references, \x.., \p{..}, \Q, \K, \n ...: not modelled
          break;
        }
        literal = e;  // an escaped punctuation character stands for itself
      } else {
        ++i_;
      }
      const Quantifier q = quantifier();
      if (!q.present) {
        run.push_back(literal);
      } else if (q.min == 0) {
        flush();  // the character may be absent: the run ends before it
      } else {
        run.push_back(literal);  // at least once, but what follows is not adjacent to the first
        flush();
      }
    }
    flush();
    return best;
  }

  // At '(': consumes the opener and says what kind of group it is.
  Group open_group() {
    ++i_;
    if (at('*')) failed_ = true;  // (*VERB)
    if (!at('?')) return Group::kCapturing;
    ++i_;
    if (at(':') || at('>') || at('|')) {
      ++i_;
      return Group::kCapturing;
    }
    if (at('=') || at('!')) {
      ++i_;
      return Group::kLookaround;
    }
    if (at('<') && i_ + 1 < p_.size() && (p_[i_ + 1] == '=' || p_[i_ + 1] == '!')) {
      i_ += 2;
      return Group::kLookaround;
    }
    if (at('<') || (at('P') && i_ + 1 < p_.size() && p_[i_ + 1] == '<')) {  // a named group
      const std::size_t close = p_.find('>', i_);
      if (close == std::string_view::npos) {
        failed_ = true;
      } else {
        i_ = close + 1;
      }
      return Group::kCapturing;
    }
    failed_ = true;  // flags such as (?i), comments, conditionals, recursion
    return Group::kCapturing;
  }

  // At '[': skips the class.
  void skip_class() {
    ++i_;
    if (at('^')) ++i_;
    if (at(']')) ++i_;
    while (i_ < p_.size()) {
      if (p_[i_] == '\\') {
        i_ += 2;
      } else if (p_[i_] == '[' && i_ + 1 < p_.size() && p_[i_ + 1] == ':') {
        const std::size_t close = p_.find(":]", i_ + 2);
        if (close == std::string_view::npos) break;
        i_ = close + 2;
      } else if (p_[i_] == ']') {
        ++i_;
        return;
      } else {
        ++i_;
      }
    }
    failed_ = true;
  }

  Quantifier quantifier() {
    Quantifier q;
    if (at('?') || at('*')) {
      q = {true, 0};
      ++i_;
    } else if (at('+')) {
      q = {true, 1};
      ++i_;
    } else if (at('{')) {
      std::size_t j = i_ + 1;
      int min = 0;
      bool digits = false;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') {
        min = std::min(min * 10 + (p_[j] - '0'), 100000);
        digits = true;
        ++j;
      }
      const bool comma = j < p_.size() && p_[j] == ',';
      if (comma) {
        ++j;
        while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') ++j;
      }
      if ((!digits && !comma) || j >= p_.size() || p_[j] != '}') {
        failed_ = true;  // a '{' PCRE2 may read as a literal: not modelled
        return q;
      }
      q = {true, min};
      i_ = j + 1;
    } else {
      return q;
    }
    if (at('?') || at('+')) ++i_;  // lazy or possessive
    return q;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<std::vector<std::string>> required_literals(std::string_view pattern) { return Analyzer(pattern).run(); }

std::size_t RegexPrefilter::add(std::string_view pattern) {
  const std::size_t id = requirements_.size();
  std::vector<std::size_t> req;
  if (auto literals = required_literals(pattern)) {
    for (auto& l : *literals) {
      const auto [it, fresh] = literal_ids_.emplace(l, literals_.size());
      if (fresh) literals_.push_back(std::move(l));
      req.push_back(it->second);
    }
  }
  requirements_.push_back(std::move(req));
  return id;
}

void RegexPrefilter::build() {
  const std::size_t words = (requirements_.size() + 63) / 64;
  always_.assign(words, 0);
  std::vector<std::vector<std::uint32_t>> regexes_of(literals_.size());
  for (std::size_t id = 0; id < requirements_.size(); ++id) {
    if (requirements_[id].empty()) always_[id / 64] |= std::uint64_t{1} << (id % 64);
    for (const std::size_t l : requirements_[id]) regexes_of[l].push_back(static_cast<std::uint32_t>(id));
  }
  // Byte classes: one per byte that occurs in a literal, class 0 for every other byte.
  classes_ = 1;
  std::memset(byte_class_, 0, sizeof byte_class_);
  for (const auto& l : literals_) {
    for (const char c : l) {
      auto& cls = byte_class_[static_cast<unsigned char>(c)];
      if (cls == 0) cls = static_cast<std::uint8_t>(classes_++);
    }
  }
  // The trie, with -1 for missing edges.
  next_.assign(classes_, -1);
  std::vector<std::vector<std::uint32_t>> out(1);
  for (std::size_t l = 0; l < literals_.size(); ++l) {
    std::size_t s = 0;
    for (const char c : literals_[l]) {
      const std::size_t k = s * classes_ + byte_class_[static_cast<unsigned char>(c)];
      if (next_[k] < 0) {
        next_[k] = static_cast<std::int32_t>(out.size());
        out.emplace_back();
        next_.resize(next_.size() + classes_, -1);
      }
      s = static_cast<std::size_t>(next_[k]);
    }
    out[s].insert(out[s].end(), regexes_of[l].begin(), regexes_of[l].end());
  }
  // Breadth-first: failure links, complete transitions, and outputs merged along the failure chain.
  std::vector<std::int32_t> fail(out.size(), 0);
  std::deque<std::size_t> queue;
  for (std::size_t c = 0; c < classes_; ++c) {
    if (next_[c] < 0) {
      next_[c] = 0;
    } else {
      queue.push_back(static_cast<std::size_t>(next_[c]));
    }
  }
  while (!queue.empty()) {
    const std::size_t s = queue.front();
    queue.pop_front();
    const auto& inherited = out[static_cast<std::size_t>(fail[s])];
    out[s].insert(out[s].end(), inherited.begin(), inherited.end());
    for (std::size_t c = 0; c < classes_; ++c) {
      std::int32_t& t = next_[s * classes_ + c];
      const std::int32_t via_fail = next_[static_cast<std::size_t>(fail[s]) * classes_ + c];
      if (t < 0) {
        t = via_fail;
      } else {
        fail[static_cast<std::size_t>(t)] = via_fail;
        queue.push_back(static_cast<std::size_t>(t));
      }
    }
  }
  out_begin_.assign(1, 0);
  out_ids_.clear();
  for (auto& ids : out) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    out_ids_.insert(out_ids_.end(), ids.begin(), ids.end());
    out_begin_.push_back(static_cast<std::uint32_t>(out_ids_.size()));
  }
}

void RegexPrefilter::scan(std::string_view text, Hits& hits) const {
  hits.bits_ = always_;
  std::size_t s = 0;
  for (const char c : text) {
    s = static_cast<std::size_t>(next_[s * classes_ + byte_class_[static_cast<unsigned char>(c)]]);
    for (std::uint32_t k = out_begin_[s]; k < out_begin_[s + 1]; ++k) {
      hits.bits_[out_ids_[k] / 64] |= std::uint64_t{1} << (out_ids_[k] % 64);
    }
  }
}

}  // namespace glyphsieve
