// score: a weighted additive score per listing, from the row alone (docs/scoring.md).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "glyphsieve/heuristics/listing.hpp"
#include "glyphsieve/heuristics/quantization.hpp"
#include "glyphsieve/resources/types.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// The score of one listing and its parts. Terms are in [0, 1]; empty optionals mean "not scored".
struct ScoreBreakdown {
  std::optional<double> unit_price_usd;      ///< price / gpu_count, converted with the currency's usd_rate
  std::optional<double> quantization_score;  ///< 0-100
  std::optional<double> raw_score;           ///< sum of weight * term
  std::optional<double> score;               ///< 0-100: 100 * raw_score / sum of weights
};

/// Scores typed listings. Pure: the result depends on the listing and the configs only.
class Scorer {
 public:
  /// REQUIRES: weights >= 0 with a positive sum (validate_weights()).
  Scorer(ScoringConfig scoring, const QuantizationHeuristicConfig& quantization, const Currencies& currencies);
  /// Not scored (score empty) when the listing is not a valid GPU or its vram_gb is unknown.
  ScoreBreakdown score(const EnrichedGPUListing& listing) const;
  /// The listing's price per card in USD, when its price and currency rate are known.
  std::optional<double> unit_price_usd(const EnrichedGPUListing& listing) const;
  const ScoringConfig& config() const { return scoring_; }

 private:
  ScoringConfig scoring_;
  QuantizationCapacityStrategy capacity_;
  QuantizationCapableStrategy capable_;
  const Currencies& currencies_;
  struct Weights {
    double vram = 0, mig = 0, nvlink = 0, tdp = 0, price = 0, quantization = 0;
  } w_;
  double weight_sum_ = 0;
  std::size_t quant_sizes_ = 0;  // model sizes in the capacity config
};

/// Throws a usage Error when a weight is negative or not finite, or when they sum to 0.
void validate_weights(const ScoringConfig& scoring);

/// Stage contract — reads the listing columns (vram_gb required; price, currency, gpu_count,
/// tdp_watts, mig_support, nvlink optional: a missing one earns its term 0). Writes `unit_price_usd`,
/// `raw_score`, `quantization_score`, `score` (empty when the row cannot be scored: not a GPU or
/// unknown vram_gb). A cell that does not parse rejects the row. Never filters.
class ScoreStage final : public Stage {
 public:
  ScoreStage(ScoringConfig scoring, const QuantizationHeuristicConfig& quantization, const Currencies& currencies);
  std::string_view name() const override { return "score"; }
  std::unique_ptr<Stage> clone() const override { return std::make_unique<ScoreStage>(*this); }
  void merge(const Stage& other) override;
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;

 private:
  Scorer scorer_;
  std::shared_ptr<const ListingColumns> columns_;  // bound once; shared with clones
  std::size_t unit_ = 0, raw_ = 0, quant_ = 0, score_ = 0;
  EnrichedGPUListing listing_;
  std::int64_t rows_ = 0, scored_ = 0, unpriced_ = 0;
};

}  // namespace glyphsieve
