// frontier: marks the listings on the price/score Pareto frontier (on_frontier). A row's place on the
// frontier depends on every other row, so the stage only adds the column; FrontierMarker, fed the rows as
// they are written, finds the frontier and says which cells to turn to "true" once the last row is in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "glyphsieve/core/frontier.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// The name of the column, and its two values.
inline constexpr std::string_view kOnFrontierColumn = "on_frontier";

/// Stage contract — reads nothing; adds `on_frontier` (or reuses the column when the input has one) and
/// writes "false" in it on every row. The frontier rows get "true" from the caller after the last row
/// (see FrontierMarker; run_pipeline holds the output back until then). Never filters or rejects.
class FrontierStage final : public Stage {
 public:
  std::string_view name() const override { return "frontier"; }
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;
  std::unique_ptr<Stage> clone() const override { return std::make_unique<FrontierStage>(*this); }
  void merge(const Stage& other) override;

 private:
  std::size_t column_ = 0;
  std::int64_t rows_ = 0;
};

/// Finds the frontier among the rows written, in output order, and where their on_frontier cells are.
/// A row is eligible when is_valid_gpu is "true", canonical_model is known (not empty or UNKNOWN),
/// duplicate_flag is not DUPLICATE, unit_price_usd > 0 and score is a finite number (the report's
/// "analysed" listings with a price and a score). Memory grows with the frontier (a few dozen rows for
/// real data; every row at worst, when each is both dearer and better than all before it).
class FrontierMarker {
 public:
  /// Binds the columns by name. REQUIRES: `header` has on_frontier (a FrontierStage ran).
  explicit FrontierMarker(const std::vector<std::string>& header);
  /// `row` was just written with `safe` (--safe-csv) formatting, and the output now ends at byte `end`.
  void add(const std::vector<std::string>& row, std::int64_t line, std::uint64_t end, bool safe);
  /// Output byte offsets of the on_frontier cells ("false") of the final frontier's rows, ascending.
  std::vector<std::uint64_t> cells_to_mark() const;
  std::int64_t eligible() const { return eligible_; }
  std::size_t on_frontier() const { return frontier_.size(); }

 private:
  std::size_t column_ = 0;
  std::optional<std::size_t> price_, score_, valid_, model_, duplicate_;
  ParetoFrontier frontier_;
  std::unordered_map<std::int64_t, std::uint64_t> cells_;  // line -> cell offset, for the rows on the frontier
  std::vector<std::int64_t> dropped_;
  std::string scratch_;
  std::int64_t eligible_ = 0;
};

}  // namespace glyphsieve
