// quantization_capable: vram_gb >= 24 AND tdp_watts <= 300 AND mig_support >= 1 (thresholds from config).
#include <fmt/format.h>

#include "glyphsieve/heuristics/quantization.hpp"

namespace glyphsieve {
namespace {
// Every value quantization_capable_reason may take, in check order after the first.
const std::vector<std::string> kReasons = {"meets_all",     "vram_unknown", "vram_below_min", "tdp_unknown",
                                           "tdp_above_max", "mig_unknown",  "mig_below_min"};
}  // namespace

QuantizationCapableStrategy::QuantizationCapableStrategy(QuantizationCapableConfig config) : config_(config) {
  outputs_.push_back({"quantization_capable",
                      ValueKind::kBoolean,
                      fmt::format("vram_gb >= {} and tdp_watts <= {} and mig_support >= {}", config_.min_vram_gb,
                                  config_.max_tdp_watts, config_.min_mig_support),
                      {}});
  outputs_.push_back({"quantization_capable_reason", ValueKind::kEnum,
                      "meets_all, or the first check that fails (vram, then tdp, then mig)", kReasons});
}

std::pair<bool, std::string_view> QuantizationCapableStrategy::judge(const EnrichedGPUListing& g) const {
  if (!g.vram_gb) return {false, kReasons[1]};
  if (*g.vram_gb < config_.min_vram_gb) return {false, kReasons[2]};
  if (!g.tdp_watts) return {false, kReasons[3]};
  if (*g.tdp_watts > config_.max_tdp_watts) return {false, kReasons[4]};
  if (!g.mig_support) return {false, kReasons[5]};
  if (*g.mig_support < config_.min_mig_support) return {false, kReasons[6]};
  return {true, kReasons[0]};
}

void QuantizationCapableStrategy::evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const {
  const auto [capable, reason] = judge(listing);
  out.values.assign({capable, EnumValue{reason}});
}

std::string QuantizationCapableStrategy::describe() const {
  return fmt::format("true when vram_gb >= {}, tdp_watts <= {} and mig_support >= {}; missing input -> false",
                     config_.min_vram_gb, config_.max_tdp_watts, config_.min_mig_support);
}

}  // namespace glyphsieve
