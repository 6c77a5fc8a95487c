// The two quantization strategies: how many 4-bit models fit on a card, and whether the card is a
// good low-bit inference card. Rules are in the class comments; configs in quantization_heuristic.yaml.
#pragma once

#include "glyphsieve/heuristics/heuristic.hpp"
#include "glyphsieve/resources/types.hpp"

namespace glyphsieve {

/// quantization_capacity — per model size k in the config:
///   capacity[k] = floor((vram_gb - overhead_gb) / model_gb[k]), never below 0.
/// Integer outputs `quantization_capacity.<k>` plus the JSON column `quantization_capacity`.
/// Unknown vram_gb: every value empty and a warning (never zeros, which would claim "fits nothing").
/// Capacity is per card; a bundle of N cards holds N times as many.
class QuantizationCapacityStrategy final : public BaseHeuristicStrategy {
 public:
  explicit QuantizationCapacityStrategy(QuantizationCapacityConfig config);
  std::string_view name() const override { return "quantization_capacity"; }
  std::vector<std::string> inputs() const override { return {"vram_gb"}; }
  const std::vector<OutputField>& outputs() const override { return outputs_; }
  bool json_column() const override { return true; }
  void evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const override;
  std::string describe() const override;

  /// The spec for a card with `vram_gb` of memory.
  QuantizationCapacitySpec compute(double vram_gb) const;
  /// How many configured sizes fit at least once (compute() without building the spec).
  std::size_t sizes_that_fit(double vram_gb) const;
  const QuantizationCapacityConfig& config() const { return config_; }

 private:
  QuantizationCapacityConfig config_;
  std::vector<OutputField> outputs_;
};

/// quantization_capable — true when ALL hold: vram_gb >= min_vram_gb (24), tdp_watts <= max_tdp_watts
/// (300) and mig_support >= min_mig_support (1). Outputs `quantization_capable` (boolean) and
/// `quantization_capable_reason` (enum): "meets_all", or the first check that fails, in the order
/// vram, tdp, mig ("vram_unknown", "vram_below_min", "tdp_unknown", "tdp_above_max", "mig_unknown",
/// "mig_below_min"). A missing input makes it false, never unknown.
class QuantizationCapableStrategy final : public BaseHeuristicStrategy {
 public:
  explicit QuantizationCapableStrategy(QuantizationCapableConfig config);
  std::string_view name() const override { return "quantization_capable"; }
  std::vector<std::string> inputs() const override { return {"vram_gb", "tdp_watts", "mig_support"}; }
  const std::vector<OutputField>& outputs() const override { return outputs_; }
  void evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const override;
  std::string describe() const override;

  /// The verdict and its reason for one listing (the enum value).
  std::pair<bool, std::string_view> judge(const EnrichedGPUListing& listing) const;

 private:
  QuantizationCapableConfig config_;
  std::vector<OutputField> outputs_;
};

}  // namespace glyphsieve
