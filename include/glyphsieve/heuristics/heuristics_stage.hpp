// heuristics: runs strategies over each row's typed listing and writes their values as columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "glyphsieve/heuristics/heuristic.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// One strategy to run and what to do when the input already has its columns.
struct HeuristicRun {
  std::unique_ptr<BaseHeuristicStrategy> strategy;
  /// true: recompute and overwrite existing columns in place. false: an existing column is an Error
  /// that names the column and `force_flag`.
  bool overwrite = true;
  std::string force_flag;  ///< the option that allows overwriting ("--force-quantize")
};

/// Stage contract — reads the listing columns each strategy's inputs() names (missing column: Error
/// at bind) and parses the row into an EnrichedGPUListing (a cell that does not parse rejects the row
/// with the column and value). Writes each strategy's columns (reused when present, so a second run
/// gives the same file) and appends strategy warnings to `warnings` when that column exists.
class HeuristicsStage final : public Stage {
 public:
  /// `who` names the command in messages ("tag-quantization"); `hint` says how to get missing columns.
  HeuristicsStage(std::vector<HeuristicRun> runs, std::string hint = "(run 'glyphsieve enrich' first)");
  std::string_view name() const override { return "heuristics"; }
  std::unique_ptr<Stage> clone() const override { return std::make_unique<HeuristicsStage>(*this); }
  void merge(const Stage& other) override;
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;

 private:
  struct Bound {
    std::optional<std::size_t> json;  // the JSON column, for strategies with json_column()
    std::vector<std::size_t> columns;
    std::int64_t known = 0, trues = 0;  // rows with a first value; for booleans, rows true
  };
  std::shared_ptr<const std::vector<HeuristicRun>> runs_;  // shared with clones: strategies are const
  std::string hint_;
  std::vector<Bound> bound_;
  std::shared_ptr<const ListingColumns> columns_;  // bound once; shared with clones
  std::optional<std::size_t> warnings_;
  EnrichedGPUListing listing_;
  HeuristicResult result_;
  std::int64_t rows_ = 0;
};

}  // namespace glyphsieve
