// A literal prefilter for a set of regexes: one pass over a text tells which regexes cannot match it, so
// only the others are run. The idea is RE2's prefilter and Hyperscan's literal stage: most regexes
// can only match where some literal occurs ("k 80\b" needs "k 80", "\b(?:nvlink|nv link)\b" needs
// "nvlink" or "nv link"); an Aho-Corasick automaton finds every such literal of every regex at once.
// It is only an accelerator: a regex the analysis does not understand is always a candidate, so the
// answer "may match" is never wrong in the unsafe direction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace glyphsieve {

/// Literals of which at least one occurs in every text `pattern` (PCRE2 syntax) matches, or nullopt
/// when there is no such set the analysis can prove (an optional part only, an escape or flag it does
/// not model, literals shorter than 2 bytes). Exposed for tests.
std::optional<std::vector<std::string>> required_literals(std::string_view pattern);

class RegexPrefilter {
 public:
  /// Which regexes may match one scanned text (see scan()).
  class Hits {
   public:
    bool test(std::size_t id) const { return (bits_[id / 64] >> (id % 64)) & 1u; }

   private:
    friend class RegexPrefilter;
    std::vector<std::uint64_t> bits_;
  };

  /// Registers a regex by its pattern and returns its id (0, 1, ...). REQUIRES: build() not called yet.
  std::size_t add(std::string_view pattern);
  /// Builds the automaton. REQUIRES: called once, after the last add().
  void build();
  /// Scans `text` once. Afterwards hits.test(id) is false only when regex `id` cannot match `text`.
  void scan(std::string_view text, Hits& hits) const;
  std::size_t size() const { return requirements_.size(); }

 private:
  // requirements_[id]: indexes into literals_, or empty = always a candidate.
  std::vector<std::vector<std::size_t>> requirements_;
  std::vector<std::string> literals_;
  std::unordered_map<std::string, std::size_t> literal_ids_;
  std::vector<std::uint64_t> always_;  // bit set of the regexes without a requirement
  // The automaton: a dense transition table over byte classes; outputs are regex ids.
  std::uint8_t byte_class_[256] = {};
  std::size_t classes_ = 1;
  std::vector<std::int32_t> next_;        // state * classes_ + class -> state
  std::vector<std::uint32_t> out_begin_;  // per state: range in out_ids_ (inclusive of suffix outputs)
  std::vector<std::uint32_t> out_ids_;
};

}  // namespace glyphsieve
