// normalize: which GPU is this listing, really? Title -> canonical model, match type, confidence,
// validity (accessories and systems are not GPUs) and bundle count.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "glyphsieve/resources/types.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

inline constexpr std::string_view kUnknownModel = "UNKNOWN";

struct MatchResult {
  std::string canonical_model{kUnknownModel};
  std::string match_type = "none";  ///< exact | regex | fuzzy | none
  double score = 0;                 ///< 0..1
  bool is_valid_gpu = false;
  std::string unknown_reason;  ///< empty when a model was identified
  int gpu_count = 1;
};

/// The title matcher (docs/normalization-spec.md). Immutable after construction; match() is pure.
class Matcher {
 public:
  /// `min_confidence` is 0..100: matches scoring below it are reported as UNKNOWN. `use_prefilter`
  /// false runs every regex on every title (same results, slower): for tests that prove the prefilter
  /// changes nothing.
  Matcher(const GpuRegistry& registry, const ModelPatterns& patterns, int min_confidence, bool use_prefilter = true);
  /// The min_confidence it was built with, 0..100.
  int min_confidence() const;
  ~Matcher();
  MatchResult match(std::string_view title) const { return match_normalized(normalized(title)); }
  /// The normalized form of a title, as the patterns see it.
  std::string normalized(std::string_view title) const;
  /// match() for a title already normalized with normalized().
  MatchResult match_normalized(const std::string& normalized_title) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Bit-parallel (Myers 1999) edit distance between `pattern` (1..64 bytes) and its best-matching
/// substring of `text`. Exposed for tests.
int fuzzy_substring_distance(std::string_view pattern, std::string_view text);

/// Longest title prefix the matcher sees (see NormalizeStage).
inline constexpr std::size_t kMaxMatchedTitleBytes = 4096;

/// Stage contract — reads `title` (required; falls back to `model` when the title names no GPU).
/// Writes `canonical_model`, `match_type`, `match_score` (0-1, two decimals), `is_valid_gpu`
/// (true/false), `unknown_reason`, `gpu_count`. Empty titles give UNKNOWN/none/0 and a reason.
/// With filter_invalid, rows with is_valid_gpu=false are filtered (counted, not written).
/// Results are cached per distinct title in one bounded cache shared by the clones that --threads makes,
/// so no thread repeats a match another made. Only the first kMaxMatchedTitleBytes of a title are matched: real titles
/// are under 300 bytes, and a hostile multi-megabyte one must not cost seconds of pattern matching (the cell itself is
/// written unchanged).
class NormalizeStage final : public Stage {
 public:
  NormalizeStage(const GpuRegistry& registry, const ModelPatterns& patterns, int min_confidence, bool filter_invalid);
  /// Shares a Matcher built once (building one compiles every pattern): for callers that run many
  /// pipelines with the same resources, such as the fuzz target. REQUIRES: matcher is not null.
  NormalizeStage(std::shared_ptr<const Matcher> matcher, bool filter_invalid);
  std::string_view name() const override { return "normalize"; }
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;
  std::unique_ptr<Stage> clone() const override { return std::make_unique<NormalizeStage>(*this); }
  void merge(const Stage& other) override;

 private:
  using Cached = const MatchResult*;
  Cached lookup(const std::string& title);

  struct SharedCache;
  std::shared_ptr<const Matcher> matcher_;
  std::shared_ptr<SharedCache> shared_;  // title -> result, for every clone
  bool filter_invalid_;
  std::optional<std::size_t> title_, model_;
  std::size_t out_model_ = 0, out_type_ = 0, out_score_ = 0, out_valid_ = 0, out_reason_ = 0, out_count_ = 0;
  std::int64_t rows_ = 0, matched_ = 0, valid_ = 0, filtered_ = 0;
};

}  // namespace glyphsieve
