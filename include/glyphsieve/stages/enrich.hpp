// enrich: joins canonical_model with the GPU registry and appends the card's specifications.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "glyphsieve/resources/types.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// Stage contract — reads `canonical_model` (required: run normalize first).
/// Writes `vendor`, `vram_gb`, `tdp_watts`, `mig_support`, `nvlink`, `generation`,
/// `memory_bandwidth_gbps`, `fp16_tflops`, `form_factor`, `slots`, `pcie_gen`, `launch_year`, `warnings`.
/// A model not in the registry (UNKNOWN included) leaves the spec fields empty and says why in
/// `warnings`; values the registry marks uncertain are named in `warnings` too. Never rejects a row.
class EnrichStage final : public Stage {
 public:
  explicit EnrichStage(const GpuRegistry& registry);
  std::string_view name() const override { return "enrich"; }
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;
  std::unique_ptr<Stage> clone() const override { return std::make_unique<EnrichStage>(*this); }
  void merge(const Stage& other) override;

  /// The columns this stage writes, in order.
  static const std::vector<std::string>& columns();

 private:
  const GpuRegistry& registry_;
  std::size_t model_ = 0;
  std::vector<std::size_t> out_;
  std::vector<std::vector<std::string>> cells_;                    // formatted spec cells per registry entry
  std::unordered_map<std::string, std::string> unknown_warnings_;  // id not in the registry -> warning
  std::int64_t rows_ = 0, enriched_ = 0;
};

}  // namespace glyphsieve
