// quantization_capacity: floor((vram_gb - overhead_gb) / model_gb) per configured model size.
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/heuristics/quantization.hpp"

namespace glyphsieve {

QuantizationCapacityStrategy::QuantizationCapacityStrategy(QuantizationCapacityConfig config)
    : config_(std::move(config)) {
  for (const auto& [key, gb] : config_.models) {
    outputs_.push_back({fmt::format("quantization_capacity.{}", key),
                        ValueKind::kInteger,
                        fmt::format("4-bit {} models that fit on one card ({} GB each after {} GB overhead)", key, gb,
                                    config_.overhead_gb),
                        {}});
  }
}

namespace {
// The rule, in one place: floor((vram - overhead) / size), never below 0. The epsilon keeps exact
// fits exact: (9 - 2) / 3.5 must be 2, not 1.9999999.
std::int64_t copies(double usable_gb, double model_gb) {
  return usable_gb <= 0 ? 0 : static_cast<std::int64_t>(std::floor(usable_gb / model_gb + 1e-9));
}
}  // namespace

QuantizationCapacitySpec QuantizationCapacityStrategy::compute(double vram_gb) const {
  std::vector<std::pair<std::string, std::int64_t>> counts;
  const double usable = vram_gb - config_.overhead_gb;
  for (const auto& [key, gb] : config_.models) counts.emplace_back(key, copies(usable, gb));
  return QuantizationCapacitySpec(std::move(counts));
}

std::size_t QuantizationCapacityStrategy::sizes_that_fit(double vram_gb) const {
  std::size_t n = 0;
  for (const auto& [key, gb] : config_.models) n += copies(vram_gb - config_.overhead_gb, gb) > 0 ? 1 : 0;
  return n;
}

void QuantizationCapacityStrategy::evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const {
  out.values.assign(outputs_.size(), std::monostate{});
  if (!listing.vram_gb) {
    out.warnings.emplace_back("quantization_capacity: vram_gb unknown");
    return;
  }
  const QuantizationCapacitySpec spec = compute(*listing.vram_gb);
  for (std::size_t i = 0; i < spec.counts().size(); ++i) out.values[i] = spec.counts()[i].second;
}

std::string QuantizationCapacityStrategy::describe() const {
  std::vector<std::string> sizes;
  for (const auto& [key, gb] : config_.models) sizes.push_back(fmt::format("{} {} GB", key, gb));
  return fmt::format("floor((vram_gb - {}) / model GB), at least 0; sizes: {}", config_.overhead_gb,
                     fmt::join(sizes, ", "));
}

}  // namespace glyphsieve
